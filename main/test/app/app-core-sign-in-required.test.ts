/**
 * A session whose tokens ran out with nothing to renew them: the relay tunnel needs a new sign-in,
 * and the problem the app shows for it gives the reason and leaves the action to the app's button:
 * none of the CLI's "run `switchboard login`".
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterView } from '@switchboard/contract/app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../src/core/app/app-core.js';
import { EphemeralLocalIdentityStore } from '../../src/core/local-proxy/local-identity.js';
import { createLogger } from '../../src/core/logging/logger.js';
import type { StatusWatcher } from '../../src/core/session/signed-in-session.js';
import { EphemeralTokenStore } from '../../src/core/token-store/ephemeral-token-store.js';
import { sampleTokens } from '../support/sample-tokens.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

/** The stand-in relay has no status stream: one that is live and never refuses. */
class QuietStatusWatcher extends EventEmitter<{ change: [] }> implements StatusWatcher {
  clusters: ClusterView[] = [];
  state: 'idle' | 'live' | 'reconnecting' = 'idle';
  signInRequired = false;
  start(): void {
    this.state = 'live';
    this.emit('change');
  }
  close(): void {
    this.state = 'idle';
  }
}

const CLI_SPEAK = /`|\bswitchboard login\b|\s--[a-z]/;

describe('AppCore when the session can no longer be renewed', () => {
  let relay: StandInRelay;
  let scratch: string;
  let core: AppCore;

  beforeAll(async () => {
    [relay, scratch] = await Promise.all([
      startStandInRelay(),
      mkdtemp(join(tmpdir(), 'switchboard-app-core-sign-in-required-')),
    ]);
    const { refreshToken: _none, ...expired } = {
      ...sampleTokens(relay.url),
      accessTokenExpiresAt: Date.now() - 60_000,
    };
    const store = new EphemeralTokenStore();
    await store.save(relay.url, expired);
    core = await AppCore.start({
      configDirectory: join(scratch, 'config'),
      store,
      localIdentityStore: new EphemeralLocalIdentityStore(),
      logger: createLogger('silent'),
      openBrowser: async () => {
        throw new Error('no browser in this test');
      },
      relayUrl: relay.url,
      defaultSettings: { backgroundMode: false, proxy: { enabled: false, port: 0 } },
      statusWatcher: () => new QuietStatusWatcher(),
    });
  });
  afterAll(async () => {
    await core?.close();
    await relay?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('says why a new sign-in is needed, in the app’s words', async () => {
    const why = 'the session expired and the identity provider issued no refresh token';
    await expect.poll(() => core.state.signIn, { timeout: 15_000 }).toBe('sign-in-required');
    expect(core.state.problem).toEqual({
      kind: 'sign-in-required',
      message: `Your sign-in to ${relay.url} has expired and could not be renewed (${why}). Sign in again.`,
    });
    expect(core.state.problem?.message).not.toMatch(CLI_SPEAK);
  });
});
