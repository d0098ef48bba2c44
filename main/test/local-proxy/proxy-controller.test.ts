/**
 * ProxyController in-process against the stand-in relay: the status it reports from start to
 * ready, a busy port, and a stop while a start is still under way, which must wait for it and
 * stop what it brought up (nothing listens, dials the relay or holds a kubeconfig afterwards).
 */
import { access, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EphemeralLocalIdentityStore,
  type LocalIdentityStore,
} from '../../src/core/local-proxy/local-identity.js';
import { PortInUseError } from '../../src/core/local-proxy/local-proxy.js';
import { ProxyController, type ProxyStatus } from '../../src/core/local-proxy/proxy-controller.js';
import { createLogger } from '../../src/core/logging/logger.js';
import type { BearerTokenSource } from '../../src/core/session/bearer-token-source.js';
import { HeldIdentityStore } from '../support/held-identity-store.js';
import { freePort, portIsFree } from '../support/loopback-ports.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

const TOKEN = 'user-access-token-for-the-stand-in-relay';
const bearerToken: BearerTokenSource = Object.assign(async () => TOKEN, { renewRejected: async () => TOKEN });

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Every status the controller reported, and a way to wait for one. */
function statuses(controller: ProxyController) {
  const seen: ProxyStatus[] = [];
  controller.on('change', () => seen.push(controller.status));
  return {
    seen,
    until: (match: (status: ProxyStatus) => boolean) =>
      expect.poll(() => seen.some(match), { timeout: 10_000 }).toBe(true),
  };
}

describe('ProxyController', () => {
  let relay: StandInRelay;
  let scratch: string;

  beforeAll(async () => {
    [relay, scratch] = await Promise.all([
      startStandInRelay([TOKEN]),
      mkdtemp(join(tmpdir(), 'switchboard-proxy-controller-')),
    ]);
    relay.clusters.set('alpha', { state: 'offline' });
  });
  afterAll(async () => {
    await relay?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const controllerWith = (
    kubeconfigPath: string,
    localIdentityStore: LocalIdentityStore = new EphemeralLocalIdentityStore(),
  ) => new ProxyController({ localIdentityStore, kubeconfigPath, logger: createLogger('silent') });

  it('reports starting, then ready with the contexts and the export line; stopping removes the kubeconfig', async () => {
    const kubeconfigPath = join(scratch, 'ready', 'kubeconfig');
    const controller = controllerWith(kubeconfigPath);
    const reported = statuses(controller);
    await controller.start({ relayUrl: relay.url, bearerToken }, 0);
    const { port } = controller.status;
    expect(port).toBeGreaterThan(0);
    expect(controller.status).toMatchObject({ state: 'starting', url: `https://127.0.0.1:${port}` });
    expect(await controller.whenReady()).toMatchObject([{ name: 'alpha' }]);
    await reported.until((status) => status.state === 'ready');
    expect(controller.status).toEqual({
      state: 'ready',
      port,
      url: `https://127.0.0.1:${port}`,
      kubeconfigPath,
      exportLine: `export KUBECONFIG=${kubeconfigPath}`,
      contexts: [{ cluster: 'alpha', context: 'switchboard-alpha' }],
    });
    expect((await stat(kubeconfigPath)).mode & 0o777).toBe(0o600);

    await controller.stop();
    expect(controller.status).toEqual({ state: 'off', contexts: [] });
    expect(await exists(kubeconfigPath)).toBe(false);
    expect(await portIsFree(port!)).toBe(true);
    await expect.poll(() => relay.sessionCount).toBe(0);
  });

  it('tells its open client connections (activeSessions) with a change: what stopping it would cut', async () => {
    const controller = controllerWith(join(scratch, 'clients', 'kubeconfig'));
    const reported = statuses(controller);
    await controller.start({ relayUrl: relay.url, bearerToken }, 0);
    await reported.until((status) => status.state === 'ready');
    const told: number[] = [];
    controller.on('change', () => told.push(controller.activeSessions));
    const connect = () =>
      new Promise<TLSSocket>((resolve, reject) => {
        // Only counted here, not verified: the proxy's CA is not this test's concern.
        const socket = connectTls({
          host: '127.0.0.1',
          port: controller.status.port!,
          rejectUnauthorized: false,
        });
        socket.once('secureConnect', () => resolve(socket));
        socket.once('error', reject);
      });
    const sockets = await Promise.all([connect(), connect(), connect()]);
    try {
      await expect.poll(() => told.at(-1)).toBe(3);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    await expect.poll(() => told.at(-1)).toBe(0);
    await controller.stop();
    expect(controller.activeSessions).toBe(0);
  });

  it('a busy port fails the start with PortInUseError, and the status says to pick another', async () => {
    const busy = await new Promise<Server>((resolve) => {
      const server = createServer().listen({ port: 0, host: '127.0.0.1' }, () => resolve(server));
    });
    const port = (busy.address() as { port: number }).port;
    const controller = controllerWith(join(scratch, 'busy', 'kubeconfig'));
    try {
      await expect(controller.start({ relayUrl: relay.url, bearerToken }, port)).rejects.toBeInstanceOf(
        PortInUseError,
      );
      expect(controller.status.state).toBe('error');
      expect(controller.status.error).toMatchObject({ kind: 'port-in-use' });
      expect(controller.status.error?.message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(controller.running).toBeUndefined();
    } finally {
      await controller.stop();
      busy.close();
    }
    await expect.poll(() => relay.sessionCount).toBe(0);
  });

  it('a stop during the start waits for it and leaves no proxy, relay session or kubeconfig', async () => {
    const identities = new HeldIdentityStore();
    const kubeconfigPath = join(scratch, 'held', 'kubeconfig');
    const port = await freePort();
    const controller = controllerWith(kubeconfigPath, identities);
    const starting = controller.start({ relayUrl: relay.url, bearerToken }, port);
    await identities.loading;

    const stopping = controller.stop();
    const first = await Promise.race([
      stopping.then(() => 'stopped'),
      new Promise((resolve) => setImmediate(resolve, 'waiting for the start')),
    ]);
    expect(first).toBe('waiting for the start');

    identities.release();
    await Promise.all([starting, stopping]);
    expect(controller.running).toBeUndefined();
    expect(controller.status).toEqual({ state: 'off', contexts: [] });
    expect(await portIsFree(port)).toBe(true);
    expect(relay.sessionCount).toBe(0);
    expect(await exists(kubeconfigPath)).toBe(false);
  });
});
