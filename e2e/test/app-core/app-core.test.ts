/**
 * The app core against the whole chain, every part real: a relay with its dev identity provider,
 * an agent, kube-sim. The user signs in through headless Chromium on the provider's login page (the
 * core's "system browser"), then drives the core through the contract exactly as the UI does:
 * state pushes, the proxy (on/off, a busy port), merge/unmerge, the cluster browser (list, watch,
 * YAML, delete, logs, exec, over the session's relay tunnel, so also with the proxy off) and
 * sign-out. (Terminal resizes are sent, but their effect inside the
 * pod is not asserted yet: `stty size` in kube-sim's pty read 0 0; see the report.)
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppEventMessage, AppEvents, AppState } from '@switchboard/contract/app';
import {
  AppCore,
  createLogger,
  EphemeralLocalIdentityStore,
  EphemeralTokenStore,
} from '@switchboard/main/core';
import { ReconnectBackoff } from '@switchboard/protocol';
import { ScriptedBrowserUser } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';

const WAIT_MS = 30_000;

/** Everything the core pushed, with a way to wait for a push that matches. */
class Pushes {
  readonly messages: AppEventMessage[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(private readonly core: AppCore) {
    core.on('push', (message) => {
      this.messages.push(message);
      for (const waiter of [...this.#waiters]) waiter();
    });
  }

  of<E extends keyof AppEvents>(event: E): AppEvents[E][] {
    return this.messages.filter((message) => message.event === event).map((m) => m.data as AppEvents[E]);
  }

  waitFor<E extends keyof AppEvents>(event: E, match: (data: AppEvents[E]) => boolean, what: string) {
    return new Promise<AppEvents[E]>((resolve, reject) => {
      const check = () => {
        const found = this.of(event).find(match);
        if (found === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, WAIT_MS);
      this.#waiters.add(check);
      check();
    });
  }

  /** The next state push (after now) that matches. */
  state(match: (state: AppState) => boolean, what: string): Promise<AppState> {
    const from = this.messages.length;
    if (match(this.core.state)) return Promise.resolve(this.core.state);
    return new Promise<AppState>((resolve, reject) => {
      const check = () => {
        const found = this.messages
          .slice(from)
          .filter((m) => m.event === 'state')
          .map((m) => m.data as AppState)
          .find(match);
        if (!found) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for state: ${what}`));
      }, WAIT_MS);
      this.#waiters.add(check);
      check();
    });
  }
}

async function rejection(promise: Promise<unknown>): Promise<{ kind?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { kind?: string; message: string };
  }
  throw new Error('expected the request to fail');
}

/** Whether something accepts connections on the loopback port. */
function portIsListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => resolve(server));
  });
}

describe('AppCore against a real relay, agent and kube-sim', () => {
  let chain: Chain;
  let browser: Browser;
  let scratch: string;
  let core: AppCore;
  let pushes: Pushes;
  let store: EphemeralTokenStore;
  let userKubeconfig: string;

  beforeAll(async () => {
    [chain, browser, scratch] = await Promise.all([
      startChain({ kubeSim: { podStartDelayMs: 0 } }),
      launchChromium(),
      mkdtemp(join(tmpdir(), 'switchboard-app-core-')),
    ]);
    store = new EphemeralTokenStore();
    userKubeconfig = join(scratch, 'kube', 'config');
    core = await AppCore.start({
      configDirectory: join(scratch, 'config'),
      store,
      localIdentityStore: new EphemeralLocalIdentityStore(),
      logger: createLogger('silent'),
      openBrowser: new ScriptedBrowserUser(browser, chain.human).openBrowser,
      userKubeconfigPath: userKubeconfig,
      defaultSettings: { backgroundMode: false, proxy: { enabled: true, port: 0 } },
      tunnelBackoff: () => new ReconnectBackoff({ baseMs: 50, capMs: 500 }),
      batchIntervalMs: 20,
    });
    pushes = new Pushes(core);
  }, 60_000);
  afterAll(async () => {
    await core?.close();
    await browser?.close();
    await chain?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('starts with no relay, then signs in through the browser and brings the proxy up', async () => {
    expect(core.state).toMatchObject({ signIn: 'no-relay', proxy: { state: 'off' } });
    const ready = pushes.state(
      (state) => state.signIn === 'signed-in' && state.proxy.state === 'ready',
      'signed in with the proxy ready',
    );
    const answer = await core.request('connectRelay', { relayUrl: chain.relayUrl });
    expect(answer.signIn).toBe('signing-in');
    const state = await ready;
    expect(state.account).toMatchObject({ username: chain.human.username });
    expect(state.proxy.contexts).toEqual([
      { cluster: chain.cluster, context: `switchboard-${chain.cluster}` },
    ]);
    expect(state.proxy.exportLine).toBe(`export KUBECONFIG=${state.proxy.kubeconfigPath}`);
    expect((await stat(state.proxy.kubeconfigPath!)).mode & 0o777).toBe(0o600);
    expect(await store.load(chain.relayUrl)).toBeDefined();
  });

  it('pushes the live cluster status from the relay', async () => {
    // A state event the core pushed, not the state it holds now: the UI only sees pushes.
    const pushed = await pushes.waitFor(
      'state',
      (state) => state.statusStream === 'live' && state.clusters.some((c) => c.status === 'connected'),
      'a pushed state with the cluster connected',
    );
    expect(pushed.clusters.map((cluster) => [cluster.name, cluster.status])).toEqual([
      [chain.cluster, 'connected'],
    ]);
  });

  it("lists and watches pods over the session's relay tunnel", async () => {
    const { watchId } = await core.request('watchResources', { cluster: chain.cluster, kind: 'pods' });
    const reset = await pushes.waitFor(
      'resources',
      (event) => event.watchId === watchId && event.type === 'reset',
      'the pod list',
    );
    if (reset.type !== 'reset') throw new Error('unreachable');
    expect(reset.rows.length).toBeGreaterThan(3);
    const frontend = reset.rows.find((row) => row.namespace === 'shop' && row.name.startsWith('frontend'));
    // The apiserver's Table, as kubectl get -o wide prints it.
    expect(reset.columns.map((column) => column.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect(frontend?.cells.slice(0, 4)).toEqual([frontend?.name, '1/1', 'Running', '0']);
    expect(frontend?.cells[6]).toMatch(/.+/);
    await core.request('stopWatch', { watchId });
  });

  it('watches config maps: a new one arrives as upsert, its YAML reads back, deleting it arrives as delete', async () => {
    const { watchId } = await core.request('watchResources', {
      cluster: chain.cluster,
      kind: 'configmaps',
      namespace: 'shop',
    });
    await pushes.waitFor('resources', (e) => e.watchId === watchId && e.type === 'reset', 'the list');
    await chain.kubeAdmin.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-core-test', namespace: 'shop' },
      data: { a: '1', b: '2' },
    });
    const upsert = await pushes.waitFor(
      'resources',
      (e) => e.watchId === watchId && e.type === 'upsert' && e.row.name === 'app-core-test',
      'the new config map',
    );
    if (upsert.type !== 'upsert') throw new Error('unreachable');
    expect(upsert.row.cells).toEqual(['app-core-test', 2, expect.stringMatching(/^\d+s$/)]);

    const { yaml } = await core.request('getResourceYaml', {
      cluster: chain.cluster,
      kind: 'configmaps',
      namespace: 'shop',
      name: 'app-core-test',
    });
    expect(yaml).toMatch(/^kind: ConfigMap$/m);
    expect(yaml).toMatch(/^ {2}a: "1"$/m);

    await core.request('deleteResource', {
      cluster: chain.cluster,
      kind: 'configmaps',
      namespace: 'shop',
      name: 'app-core-test',
    });
    await pushes.waitFor(
      'resources',
      (e) => e.watchId === watchId && e.type === 'delete' && e.uid === upsert.row.uid,
      'the deletion',
    );
    const missing = await rejection(
      core.request('getResourceYaml', {
        cluster: chain.cluster,
        kind: 'configmaps',
        namespace: 'shop',
        name: 'app-core-test',
      }),
    );
    expect(missing.kind).toBe('not-found');
    await core.request('stopWatch', { watchId });
  });

  it('follows a pod log', async () => {
    const pod = await firstPod('shop', 'frontend');
    const { logsId } = await core.request('startLogs', {
      cluster: chain.cluster,
      namespace: 'shop',
      pod,
      follow: true,
      tailLines: 1,
    });
    await pushes.waitFor(
      'logs',
      () =>
        pushes
          .of('logs')
          .filter((e) => e.logsId === logsId && 'text' in e)
          .map((e) => ('text' in e ? e.text : ''))
          .join('')
          .split('\n').length > 3,
      'three followed log lines',
    );
    await core.request('stopLogs', { logsId });
  });

  it('runs a command in a pod with a TTY and reports its output and exit code', async () => {
    const pod = await firstPod('shop', 'frontend');
    const { execId } = await core.request('startExec', {
      cluster: chain.cluster,
      namespace: 'shop',
      pod,
      command: ['sh', '-c', 'read line; echo "got $line"; exit 3'],
      columns: 100,
      rows: 30,
    });
    await core.request('execInput', { execId, data: 'hello\r' });
    const exit = await pushes.waitFor('exec', (e) => e.execId === execId && 'exit' in e, 'the exit');
    const output = pushes
      .of('exec')
      .filter((e) => e.execId === execId && 'output' in e)
      .map((e) => ('output' in e ? e.output : ''))
      .join('');
    expect(output).toContain('got hello');
    expect(exit).toEqual({ execId, exit: { code: 3, message: expect.any(String) } });
  });

  it('merges its contexts into the user kubeconfig and takes them out again', async () => {
    const merged = await core.request('mergeKubeconfig', undefined);
    expect(merged).toEqual({ kubeconfigPath: userKubeconfig, contexts: [`switchboard-${chain.cluster}`] });
    expect(core.state.proxy.merged).toBe(true);
    expect(await readFile(userKubeconfig, 'utf8')).toContain(`name: switchboard-${chain.cluster}`);
    const unmerged = await core.request('unmergeKubeconfig', undefined);
    expect(unmerged).toEqual({
      kubeconfigPath: userKubeconfig,
      removedContexts: [`switchboard-${chain.cluster}`],
    });
    expect(core.state.proxy.merged).toBe(false);
    // The merge created the file, so taking it out removes it.
    await expect(stat(userKubeconfig)).rejects.toThrow();
  });

  it('browses with the proxy switched off: the cluster browser does not go through it', async () => {
    const { kubeconfigPath, port } = core.state.proxy;
    expect(await portIsListening(port)).toBe(true);
    const off = await core.request('setProxyEnabled', { enabled: false });
    expect(off).toMatchObject({ enabled: false, state: 'off' });
    await expect(stat(kubeconfigPath!)).rejects.toThrow();
    expect(await portIsListening(port)).toBe(false);

    const { yaml } = await core.request('getResourceYaml', {
      cluster: chain.cluster,
      kind: 'namespaces',
      name: 'shop',
    });
    expect(yaml).toMatch(/^kind: Namespace$/m);
    const { watchId } = await core.request('watchResources', {
      cluster: chain.cluster,
      kind: 'pods',
      namespace: 'shop',
    });
    const reset = await pushes.waitFor(
      'resources',
      (event) => event.watchId === watchId && event.type === 'reset',
      'the pod list with the proxy off',
    );
    if (reset.type !== 'reset') throw new Error('unreachable');
    expect(reset.rows.some((row) => row.name.startsWith('frontend'))).toBe(true);
    await core.request('stopWatch', { watchId });
  });

  it('switches the proxy on again, and refuses a port in use', async () => {
    const on = pushes.state((s) => s.proxy.state === 'ready', 'the proxy ready again');
    await core.request('setProxyEnabled', { enabled: true });
    await on;
    const busy = await listenOnFreePort();
    try {
      const port = (busy.address() as { port: number }).port;
      const refused = await rejection(core.request('setProxyPort', { port }));
      expect(refused).toMatchObject({ kind: 'port-in-use' });
      expect(refused.message).toContain(String(port));
    } finally {
      busy.close();
    }
    const free = await listenOnFreePort();
    const port = (free.address() as { port: number }).port;
    await new Promise((resolve) => free.close(resolve));
    const ready = pushes.state((s) => s.proxy.state === 'ready' && s.proxy.port === port, 'the proxy ready');
    await core.request('setProxyPort', { port });
    expect((await ready).proxy.url).toBe(`https://127.0.0.1:${port}`);
  });

  it('signs out: proxy stopped, tokens gone', async () => {
    const state = await core.request('signOut', undefined);
    expect(state).toMatchObject({ signIn: 'signed-out', relayUrl: chain.relayUrl, proxy: { state: 'off' } });
    expect(state.account).toBeUndefined();
    expect(await store.load(chain.relayUrl)).toBeUndefined();
  });

  async function firstPod(namespace: string, prefix: string): Promise<string> {
    const response = await chain.kubeAdmin.request('GET', `/api/v1/namespaces/${namespace}/pods`);
    const pods = response.body as { items: { metadata: { name: string } }[] };
    const pod = pods.items.find((item) => item.metadata.name.startsWith(prefix));
    if (!pod) throw new Error(`no ${prefix} pod in ${namespace}`);
    return pod.metadata.name;
  }
});
