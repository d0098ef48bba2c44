/**
 * The app when the OS keychain is missing at start and comes back: the stored sign-in cannot be
 * read, so the app starts signed out with a `keychain-unavailable` problem (not a crash, not a
 * browser sign-in); signing in again while the keychain is still missing changes nothing, and once
 * it is there the stored sign-in is used, with no browser. A real gnome-keyring on a private D-Bus;
 * "missing" is a session bus address that leads nowhere until it is linked to that bus.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from '@switchboard/test-support/child-process';
import { type PrivateKeyring, startPrivateKeyring } from '@switchboard/test-support/private-keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../src/core/accounts/account-registry.js';
import { EphemeralLocalIdentityStore } from '../../src/core/local-proxy/local-identity.js';
import { createLogger } from '../../src/core/logging/logger.js';
import { SignInService } from '../../src/core/sign-in/sign-in-service.js';
import { KeychainTokenStore } from '../../src/core/token-store/keychain-token-store.js';
import { KEYCHAIN_DRIVER } from '../support/entry-points.js';
import { sampleTokens } from '../support/sample-tokens.js';

const RELAY = 'https://relay.example.com';

describe('SignInService when the keychain is missing at start', () => {
  let keyring: PrivateKeyring;
  let scratch: string;
  const busAddressBefore = process.env.DBUS_SESSION_BUS_ADDRESS;

  beforeAll(async () => {
    [keyring, scratch] = await Promise.all([
      startPrivateKeyring(),
      mkdtemp(join(tmpdir(), 'switchboard-sign-in-keychain-')),
    ]);
  });
  afterAll(async () => {
    if (busAddressBefore === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = busAddressBefore;
    await keyring?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('starts signed out with the keychain problem, then uses the stored sign-in once the keychain is back', async () => {
    // Signed in earlier, by another process that had the keychain. (This process keeps the bus
    // connection once it has one, so it must not have one before the keychain goes missing.)
    const cacheDirectory = join(scratch, 'tokens');
    const saved = await runNode(
      KEYCHAIN_DRIVER,
      [cacheDirectory],
      keyring.env,
      JSON.stringify([{ op: 'save', account: RELAY, tokens: sampleTokens(RELAY) }]),
    );
    expect(JSON.parse(saved.stdout)).toEqual([{ ok: true }]);

    const busSocket = /^unix:path=([^,]+)/.exec(keyring.env.DBUS_SESSION_BUS_ADDRESS!)![1]!;
    const laterBusSocket = join(keyring.root, 'bus-provided-later');
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${laterBusSocket}`;

    const opened: string[] = [];
    const sessions: string[] = [];
    const service = new SignInService({
      registry: new AccountRegistry(join(scratch, 'config')),
      store: new KeychainTokenStore(cacheDirectory),
      localIdentityStore: new EphemeralLocalIdentityStore(),
      openBrowser: async (url) => {
        opened.push(url);
      },
      logger: createLogger('silent'),
      serialize: (change) => change(),
      beginSession: (relayUrl) => sessions.push(relayUrl),
      endSession: async () => {},
      beforeSignOut: async () => {},
    });

    await service.restore(RELAY);
    const blocked = service.view;
    expect(blocked).toMatchObject({
      signIn: 'signed-out',
      relayUrl: RELAY,
      problem: { kind: 'keychain-unavailable' },
    });
    expect(blocked.problem?.message).toMatch(/Secret Service provider/);
    expect(blocked.problem?.message).toContain(laterBusSocket);

    // Still missing: the same problem, and no browser sign-in that would fail at the end anyway.
    await service.signIn();
    expect(service.view).toEqual(blocked);

    await symlink(busSocket, laterBusSocket);
    await service.signIn();
    expect(service.view).toMatchObject({ signIn: 'signed-in', relayUrl: RELAY });
    expect(service.view.problem).toBeUndefined();
    expect(sessions).toEqual([RELAY]);
    expect(opened).toEqual([]);
    await service.close();
  });
});
