/**
 * LocalProxyService in-process against the stand-in relay: stopping it removes the kubeconfig it
 * wrote, also when a refresh of that kubeconfig was under way at the time (the file holds the
 * local proxy's credential and must not outlive the proxy), and closes the relay tunnel only when
 * it dialled it itself.
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLocalIdentity } from '../../src/core/local-proxy/local-identity.js';
import { LocalProxyService } from '../../src/core/local-proxy/local-proxy-service.js';
import { createLogger } from '../../src/core/logging/logger.js';
import type { BearerTokenSource } from '../../src/core/session/bearer-token-source.js';
import { RelayTunnel } from '../../src/core/tunnel/relay-tunnel.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

const TOKEN = 'user-access-token-for-the-stand-in-relay';
const bearerToken: BearerTokenSource = Object.assign(async () => TOKEN, { renewRejected: async () => TOKEN });

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('LocalProxyService', () => {
  let relay: StandInRelay;
  let scratch: string;

  beforeAll(async () => {
    [relay, scratch] = await Promise.all([
      startStandInRelay([TOKEN]),
      mkdtemp(join(tmpdir(), 'switchboard-proxy-service-')),
    ]);
    relay.clusters.set('alpha', { state: 'offline' });
  });
  afterAll(async () => {
    await relay?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('does not write the kubeconfig again when stopped during a refresh', async () => {
    // The token source holds the refresh until the stop has removed the file.
    let holdToken: Promise<void> = Promise.resolve();
    const bearerToken: BearerTokenSource = Object.assign(
      async () => {
        await holdToken;
        return TOKEN;
      },
      { renewRejected: async () => TOKEN },
    );
    const kubeconfigPath = join(scratch, 'kubeconfig');
    const service = await LocalProxyService.start({
      relayUrl: relay.url,
      bearerToken,
      identity: await generateLocalIdentity(),
      port: 0,
      kubeconfigPath,
      logger: createLogger('silent'),
    });
    try {
      expect((await service.ready()).map((cluster) => cluster.name)).toEqual(['alpha']);
      expect(await exists(kubeconfigPath)).toBe(true);

      let releaseToken = () => {};
      holdToken = new Promise((resolve) => {
        releaseToken = resolve;
      });
      const refresh = service.refreshKubeconfig();
      await service.stop();
      expect(await exists(kubeconfigPath)).toBe(false);
      releaseToken();
      await expect(refresh).rejects.toThrow(/stopped/);
      expect(await exists(kubeconfigPath)).toBe(false);
    } finally {
      await service.stop();
    }
  });

  it('stops its own tunnel, and leaves a tunnel it was given up', async () => {
    const start = (tunnel?: RelayTunnel) =>
      LocalProxyService.start({
        relayUrl: relay.url,
        bearerToken,
        ...(tunnel && { tunnel }),
        identity,
        port: 0,
        kubeconfigPath: join(scratch, 'kubeconfig-tunnels'),
        logger: createLogger('silent'),
      });
    const identity = await generateLocalIdentity();

    const own = await start();
    await own.ready();
    expect(relay.sessionCount).toBe(1);
    await own.stop();
    await expect.poll(() => relay.sessionCount).toBe(0);

    const shared = new RelayTunnel({ relayUrl: relay.url, bearerToken });
    shared.start();
    try {
      const borrowing = await start(shared);
      await borrowing.ready();
      expect(relay.sessionCount).toBe(1);
      await borrowing.stop();
      expect(shared.state).toBe('up');
      expect(relay.sessionCount).toBe(1);
    } finally {
      await shared.close();
    }
  });
});
