/**
 * Real kubectl against kube-sim, for every kubectl release on the machine (`kubectl.1.27` …
 * `kubectl.1.33` next to the `kubectl` on PATH): reads, writes, watches, logs, exec, auth, paging,
 * rollouts and port-forward, asserting the exact text a real kube-apiserver makes kubectl print.
 * Each version gets its own kube-sim, kubeconfig and HOME (so discovery caches never mix); the
 * versions run concurrently, the steps inside one version in order, sharing their objects.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { KUBERNETES_VERSION } from '../src/api/discovery.js';
import type { KubeObject } from '../src/api/objects.js';
import { findResource } from '../src/api/resources.js';
import { type KubeSim, startKubeSim } from '../src/index.js';

const PODS = findResource('', 'v1', 'pods')!;
const RUN_TIMEOUT_MS = 20_000;
const ALICE_TOKEN = 'alice-token-0123456789abcdef';

interface Kubectl {
  /** `1.27`, …; what the suite is named after. */
  version: string;
  binary: string;
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function clientMinor(binary: string): string | undefined {
  try {
    const out = execFileSync(binary, ['version', '--client', '-o', 'json'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const info = JSON.parse(out).clientVersion as { major: string; minor: string };
    return `${info.major}.${info.minor.replace(/\D+$/, '')}`;
  } catch {
    return undefined;
  }
}

/** Every `kubectl.1.N` beside the kubectl on PATH, plus that kubectl if its minor is not among them. */
function discoverKubectls(): Kubectl[] {
  const onPath = findOnPath('kubectl');
  if (!onPath) throw new Error('kubectl is not on PATH: the kubectl compatibility suite needs it');
  const dir = path.dirname(realpathSync(onPath));
  const versioned = readdirSync(dir)
    .map((file) => /^kubectl\.(\d+\.\d+)$/.exec(file))
    .filter((match) => match !== null)
    .map((match) => ({ version: match[1]!, binary: path.join(dir, match[0]) }))
    .sort((a, b) => Number(a.version.split('.')[1]) - Number(b.version.split('.')[1]));
  const plain = clientMinor(onPath);
  if (plain && !versioned.some((k) => k.version === plain)) {
    versioned.push({ version: `${plain} (plain kubectl)`, binary: onPath });
  }
  if (versioned.length === 0) throw new Error(`no kubectl binaries found in ${dir}`);
  return versioned;
}

const KUBECTLS = discoverKubectls();

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running kubectl whose output is awaited, never slept on. */
interface Streaming {
  child: ChildProcess;
  /** Resolves with all stdout so far once `pattern` matches it; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stdout(): string;
  stop(): void;
}

class KubectlRunner {
  private readonly children = new Set<ChildProcess>();

  constructor(
    private readonly binary: string,
    private readonly env: Record<string, string>,
  ) {}

  private spawn(args: string[], extraEnv: Record<string, string>): ChildProcess {
    const child = spawn(this.binary, args, {
      env: { ...this.env, ...extraEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  run(
    args: string[],
    options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Result> {
    const child = this.spawn(args, options.env ?? {});
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.input ?? '');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`kubectl ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, options.timeoutMs ?? RUN_TIMEOUT_MS);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Runs and expects exit 0; returns stdout. */
  async ok(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}\n${result.stderr}${result.stdout}`);
    }
    return result.stdout;
  }

  stream(args: string[]): Streaming {
    const child = this.spawn(args, {});
    let out = '';
    let err = '';
    const waiters = new Set<() => void>();
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      for (const check of [...waiters]) check();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      for (const check of [...waiters]) check();
    });
    let exited = false;
    child.once('exit', () => {
      exited = true;
      for (const check of [...waiters]) check();
    });
    child.stdin!.end();
    return {
      child,
      stdout: () => out,
      stop: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
      waitFor: (pattern, timeoutMs = 15_000) =>
        new Promise((resolve, reject) => {
          const done = () => {
            waiters.delete(check);
            clearTimeout(timer);
          };
          const check = () => {
            const match = out.match(pattern) ?? err.match(pattern);
            if (match) {
              done();
              resolve(match);
            } else if (exited) {
              done();
              reject(
                new Error(
                  `kubectl ${args.join(' ')} exited before ${pattern}\nstdout: ${out}\nstderr: ${err}`,
                ),
              );
            }
          };
          const timer = setTimeout(() => {
            done();
            reject(
              new Error(
                `timed out waiting for ${pattern} from kubectl ${args.join(' ')}\nstdout: ${out}\nstderr: ${err}`,
              ),
            );
          }, timeoutMs);
          waiters.add(check);
          check();
        }),
    };
  }

  /** Kills whatever is still running; waits for the processes to be gone. */
  async killAll(): Promise<void> {
    const pending = [...this.children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    );
    await Promise.all(pending);
  }
}

/** Resolves once every pod in the store is Running. */
function allPodsRunning(sim: KubeSim, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const pods = sim.store.list(PODS);
      if (pods.length > 0 && pods.every((p) => (p.status as { phase?: string })?.phase === 'Running')) {
        unsubscribe();
        clearTimeout(timer);
        resolve();
      }
    };
    const unsubscribe = sim.store.subscribe(check);
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error('demo pods did not all reach Running'));
    }, timeoutMs);
    check();
  });
}

/** Splits a kubectl table into rows of cells (header first). */
function table(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s{2,}/));
}

const APP_YAML = (mode: string, replicas: number) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  mode: ${mode}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

const LOGGER_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: logger
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.2; done; sleep 30"]
`;

const FROM_FILE_JSON = JSON.stringify({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'from-file' },
  data: { source: 'file' },
});

describe.each(KUBECTLS)('kubectl $version', { concurrent: true }, ({ version, binary }) => {
  describe.sequential(`kubectl ${version} against kube-sim`, () => {
    let sim: KubeSim;
    let dir: string;
    let kubectl: KubectlRunner;
    let alice: KubectlRunner;
    const file = (name: string) => path.join(dir, name);

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), `kubectl-${version.split(' ')[0]}-`));
      sim = await startKubeSim({
        scenario: 'demo',
        podStartDelayMs: 20,
        users: [{ username: 'alice', token: ALICE_TOKEN, groups: ['shop-readers'] }],
      });
      const home = file('home');
      await mkdir(home);
      await writeFile(file('admin.kubeconfig'), sim.adminKubeconfig, { mode: 0o600 });
      await writeFile(
        file('alice.kubeconfig'),
        await sim.kubeconfigFor({ token: ALICE_TOKEN, username: 'alice' }),
        { mode: 0o600 },
      );
      const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
      kubectl = new KubectlRunner(binary, { ...base, KUBECONFIG: file('admin.kubeconfig') });
      alice = new KubectlRunner(binary, { ...base, KUBECONFIG: file('alice.kubeconfig') });
      await Promise.all([
        writeFile(file('app-v1.yaml'), APP_YAML('blue', 1)),
        writeFile(file('app-v2.yaml'), APP_YAML('green', 2)),
        writeFile(file('logger.yaml'), LOGGER_YAML),
        writeFile(file('from-file.json'), FROM_FILE_JSON),
        writeFile(file('editor.sh'), '#!/bin/sh\nsed -i "s/mode: green/mode: edited/" "$1"\n').then(() =>
          chmod(file('editor.sh'), 0o755),
        ),
      ]);
      await allPodsRunning(sim);
    });

    afterAll(async () => {
      await Promise.all([kubectl?.killAll(), alice?.killAll()]);
      await sim?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('version prints the server version', async () => {
      const out = await kubectl.ok(['version']);
      const server = out.split('\n').find((line) => line.startsWith('Server Version: '));
      expect(server).toBeDefined();
      // 1.27 prints the whole version.Info struct, later releases just the git version.
      expect(server).toMatch(
        new RegExp(
          `^Server Version: (${KUBERNETES_VERSION.gitVersion}|version\\.Info\\{.*GitVersion:"${KUBERNETES_VERSION.gitVersion}".*\\})$`,
        ),
      );
    });

    it('get pods -A prints every pod as a table', async () => {
      const rows = table(await kubectl.ok(['get', 'pods', '-A']));
      expect(rows[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      const expected = sim.store
        .list(PODS)
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
        .sort();
      expect(
        rows
          .slice(1)
          .map((r) => `${r[0]}/${r[1]}`)
          .sort(),
      ).toEqual(expected);
      for (const row of rows.slice(1)) {
        expect(row.slice(2, 5)).toEqual(['1/1', 'Running', '0']);
        expect(row[5]).toMatch(/^\d+s$/);
      }
    });

    it('get pods -o json and -o yaml give a List of the namespace pods', async () => {
      const [json, yaml] = await Promise.all([
        kubectl.ok(['get', 'pods', '-n', 'shop', '-o', 'json']),
        kubectl.ok(['get', 'pods', '-n', 'shop', '-o', 'yaml']),
      ]);
      const expected = sim.store.list(PODS, 'shop').map((p) => p.metadata.name);
      for (const parsed of [JSON.parse(json), parseYaml(yaml)]) {
        expect(parsed.kind).toBe('List');
        expect(parsed.apiVersion).toBe('v1');
        const items = parsed.items as KubeObject[];
        expect(items.map((p) => p.metadata.name).sort()).toEqual([...expected].sort());
        for (const item of items) {
          expect(item.kind).toBe('Pod');
          expect(item.metadata.namespace).toBe('shop');
          expect((item.status as { phase: string }).phase).toBe('Running');
        }
      }
    });

    it('get deploy,svc and get nodes', async () => {
      const [workloads, nodes] = await Promise.all([
        kubectl.ok(['get', 'deploy,svc', '-n', 'shop']),
        kubectl.ok(['get', 'nodes']),
      ]);
      const [deployments, services] = workloads.trim().split('\n\n');
      const deployRows = table(deployments!);
      expect(deployRows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      expect(deployRows.slice(1).map((r) => r.slice(0, 4))).toEqual([
        ['deployment.apps/api', '2/2', '2', '2'],
        ['deployment.apps/cart', '1/1', '1', '1'],
        ['deployment.apps/frontend', '3/3', '3', '3'],
      ]);
      const serviceRows = table(services!);
      expect(serviceRows[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
      expect(serviceRows.slice(1).map((r) => [r[0], r[1], r[4]])).toEqual([
        ['service/api', 'ClusterIP', '80/TCP'],
        ['service/cart', 'ClusterIP', '80/TCP'],
        ['service/frontend', 'ClusterIP', '80/TCP'],
      ]);
      const nodeRows = table(nodes);
      expect(nodeRows[0]).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
      expect(nodeRows.slice(1).map((r) => [r[0], r[1], r[2]])).toEqual([
        ['kube-sim-control-plane', 'Ready', 'control-plane'],
        ['kube-sim-worker', 'Ready', '<none>'],
        ['kube-sim-worker2', 'Ready', '<none>'],
      ]);
    });

    it('create configmap, get it, delete it, then get is NotFound', async () => {
      expect(await kubectl.ok(['create', 'configmap', 'x', '--from-literal=a=1'])).toBe(
        'configmap/x created\n',
      );
      expect(await kubectl.ok(['get', 'configmap', 'x', '-o', 'jsonpath={.data.a}'])).toBe('1');
      expect(await kubectl.ok(['delete', 'configmap', 'x'])).toBe('configmap "x" deleted\n');
      const gone = await kubectl.run(['get', 'configmap', 'x']);
      expect(gone).toEqual({
        code: 1,
        stdout: '',
        stderr: 'Error from server (NotFound): configmaps "x" not found\n',
      });
    });

    it('create -f a file, and again is AlreadyExists', async () => {
      expect(await kubectl.ok(['create', '-f', file('from-file.json')])).toBe(
        'configmap/from-file created\n',
      );
      expect(await kubectl.ok(['get', 'cm', 'from-file', '-o', 'jsonpath={.data.source}'])).toBe('file');
      const again = await kubectl.run(['create', '-f', file('from-file.json')]);
      expect(again.code).toBe(1);
      expect(again.stderr).toBe(
        `Error from server (AlreadyExists): error when creating "${file('from-file.json')}": configmaps "from-file" already exists\n`,
      );
    });

    it('apply creates, re-apply with changes configures, same again is unchanged', async () => {
      expect(await kubectl.ok(['apply', '-f', file('app-v1.yaml')])).toBe(
        'configmap/app-config created\ndeployment.apps/web created\n',
      );
      expect(await kubectl.ok(['apply', '-f', file('app-v2.yaml')])).toBe(
        'configmap/app-config configured\ndeployment.apps/web configured\n',
      );
      expect(await kubectl.ok(['get', 'cm', 'app-config', '-o', 'jsonpath={.data.mode}'])).toBe('green');
      expect(await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
      expect(await kubectl.ok(['apply', '-f', file('app-v2.yaml')])).toBe(
        'configmap/app-config unchanged\ndeployment.apps/web unchanged\n',
      );
    });

    it('rollout status waits for the deployment, scale changes it', async () => {
      const status = await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=15s']);
      expect(status.trim().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
      expect(await kubectl.ok(['scale', 'deploy/web', '--replicas=3'])).toBe('deployment.apps/web scaled\n');
      const again = await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=15s']);
      expect(again.trim().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
      expect(
        await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.status.readyReplicas}']),
      ).toBe('3 3');
    });

    it('patch: strategic, merge and json', async () => {
      expect(await kubectl.ok(['patch', 'cm', 'app-config', '-p', '{"data":{"strategic":"s"}}'])).toBe(
        'configmap/app-config patched\n',
      );
      expect(
        await kubectl.ok(['patch', 'cm', 'app-config', '--type=merge', '-p', '{"data":{"merge":"m"}}']),
      ).toBe('configmap/app-config patched\n');
      expect(
        await kubectl.ok([
          'patch',
          'cm',
          'app-config',
          '--type=json',
          '-p',
          '[{"op":"add","path":"/data/json","value":"j"},{"op":"remove","path":"/data/strategic"}]',
        ]),
      ).toBe('configmap/app-config patched\n');
      expect(
        await kubectl.ok(['patch', 'cm', 'app-config', '--type=merge', '-p', '{"data":{"merge":"m"}}']),
      ).toBe('configmap/app-config patched (no change)\n');
      expect(
        await kubectl.ok([
          'patch',
          'deploy',
          'web',
          '-p',
          '{"spec":{"template":{"metadata":{"labels":{"tier":"web"}}}}}',
        ]),
      ).toBe('deployment.apps/web patched\n');
      const data = JSON.parse(await kubectl.ok(['get', 'cm', 'app-config', '-o', 'jsonpath={.data}']));
      expect(data).toEqual({ mode: 'green', merge: 'm', json: 'j' });
    });

    it('edit with KUBE_EDITOR rewriting the file', async () => {
      const out = await kubectl.ok(['edit', 'cm', 'app-config'], { env: { KUBE_EDITOR: file('editor.sh') } });
      expect(out).toBe('configmap/app-config edited\n');
      expect(await kubectl.ok(['get', 'cm', 'app-config', '-o', 'jsonpath={.data.mode}'])).toBe('edited');
    });

    it('get -w shows objects as they are created, changed and deleted', async () => {
      const watch = kubectl.stream(['get', 'configmaps', '-w']);
      try {
        await watch.waitFor(/^kube-root-ca\.crt\s+1\s+\S+$/m);
        await kubectl.ok(['create', 'configmap', 'watched', '--from-literal=k=v']);
        await watch.waitFor(/^watched\s+1\s+\S+$/m);
        await kubectl.ok(['patch', 'cm', 'watched', '-p', '{"data":{"k2":"v2"}}']);
        await watch.waitFor(/^watched\s+2\s+\S+$/m);
      } finally {
        watch.stop();
      }
      const events = kubectl.stream(['get', 'configmaps', '-w', '--output-watch-events']);
      try {
        await events.waitFor(/^EVENT\s+NAME\s+DATA\s+AGE$/m);
        await events.waitFor(/^ADDED\s+watched\s+2\s+\S+$/m);
        await kubectl.ok(['label', 'cm', 'watched', 'seen=yes']);
        await events.waitFor(/^MODIFIED\s+watched\s+2\s+\S+$/m);
        expect(await kubectl.ok(['delete', 'cm', 'watched'])).toBe('configmap "watched" deleted\n');
        await events.waitFor(/^DELETED\s+watched\s+2\s+\S+$/m);
      } finally {
        events.stop();
      }
    });

    it('get pods -w --output-watch-events follows a new pod to Running', async () => {
      const watch = kubectl.stream(['get', 'pods', '-w', '--output-watch-events']);
      try {
        await watch.waitFor(/^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
        expect(await kubectl.ok(['apply', '-f', file('logger.yaml')])).toBe('pod/logger created\n');
        await watch.waitFor(/^ADDED\s+logger\s+0\/1\s+Pending\s+0\s+\S+$/m);
        await watch.waitFor(/^MODIFIED\s+logger\s+1\/1\s+Running\s+0\s+\S+$/m);
      } finally {
        watch.stop();
      }
    });

    it('logs -f follows the container, logs --tail cuts', async () => {
      const follow = kubectl.stream(['logs', '-f', 'logger']);
      try {
        await follow.waitFor(/^line 3$/m);
        expect(follow.stdout()).toBe('line 1\nline 2\nline 3\n');
      } finally {
        follow.stop();
      }
      expect(await kubectl.ok(['logs', 'logger'])).toBe('line 1\nline 2\nline 3\n');
      expect(await kubectl.ok(['logs', 'logger', '--tail=1'])).toBe('line 3\n');
      expect(await kubectl.ok(['logs', 'pod/logger', '-c', 'main', '--tail=2'])).toBe('line 2\nline 3\n');
    });

    it('exec -i passes stdin, and the exit code comes back', async () => {
      expect(await kubectl.ok(['exec', '-i', 'logger', '--', 'cat'], { input: 'hello\n' })).toBe('hello\n');
      const failed = await kubectl.run([
        'exec',
        'logger',
        '--',
        'sh',
        '-c',
        'echo out; echo err >&2; exit 3',
      ]);
      expect(failed).toEqual({
        code: 3,
        stdout: 'out\n',
        stderr: 'err\ncommand terminated with exit code 3\n',
      });
    });

    it('auth can-i answers yes/no with exit codes, also impersonating', async () => {
      expect(await kubectl.run(['auth', 'can-i', 'list', 'pods'])).toEqual({
        code: 0,
        stdout: 'yes\n',
        stderr: '',
      });
      expect(await kubectl.run(['auth', 'can-i', 'list', 'pods', '--as', 'alice'])).toEqual({
        code: 1,
        stdout: 'no\n',
        stderr: '',
      });
      expect(
        await kubectl.run([
          'auth',
          'can-i',
          'list',
          'pods',
          '-n',
          'shop',
          '--as',
          'alice',
          '--as-group',
          'shop-readers',
        ]),
      ).toEqual({ code: 0, stdout: 'yes\n', stderr: '' });
      expect(await alice.run(['auth', 'can-i', 'get', 'pods/log', '-n', 'shop'])).toEqual({
        code: 0,
        stdout: 'yes\n',
        stderr: '',
      });
      expect(await alice.run(['auth', 'can-i', 'delete', 'pods', '-n', 'shop'])).toEqual({
        code: 1,
        stdout: 'no\n',
        stderr: '',
      });
    });

    it('auth whoami shows the user and groups, also impersonating', async () => {
      // 1.27 has whoami under `auth` (beta API behind it); older releases only under `alpha auth`.
      const help = await kubectl.run(['auth', 'whoami', '--help']);
      const whoami = help.code === 0 ? ['auth', 'whoami'] : ['alpha', 'auth', 'whoami'];
      expect(await kubectl.ok(whoami)).toBe(
        'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [system:masters system:authenticated]\n',
      );
      expect(await kubectl.ok([...whoami, '--as', 'bob', '--as-group', 'devs'])).toBe(
        'ATTRIBUTE   VALUE\nUsername    bob\nGroups      [devs system:authenticated]\n',
      );
      expect(await alice.ok(whoami)).toBe(
        'ATTRIBUTE   VALUE\nUsername    alice\nGroups      [shop-readers system:authenticated]\n',
      );
    });

    it('RBAC: a shop reader can list shop pods but is forbidden elsewhere', async () => {
      const shop = table(await alice.ok(['get', 'pods', '-n', 'shop']));
      expect(shop.length - 1).toBe(sim.store.list(PODS, 'shop').length);
      const forbidden =
        'Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"\n';
      expect(await alice.run(['get', 'pods'])).toEqual({ code: 1, stdout: '', stderr: forbidden });
      expect(await kubectl.run(['get', 'pods', '--as', 'alice'])).toEqual({
        code: 1,
        stdout: '',
        stderr: forbidden,
      });
      const denied = await alice.run(['delete', 'cm', 'frontend-config', '-n', 'shop']);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toBe(
        'Error from server (Forbidden): configmaps "frontend-config" is forbidden: User "alice" cannot delete resource "configmaps" in API group "" in the namespace "shop"\n',
      );
    });

    it('get --chunk-size=2 pages through the list', async () => {
      const result = await kubectl.run(['get', 'pods', '-A', '--chunk-size=2', '-v=6']);
      expect(result.code).toBe(0);
      // One request line per page: `GET https://…/api/v1/pods?limit=2 200 OK` (≤1.29) or
      // `"Response" verb="GET" url="https://…/api/v1/pods?continue=…&limit=2"` (≥1.30).
      const requests = result.stderr
        .split('\n')
        .filter((line) => /(GET |url=")https:\/\/\S+\/api\/v1\/pods\?\S*\blimit=2\b/.test(line));
      const pods = sim.store.list(PODS);
      expect(requests.length).toBe(Math.ceil(pods.length / 2));
      expect(requests.filter((line) => line.includes('continue=')).length).toBe(requests.length - 1);
      const rows = table(result.stdout);
      expect(rows[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      expect(rows.length - 1).toBe(pods.length);
    });

    it('get events shows what the controllers did', async () => {
      const rows = table(await kubectl.ok(['get', 'events', '-n', 'shop']));
      expect(rows[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
      const reasons = new Set(rows.slice(1).map((r) => r[2]));
      for (const reason of [
        'Scheduled',
        'Pulled',
        'Created',
        'Started',
        'SuccessfulCreate',
        'ScalingReplicaSet',
      ]) {
        expect(reasons).toContain(reason);
      }
    });

    it('api-resources lists the served types', async () => {
      const rows = table(await kubectl.ok(['api-resources']));
      expect(rows[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
      expect(rows).toContainEqual(['pods', 'po', 'v1', 'true', 'Pod']);
      expect(rows).toContainEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
      expect(rows).toContainEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
      expect(rows).toContainEqual([
        'selfsubjectaccessreviews',
        'authorization.k8s.io/v1',
        'false',
        'SelfSubjectAccessReview',
      ]);
    });

    it('port-forward reaches the nginx in a frontend pod', async () => {
      const pod = sim.store.list(PODS, 'shop').find((p) => p.metadata.labels?.app === 'frontend')!;
      const forward = kubectl.stream(['port-forward', '-n', 'shop', `pod/${pod.metadata.name}`, ':80']);
      try {
        const [, port] = await forward.waitFor(/^Forwarding from 127\.0\.0\.1:(\d+) -> 80$/m);
        const response = await fetch(`http://127.0.0.1:${port}/`);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain('<title>Welcome to nginx!</title>');
        await forward.waitFor(new RegExp(`^Handling connection for ${port}$`, 'm'));
      } finally {
        forward.stop();
      }
    });

    it('delete -f removes what apply created', async () => {
      expect(await kubectl.ok(['delete', '-f', file('app-v2.yaml')])).toBe(
        'configmap "app-config" deleted\ndeployment.apps "web" deleted\n',
      );
      const gone = await kubectl.run(['get', '-f', file('app-v2.yaml')]);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toBe(
        'Error from server (NotFound): configmaps "app-config" not found\nError from server (NotFound): deployments.apps "web" not found\n',
      );
    });
  });
});
