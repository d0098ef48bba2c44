/**
 * @kubernetes/client-node 1.x against kube-sim: typed CRUD with paging and patch types, Watch with
 * resume and 410 Gone, informers, and the streaming clients (Exec, Log, Attach, PortForward).
 */
import { PassThrough, Writable } from 'node:stream';
import {
  ApiException,
  AppsV1Api,
  Attach,
  CoreV1Api,
  Exec,
  KubeConfig,
  Log,
  makeInformer,
  PatchStrategy,
  PortForward,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Pod,
  type V1Status,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource } from '../src/api/resources.js';
import { type KubeSim, startKubeSim } from '../src/index.js';

const podResource = findResource('', 'v1', 'pods')!;

const TIMEOUT_MS = 10_000;

/** Resolves once `check` holds, re-checking whenever `subscribe` reports a change. */
function until<T>(
  subscribe: (listener: () => void) => () => void,
  check: () => T | undefined | false,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let unsubscribe: () => void = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, TIMEOUT_MS);
    const attempt = () => {
      const value = check();
      if (value) {
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      }
    };
    unsubscribe = subscribe(attempt);
    attempt();
  });
}

/** A Writable that keeps what it is given and lets tests wait for text to appear. */
class Collector extends Writable {
  text = '';
  private readonly waiters = new Set<() => void>();

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    for (const listener of this.waiters) listener();
    callback();
  }

  override _final(callback: () => void): void {
    for (const listener of this.waiters) listener();
    callback();
  }

  waitFor(match: (text: string) => boolean, what: string): Promise<string> {
    return until(
      (listener) => {
        this.waiters.add(listener);
        return () => this.waiters.delete(listener);
      },
      () => (match(this.text) ? this.text : undefined),
      what,
    );
  }
}

interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string } & Record<
    string,
    unknown
  >;
}

/** A client-node Watch whose events a test can wait on. */
class Recorder {
  readonly events: WatchEvent[] = [];
  done: unknown = undefined;
  finished = false;
  private listeners = new Set<() => void>();
  private controller?: AbortController;

  async start(kc: KubeConfig, path: string, query: Record<string, string>): Promise<this> {
    this.controller = await new Watch(kc).watch(
      path,
      query,
      (type, object) => {
        this.events.push({ type, object });
        this.notify();
      },
      (error) => {
        this.finished = true;
        this.done = error;
        this.notify();
      },
    );
    return this;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  waitForCount(count: number): Promise<WatchEvent[]> {
    return until(this.subscribe, () => this.events.length >= count && this.events, `${count} watch events`);
  }

  waitFor(match: (event: WatchEvent) => boolean): Promise<WatchEvent> {
    return until(this.subscribe, () => this.events.find(match), 'a matching watch event');
  }

  waitForEnd(): Promise<unknown> {
    return until(this.subscribe, () => this.finished && { error: this.done }, 'the watch to end');
  }

  stop(): void {
    this.controller?.abort();
  }
}

function errorStatus(error: unknown): { code: number; status: V1Status } {
  expect(error).toBeInstanceOf(ApiException);
  const exception = error as ApiException<unknown>;
  const body = typeof exception.body === 'string' ? JSON.parse(exception.body) : exception.body;
  return { code: exception.code, status: body as V1Status };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function configMap(name: string, data: Record<string, string> = {}): V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { suite: 'client-node' } }, data };
}

describe('@kubernetes/client-node against kube-sim', () => {
  let sim: KubeSim;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  const storeChanges = (listener: () => void) => sim.store.subscribe(listener);

  async function namespace(name: string): Promise<void> {
    await core.createNamespace({ body: { metadata: { name } } });
  }

  async function runningPod(ns: string, pod: V1Pod): Promise<V1Pod> {
    await core.createNamespacedPod({ namespace: ns, body: pod });
    const name = pod.metadata!.name!;
    await until(
      storeChanges,
      () => {
        const current = sim.store.list(podResource, ns).find((p) => p.metadata.name === name);
        const status = current?.status as V1Pod['status'];
        return status?.phase === 'Running' && status.containerStatuses?.every((c) => c.state?.running);
      },
      `pod ${ns}/${name} running`,
    );
    return core.readNamespacedPod({ namespace: ns, name });
  }

  beforeAll(async () => {
    sim = await startKubeSim({ scenario: 'demo', podStartDelayMs: 0 });
    kc = new KubeConfig();
    kc.loadFromString(sim.adminKubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    await until(
      storeChanges,
      () => {
        const pods = sim.store.list(podResource, 'shop');
        return (
          pods.filter((p) => (p.status as V1Pod['status'])?.phase === 'Running').length >= 6 &&
          pods.length >= 6
        );
      },
      'the demo shop pods to run',
    );
  });

  afterAll(async () => {
    await sim?.close();
  });

  describe('typed API', () => {
    it('lists deployments and pods with label selectors', async () => {
      const deployments = await apps.listNamespacedDeployment({ namespace: 'shop' });
      expect(deployments.items.map((d) => d.metadata?.name).sort()).toEqual(['api', 'cart', 'frontend']);
      const frontend = await apps.listNamespacedDeployment({
        namespace: 'shop',
        labelSelector: 'app=frontend',
      });
      expect(frontend.items).toHaveLength(1);
      expect(frontend.items[0]!.spec?.replicas).toBe(3);

      const pods = await core.listNamespacedPod({
        namespace: 'shop',
        labelSelector: 'app in (frontend, cart)',
      });
      expect(pods.items).toHaveLength(4);
      expect(pods.items.every((p) => ['frontend', 'cart'].includes(p.metadata?.labels?.app ?? ''))).toBe(
        true,
      );
      expect(pods.items[0]!.metadata?.creationTimestamp).toBeInstanceOf(Date);
      const none = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=nothing' });
      expect(none.items).toEqual([]);
      const all = await core.listPodForAllNamespaces({ labelSelector: 'k8s-app=kube-dns' });
      expect(all.items.map((p) => p.metadata?.namespace)).toEqual(['kube-system', 'kube-system']);
    });

    it('pages a list with limit and _continue over one snapshot', async () => {
      const names: string[] = [];
      let token: string | undefined;
      let rv: string | undefined;
      let pages = 0;
      do {
        const page = await core.listNamespacedPod({ namespace: 'shop', limit: 2, _continue: token });
        pages++;
        names.push(...page.items.map((p) => p.metadata!.name!));
        rv ??= page.metadata?.resourceVersion;
        expect(page.metadata?.resourceVersion).toBe(rv);
        token = page.metadata?._continue;
        if (token) expect(page.metadata?.remainingItemCount).toBe(6 - names.length);
        // A change between pages does not show up in the paged snapshot.
        if (pages === 1)
          await core.createNamespacedConfigMap({ namespace: 'shop', body: configMap('between-pages') });
      } while (token);
      expect(pages).toBe(3);
      expect(names).toHaveLength(6);
      expect(names).toEqual([...names].sort());
    });

    it('creates, replaces, patches with each patch type, and deletes', async () => {
      await namespace('crud');
      const created = await core.createNamespacedConfigMap({
        namespace: 'crud',
        body: configMap('cm', { a: '1' }),
      });
      expect(created.metadata?.uid).toEqual(expect.any(String));
      expect(created.metadata?.resourceVersion).toEqual(expect.any(String));

      const duplicate = errorStatus(
        await rejection(core.createNamespacedConfigMap({ namespace: 'crud', body: configMap('cm') })),
      );
      expect(duplicate.code).toBe(409);
      expect(duplicate.status).toMatchObject({
        reason: 'AlreadyExists',
        message: 'configmaps "cm" already exists',
      });

      const replaced = await core.replaceNamespacedConfigMap({
        namespace: 'crud',
        name: 'cm',
        body: { ...created, data: { a: '2' } },
      });
      expect(replaced.data).toEqual({ a: '2' });
      const stale = errorStatus(
        await rejection(
          core.replaceNamespacedConfigMap({
            namespace: 'crud',
            name: 'cm',
            body: { ...created, data: { a: '3' } },
          }),
        ),
      );
      expect(stale.code).toBe(409);
      expect(stale.status.reason).toBe('Conflict');

      const merged = await core.patchNamespacedConfigMap(
        { namespace: 'crud', name: 'cm', body: { data: { b: 'merged' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(merged.data).toEqual({ a: '2', b: 'merged' });
      const strategic = await core.patchNamespacedConfigMap(
        { namespace: 'crud', name: 'cm', body: { metadata: { labels: { patched: 'strategic' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      expect(strategic.metadata?.labels).toEqual({ suite: 'client-node', patched: 'strategic' });
      // client-node's default patch type is JSON patch.
      const jsonPatched = await core.patchNamespacedConfigMap({
        namespace: 'crud',
        name: 'cm',
        body: [{ op: 'replace', path: '/data/a', value: 'json' }],
      });
      expect(jsonPatched.data).toEqual({ a: 'json', b: 'merged' });
      const failedTest = errorStatus(
        await rejection(
          core.patchNamespacedConfigMap({
            namespace: 'crud',
            name: 'cm',
            body: [{ op: 'test', path: '/data/a', value: 'other' }],
          }),
        ),
      );
      expect(failedTest.code).toBe(422);

      const deleted = await core.deleteNamespacedConfigMap({ namespace: 'crud', name: 'cm' });
      expect(deleted).toMatchObject({ kind: 'Status', status: 'Success' });
      const missing = errorStatus(
        await rejection(core.readNamespacedConfigMap({ namespace: 'crud', name: 'cm' })),
      );
      expect(missing.code).toBe(404);
      expect(missing.status).toMatchObject({ reason: 'NotFound', message: 'configmaps "cm" not found' });
    });

    it('creates, scales and deletes a deployment', async () => {
      await namespace('deploy');
      const labels = { app: 'hello' };
      await apps.createNamespacedDeployment({
        namespace: 'deploy',
        body: {
          metadata: { name: 'hello', labels },
          spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
          },
        },
      });
      await apps.patchNamespacedDeploymentScale(
        { namespace: 'deploy', name: 'hello', body: { spec: { replicas: 3 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await until(
        storeChanges,
        () => sim.store.list(podResource, 'deploy').length === 3,
        'three pods of the scaled deployment',
      );
      const pods = await core.listNamespacedPod({ namespace: 'deploy', labelSelector: 'app=hello' });
      expect(pods.items).toHaveLength(3);
      await apps.deleteNamespacedDeployment({ namespace: 'deploy', name: 'hello' });
    });
  });

  describe('Watch', () => {
    it('sees ADDED, MODIFIED and DELETED in order and resumes from the last resourceVersion', async () => {
      await namespace('watched');
      const list = await core.listNamespacedConfigMap({ namespace: 'watched' });
      const path = '/api/v1/namespaces/watched/configmaps';
      const first = await new Recorder().start(kc, path, {
        resourceVersion: list.metadata!.resourceVersion!,
      });

      await core.createNamespacedConfigMap({ namespace: 'watched', body: configMap('w1', { v: '1' }) });
      await core.patchNamespacedConfigMap(
        { namespace: 'watched', name: 'w1', body: { data: { v: '2' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ namespace: 'watched', name: 'w1' });
      await first.waitFor((e) => e.type === 'DELETED' && e.object.metadata?.name === 'w1');
      const own = first.events.filter((e) => e.object.metadata?.name === 'w1');
      expect(own.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      expect(own.map((e) => (e.object as V1ConfigMap).data?.v)).toEqual(['1', '2', '2']);
      first.stop();
      await first.waitForEnd();
      const lastRV = first.events.at(-1)!.object.metadata!.resourceVersion!;

      // Missed while nobody watched:
      await core.createNamespacedConfigMap({ namespace: 'watched', body: configMap('w2') });
      await core.createNamespacedConfigMap({ namespace: 'watched', body: configMap('w3') });
      await core.deleteNamespacedConfigMap({ namespace: 'watched', name: 'w2' });

      const resumed = await new Recorder().start(kc, path, { resourceVersion: lastRV });
      const missed = await resumed.waitForCount(3);
      expect(missed.map((e) => [e.type, e.object.metadata?.name])).toEqual([
        ['ADDED', 'w2'],
        ['ADDED', 'w3'],
        ['DELETED', 'w2'],
      ]);
      const rvs = missed.map((e) => Number(e.object.metadata!.resourceVersion));
      expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
      expect(rvs[0]).toBeGreaterThan(Number(lastRV));
      // And live changes keep coming after the replay.
      await core.createNamespacedConfigMap({ namespace: 'watched', body: configMap('w4') });
      const live = await resumed.waitForCount(4);
      expect([live[3]!.type, live[3]!.object.metadata?.name]).toEqual(['ADDED', 'w4']);
      resumed.stop();
    });

    it('ends with an ERROR event carrying 410 Expired for a compacted resourceVersion', async () => {
      const small = await startKubeSim({ scenario: 'empty', historySize: 20 });
      try {
        const smallKc = new KubeConfig();
        smallKc.loadFromString(small.adminKubeconfig);
        const smallCore = smallKc.makeApiClient(CoreV1Api);
        const start = await smallCore.listNamespacedConfigMap({ namespace: 'default' });
        const oldRV = start.metadata!.resourceVersion!;
        for (let i = 0; i < 25; i++) {
          await smallCore.createNamespacedConfigMap({ namespace: 'default', body: configMap(`c${i}`) });
        }
        const recorder = await new Recorder().start(smallKc, '/api/v1/namespaces/default/configmaps', {
          resourceVersion: oldRV,
        });
        await recorder.waitForEnd();
        expect(recorder.events).toHaveLength(1);
        expect(recorder.events[0]!.type).toBe('ERROR');
        expect(recorder.events[0]!.object).toMatchObject({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Expired',
          code: 410,
          message: expect.stringMatching(new RegExp(`^too old resource version: ${oldRV} \\(\\d+\\)$`)),
        });
        // The usual recovery: list again and watch from the new resourceVersion.
        const relist = await smallCore.listNamespacedConfigMap({ namespace: 'default' });
        expect(relist.items.filter((c) => c.metadata?.name?.startsWith('c'))).toHaveLength(25);
        const again = await new Recorder().start(smallKc, '/api/v1/namespaces/default/configmaps', {
          resourceVersion: relist.metadata!.resourceVersion!,
        });
        await smallCore.deleteNamespacedConfigMap({ namespace: 'default', name: 'c0' });
        const [event] = await again.waitForCount(1);
        expect([event!.type, event!.object.metadata?.name]).toEqual(['DELETED', 'c0']);
        again.stop();
      } finally {
        await small.close();
      }
    });

    it('keeps an informer in sync across changes', async () => {
      await namespace('informed');
      const informer = makeInformer(
        kc,
        '/api/v1/namespaces/informed/configmaps',
        () => core.listNamespacedConfigMap({ namespace: 'informed', labelSelector: 'suite=client-node' }),
        'suite=client-node',
      );
      const log: string[] = [];
      const changed = new Set<() => void>();
      const record = (verb: string) => (object: V1ConfigMap) => {
        log.push(`${verb} ${object.metadata?.name} ${object.data?.v ?? ''}`.trim());
        for (const listener of changed) listener();
      };
      informer.on('add', record('add'));
      informer.on('update', record('update'));
      informer.on('delete', record('delete'));
      const errors: unknown[] = [];
      informer.on('error', (error) => errors.push(error));
      const logged = (count: number) =>
        until(
          (listener) => {
            changed.add(listener);
            return () => changed.delete(listener);
          },
          () => log.length >= count,
          `${count} informer callbacks`,
        );

      await core.createNamespacedConfigMap({ namespace: 'informed', body: configMap('before', { v: '0' }) });
      await informer.start();
      await logged(1);
      await core.createNamespacedConfigMap({ namespace: 'informed', body: configMap('i1', { v: '1' }) });
      await core.patchNamespacedConfigMap(
        { namespace: 'informed', name: 'i1', body: { data: { v: '2' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ namespace: 'informed', name: 'before' });
      // Unlabelled objects are outside the informer's selector.
      await core.createNamespacedConfigMap({
        namespace: 'informed',
        body: { metadata: { name: 'unlabelled' }, data: { v: 'x' } },
      });
      await core.createNamespacedConfigMap({ namespace: 'informed', body: configMap('i2', { v: '3' }) });
      await logged(5);
      // Stopping aborts the watch, which client-node reports as an AbortError: only earlier errors count.
      expect(errors).toEqual([]);
      await informer.stop();

      expect(log).toEqual(['add before 0', 'add i1 1', 'update i1 2', 'delete before 0', 'add i2 3']);
      const server = await core.listNamespacedConfigMap({
        namespace: 'informed',
        labelSelector: 'suite=client-node',
      });
      const cached = informer.list('informed');
      expect(cached.map((c) => c.metadata?.name).sort()).toEqual(
        server.items.map((c) => c.metadata?.name).sort(),
      );
      expect(informer.get('i1', 'informed')?.data).toEqual({ v: '2' });
    });
  });

  describe('streams', () => {
    const worker: V1Pod = {
      metadata: { name: 'worker', labels: { app: 'worker' } },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'main',
            image: 'busybox:1.36',
            command: ['sh', '-c', 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.05; done'],
          },
        ],
      },
    };

    beforeAll(async () => {
      await namespace('streams');
      await runningPod('streams', worker);
    });

    it('execs with stdin, collects stdout and reports a non-zero exit code', async () => {
      const stdout = new Collector();
      const stderr = new Collector();
      const stdin = new PassThrough();
      const statuses: V1Status[] = [];
      const statusSeen = new Set<() => void>();
      await new Exec(kc).exec(
        'streams',
        'worker',
        'main',
        ['sh', '-c', 'cat; echo oops >&2; exit 2'],
        stdout,
        stderr,
        stdin,
        false,
        (status) => {
          statuses.push(status);
          for (const listener of statusSeen) listener();
        },
      );
      stdin.write('hello from stdin\n');
      stdin.end('second line\n');
      await until(
        (listener) => {
          statusSeen.add(listener);
          return () => statusSeen.delete(listener);
        },
        () => statuses.length > 0,
        'the exec status',
      );
      expect(stdout.text).toBe('hello from stdin\nsecond line\n');
      expect(stderr.text).toBe('oops\n');
      expect(statuses[0]).toMatchObject({
        status: 'Failure',
        reason: 'NonZeroExitCode',
        details: { causes: [{ reason: 'ExitCode', message: '2' }] },
      });
    });

    it('execs a command that succeeds', async () => {
      const stdout = new Collector();
      const status = await new Promise<V1Status>((resolve, reject) => {
        new Exec(kc)
          .exec(
            'streams',
            'worker',
            'main',
            ['sh', '-c', 'echo "in $PWD"; exit 0'],
            stdout,
            null,
            null,
            false,
            resolve,
          )
          .catch(reject);
      });
      expect(status).toMatchObject({ status: 'Success' });
      expect(stdout.text).toMatch(/^in \//);
    });

    it('fails exec in a container that does not exist', async () => {
      const error = await rejection(
        new Exec(kc).exec('streams', 'worker', 'nope', ['true'], new Collector(), null, null, false),
      );
      expect(error).toBeDefined();
    });

    it('follows the log of a running command', async () => {
      const out = new Collector();
      const controller = await new Log(kc).log('streams', 'worker', 'main', out, {
        follow: true,
        tailLines: 1,
      });
      try {
        // The first line is the tail, then new lines keep arriving while the stream stays open.
        const text = await out.waitFor((t) => t.split('\n').length > 4, 'three followed log lines');
        const numbers = text
          .trim()
          .split('\n')
          .map((line) => Number(/^tick (\d+)$/.exec(line)?.[1]));
        expect(numbers.every((n) => Number.isInteger(n))).toBe(true);
        for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
      } finally {
        controller.abort();
      }
    });

    it('reports a log request for a missing container', async () => {
      const error = await rejection(new Log(kc).log('streams', 'worker', 'nope', new Collector()));
      expect(error).toBeInstanceOf(ApiException);
      expect((error as ApiException<unknown>).code).toBe(400);
    });

    it('attaches to the running command and sees its output', async () => {
      const stdout = new Collector();
      const ws = await new Attach(kc).attach('streams', 'worker', 'main', stdout, null, null, false);
      try {
        const text = await stdout.waitFor((t) => /tick \d+\n.*tick \d+\n/s.test(t), 'attached output');
        expect(text).toMatch(/tick \d+\n/);
      } finally {
        ws.close();
      }
    });

    it('port-forwards to an nginx pod of the demo', async () => {
      const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=frontend' });
      const pod = pods.items[0]!.metadata!.name!;
      const output = new Collector();
      const errors = new Collector();
      const input = new PassThrough();
      const ws = (await new PortForward(kc).portForward('shop', pod, [80], output, errors, input)) as {
        close(): void;
      };
      try {
        input.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
        const response = await output.waitFor((t) => t.includes('</html>'), 'the nginx page');
        expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        expect(response).toContain('Server: nginx');
        expect(response).toContain('<title>Welcome to nginx!</title>');
        expect(errors.text).toBe('');
      } finally {
        ws.close();
      }
    });
  });
});
