/**
 * Contexts follow access live (AppCore against the stand-in relay, its status list scripted): a
 * cluster granted while the proxy runs gets its context in the proxy's kubeconfig (rewritten whole,
 * 0600) and in the merged ~/.kube/config at once, a revoked one loses it, and the user's own entries
 * and current context are never touched. With the proxy off, the merged contexts follow alone.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { AppCore } from '../../src/core/app/app-core.js';
import { EphemeralLocalIdentityStore } from '../../src/core/local-proxy/local-identity.js';
import { createLogger } from '../../src/core/logging/logger.js';
import { EphemeralTokenStore } from '../../src/core/token-store/ephemeral-token-store.js';
import { sampleTokens } from '../support/sample-tokens.js';
import { ScriptedStatusWatcher } from '../support/scripted-status-watcher.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

const USERS_OWN = `apiVersion: v1
kind: Config
clusters:
- name: mine
  cluster:
    server: https://mine.example:6443
contexts:
- name: mine
  context:
    cluster: mine
    user: mine
users:
- name: mine
  user:
    token: my-own-token
current-context: mine
`;

interface Kubeconfig {
  contexts?: { name: string }[];
  clusters?: { name: string }[];
  users?: { name: string; user: { token?: string } }[];
  'current-context'?: string;
}

describe('contexts follow the granted clusters', () => {
  let relay: StandInRelay;
  let scratch: string;
  let core: AppCore;
  let watcher: ScriptedStatusWatcher;
  let userKubeconfig: string;
  let proxyKubeconfig: string;

  const contextsIn = async (path: string) =>
    ((parse(await readFile(path, 'utf8')) as Kubeconfig).contexts ?? [])
      .map((context) => context.name)
      .sort();

  /** The relay grants exactly `names` now, and its status stream says so. */
  const grant = (names: string[]) => {
    relay.clusters.clear();
    for (const name of names) relay.clusters.set(name, { state: 'offline' });
    watcher.list(names);
  };

  beforeAll(async () => {
    [relay, scratch] = await Promise.all([
      startStandInRelay(),
      mkdtemp(join(tmpdir(), 'switchboard-contexts-follow-')),
    ]);
    relay.clusters.set('alpha', { state: 'offline' });
    const tokens = sampleTokens(relay.url);
    relay.acceptedTokens.add(tokens.accessToken);
    const store = new EphemeralTokenStore();
    await store.save(relay.url, tokens);
    userKubeconfig = join(scratch, 'kube', 'config');
    await mkdir(join(scratch, 'kube'));
    await writeFile(userKubeconfig, USERS_OWN, { mode: 0o600 });
    core = await AppCore.start({
      configDirectory: join(scratch, 'config'),
      store,
      localIdentityStore: new EphemeralLocalIdentityStore(),
      logger: createLogger('silent'),
      openBrowser: async () => {
        throw new Error('no browser sign-in in this test');
      },
      relayUrl: relay.url,
      userKubeconfigPath: userKubeconfig,
      defaultSettings: { backgroundMode: false, proxy: { enabled: true, port: 0 } },
      statusWatcher: () => {
        watcher = new ScriptedStatusWatcher();
        return watcher;
      },
    });
    watcher.list(['alpha']);
    await vi.waitFor(() => expect(core.state.proxy.state).toBe('ready'), { timeout: 10_000 });
    proxyKubeconfig = core.state.proxy.kubeconfigPath!;
    await core.request('mergeKubeconfig', undefined);
  });
  afterAll(async () => {
    await core?.close();
    await relay?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('a cluster granted gets its context in the proxy kubeconfig and the merged one, without a restart', async () => {
    const port = core.state.proxy.port;
    expect(await contextsIn(proxyKubeconfig)).toEqual(['switchboard-alpha']);

    grant(['alpha', 'beta']);

    await expect
      .poll(() => core.state.proxy.contexts.map((context) => context.context))
      .toEqual(['switchboard-alpha', 'switchboard-beta']);
    expect(await contextsIn(proxyKubeconfig)).toEqual(['switchboard-alpha', 'switchboard-beta']);
    expect((await stat(proxyKubeconfig)).mode & 0o777).toBe(0o600);
    await expect
      .poll(() => contextsIn(userKubeconfig))
      .toEqual(['mine', 'switchboard-alpha', 'switchboard-beta']);
    const merged = parse(await readFile(userKubeconfig, 'utf8')) as Kubeconfig;
    expect(merged['current-context']).toBe('mine');
    expect(merged.users?.find((user) => user.name === 'mine')?.user.token).toBe('my-own-token');
    expect(core.state.proxy).toMatchObject({ state: 'ready', port });
  });

  it('a cluster revoked loses its context in both, and the user’s own entries stay', async () => {
    grant(['beta']);

    await expect
      .poll(() => core.state.proxy.contexts.map((context) => context.context))
      .toEqual(['switchboard-beta']);
    expect(await contextsIn(proxyKubeconfig)).toEqual(['switchboard-beta']);
    await expect.poll(() => contextsIn(userKubeconfig)).toEqual(['mine', 'switchboard-beta']);
    const merged = parse(await readFile(userKubeconfig, 'utf8')) as Kubeconfig;
    expect(merged.clusters?.map((cluster) => cluster.name).sort()).toEqual(['mine', 'switchboard-beta']);
    expect(merged['current-context']).toBe('mine');
  });

  it('with the proxy off, the merged contexts follow alone', async () => {
    await core.request('setProxyEnabled', { enabled: false });

    grant(['beta', 'gamma']);

    await expect
      .poll(() => contextsIn(userKubeconfig))
      .toEqual(['mine', 'switchboard-beta', 'switchboard-gamma']);
  });
});
