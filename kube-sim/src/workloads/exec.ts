/**
 * exec and attach, independent of the transport that carried them (WebSocket or SPDY): the
 * apiserver's and kubelet's option checks, then a real process in the pod's scratch directory
 * wired to a StreamSession.
 *
 * Node has no pty, so tty sessions run the command under util-linux `script`, which gives it a
 * real one; terminal resizes are applied with `stty -F` on that pty's slave, found through /proc.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, readlink } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { ApiError, badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/objects.js';
import { queryBool } from '../api/query-parameters.js';
import { containerStatusOf, podSpec, runningInstance, validateContainer } from './pod-containers.js';
import { type ContainerRuntime, lookPath, RuntimeError } from './runtime.js';
import { imageLacks } from './simulated-images.js';
import type { StreamSession, TerminalSize } from './stream-session.js';

export interface StreamOptions {
  container: string;
  /** The command to run (exec); empty for attach. */
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const containerNotFound = (name: string) => `container not found (${JSON.stringify(name)})`;

/**
 * Validates an exec/attach request before the upgrade, in the order the apiserver and then the
 * kubelet check. A container that is not running fails as the kubelet's `container not found`,
 * which kubectl prints as `unable to upgrade connection: container not found ("c")`.
 */
export function parseStreamOptions(
  kind: 'exec' | 'attach',
  pod: KubeObject,
  query: URLSearchParams,
): StreamOptions {
  const spec = validateContainer(pod, query.get('container'));
  if (!podSpec(pod).nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const tty = queryBool(query, 'tty');
  const stdin = queryBool(query, 'stdin');
  const stdout = queryBool(query, 'stdout');
  // The kubelet drops stderr in tty mode: the terminal carries both.
  const stderr = queryBool(query, 'stderr') && !tty;
  if (!stdin && !stdout && !stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const command = kind === 'exec' ? query.getAll('command') : [];
  if (kind === 'exec' && command.length === 0) throw badRequest('you must specify at least 1 command');
  if (!containerStatusOf(pod, spec.name)?.state?.running) {
    throw new ApiError(500, 'InternalError', `unable to upgrade connection: ${containerNotFound(spec.name)}`);
  }
  return { container: spec.name, command, stdin, stdout, stderr, tty };
}

/** POSIX shell quoting, for the command line `script -c` hands to /bin/sh. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The pty `script` created for its child, as a path `stty -F` accepts. */
async function ptyOf(scriptPid: number): Promise<string | undefined> {
  try {
    const children = await readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8');
    const child = children.trim().split(/\s+/)[0];
    if (!child) return undefined;
    const target = await readlink(`/proc/${child}/fd/0`);
    return target.startsWith('/dev/pts/') ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Applies terminal sizes in order, the latest winning. The child of `script` may not exist yet
 * when the first size (sent by kubectl right after connecting) arrives, so that one is retried.
 */
function resizer(
  runtime: ContainerRuntime,
  podUid: string,
  script: ChildProcess,
): (size: TerminalSize) => void {
  let latest: TerminalSize | undefined;
  let busy = false;
  const apply = async () => {
    busy = true;
    for (let attempt = 0; latest && attempt < 50 && script.exitCode === null; attempt++) {
      const pty = script.pid ? await ptyOf(script.pid) : undefined;
      if (!pty) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      const size = latest;
      latest = undefined;
      try {
        const stty = runtime.spawnInPod(
          podUid,
          'stty',
          ['-F', pty, 'cols', String(size.width), 'rows', String(size.height)],
          {
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
            stdin: false,
          },
        );
        await new Promise((resolve) => stty.once('close', resolve));
      } catch (err) {
        if (!(err instanceof RuntimeError)) throw err;
      }
      attempt = 0;
    }
    busy = false;
  };
  return (size) => {
    latest = size;
    if (!busy) void apply();
  };
}

/** Copies process output to a session stream without ending it: the session ends with finish(). */
/**
 * Copies a process's output to the client with backpressure, as the kubelet does: a client that
 * reads slowly slows the process down instead of growing kube-sim's memory.
 */
function forward(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream | undefined): void {
  if (!from) return;
  if (!to) {
    from.resume();
    return;
  }
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
}

export function runExec(
  runtime: ContainerRuntime,
  pod: KubeObject,
  options: { container: string; command: string[]; stdin: boolean; tty: boolean },
  session: StreamSession,
): void {
  const uid = pod.metadata.uid!;
  const spec = validateContainer(pod, options.container);
  const container = runningInstance(runtime, pod, spec);
  if (!container?.running) {
    session.finish({
      kind: 'error',
      message: `Internal error occurred: unable to upgrade connection: ${containerNotFound(options.container)}`,
    });
    return;
  }
  const execFailed = (why: string) =>
    session.finish({
      kind: 'error',
      message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec ${JSON.stringify(randomBytes(32).toString('hex'))}: ${why}`,
    });
  const [file, ...args] = options.command;
  const found = imageLacks(spec.image ?? '', file!)
    ? {
        error: file!.includes('/')
          ? `stat ${file}: no such file or directory`
          : 'executable file not found in $PATH',
      }
    : lookPath(file!, container.env, runtime.podDir(uid));
  if ('error' in found) {
    execFailed(
      `OCI runtime exec failed: exec failed: unable to start container process: exec: ${JSON.stringify(file)}: ${found.error}: unknown`,
    );
    return;
  }
  let child: ChildProcess;
  try {
    child = options.tty
      ? runtime.spawnInPod(
          uid,
          'script',
          ['-qefc', [found.path, ...args].map(shellQuote).join(' '), '/dev/null'],
          { env: { ...container.env, SHELL: '/bin/sh', TERM: container.env.TERM ?? 'xterm' }, stdin: true },
        )
      : runtime.spawnInPod(uid, found.path, args, { env: container.env, stdin: options.stdin });
  } catch (err) {
    if (!(err instanceof RuntimeError)) throw err;
    execFailed(err.message);
    return;
  }
  forward(child.stdout, session.stdout);
  forward(child.stderr, options.tty ? session.stdout : session.stderr);
  if (session.stdin && child.stdin) {
    const stdin = child.stdin;
    forward(session.stdin, stdin);
    session.stdin.on('end', () => stdin.end());
  } else {
    // Without stdin a tty session's `script` must still see EOF, or it would wait for input.
    child.stdin?.end();
  }
  if (options.tty) session.onResize(resizer(runtime, uid, child));
  let ended = false;
  session.onClose(() => {
    if (ended) return;
    ended = true;
    if (child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
  child.on('close', (code, signal) => {
    if (ended) return;
    ended = true;
    const exitCode = code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
    session.finish({ kind: 'exit', code: exitCode, command: options.command });
  });
}

/**
 * Attaches to a container's main process: its output from now on, and stdin when the container
 * was started with `stdin: true`. A simulated container streams its log lines; stdin is dropped.
 * The session ends when the container exits or the client leaves.
 */
export function runAttach(
  runtime: ContainerRuntime,
  pod: KubeObject,
  options: { container: string; stdin: boolean; tty: boolean },
  session: StreamSession,
): void {
  const spec = validateContainer(pod, options.container);
  const container = runningInstance(runtime, pod, spec);
  if (!container?.running) {
    session.finish({
      kind: 'error',
      message: `Internal error occurred: unable to upgrade connection: ${containerNotFound(options.container)}`,
    });
    return;
  }
  const unsubscribe = container.onOutput((stream, chunk) => {
    const target = stream === 'stderr' && !options.tty ? session.stderr : session.stdout;
    target?.write(chunk);
  });
  const stdin = container.stdin;
  if (session.stdin) {
    if (stdin && options.stdin) {
      session.stdin.on('data', (chunk: Buffer) => stdin.write(chunk));
      if ((spec as { stdinOnce?: boolean }).stdinOnce) session.stdin.on('end', () => stdin.end());
    } else {
      session.stdin.resume();
    }
  }
  let ended = false;
  session.onClose(() => {
    ended = true;
    unsubscribe();
  });
  void container.exited.then(() => {
    unsubscribe();
    if (ended) return;
    ended = true;
    session.finish({ kind: 'exit', code: 0, command: [] });
  });
}
