/**
 * Contexts follow access live, against the whole chain (a real relay and its live status stream):
 * the app core's proxy (its kubeconfig and the contexts merged into the user's kubeconfig) and a
 * `switchboard proxy` process, both for the chain's service principal, get the context of a
 * cluster granted to it while they run, and lose the context of a cluster revoked, as
 * `kubectl config get-contexts` sees them; neither restarts, and the user's own context stays.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore, createLogger, EphemeralLocalIdentityStore } from '@switchboard/main/core';
import { Kubectl } from '@switchboard/test-support/kubectl';
import { type PrivateKeyring, startPrivateKeyring } from '@switchboard/test-support/private-keyring';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { type Child, Processes } from '../faults/support/processes.js';
import { SWITCHBOARD_CLI } from '../support/entry-points.js';

const WAIT_MS = 30_000;

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

describe('contexts follow access live', { timeout: 120_000 }, () => {
  const processes = new Processes();
  let chain: Chain;
  let keyring: PrivateKeyring;
  let scratch: string;
  let core: AppCore;
  let cli: Child;
  let userKubeconfig: string;
  let coreKubeconfig: string;
  let cliKubeconfig: string;
  let home: string;

  /** The context names kubectl sees in `kubeconfig`. */
  const contexts = async (kubeconfig: string) => {
    const kubectl = new Kubectl('kubectl', { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig });
    return (await kubectl.ok(['config', 'get-contexts', '-o', 'name'])).split('\n').filter(Boolean).sort();
  };
  const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: WAIT_MS, interval: 100 });

  beforeAll(async () => {
    [chain, keyring, scratch] = await Promise.all([
      startChain({ kubeSim: { podStartDelayMs: 0 } }),
      startPrivateKeyring(),
      mkdtemp(join(tmpdir(), 'switchboard-contexts-follow-')),
    ]);
    home = join(scratch, 'home');
    await mkdir(home);
    // The core and the CLI are the proxies here: the chain's own would be a third tunnel session.
    await chain.client.stopProxy();
    const user = chain.client.user;

    userKubeconfig = join(scratch, 'kube', 'config');
    await mkdir(join(scratch, 'kube'));
    await writeFile(userKubeconfig, USERS_OWN, { mode: 0o600 });
    core = await AppCore.start({
      configDirectory: join(scratch, 'app'),
      store: chain.client.store,
      relayUrl: chain.relayUrl,
      localIdentityStore: new EphemeralLocalIdentityStore(),
      logger: createLogger('silent'),
      openBrowser: async () => {
        throw new Error('no browser sign-in in this test');
      },
      userKubeconfigPath: userKubeconfig,
      defaultSettings: { backgroundMode: false, proxy: { enabled: true, port: 0 } },
    });

    const cliEnv = {
      ...keyring.env,
      SWITCHBOARD_CONFIG_DIR: join(scratch, 'cli'),
      SWITCHBOARD_LOG_LEVEL: 'warn',
    };
    const login = await processes.run(
      'switchboard login',
      process.execPath,
      [
        SWITCHBOARD_CLI,
        'login',
        '--relay',
        chain.relayUrl,
        '--client-id',
        user.clientId,
        '--client-secret-file',
        user.clientSecretFile,
      ],
      cliEnv,
    );
    expect(login.code, login.stderr).toBe(0);
    cliKubeconfig = join(scratch, 'cli.kubeconfig');
    cli = processes.start(
      'switchboard proxy',
      process.execPath,
      [SWITCHBOARD_CLI, 'proxy', '--relay', chain.relayUrl, '--port', '0', '--kubeconfig-out', cliKubeconfig],
      cliEnv,
    );
    await cli.waitFor(/^export KUBECONFIG=/m, { timeoutMs: WAIT_MS });

    await vi.waitFor(() => expect(core.state.proxy.state).toBe('ready'), { timeout: WAIT_MS });
    coreKubeconfig = core.state.proxy.kubeconfigPath!;
    await core.request('mergeKubeconfig', undefined);
  }, 120_000);

  afterAll(async () => {
    await processes.stopAll();
    await core?.close();
    await keyring?.stop();
    await chain?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('a cluster granted gets its context in every kubeconfig, without a restart', async () => {
    const own = `switchboard-${chain.cluster}`;
    expect(await contexts(coreKubeconfig)).toEqual([own]);
    expect(await contexts(cliKubeconfig)).toEqual([own]);
    expect(await contexts(userKubeconfig)).toEqual(['mine', own]);
    const port = core.state.proxy.port;

    await chain.relay.createCluster('extra');
    await chain.relay.grant(chain.client.user.name, 'connect', { cluster: 'extra' });

    const both = [own, 'switchboard-extra'].sort();
    await eventually(async () => expect(await contexts(coreKubeconfig)).toEqual(both));
    await eventually(async () => expect(await contexts(cliKubeconfig)).toEqual(both));
    await eventually(async () => expect(await contexts(userKubeconfig)).toEqual(['mine', ...both].sort()));
    expect(core.state.proxy.contexts.map((context) => context.context)).toEqual(both);
    expect(core.state.proxy).toMatchObject({ state: 'ready', port });
    expect(cli.stderr).toContain('cluster grants changed');
    expect(cli.running).toBe(true);
  });

  it('a cluster revoked loses its context everywhere; the user’s own context stays current', async () => {
    const own = `switchboard-${chain.cluster}`;

    await chain.relay.revoke(chain.client.user.name, { cluster: 'extra' });

    await eventually(async () => expect(await contexts(coreKubeconfig)).toEqual([own]));
    await eventually(async () => expect(await contexts(cliKubeconfig)).toEqual([own]));
    await eventually(async () => expect(await contexts(userKubeconfig)).toEqual(['mine', own]));
    expect(core.state.proxy.contexts.map((context) => context.context)).toEqual([own]);
    expect(await readFile(userKubeconfig, 'utf8')).toMatch(/^current-context: mine$/m);
  });
});
