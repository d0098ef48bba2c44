/**
 * The container runtime behind kube-sim's kubelet. A container whose spec has `command` or `args`
 * runs as a real process in the pod's scratch directory; one that only names an image is simulated
 * from the image's profile, with its log computed from elapsed time, so idle simulated pods cost
 * nothing. Every real process leads its own process group, and groups are killed whole, so nothing
 * outlives its container, its pod or the server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { accessSync, constants as fsConstants, mkdirSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { KubeObject } from '../api/objects.js';
import { DEFAULT_LOG_LIMIT_BYTES, LogBuffer, type LogLine } from './log-buffer.js';
import { imageProfile, TICK_MS } from './simulated-images.js';

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  stdin?: boolean;
  tty?: boolean;
  workingDir?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

export interface ContainerExit {
  exitCode: number;
  /** containerd's words: `Completed` for 0, `Error` otherwise, `StartError` when it never ran. */
  reason: 'Completed' | 'Error' | 'StartError';
  message?: string;
  finishedAt: Date;
}

/** A container that could not be started at all (the kubelet's RunContainerError). */
export class RuntimeError extends Error {}

/** The PATH of a Debian-based image, used when the container's env does not set one. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Finds `file` as runc does (exec.LookPath over the container's PATH). Returns the path to run or
 * the runc error text after `exec: "<file>": `.
 */
export function lookPath(
  file: string,
  env: Record<string, string>,
  cwd: string,
): { path: string } | { error: string } {
  const check = (candidate: string): string | undefined => {
    try {
      if (statSync(candidate).isDirectory()) return 'is a directory';
      accessSync(candidate, fsConstants.X_OK);
      return undefined;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : 'missing';
    }
  };
  if (file.includes('/')) {
    const resolved = path.resolve(cwd, file);
    const problem = check(resolved);
    if (problem === 'missing') return { error: `stat ${file}: no such file or directory` };
    return problem ? { error: problem } : { path: resolved };
  }
  for (const dir of (env.PATH ?? DEFAULT_PATH).split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, file);
    if (check(candidate) === undefined) return { path: candidate };
  }
  return { error: 'executable file not found in $PATH' };
}

/** What containerd reports for an image reference: fully qualified, with a tag. */
export function normalizeImage(image: string): string {
  let ref = image;
  const firstSlash = ref.indexOf('/');
  const first = firstSlash === -1 ? '' : ref.slice(0, firstSlash);
  if (!first || (!first.includes('.') && !first.includes(':') && first !== 'localhost')) {
    ref = `docker.io/${firstSlash === -1 ? `library/${ref}` : ref}`;
  }
  if (!ref.includes('@') && !/:[^/]+$/.test(ref)) ref += ':latest';
  return ref;
}

/** A stable digest per image, so imageID looks like `docker.io/library/nginx@sha256:...`. */
export function imageID(image: string): string {
  const ref = normalizeImage(image);
  const repo = ref.replace(/@.*$/, '').replace(/:[^/]+$/, '');
  return `${repo}@sha256:${createHash('sha256').update(ref).digest('hex')}`;
}

type OutputListener = (stream: 'stdout' | 'stderr', chunk: Buffer) => void;

export class Container {
  readonly id = randomBytes(32).toString('hex');
  readonly containerID = `containerd://${this.id}`;
  exit?: ContainerExit;
  /** The main process's stdin, open when the spec asks for `stdin: true`. */
  stdin?: Writable;
  readonly exited: Promise<ContainerExit>;
  private resolveExited!: (exit: ContainerExit) => void;
  private readonly log: LogBuffer | undefined;
  private readonly outputListeners = new Set<OutputListener>();

  constructor(
    readonly podUid: string,
    readonly spec: ContainerSpec,
    readonly env: Record<string, string>,
    /** The pod's IP, which simulated access-log lines mention. */
    private readonly podIP: string,
    readonly process: ChildProcess | undefined,
    logLimitBytes: number,
    readonly startedAt = new Date(),
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExited = resolve;
    });
    this.log = process ? new LogBuffer(logLimitBytes) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  get simulated(): boolean {
    return this.process === undefined;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** The log as `kubectl logs` shows it, oldest line first. */
  logLines(): LogLine[] {
    if (this.log) return this.log.snapshot();
    const end = this.exit?.finishedAt.getTime() ?? Date.now();
    return this.simulatedLines(this.startedAt.getTime() - 1, end);
  }

  /** New log lines as they are written, until the returned function is called. */
  subscribeLogs(listener: (line: LogLine) => void): () => void {
    if (this.log) return this.log.subscribe(listener);
    if (this.exit) return () => {};
    let from = Date.now();
    // One timer per follower, not per container: idle simulated containers stay free.
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      const elapsed = Date.now() - this.startedAt.getTime();
      timer = setTimeout(tick, TICK_MS - (elapsed % TICK_MS));
    };
    const tick = () => {
      const to = this.exit?.finishedAt.getTime() ?? Date.now();
      for (const line of this.simulatedLines(from, to)) listener(line);
      from = to;
      if (!this.exit) schedule();
    };
    schedule();
    return () => clearTimeout(timer);
  }

  /** Raw output as it is produced, for attach. Simulated containers deliver their log lines. */
  onOutput(listener: OutputListener): () => void {
    if (this.simulated) return this.subscribeLogs((line) => listener(line.stream, Buffer.from(line.text)));
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** @internal The runtime feeds process output here. */
  output(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this.log?.write(stream, chunk.toString('utf8'));
    for (const listener of [...this.outputListeners]) listener(stream, chunk);
  }

  /** @internal */
  finish(exit: ContainerExit): void {
    if (this.exit) return;
    this.log?.close();
    this.exit = exit;
    this.outputListeners.clear();
    this.resolveExited(exit);
  }

  /** Lines with timestamps in (fromMs, toMs], from the image profile. */
  private simulatedLines(fromMs: number, toMs: number): LogLine[] {
    const start = this.startedAt.getTime();
    const profile = imageProfile(this.spec.image);
    const out: LogLine[] = [];
    if (start > fromMs && start <= toMs) {
      // Microseconds apart, so the startup lines keep distinct, ordered timestamps.
      profile.startup(this.startedAt, this.podIP).forEach((line, i) => {
        out.push({ ms: start, subMs: i * 1000, stream: line.stream, text: line.text });
      });
    }
    // Never materialize more periodic lines than the kubelet would keep in one log file.
    const maxTicks = Math.floor(DEFAULT_LOG_LIMIT_BYTES / 100);
    const lastTick = Math.floor((toMs - start) / TICK_MS);
    const firstTick = Math.max(1, Math.floor((fromMs - start) / TICK_MS) + 1, lastTick - maxTicks + 1);
    for (let n = firstTick; n <= lastTick; n++) {
      const ms = start + n * TICK_MS;
      out.push({ ms, subMs: 0, stream: 'stdout', text: `${profile.tick(new Date(ms), n, this.podIP)}\n` });
    }
    return out;
  }
}

interface RuntimeEvents {
  /** A container stopped, on its own or because it was stopped. */
  exit: [container: Container];
}

interface PodEntry {
  current: Map<string, Container>;
  previous: Map<string, Container>;
  /** Every live process group of the pod: containers and exec sessions. */
  processes: Set<ChildProcess>;
}

/** All live process groups of every runtime in this Node process, killed if Node exits. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export class ContainerRuntime extends EventEmitter<RuntimeEvents> {
  readonly scratchRoot: string;
  private readonly maxProcesses: number;
  private readonly logLimitBytes: number;
  private readonly pods = new Map<string, PodEntry>();
  private processCount = 0;

  constructor(options: { scratchRoot: string; maxProcesses?: number; logLimitBytes?: number }) {
    super();
    this.scratchRoot = options.scratchRoot;
    this.maxProcesses = options.maxProcesses ?? 256;
    this.logLimitBytes = options.logLimitBytes ?? DEFAULT_LOG_LIMIT_BYTES;
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => {
        for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
      });
    }
  }

  podDir(podUid: string): string {
    return path.join(this.scratchRoot, podUid);
  }

  /** Creates the pod's scratch directory (the sandbox, in CRI terms). */
  async createPod(podUid: string): Promise<string> {
    const dir = this.podDir(podUid);
    await mkdir(dir, { recursive: true });
    this.entry(podUid);
    return dir;
  }

  hasPod(podUid: string): boolean {
    return this.pods.has(podUid);
  }

  current(podUid: string, name: string): Container | undefined {
    return this.pods.get(podUid)?.current.get(name);
  }

  /** The instance before the current one, for `kubectl logs --previous`. */
  previous(podUid: string, name: string): Container | undefined {
    return this.pods.get(podUid)?.previous.get(name);
  }

  get liveProcesses(): number {
    return this.processCount;
  }

  /**
   * Starts a container. Throws RuntimeError when it cannot be created at all (process limit);
   * a command that cannot be executed yields a container that exits at once with StartError,
   * as runc reports it.
   */
  startContainer(
    pod: KubeObject,
    spec: ContainerSpec,
    env: Record<string, string>,
    podIP: string,
  ): Container {
    const podUid = pod.metadata.uid!;
    const entry = this.entry(podUid);
    const old = entry.current.get(spec.name);
    if (old?.running) throw new RuntimeError(`container "${spec.name}" is still running`);
    const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
    let container: Container;
    if (argv.length === 0) {
      container = new Container(podUid, spec, env, podIP, undefined, this.logLimitBytes);
    } else {
      const cwd = this.podDir(podUid);
      const found = lookPath(argv[0]!, env, cwd);
      if ('error' in found) {
        container = new Container(podUid, spec, env, podIP, undefined, this.logLimitBytes);
        const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${argv[0]}": ${found.error}: unknown`;
        // Known at once, so the kubelet can report the failure instead of a start; the exit event
        // still comes asynchronously, like every other.
        container.finish({ exitCode: 128, reason: 'StartError', message, finishedAt: new Date() });
        setImmediate(() => this.emit('exit', container));
      } else {
        const child = this.spawnInPod(podUid, found.path, argv.slice(1), { env, stdin: spec.stdin === true });
        container = new Container(podUid, spec, env, podIP, child, this.logLimitBytes);
        if (spec.stdin) container.stdin = child.stdin ?? undefined;
        child.stdout?.on('data', (chunk: Buffer) => container.output('stdout', chunk));
        child.stderr?.on('data', (chunk: Buffer) => container.output('stderr', chunk));
        child.on('close', (code, signal) => {
          // PID 1 is gone: the rest of the container goes with it.
          killGroup(child.pid, 'SIGKILL');
          const exitCode = code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
          this.exited(container, {
            exitCode,
            reason: exitCode === 0 ? 'Completed' : 'Error',
            finishedAt: new Date(),
          });
        });
      }
    }
    if (old) entry.previous.set(spec.name, old);
    entry.current.set(spec.name, container);
    return container;
  }

  /**
   * Registers a simulated container that has been running since `startedAt`, for pods whose
   * status was written directly (scenarios) and that nobody started here.
   */
  adopt(
    pod: KubeObject,
    spec: ContainerSpec,
    env: Record<string, string>,
    podIP: string,
    startedAt: Date,
  ): Container {
    const podUid = pod.metadata.uid!;
    mkdirSync(this.podDir(podUid), { recursive: true });
    const container = new Container(podUid, spec, env, podIP, undefined, this.logLimitBytes, startedAt);
    this.entry(podUid).current.set(spec.name, container);
    return container;
  }

  /**
   * Stops a container as the kubelet does: SIGTERM to the process group, SIGKILL once the grace
   * period is over. Simulated containers exit at once.
   */
  async stopContainer(podUid: string, name: string, gracePeriodSeconds: number): Promise<void> {
    const container = this.current(podUid, name);
    if (!container?.running) return;
    const child = container.process;
    if (!child) {
      this.exited(container, { exitCode: 0, reason: 'Completed', finishedAt: new Date() });
      return;
    }
    killGroup(child.pid, gracePeriodSeconds > 0 ? 'SIGTERM' : 'SIGKILL');
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), gracePeriodSeconds * 1000);
    await container.exited;
    clearTimeout(timer);
  }

  /**
   * Spawns a process in the pod's scratch directory as the leader of a new process group, counted
   * against maxProcesses and killed with the pod. Throws RuntimeError at the limit.
   */
  spawnInPod(
    podUid: string,
    file: string,
    args: string[],
    options: { env: Record<string, string>; stdin: boolean },
  ): ChildProcess {
    if (this.processCount >= this.maxProcesses) {
      throw new RuntimeError(`process limit reached: kube-sim runs at most ${this.maxProcesses} processes`);
    }
    const entry = this.entry(podUid);
    const child = spawn(file, args, {
      cwd: this.podDir(podUid),
      env: options.env,
      detached: true,
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    // A spawn failure (ENOENT...) arrives as 'error' and then 'close'; 'close' does the accounting.
    child.on('error', () => {});
    child.stdin?.on('error', () => {});
    this.processCount++;
    entry.processes.add(child);
    const pid = child.pid;
    if (pid !== undefined) liveGroups.add(pid);
    child.on('close', () => {
      this.processCount--;
      entry.processes.delete(child);
      if (pid !== undefined) liveGroups.delete(pid);
    });
    return child;
  }

  /** Kills everything of the pod and removes its scratch directory. */
  async removePod(podUid: string): Promise<void> {
    const entry = this.pods.get(podUid);
    if (entry) {
      await this.killAll(entry);
      this.pods.delete(podUid);
    }
    await rm(this.podDir(podUid), { recursive: true, force: true });
  }

  /** Kills every process of every pod (server shutdown). Scratch directories are left for removePod. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.pods.values()].map((entry) => this.killAll(entry)));
  }

  private async killAll(entry: PodEntry): Promise<void> {
    // Processes leave the set on 'close', so every one still in it has that event to come.
    const closing = [...entry.processes].map(
      (child) => new Promise<void>((resolve) => child.once('close', () => resolve())),
    );
    for (const child of entry.processes) killGroup(child.pid, 'SIGKILL');
    for (const container of entry.current.values()) {
      if (container.running && container.simulated) {
        this.exited(container, { exitCode: 137, reason: 'Error', finishedAt: new Date() });
      }
    }
    await Promise.all(closing);
  }

  private exited(container: Container, exit: ContainerExit): void {
    if (!container.running) return;
    container.finish(exit);
    this.emit('exit', container);
  }

  private entry(podUid: string): PodEntry {
    let entry = this.pods.get(podUid);
    if (!entry) {
      entry = { current: new Map(), previous: new Map(), processes: new Set() };
      this.pods.set(podUid, entry);
    }
    return entry;
  }
}
