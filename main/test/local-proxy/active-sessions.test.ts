/**
 * `LocalProxy.activeSessions`, what the desktop app asks about before quitting: a watch held open
 * through the proxy counts while it runs and stops counting when it ends; finished requests and idle
 * connections do not count.
 */
import { request } from 'node:https';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLocalIdentity, type LocalIdentity } from '../../src/core/local-proxy/local-identity.js';
import { LocalProxy } from '../../src/core/local-proxy/local-proxy.js';
import { RelayTunnel } from '../../src/core/tunnel/relay-tunnel.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

const USER_TOKEN = 'user-access-token-for-the-stand-in-relay';

describe('kubectl sessions under way through the local proxy', () => {
  let sim: KubeSim;
  let relay: StandInRelay;
  let identity: LocalIdentity;
  let tunnel: RelayTunnel;
  let proxy: LocalProxy;

  beforeAll(async () => {
    [sim, relay, identity] = await Promise.all([
      startKubeSim(),
      startStandInRelay([USER_TOKEN]),
      generateLocalIdentity(),
    ]);
    relay.clusters.set('dev', { state: 'online', sim });
    tunnel = new RelayTunnel({ relayUrl: relay.url, bearerToken: async () => USER_TOKEN });
    proxy = await LocalProxy.start({ tunnel, identity, port: 0 });
    tunnel.start();
    await proxy.ready();
  });
  afterAll(async () => {
    await proxy?.close();
    await tunnel?.close();
    await relay?.close();
    await sim?.close();
  });

  /** Resolves with the response once its head arrived, and `ended` once its body has. */
  const get = (path: string) =>
    new Promise<{ status: number; ended: Promise<void>; abort(): void }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: proxy.port,
          path: `/clusters/dev${path}`,
          ca: identity.caCertPem,
          servername: 'localhost',
          headers: { authorization: `Bearer ${identity.credential}` },
          agent: false,
        },
        (res) => {
          res.resume();
          resolve({
            status: res.statusCode ?? 0,
            ended: new Promise((done) => res.once('close', done)),
            abort: () => req.destroy(),
          });
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('counts a watch while it runs, not a finished request', async () => {
    expect(proxy.activeSessions).toBe(0);
    const version = await get('/version');
    await version.ended;
    expect(version.status).toBe(200);
    await expect.poll(() => proxy.activeSessions).toBe(0);

    const watch = await get('/api/v1/namespaces/default/configmaps?watch=1');
    expect(watch.status).toBe(200);
    expect(proxy.activeSessions).toBe(1);
    watch.abort();
    await watch.ended;
    await expect.poll(() => proxy.activeSessions).toBe(0);
  });
});
