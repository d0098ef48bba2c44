import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ApiError } from '../src/api/errors.js';
import type { KubeObject } from '../src/api/objects.js';
import { findResource } from '../src/api/resources.js';
import { EventRecorder } from '../src/controllers/events.js';
import { PodLifecycle } from '../src/controllers/pod-lifecycle.js';
import { Store, timestamp } from '../src/store/store.js';
import { parseStreamOptions, runAttach, runExec } from '../src/workloads/exec.js';
import { streamPodLog } from '../src/workloads/logs.js';
import { ContainerRuntime } from '../src/workloads/runtime.js';
import type { ExecResult, StreamSession } from '../src/workloads/stream-session.js';
import { acceptWebSocketStreams } from '../src/workloads/websocket-streams.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const EVENTS = findResource('', 'v1', 'events')!;

let scratch: string;
let store: Store;
let runtime: ContainerRuntime;
let lifecycle: PodLifecycle;
let server: Server;
let base: string;

/** Resolves once `check` holds, re-checking after every store change. */
function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const value = check();
      if (value) {
        unsubscribe();
        clearTimeout(timer);
        resolve(value);
      }
    };
    const unsubscribe = store.subscribe(attempt);
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    attempt();
  });
}

function node(name: string): KubeObject {
  return store.create(NODES, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
    },
  });
}

function pod(name: string, spec: Record<string, unknown>): KubeObject {
  return store.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec,
  });
}

const getPod = (name: string) => store.get(PODS, 'default', name);
// biome-ignore lint/suspicious/noExplicitAny: tests read deep into pod status.
const status = (p: KubeObject | undefined) => (p?.status ?? {}) as Record<string, any>;
const phaseIs = (name: string, phase: string) => () => status(getPod(name)).phase === phase && getPod(name)!;
const eventsFor = (name: string) =>
  store.list(EVENTS, 'default').filter((e) => (e.involvedObject as { name: string }).name === name);
const reasonsFor = (name: string) => eventsFor(name).map((e) => e.reason);

function deletePod(name: string, grace = 30): void {
  const p = getPod(name)!;
  store.update(PODS, {
    ...p,
    metadata: { ...p.metadata, deletionTimestamp: timestamp(new Date()), deletionGracePeriodSeconds: grace },
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, kind, name] = url.pathname.split('/');
    try {
      const p = getPod(name ?? '');
      if (kind !== 'log' || !p) throw new ApiError(404, 'NotFound', 'not found');
      streamPodLog(res, store, runtime, p, url.searchParams);
    } catch (err) {
      const e = err as ApiError;
      res.writeHead(e.code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(e.toStatus()));
    }
  });
  server.on('upgrade', async (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, kind, name] = url.pathname.split('/') as [string, 'exec' | 'attach', string];
    try {
      const p = getPod(name)!;
      const options = parseStreamOptions(kind, p, url.searchParams);
      const session = await acceptWebSocketStreams(req, socket, head, options);
      if (kind === 'exec') runExec(runtime, p, options, session);
      else runAttach(runtime, p, options, session);
    } catch (err) {
      if (!(err instanceof ApiError)) return;
      const body = JSON.stringify(err.toStatus());
      socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\n\r\n${body}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'kube-sim-workloads-'));
  store = new Store();
  runtime = new ContainerRuntime({ scratchRoot: scratch });
  lifecycle = new PodLifecycle(store, new EventRecorder(store), runtime, {
    startDelayMs: 5,
    backoffBaseMs: 30,
    backoffMaxMs: 120,
  });
  lifecycle.start();
});

afterEach(async () => {
  await lifecycle.stop();
  await runtime.stopAll();
  expect(runtime.liveProcesses).toBe(0);
  await rm(scratch, { recursive: true, force: true });
});

async function logs(name: string, query = ''): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://${base}/log/${name}?${query}`);
  return { status: res.status, body: await res.text() };
}

describe('pod lifecycle', () => {
  it('schedules a pod onto a node and runs it with a realistic status and events', async () => {
    node('node-1');
    pod('web', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] });
    const running = await waitFor(phaseIs('web', 'Running'), 'web Running');
    const s = status(running);
    expect((running.spec as { nodeName: string }).nodeName).toBe('node-1');
    expect(s.hostIP).toBe('172.18.0.2');
    expect(s.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(s.podIPs).toEqual([{ ip: s.podIP }]);
    expect(s.qosClass).toBe('BestEffort');
    expect(s.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(s.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    const [cs] = s.containerStatuses;
    expect(cs).toMatchObject({ name: 'nginx', ready: true, started: true, restartCount: 0 });
    expect(cs.image).toBe('docker.io/library/nginx:1.27');
    expect(cs.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.state.running.startedAt).toBeDefined();
    await waitFor(() => reasonsFor('web').includes('Started'), 'Started event');
    expect(reasonsFor('web').sort()).toEqual(['Created', 'Pulled', 'Pulling', 'Scheduled', 'Started']);
    const scheduled = eventsFor('web').find((e) => e.reason === 'Scheduled')!;
    expect(scheduled.message).toBe('Successfully assigned default/web to node-1');
    const started = eventsFor('web').find((e) => e.reason === 'Started')!;
    expect(started.source).toEqual({ component: 'kubelet', host: 'node-1' });
    expect((started.involvedObject as { fieldPath: string }).fieldPath).toBe('spec.containers{nginx}');
  });

  it('keeps a pod Pending and Unschedulable without nodes, and schedules it once one is Ready', async () => {
    pod('lonely', { containers: [{ name: 'c', image: 'redis' }] });
    const pending = await waitFor(
      () => status(getPod('lonely')).conditions?.[0]?.reason === 'Unschedulable' && getPod('lonely'),
      'Unschedulable',
    );
    expect(status(pending).phase).toBe('Pending');
    const failed = await waitFor(
      () => eventsFor('lonely').find((e) => e.reason === 'FailedScheduling'),
      'event',
    );
    expect(failed.type).toBe('Warning');
    expect(failed.message).toBe('no nodes available to schedule pods');
    node('late-node');
    await waitFor(phaseIs('lonely', 'Running'), 'Running after a node appears');
  });

  it('leaves pods created Running alone', async () => {
    node('node-1');
    pod('preset', { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] });
    const preset = getPod('preset')!;
    store.update(PODS, { ...preset, status: { phase: 'Running' } });
    pod('marker', { containers: [{ name: 'c', image: 'nginx' }] });
    await waitFor(phaseIs('marker', 'Running'), 'marker Running');
    expect(status(getPod('preset'))).toEqual({ phase: 'Running' });
  });

  it('runs a real process, and graceful deletion kills it and removes pod and scratch dir', async () => {
    node('node-1');
    const created = pod('worker', {
      containers: [
        {
          name: 'main',
          image: 'busybox',
          command: ['sh', '-c', 'echo "hello $GREETING from $HOSTNAME"; echo oops >&2; pwd; exec sleep 60'],
          env: [{ name: 'GREETING', value: 'hi' }],
        },
      ],
    });
    await waitFor(phaseIs('worker', 'Running'), 'worker Running');
    const uid = created.metadata.uid!;
    const container = runtime.current(uid, 'main')!;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (container.logLines().length < 3) return;
        unsubscribe();
        resolve();
      };
      const unsubscribe = container.subscribeLogs(check);
      check();
    });
    const text = container.logLines().map((l) => l.text);
    expect(text).toContain('hello hi from worker\n');
    expect(text).toContain('oops\n');
    expect(text).toContain(`${path.join(scratch, uid)}\n`);
    const pid = container.process!.pid!;
    expect(processAlive(pid)).toBe(true);
    deletePod('worker');
    await waitFor(() => !getPod('worker'), 'pod removed');
    await container.exited;
    expect(container.exit?.exitCode).toBe(143);
    expect(processAlive(pid)).toBe(false);
    // stop() waits for the lifecycle's pending work, the scratch directory removal among it.
    await lifecycle.stop();
    expect(existsSync(path.join(scratch, uid))).toBe(false);
    expect(reasonsFor('worker')).toContain('Killing');
  });

  it('restarts a crashing container with back-off and keeps the previous log', async () => {
    node('node-1');
    pod('crasher', {
      containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo attempt; exit 3'] }],
    });
    const looping = await waitFor(() => {
      const cs = status(getPod('crasher')).containerStatuses?.[0];
      return cs?.restartCount >= 2 && cs.state.waiting?.reason === 'CrashLoopBackOff' && cs;
    }, 'CrashLoopBackOff');
    expect(looping.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(looping.state.waiting.message).toMatch(
      /^back-off \d+ms restarting failed container=c pod=crasher_default\(/,
    );
    expect(status(getPod('crasher')).phase).toBe('Running');
    const backoff = eventsFor('crasher').find((e) => e.reason === 'BackOff')!;
    expect(backoff.type).toBe('Warning');
    expect(backoff.message).toMatch(/^Back-off restarting failed container c in pod crasher_default\(/);
    const previous = await logs('crasher', 'previous=true');
    expect(previous).toEqual({ status: 200, body: 'attempt\n' });
  });

  it('ends restartPolicy Never pods as Succeeded or Failed', async () => {
    node('node-1');
    pod('ok', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] });
    pod('bad', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['false'] }] });
    const ok = await waitFor(phaseIs('ok', 'Succeeded'), 'Succeeded');
    const bad = await waitFor(phaseIs('bad', 'Failed'), 'Failed');
    expect(status(ok).containerStatuses[0].state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(status(bad).containerStatuses[0].state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(status(ok).conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
    });
  });

  it('reports a command that cannot be executed as runc does', async () => {
    node('node-1');
    pod('nocmd', {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'x', command: ['nosuch-binary'] }],
    });
    const failed = await waitFor(phaseIs('nocmd', 'Failed'), 'Failed');
    const terminated = status(failed).containerStatuses[0].state.terminated;
    expect(terminated).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(terminated.message).toContain(
      'exec: "nosuch-binary": executable file not found in $PATH: unknown',
    );
  });

  it('restarts a container whose image changes', async () => {
    node('node-1');
    pod('upgrade', { containers: [{ name: 'c', image: 'nginx:1.26' }] });
    const running = await waitFor(phaseIs('upgrade', 'Running'), 'Running');
    store.update(PODS, {
      ...running,
      spec: { ...(running.spec as object), containers: [{ name: 'c', image: 'nginx:1.27' }] },
    });
    const restarted = await waitFor(() => {
      const cs = status(getPod('upgrade')).containerStatuses?.[0];
      return cs?.restartCount === 1 && cs.state.running && cs;
    }, 'restart');
    expect(restarted.image).toBe('docker.io/library/nginx:1.27');
    expect(eventsFor('upgrade').map((e) => e.message)).toContain(
      'Container c definition changed, will be restarted',
    );
  });
});

describe('pods/log', () => {
  async function runningPod(name: string, containers: unknown[]): Promise<KubeObject> {
    node(`node-${name}`);
    pod(name, { containers });
    return waitFor(phaseIs(name, 'Running'), `${name} Running`);
  }

  it('serves simulated logs of an image, with tail and timestamps', async () => {
    await runningPod('web', [{ name: 'nginx', image: 'nginx' }]);
    const all = await logs('web');
    expect(all.status).toBe(200);
    expect(all.body).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up\n');
    expect(all.body).toMatch(/\[notice\] 1#1: start worker processes\n/);
    const tail = await logs('web', 'tailLines=1&timestamps=true');
    expect(tail.body).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S.*\n$/);
    expect((await logs('web', 'limitBytes=5')).body).toBe('/dock');
  });

  it('follows a real process until the client leaves', async () => {
    await runningPod('ticker', [
      {
        name: 'c',
        image: 'busybox',
        command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.05; done'],
      },
    ]);
    const controller = new AbortController();
    const res = await fetch(`http://${base}/log/ticker?follow=true&sinceSeconds=60`, {
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toBe('text/plain');
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('tick 5\n')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text.startsWith('tick 1\n')).toBe(true);
  });

  it('ends a follow when the pod is deleted', async () => {
    await runningPod('goner', [{ name: 'c', image: 'busybox', command: ['sleep', '60'] }]);
    const res = await fetch(`http://${base}/log/goner?follow=true`);
    const body = res.text();
    deletePod('goner');
    expect(await body).toBe('');
  });

  it('rejects bad options and containers as the apiserver and kubelet do', async () => {
    await runningPod('duo', [
      { name: 'a', image: 'nginx' },
      { name: 'b', image: 'redis' },
    ]);
    const json = async (query: string) => {
      const r = await logs('duo', query);
      return { code: r.status, ...(JSON.parse(r.body) as { message: string; reason: string }) };
    };
    expect(await json('')).toMatchObject({
      code: 400,
      message: 'a container name must be specified for pod duo, choose one of: [a b]',
    });
    expect(await json('container=zz')).toMatchObject({
      code: 400,
      message: 'container zz is not valid for pod duo',
    });
    expect(await json('container=a&tailLines=abc')).toMatchObject({
      code: 400,
      message: 'strconv.ParseInt: parsing "abc": invalid syntax',
    });
    expect(await json('container=a&tailLines=-1')).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message:
        'PodLogOptions "duo" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    });
    expect(await json('container=a&previous=true')).toMatchObject({
      code: 400,
      message: 'previous terminated container "a" in pod "duo" not found',
    });
    expect((await logs('duo', 'container=b')).body).toContain('Ready to accept connections tcp');
  });

  it('says a container is waiting to start before it runs', async () => {
    node('node-1');
    pod('early', { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] });
    const creating = await waitFor(
      () => status(getPod('early')).containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating',
      'ContainerCreating',
    );
    expect(creating).toBe(true);
    const r = await logs('early');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toBe(
      'container "c" in pod "early" is waiting to start: ContainerCreating',
    );
  });
});

interface Frames {
  ws: WebSocket;
  protocol: string;
  channels: Map<number, Buffer>;
  closed: Promise<void>;
  text(channel: number): string;
  until(check: () => boolean): Promise<void>;
}

function connect(kind: 'exec' | 'attach', name: string, query: string, protocols: string[]): Promise<Frames> {
  const ws = new WebSocket(`ws://${base}/${kind}/${name}?${query}`, protocols);
  const channels = new Map<number, Buffer>();
  const waiters = new Set<() => void>();
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    let channel = raw[0]!;
    let data = raw.subarray(1);
    if (!isBinary) {
      channel -= 48;
      data = Buffer.from(data.toString(), 'base64');
    }
    channels.set(channel, Buffer.concat([channels.get(channel) ?? Buffer.alloc(0), data]));
    for (const waiter of waiters) waiter();
  });
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        protocol: ws.protocol,
        channels,
        closed,
        text: (channel) => channels.get(channel)?.toString() ?? '',
        until: (check) =>
          new Promise<void>((done) => {
            const waiter = () => {
              if (check()) {
                waiters.delete(waiter);
                done();
              }
            };
            waiters.add(waiter);
            waiter();
          }),
      }),
    );
  });
}

const command = (...args: string[]) => args.map((a) => `command=${encodeURIComponent(a)}`).join('&');

describe('exec and attach over WebSocket', () => {
  beforeEach(async () => {
    node('node-1');
    pod('shell', {
      containers: [
        {
          name: 'c',
          image: 'busybox',
          command: ['sh', '-c', 'while read line; do echo "got:$line"; done'],
          stdin: true,
        },
      ],
    });
    await waitFor(phaseIs('shell', 'Running'), 'shell Running');
  });

  it('echoes stdin through cat and reports success on v5, half-closing stdin with channel 255', async () => {
    const s = await connect('exec', 'shell', `${command('cat')}&stdin=true&stdout=true&stderr=true`, [
      'v5.channel.k8s.io',
      'v4.channel.k8s.io',
    ]);
    expect(s.protocol).toBe('v5.channel.k8s.io');
    s.ws.send(Buffer.from([0, ...Buffer.from('hello kube-sim\n')]));
    await s.until(() => s.text(1) === 'hello kube-sim\n');
    s.ws.send(Buffer.from([255, 0]));
    await s.closed;
    expect(JSON.parse(s.text(3))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('reports stderr and the exit code on the v4 error channel', async () => {
    const s = await connect(
      'exec',
      'shell',
      `${command('sh', '-c', 'echo out; echo err >&2; exit 7')}&stdout=true&stderr=true`,
      ['v4.channel.k8s.io'],
    );
    await s.closed;
    expect(s.text(1)).toBe('out\n');
    expect(s.text(2)).toBe('err\n');
    expect(JSON.parse(s.text(3))).toEqual({
      metadata: {},
      status: 'Failure',
      message:
        'command terminated with non-zero exit code: error executing command [sh -c echo out; echo err >&2; exit 7], exit code 7',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  it('ends the connection right after its close frame, as the apiserver does, without waiting for the client to answer it', {
    timeout: 10_000,
  }, async () => {
    // A client that never answers the close frame: ws would keep the connection for 30 s.
    const [host, port] = base.split(':') as [string, string];
    const socket = connectTcp(Number(port), host);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
    });
    const ended = new Promise((resolve) => socket.once('end', resolve));
    socket.write(
      `GET /exec/shell?${command('sh', '-c', 'exit 0')}&stdout=true HTTP/1.1\r\nHost: ${base}\r\n` +
        'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n',
    );
    await ended;
    socket.destroy();
    expect(received.toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
    // The last frame is a close frame (FIN + opcode 8, code 1000) from the server (unmasked).
    expect([...received.subarray(-4)]).toEqual([0x88, 0x02, 0x03, 0xe8]);
  });

  it('speaks base64.channel.k8s.io with text frames', async () => {
    const s = await connect('exec', 'shell', `${command('echo', 'b64')}&stdout=true`, [
      'base64.channel.k8s.io',
    ]);
    await s.closed;
    expect(s.protocol).toBe('base64.channel.k8s.io');
    expect(s.text(1)).toBe('b64\n');
    expect(s.text(3)).toBe('');
  });

  it('fails a missing executable with the runtime message', async () => {
    const s = await connect('exec', 'shell', `${command('nosuch')}&stdout=true`, ['v5.channel.k8s.io']);
    await s.closed;
    const result = JSON.parse(s.text(3));
    expect(result.status).toBe('Failure');
    expect(result.message).toMatch(
      /^Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in \$PATH: unknown$/,
    );
  });

  it('has no bash in busybox, by name or by path, as the real image has none; sh is there', async () => {
    for (const [file, why] of [
      ['bash', 'executable file not found in \\$PATH'],
      ['/bin/bash', 'stat /bin/bash: no such file or directory'],
    ]) {
      const s = await connect('exec', 'shell', `${command(file!)}&stdout=true`, ['v5.channel.k8s.io']);
      await s.closed;
      expect(JSON.parse(s.text(3)).message).toMatch(new RegExp(`exec: "${file}": ${why}: unknown$`));
    }
    const sh = await connect('exec', 'shell', `${command('sh', '-c', 'echo from-sh')}&stdout=true`, [
      'v5.channel.k8s.io',
    ]);
    await sh.closed;
    expect(sh.text(1)).toBe('from-sh\n');
  });

  it('gives a tty session a real pty and applies resizes', async () => {
    const waitForSize = 'tty; while [ "$(stty size)" = "0 0" ]; do sleep 0.01; done; stty size';
    const s = await connect(
      'exec',
      'shell',
      `${command('sh', '-c', waitForSize)}&stdin=true&stdout=true&tty=true`,
      ['v5.channel.k8s.io'],
    );
    await s.until(() => s.text(1).includes('/dev/pts/'));
    s.ws.send(Buffer.from([4, ...Buffer.from(JSON.stringify({ Width: 100, Height: 30 }))]));
    await s.closed;
    expect(s.text(1)).toMatch(/^\/dev\/pts\/\d+\r\n30 100\r\n$/);
    expect(s.channels.has(2)).toBe(false);
    expect(JSON.parse(s.text(3)).status).toBe('Success');
  });

  it('attaches to the main process stdin and stdout', async () => {
    const s = await connect('attach', 'shell', 'container=c&stdin=true&stdout=true&stderr=true', [
      'v5.channel.k8s.io',
    ]);
    s.ws.send(Buffer.from([0, ...Buffer.from('ping\n')]));
    await s.until(() => s.text(1) === 'got:ping\n');
    s.ws.close();
    await s.closed;
    expect((await logs('shell')).body).toBe('got:ping\n');
  });

  it('makes a fast command wait for a slow client instead of buffering its output', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let received = 0;
    let backpressured: () => void = () => {};
    const full = new Promise<void>((resolve) => {
      backpressured = resolve;
    });
    // A client that accepts nothing until released, then drains everything.
    const stdout = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        released.then(() => done());
      },
    });
    const write = stdout.write.bind(stdout);
    stdout.write = ((chunk: Buffer) => {
      const more = write(chunk);
      if (!more) backpressured();
      return more;
    }) as typeof stdout.write;
    let finished: (result: ExecResult) => void = () => {};
    const result = new Promise<ExecResult>((resolve) => {
      finished = resolve;
    });
    const session: StreamSession = {
      protocol: 'v5.channel.k8s.io',
      tty: false,
      stdout,
      onResize() {},
      onClose() {},
      finish: (r) => finished(r),
    };
    const total = 32 * 1024 * 1024;
    const command = ['head', '-c', String(total), '/dev/zero'];
    runExec(runtime, getPod('shell')!, { container: 'c', command, stdin: false, tty: false }, session);
    await full;
    // Paused at the high-water mark: a little later nothing more has piled up in kube-sim.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stdout.writableLength).toBeLessThanOrEqual(256 * 1024);
    release();
    expect(await result).toEqual({ kind: 'exit', code: 0, command });
    expect(received).toBe(total);
  });

  it('rejects requests before upgrading', async () => {
    await expect(connect('exec', 'shell', 'stdout=true', ['v5.channel.k8s.io'])).rejects.toThrow('HTTP 400');
    await expect(connect('exec', 'shell', `${command('ls')}`, ['v5.channel.k8s.io'])).rejects.toThrow(
      'HTTP 400',
    );
    await expect(
      connect('exec', 'shell', `${command('ls')}&stdout=true`, ['v3.channel.k8s.io']),
    ).rejects.toThrow('HTTP 403');
  });
});
