/**
 * The proxy switch as the app drives it (AppCore against the stand-in relay): switched on while
 * signed out it says to sign in first; signed in, a new port restarts the proxy there and moves the
 * merged contexts of the user's kubeconfig to it; a busy port is refused before the running proxy
 * or the saved port is touched; port 0 resolves once and then sticks.
 */
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore, type AppCoreOptions } from '../../src/core/app/app-core.js';
import { toAppError } from '../../src/core/app/app-error.js';
import { EphemeralLocalIdentityStore } from '../../src/core/local-proxy/local-identity.js';
import { createLogger } from '../../src/core/logging/logger.js';
import { EphemeralTokenStore } from '../../src/core/token-store/ephemeral-token-store.js';
import { freePort, portIsFree } from '../support/loopback-ports.js';
import { sampleTokens } from '../support/sample-tokens.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

describe('the proxy switch', () => {
  let relay: StandInRelay;
  let scratch: string;
  const cores: AppCore[] = [];

  beforeAll(async () => {
    [relay, scratch] = await Promise.all([
      startStandInRelay(),
      mkdtemp(join(tmpdir(), 'switchboard-proxy-switch-')),
    ]);
    relay.clusters.set('alpha', { state: 'offline' });
  });
  afterAll(async () => {
    await Promise.all(cores.map((core) => core.close()));
    await relay?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const start = async (
    name: string,
    store: EphemeralTokenStore,
    proxy: { enabled: boolean; port: number },
  ) => {
    const userKubeconfig = join(scratch, name, 'kube', 'config');
    const options: AppCoreOptions = {
      configDirectory: join(scratch, name, 'config'),
      store,
      localIdentityStore: new EphemeralLocalIdentityStore(),
      logger: createLogger('silent'),
      openBrowser: async () => {
        throw new Error('no browser sign-in in this test');
      },
      relayUrl: relay.url,
      userKubeconfigPath: userKubeconfig,
      defaultSettings: { backgroundMode: false, proxy },
    };
    const core = await AppCore.start(options);
    cores.push(core);
    return { core, userKubeconfig, configDirectory: options.configDirectory };
  };

  const signedInStore = async () => {
    const tokens = sampleTokens(relay.url);
    relay.acceptedTokens.add(tokens.accessToken);
    const store = new EphemeralTokenStore();
    await store.save(relay.url, tokens);
    return store;
  };

  const occupy = async (): Promise<Server> => {
    const server = createServer();
    server.listen({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    return server;
  };

  it('switched on while signed out, says to sign in first and starts nothing', async () => {
    const { core } = await start('signed-out', new EphemeralTokenStore(), { enabled: false, port: 0 });
    expect(core.state.signIn).not.toBe('signed-in');

    const refused = await core.request('setProxyEnabled', { enabled: true }).then(
      () => undefined,
      (error: unknown) => toAppError(error),
    );

    expect(refused).toMatchObject({
      kind: 'sign-in-required',
      message: expect.stringMatching(/^sign in first/),
    });
    expect(core.state.proxy).toMatchObject({ enabled: true, state: 'off' });
  });

  it('a new port restarts the proxy there and moves the merged contexts to it', async () => {
    const tokens = sampleTokens(relay.url);
    relay.acceptedTokens.add(tokens.accessToken);
    const store = new EphemeralTokenStore();
    await store.save(relay.url, tokens);
    const [firstPort, secondPort] = [await freePort(), await freePort()];
    const { core, userKubeconfig } = await start('signed-in', store, { enabled: true, port: firstPort });
    await expect.poll(() => core.state.proxy.state).toBe('ready');
    await core.request('mergeKubeconfig', undefined);
    expect(await readFile(userKubeconfig, 'utf8')).toContain(`https://127.0.0.1:${firstPort}/clusters/alpha`);

    const moved = await core.request('setProxyPort', { port: secondPort });

    expect(moved).toMatchObject({ enabled: true, state: 'ready', port: secondPort, merged: true });
    const merged = await readFile(userKubeconfig, 'utf8');
    expect(merged).toContain(`https://127.0.0.1:${secondPort}/clusters/alpha`);
    expect(merged).not.toContain(`127.0.0.1:${firstPort}`);
  });

  it('a busy port is refused before anything is touched: the proxy keeps its port, which stays saved', async () => {
    const [firstPort, secondPort] = [await freePort(), await freePort()];
    const { core, userKubeconfig, configDirectory } = await start('busy-port', await signedInStore(), {
      enabled: true,
      port: firstPort,
    });
    await expect.poll(() => core.state.proxy.state).toBe('ready');
    await core.request('setProxyPort', { port: secondPort });
    await core.request('mergeKubeconfig', undefined);
    const settingsBefore = await readFile(join(configDirectory, 'app-settings.json'), 'utf8');
    const kubeconfigPath = core.state.proxy.kubeconfigPath!;
    const kubeconfigBefore = await readFile(kubeconfigPath, 'utf8');
    const mergedBefore = await readFile(userKubeconfig, 'utf8');
    const busy = await occupy();
    try {
      const busyPort = (busy.address() as { port: number }).port;

      const refused = await core.request('setProxyPort', { port: busyPort }).then(
        () => undefined,
        (error: unknown) => toAppError(error),
      );

      expect(refused).toMatchObject({
        kind: 'port-in-use',
        message: expect.stringContaining(String(busyPort)),
      });
      expect(core.state.proxy).toMatchObject({ enabled: true, state: 'ready', port: secondPort });
      expect(core.state.proxy.error).toBeUndefined();
      expect(await portIsFree(secondPort)).toBe(false);
      expect(await readFile(join(configDirectory, 'app-settings.json'), 'utf8')).toBe(settingsBefore);
      expect(await readFile(kubeconfigPath, 'utf8')).toBe(kubeconfigBefore);
      expect(await readFile(userKubeconfig, 'utf8')).toBe(mergedBefore);
    } finally {
      busy.close();
    }
  });

  it('port 0 resolves once and sticks: switched off and on, the proxy listens on the same port', async () => {
    const { core } = await start('sticky-port', await signedInStore(), { enabled: true, port: 0 });
    await expect.poll(() => core.state.proxy.state).toBe('ready');
    const { port, exportLine } = core.state.proxy;
    expect(port).toBeGreaterThan(0);

    const off = await core.request('setProxyEnabled', { enabled: false });
    expect(off).toMatchObject({ state: 'off', port });
    await core.request('setProxyEnabled', { enabled: true });
    await expect.poll(() => core.state.proxy.state).toBe('ready');

    expect(core.state.proxy).toMatchObject({ port, url: `https://127.0.0.1:${port}`, exportLine });
  });
});
