/**
 * The built `switchboard` CLI in child processes: `proxy` (ready line, 0600 kubeconfig, busy port,
 * Ctrl-C cleanup, kill -9 and restart with the same kubeconfig) and `kubeconfig --merge/--unmerge`,
 * with tokens and the local proxy identity in a real gnome-keyring, against the stand-in relay.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import { runNode } from '@switchboard/test-support/child-process';
import { Kubectl } from '@switchboard/test-support/kubectl';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { type PrivateKeyring, startPrivateKeyring } from '@switchboard/test-support/private-keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeRelayUrl } from '../../src/core/relay-client/relay-url.js';
import { CLI_ENTRY, KEYCHAIN_DRIVER } from '../support/entry-points.js';
import { freePort } from '../support/loopback-ports.js';
import { sampleTokens } from '../support/sample-tokens.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

const kubectlPath = requireKubectl(33);

interface ProxyProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

function startProxy(args: string[], env: NodeJS.ProcessEnv): ProxyProcess {
  const child = spawn(process.execPath, [CLI_ENTRY, 'proxy', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function untilReady(proxy: ProxyProcess): Promise<string> {
  await expect
    .poll(() => proxy.stdout() || (proxy.child.exitCode !== null ? `exited: ${proxy.stderr()}` : ''), {
      timeout: 20_000,
    })
    .toMatch(/^export KUBECONFIG=/);
  return proxy
    .stdout()
    .trim()
    .replace(/^export KUBECONFIG=/, '');
}

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(!kubectlPath)('switchboard proxy / kubeconfig CLI', { timeout: 60_000 }, () => {
  let keyring: PrivateKeyring;
  let sim: KubeSim;
  let relay: StandInRelay;
  let scratch: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  const running: ProxyProcess[] = [];
  const token = sampleTokens('http://placeholder').accessToken;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-proxy-cli-'));
    [keyring, sim, relay] = await Promise.all([
      startPrivateKeyring(),
      startKubeSim(),
      startStandInRelay([token]),
    ]);
    relay.clusters.set('dev', { state: 'online', sim });
    env = { ...keyring.env };
    const relayUrl = normalizeRelayUrl(relay.url);
    const tokens = { ...sampleTokens(relayUrl), accessToken: token };
    const cacheDirectory = join(env.XDG_CONFIG_HOME!, 'switchboard', 'tokens');
    const saved = await runNode(
      KEYCHAIN_DRIVER,
      [cacheDirectory],
      env,
      JSON.stringify([{ op: 'save', account: relayUrl, tokens }]),
    );
    expect(saved.stdout).toBe('[{"ok":true}]');
    port = await freePort();
  });
  afterAll(async () => {
    for (const proxy of running) if (proxy.child.exitCode === null) proxy.child.kill('SIGKILL');
    await relay?.close();
    await sim?.close();
    await keyring?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  const launch = (args: string[]) => {
    const proxy = startProxy(['--relay', relay.url, ...args], env);
    running.push(proxy);
    return proxy;
  };

  it('prints the export line when ready, writes a 0600 kubeconfig kubectl uses; a busy port is a clear error; Ctrl-C removes the kubeconfig', async () => {
    const out = join(scratch, 'proxy-kubeconfig');
    const proxy = launch(['--port', String(port), '--kubeconfig-out', out]);
    expect(await untilReady(proxy)).toBe(out);
    expect(proxy.stderr()).toContain('Ready. Contexts: switchboard-dev');
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const kubectl = new Kubectl(kubectlPath!, { PATH: process.env.PATH, HOME: scratch, KUBECONFIG: out });
    expect(await kubectl.ok(['get', 'namespace', 'default', '-o', 'name'])).toBe('namespace/default\n');

    const second = launch(['--port', String(port), '--kubeconfig-out', join(scratch, 'other')]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);

    const sessions = relay.sessionCount;
    proxy.child.kill('SIGINT');
    expect(await proxy.exited).toBe(0);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
    await expect.poll(() => relay.sessionCount).toBe(sessions - 1);
  });

  it('--max-connections caps concurrent connections: past it a new one is closed and a warning logged; a bad value is a usage error', async () => {
    const bad = launch(['--port', '0', '--max-connections', '0']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain(
      '--max-connections takes a number of connections from 1 to 1000000, not "0"',
    );

    const proxy = launch([
      '--port',
      '0',
      '--kubeconfig-out',
      join(scratch, 'capped'),
      '--max-connections',
      '2',
    ]);
    await untilReady(proxy);
    const proxyPort = Number(/listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(proxy.stderr())![1]);
    const open = () =>
      new Promise<ReturnType<typeof connect>>((resolve, reject) => {
        const socket = connect(proxyPort, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    const held = [await open(), await open()];
    try {
      const refused = await open();
      // Accepted by the kernel, then closed by the proxy at once.
      await new Promise((resolve) => refused.once('close', resolve));
      await expect
        .poll(() => proxy.stderr(), { timeout: 10_000 })
        .toMatch(/"maxConnections":2,"refused":1,"msg":"local proxy: too many connections/);
    } finally {
      for (const socket of held) socket.destroy();
      proxy.child.kill('SIGINT');
      await proxy.exited;
    }
  });

  it('killed with -9 and restarted on the same port, the old kubeconfig works again (identity persisted in the keychain)', async () => {
    const out = join(scratch, 'kill-9-kubeconfig');
    const first = launch(['--port', String(port), '--kubeconfig-out', out]);
    await untilReady(first);
    const saved = join(scratch, 'saved-kubeconfig');
    await copyFile(out, saved);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = launch(['--port', String(port), '--kubeconfig-out', out]);
    await untilReady(second);
    expect(sha(await readFile(out))).toBe(sha(await readFile(saved)));
    const kubectl = new Kubectl(kubectlPath!, { PATH: process.env.PATH, HOME: scratch, KUBECONFIG: saved });
    expect(await kubectl.ok(['get', 'namespace', 'default', '-o', 'name'])).toBe('namespace/default\n');
    // Nothing secret in plaintext: the sealed identity file does not contain the credential.
    const credential = (await readFile(saved, 'utf8')).match(/token: (\S+)/)![1]!;
    const sealed = await readFile(
      join(env.XDG_CONFIG_HOME!, 'switchboard', 'local-proxy', 'identity.sealed'),
    );
    expect(sealed.toString('latin1')).not.toContain(credential);
    expect(sealed.toString('latin1')).not.toContain('PRIVATE KEY');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('kubeconfig --merge / --unmerge round-trips ~/.kube/config exactly and never touches current-context', async () => {
    const home = join(scratch, 'home');
    await mkdir(join(home, '.kube'), { recursive: true });
    const config = join(home, '.kube', 'config');
    const original =
      'apiVersion: v1\nkind: Config\n# mine\ncurrent-context: mine\ncontexts:\n- name: mine\n  context: {cluster: c, user: u}\n';
    await writeFile(config, original, { mode: 0o600 });
    const cliEnv = { ...env, KUBECONFIG: config };
    const merged = await runNode(CLI_ENTRY, ['kubeconfig', '--relay', relay.url, '--merge'], cliEnv);
    expect(merged.stderr).toBe('');
    expect(merged.stdout).toContain(`Merged into ${config}: 3 added`);
    const text = await readFile(config, 'utf8');
    expect(text).toContain('current-context: mine');
    expect(text).toContain('name: switchboard-dev');
    const unmerged = await runNode(CLI_ENTRY, ['kubeconfig', '--unmerge'], cliEnv);
    expect(unmerged.stdout).toContain('restored the file as it was before the merge');
    expect(sha(await readFile(config))).toBe(sha(original));

    await writeFile(config, 'clusters: [oops');
    const bad = await runNode(CLI_ENTRY, ['kubeconfig', '--relay', relay.url, '--merge'], cliEnv);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${config}: not valid YAML`);
  });
});
