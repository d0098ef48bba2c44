/**
 * SignInService against a real relay with its embedded OpenID provider, the user played in headless
 * Chromium: the relay choice and browser sign-in, the session it begins and ends (in which order,
 * and with or without forgetting the account), a restart that finds the tokens, "sign-in
 * required", and sign-out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccountRegistry,
  type BrowserOpener,
  createLogger,
  EphemeralLocalIdentityStore,
  EphemeralTokenStore,
  loadOrCreateLocalIdentity,
  RelayConfigurationError,
  SignInService,
} from '@switchboard/main/core';
import { ScriptedBrowserUser } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevIdpRelay, startDevIdpRelay, TEST_USERS } from '../support/dev-idp-relay.js';

const alice = TEST_USERS[0]!;

describe('SignInService', () => {
  let relay: DevIdpRelay;
  let browser: Browser;
  let scratch: string;
  const store = new EphemeralTokenStore();
  const localIdentityStore = new EphemeralLocalIdentityStore();

  beforeAll(async () => {
    [relay, browser, scratch] = await Promise.all([
      startDevIdpRelay(),
      launchChromium(),
      mkdtemp(join(tmpdir(), 'switchboard-sign-in-service-')),
    ]);
  });
  afterAll(async () => {
    await Promise.all([relay?.close(), browser?.close()]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** A service whose session hooks only record what they were asked, in order. */
  const serviceWith = (openBrowser: BrowserOpener) => {
    const calls: string[] = [];
    let queue: Promise<unknown> = Promise.resolve();
    const service = new SignInService({
      registry: new AccountRegistry(join(scratch, 'config')),
      store,
      localIdentityStore,
      openBrowser,
      logger: createLogger('silent'),
      serialize: (change) => {
        const run = queue.then(change);
        queue = run.catch(() => {});
        return run;
      },
      beginSession: (relayUrl) => calls.push(`begin ${relayUrl}`),
      endSession: async (forget) => {
        calls.push(forget ? 'end and forget' : 'end');
      },
      beforeSignOut: async () => {
        calls.push('before sign-out');
      },
    });
    return { service, calls };
  };

  it('signs in through the browser: signing-in, then signed-in with the account, and the session begins', async () => {
    const user = new ScriptedBrowserUser(browser, alice);
    const { service, calls } = serviceWith(user.openBrowser);
    await service.restore(undefined);
    expect(service.view).toEqual({ signIn: 'no-relay' });

    await service.connectRelay(relay.url);
    expect(service.view).toMatchObject({ signIn: 'signing-in', relayUrl: relay.url });
    await expect.poll(() => service.view.signIn, { timeout: 30_000 }).toBe('signed-in');
    expect(service.view.account).toMatchObject({ relayUrl: relay.url, username: alice.username });
    // The first sign-in switched from no relay (forgetting nothing there was), then a fresh session.
    expect(calls).toEqual(['end and forget', 'end', `begin ${relay.url}`]);
    expect(await store.load(relay.url)).toBeDefined();
    expect(await user.finished()).toEqual([expect.stringContaining('Signed in to Switchboard')]);
    await service.close();
  });

  it('a restart finds the tokens: signed in at once, with the remembered relay', async () => {
    const { service, calls } = serviceWith(async () => {
      throw new Error('no browser sign-in after a restart');
    });
    await service.restore(undefined);
    expect(service.view).toMatchObject({
      signIn: 'signed-in',
      relayUrl: relay.url,
      account: { username: 'alice' },
    });
    expect(calls).toEqual([`begin ${relay.url}`]);
  });

  it('"sign-in required" only while signed in, with what to do', async () => {
    const { service } = serviceWith(async () => {});
    await service.restore(relay.url);
    service.signInRequired('the refresh token was revoked');
    expect(service.view).toMatchObject({
      signIn: 'sign-in-required',
      problem: {
        kind: 'sign-in-required',
        message: `Your sign-in to ${relay.url} has expired and could not be renewed (the refresh token was revoked). Sign in again.`,
      },
    });
    const before = service.view;
    service.signInRequired('again');
    expect(service.view).toEqual(before);
  });

  it('a URL that is no relay fails the request and changes nothing', async () => {
    const { service, calls } = serviceWith(async () => {});
    await service.restore(relay.url);
    await expect(service.connectRelay('http://127.0.0.1:9/')).rejects.toBeInstanceOf(RelayConfigurationError);
    expect(service.view).toMatchObject({ signIn: 'signed-in', relayUrl: relay.url });
    expect(calls).toEqual([`begin ${relay.url}`]);
  });

  it('signs out: merged contexts first, then the session ends and forgets the account, tokens and local identity gone', async () => {
    await loadOrCreateLocalIdentity(localIdentityStore);
    const { service, calls } = serviceWith(async () => {});
    await service.restore(undefined);
    await service.signOut();
    expect(calls).toEqual([`begin ${relay.url}`, 'before sign-out', 'end and forget']);
    expect(service.view).toEqual({ signIn: 'signed-out', relayUrl: relay.url });
    expect(await store.load(relay.url)).toBeUndefined();
    expect(await localIdentityStore.load()).toBeUndefined();
  });
});
