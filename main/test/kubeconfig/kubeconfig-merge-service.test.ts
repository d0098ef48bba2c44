/**
 * KubeconfigMergeService against the stand-in relay: the contexts it merges point at the running
 * proxy (its port and clusters) or, with the proxy off, at the port the setting names and the
 * clusters the relay grants; what it refuses and why; and whether they are merged, also as a later
 * start reads it from the merge records.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAppError } from '../../src/core/app/app-error.js';
import { KubeconfigMergeService } from '../../src/core/kubeconfig/kubeconfig-merge-service.js';
import { EphemeralLocalIdentityStore } from '../../src/core/local-proxy/local-identity.js';
import { ProxyController } from '../../src/core/local-proxy/proxy-controller.js';
import { createLogger } from '../../src/core/logging/logger.js';
import type { BearerTokenSource } from '../../src/core/session/bearer-token-source.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

const TOKEN = 'user-access-token-for-the-stand-in-relay';
const bearerToken: BearerTokenSource = Object.assign(async () => TOKEN, { renewRejected: async () => TOKEN });

describe('KubeconfigMergeService', () => {
  let relay: StandInRelay;
  let scratch: string;

  beforeAll(async () => {
    [relay, scratch] = await Promise.all([
      startStandInRelay([TOKEN]),
      mkdtemp(join(tmpdir(), 'switchboard-merge-service-')),
    ]);
    relay.clusters.set('alpha', { state: 'offline' });
    relay.clusters.set('beta', { state: 'offline' });
  });
  afterAll(async () => {
    await relay?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const localIdentityStore = new EphemeralLocalIdentityStore();
  const userKubeconfigPath = () => join(scratch, 'kube', 'config');
  const setup = (options: { signedIn: boolean; proxyPort: number }) => {
    const proxy = new ProxyController({
      localIdentityStore,
      kubeconfigPath: join(scratch, 'proxy-kubeconfig'),
      logger: createLogger('silent'),
    });
    const service = new KubeconfigMergeService({
      configDirectory: join(scratch, 'config'),
      userKubeconfigPath: userKubeconfigPath(),
      localIdentityStore,
      session: () => (options.signedIn ? { relayUrl: relay.url, bearerToken } : undefined),
      proxy,
      proxyPort: () => options.proxyPort,
    });
    return { proxy, service };
  };
  const refusal = async (promise: Promise<unknown>) =>
    toAppError(
      await promise.then(
        () => undefined,
        (e) => e,
      ),
    );

  it('refuses without a sign-in, and without a port to point at', async () => {
    const signedOut = setup({ signedIn: false, proxyPort: 47_011 });
    expect(await refusal(signedOut.service.merge())).toMatchObject({ kind: 'sign-in-required' });
    const noPort = setup({ signedIn: true, proxyPort: 0 });
    expect(await refusal(noPort.service.merge())).toMatchObject({
      kind: 'invalid-request',
      message: 'start the proxy first: the merged contexts need its port',
    });
    expect(noPort.service.merged).toBe(false);
  });

  it('with the proxy off: the granted clusters, at the port of the setting; unmerge takes them out', async () => {
    const { service } = setup({ signedIn: true, proxyPort: 47_999 });
    let changes = 0;
    service.on('change', () => changes++);
    const merged = await service.merge();
    expect(merged).toEqual({
      kubeconfigPath: userKubeconfigPath(),
      contexts: ['switchboard-alpha', 'switchboard-beta'],
    });
    expect(service.merged).toBe(true);
    expect(changes).toBe(1);
    expect(await readFile(userKubeconfigPath(), 'utf8')).toContain(
      'server: https://127.0.0.1:47999/clusters/alpha',
    );

    // A later start reads that they are merged.
    const later = setup({ signedIn: true, proxyPort: 47_999 }).service;
    await later.load();
    expect(later.merged).toBe(true);

    expect(await later.unmerge()).toEqual({
      kubeconfigPath: userKubeconfigPath(),
      removedContexts: ['switchboard-alpha', 'switchboard-beta'],
    });
    expect(later.merged).toBe(false);
  });

  it('with the proxy running: its port and the clusters of its kubeconfig', async () => {
    const { proxy, service } = setup({ signedIn: true, proxyPort: 0 });
    await proxy.start({ relayUrl: relay.url, bearerToken }, 0);
    try {
      await proxy.whenReady();
      const port = proxy.running!.port;
      const merged = await service.merge();
      expect(merged.contexts).toEqual(['switchboard-alpha', 'switchboard-beta']);
      expect(await readFile(userKubeconfigPath(), 'utf8')).toContain(
        `server: https://127.0.0.1:${port}/clusters/beta`,
      );
      await service.unmerge();
    } finally {
      await proxy.stop();
    }
  });
});
