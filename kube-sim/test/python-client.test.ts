/**
 * The official Kubernetes Python client (Debian's `python3-kubernetes`, which nobody here wrote)
 * against an in-process kube-sim: paged lists with a label selector, Watch streams with
 * timeout_seconds and resource_version resumption, exec with stdin, logs with tail_lines and
 * follow, create_from_yaml plus a strategic merge patch, and server-side apply through its dynamic
 * client (field managers, a conflict, force_conflicts). It sends booleans as Python prints
 * them (`watch=True`, `follow=True`), which the apiserver reads as true.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource } from '../src/api/resources.js';
import { type KubeSim, startKubeSim } from '../src/index.js';

/** Debian's interpreter: the `python3` on PATH may be another build without the packages. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python-client.py', import.meta.url));
const WAIT_MS = 20_000;
const NAMESPACE = 'python';

type Line = Record<string, unknown>;

/** A running python-client.py whose JSON lines can be awaited as they stream. */
class PythonRun {
  readonly lines: Line[] = [];
  readonly finished: Promise<Line[]>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(kubeconfig: string, args: string[]) {
    this.child = spawn(PYTHON, [SCRIPT, kubeconfig, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    this.child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(JSON.parse(line) as Line);
      for (const waiter of this.waiters) waiter();
    });
    this.finished = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code) => {
        for (const waiter of this.waiters) waiter();
        if (code === 0) resolve(this.lines);
        else reject(new Error(`python-client.py ${args.join(' ')} exited ${code}:\n${stderr}`));
      });
    });
    // A failed waitFor already fails the test; the exit that follows is not another, unhandled one.
    this.finished.catch(() => {});
  }

  /** Resolves with the first line that matches, failing if the script ends or times out first. */
  waitFor(match: (line: Line) => boolean, what: string): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.find(match);
        if (found) {
          done();
          resolve(found);
        } else if (this.child.exitCode !== null) {
          done();
          reject(new Error(`python-client.py ended before ${what}: ${JSON.stringify(this.lines)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(this.lines)}`));
      }, WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}

describe('the official Python client against kube-sim', { timeout: 60_000 }, () => {
  let sim: KubeSim;
  let core: CoreV1Api;
  let workdir: string;
  let kubeconfig: string;

  const python = (...args: string[]) => new PythonRun(kubeconfig, args);
  const answer = async (...args: string[]) => (await python(...args).finished).at(-1)!;

  const configMap = (name: string, labels: Record<string, string>, data: Record<string, string> = {}) =>
    core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name, labels }, data } });

  async function runningPod(name: string, script: string): Promise<void> {
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name },
        spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] },
      },
    });
    const pods = findResource('', 'v1', 'pods')!;
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const status = sim.store.get(pods, NAMESPACE, name)?.status as V1Pod['status'];
      if (status?.containerStatuses?.every((c) => c.state?.running)) return;
      if (Date.now() > deadline) throw new Error(`pod ${name} is not running: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import kubernetes, websocket'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(
        `${PYTHON} cannot import kubernetes and websocket (${probe.stderr.trim()}); install Debian's python3-kubernetes (see .ci/run)`,
      );
    }
    sim = await startKubeSim({ scenario: 'empty', podStartDelayMs: 0 });
    workdir = await mkdtemp(join(tmpdir(), 'kube-sim-python-'));
    kubeconfig = join(workdir, 'kubeconfig');
    await writeFile(kubeconfig, sim.adminKubeconfig, { mode: 0o600 });
    const kc = new KubeConfig();
    kc.loadFromString(sim.adminKubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  });

  afterAll(async () => {
    await sim?.close();
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });

  it('lists with a label selector, page by page through limit and _continue', async () => {
    for (const name of ['list-a', 'list-b', 'list-c', 'list-d', 'list-e']) {
      await configMap(name, { suite: 'list' });
    }
    await configMap('list-other', { suite: 'elsewhere' });
    const result = await answer('list', NAMESPACE, 'suite=list', '2');
    // remainingItemCount is only known without a selector, as in the apiserver.
    expect(result.pages).toEqual([
      { names: ['list-a', 'list-b'], remaining: null },
      { names: ['list-c', 'list-d'], remaining: null },
      { names: ['list-e'], remaining: null },
    ]);
  });

  it('watches (watch=True): ADDED, MODIFIED and DELETED as they happen, then resumes from a resourceVersion', async () => {
    await configMap('watch-seed', { suite: 'watch' });
    const live = python('watch', NAMESPACE, 'suite=watch', '30', '-', 'watch-gone');
    const seed = await live.waitFor((e) => e.name === 'watch-seed', 'the initial ADDED of watch-seed');
    expect(seed.type).toBe('ADDED');

    await configMap('watch-gone', { suite: 'watch' }, { step: 'one' });
    await configMap('watch-unlabelled', { suite: 'elsewhere' });
    await core.patchNamespacedConfigMap({
      namespace: NAMESPACE,
      name: 'watch-gone',
      body: [{ op: 'replace', path: '/data/step', value: 'two' }],
    });
    await core.deleteNamespacedConfigMap({ namespace: NAMESPACE, name: 'watch-gone' });

    const events = await live.finished;
    const changes = events.slice(1, -1).map(({ type, name, data }) => ({ type, name, data }));
    expect(changes).toEqual([
      { type: 'ADDED', name: 'watch-gone', data: { step: 'one' } },
      { type: 'MODIFIED', name: 'watch-gone', data: { step: 'two' } },
      { type: 'DELETED', name: 'watch-gone', data: { step: 'two' } },
    ]);

    // From the seed's resourceVersion the same changes are replayed, and the server ends the
    // stream at timeout_seconds.
    const resumed = await python('watch', NAMESPACE, 'suite=watch', '1', String(seed.resourceVersion), '-')
      .finished;
    expect(resumed.slice(0, -1).map(({ type, name }) => `${type} ${name}`)).toEqual([
      'ADDED watch-gone',
      'MODIFIED watch-gone',
      'DELETED watch-gone',
    ]);
    expect(resumed.at(-1)).toEqual({ end: true, resourceVersion: events.at(-2)!.resourceVersion });
  });

  describe('a running pod', () => {
    beforeAll(async () => {
      await runningPod(
        'talker',
        'for i in 1 2 3 4 5; do echo line $i; done; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done',
      );
    });

    it('exec: stdin reaches the command; stdout, stderr and the exit code come back', async () => {
      const result = await answer(
        'exec',
        NAMESPACE,
        'talker',
        'hello from python\n',
        'sh',
        '-c',
        'read line; echo "got $line"; echo oops >&2; exit 3',
      );
      expect(result).toEqual({ stdout: 'got hello from python\n', stderr: 'oops\n', returncode: 3 });
    });

    it('logs: tail_lines picks the last lines', async () => {
      const result = await answer('logs', NAMESPACE, 'talker', '0');
      expect(result).toEqual({ log: '' });
      const whole = (await answer('logs', NAMESPACE, 'talker', '1000')).log as string;
      expect(whole.startsWith('line 1\nline 2\nline 3\nline 4\nline 5\ntick 1\n')).toBe(true);
      const last = ((await answer('logs', NAMESPACE, 'talker', '2')).log as string).split('\n');
      expect(last).toHaveLength(3);
      expect(last[1]).toMatch(/^tick \d+$/);
      expect(Number(last[1]!.slice(5))).toBe(Number(last[0]!.slice(5)) + 1);
    });

    it('logs: follow (follow=True) streams lines as the container writes them', async () => {
      const before = (await answer('logs', NAMESPACE, 'talker', '1')).log as string;
      const next = Number(before.trim().slice(5)) + 3;
      const lines = await python('follow', NAMESPACE, 'talker', '1', `tick ${next}`).finished;
      const ticks = lines.map((l) => Number(String(l.line).slice(5)));
      expect(ticks.at(-1)).toBe(next);
      expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + i));
    });
  });

  it('apply: create_from_yaml, AlreadyExists the second time, then a strategic merge patch', async () => {
    const manifest = join(workdir, 'web.yaml');
    await writeFile(
      manifest,
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
`,
    );
    const result = await answer('apply', NAMESPACE, manifest);
    expect(result).toEqual({
      created: [['ConfigMap'], ['Deployment']],
      again: ['AlreadyExists', 'AlreadyExists'],
      replicas: 3,
      // The containers list merges by name: the image changes and the port stays.
      containers: [{ name: 'web', image: 'nginx:1.27', ports: 1 }],
      generation: 2,
    });
  });

  it("server-side apply: two field managers, a conflict with the apiserver's message, then force_conflicts=True", async () => {
    const result = await answer('server-side-apply', NAMESPACE, 'python-applied');
    expect(result).toEqual({
      created: 'first',
      conflict: {
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "python-first": .data.owner',
      },
      forced: 'second',
      // Forcing takes the field over: the first manager is left owning nothing, so its entry goes.
      managers: [{ manager: 'python-second', operation: 'Apply', fields: { 'f:data': { 'f:owner': {} } } }],
    });
  });
});
