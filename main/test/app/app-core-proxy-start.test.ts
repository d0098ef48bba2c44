/**
 * AppCore in-process against the stand-in relay, already signed in: the proxy starts with the
 * session, and `close()` while that start is still under way waits for it and stops what it
 * brought up, so nothing listens, dials the relay or holds a kubeconfig after shutdown.
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../src/core/app/app-core.js';
import { defaultSwitchboardKubeconfigPath } from '../../src/core/kubeconfig/switchboard-kubeconfig.js';
import { createLogger } from '../../src/core/logging/logger.js';
import { EphemeralTokenStore } from '../../src/core/token-store/ephemeral-token-store.js';
import { HeldIdentityStore } from '../support/held-identity-store.js';
import { freePort, portIsFree } from '../support/loopback-ports.js';
import { sampleTokens } from '../support/sample-tokens.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

describe('AppCore proxy start', () => {
  let relay: StandInRelay;
  let scratch: string;

  beforeAll(async () => {
    [relay, scratch] = await Promise.all([
      startStandInRelay(),
      mkdtemp(join(tmpdir(), 'switchboard-app-core-proxy-')),
    ]);
    relay.clusters.set('alpha', { state: 'offline' });
  });
  afterAll(async () => {
    await relay?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('close() during the start waits for it and leaves no proxy, relay session or kubeconfig', async () => {
    const tokens = sampleTokens(relay.url);
    relay.acceptedTokens.add(tokens.accessToken);
    const store = new EphemeralTokenStore();
    await store.save(relay.url, tokens);
    const identities = new HeldIdentityStore();
    const port = await freePort();
    const configDirectory = join(scratch, 'config');
    const core = await AppCore.start({
      configDirectory,
      store,
      localIdentityStore: identities,
      logger: createLogger('silent'),
      openBrowser: async () => {
        throw new Error('no browser sign-in in this test');
      },
      relayUrl: relay.url,
      userKubeconfigPath: join(scratch, 'kube', 'config'),
      defaultSettings: { backgroundMode: false, proxy: { enabled: true, port } },
    });
    expect(core.state.signIn).toBe('signed-in');
    await identities.loading;

    const closing = core.close();
    // Not done while the start it must wait for is held (a close that skipped it finishes within
    // this turn of the event loop, leaving the start to bring a proxy up after shutdown).
    const first = await Promise.race([
      closing.then(() => 'closed'),
      new Promise((resolve) => setImmediate(resolve, 'waiting for the start')),
    ]);
    expect(first).toBe('waiting for the start');

    identities.release();
    await closing;
    expect(await portIsFree(port)).toBe(true);
    await expect.poll(() => relay.sessionCount).toBe(0);
    const kubeconfigPresent = await access(defaultSwitchboardKubeconfigPath(configDirectory)).then(
      () => true,
      () => false,
    );
    expect(kubeconfigPresent).toBe(false);
  });
});
