/**
 * A server binary (redis-server, haproxy …) run as a child of the test: its output is kept so a
 * launcher can wait for the line that says it is ready, and it is stopped by signal, or killed when
 * the test worker exits, so no server outlives its test run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** How long a stopped server may take to exit before it is killed. */
const STOP_GRACE_MS = 5_000;

export interface ServerProcessOptions {
  /** Named in errors: "redis-server exited …". */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** Variables beside PATH (a relay's configuration). */
  env?: Record<string, string>;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class ServerProcess {
  readonly #child: ChildProcess;
  readonly #name: string;
  #output = '';
  readonly #listeners = new Set<() => void>();
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ServerExit>;
  #exit: ServerExit | undefined;

  constructor({ name, command, args, cwd, env }: ServerProcessOptions) {
    this.#name = name;
    // Only PATH from the test's environment (and what the caller sets): a server's behaviour should not depend on the worker's.
    this.#child = spawn(command, args, {
      cwd,
      env: { ...env, PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this.#child);
    const collect = (chunk: Buffer) => {
      this.#output += chunk.toString();
      for (const listener of [...this.#listeners]) listener();
    };
    this.#child.stdout!.on('data', collect);
    this.#child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => {
      const settle = (exit: ServerExit) => {
        if (this.#exit) return;
        this.#exit = exit;
        running.delete(this.#child);
        for (const listener of [...this.#listeners]) listener();
        resolve(exit);
      };
      this.#child.once('exit', (code, signal) => settle({ code, signal }));
      // A binary that cannot be spawned at all (not installed) exits with no code.
      this.#child.once('error', (error) => {
        this.#output += `\n${error.message}`;
        settle({ code: null, signal: null });
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Everything the server printed so far, stdout and stderr interleaved as they arrived. */
  get output(): string {
    return this.#output;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /**
   * Resolves with the first match of `pattern` in the output from `fromOffset` on (an index into
   * `output`, so a caller can wait for a line printed after something it did); rejects, quoting the
   * output, when the server exits first or `timeoutMs` passes.
   */
  waitForOutput(pattern: RegExp, { fromOffset = 0, timeoutMs = 20_000 } = {}): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`${this.#name} did not print ${pattern} within ${timeoutMs} ms:\n${this.#output}`));
      }, timeoutMs);
      const check = () => {
        const match = this.#output.slice(fromOffset).match(pattern);
        if (!match && this.running) return;
        this.#listeners.delete(check);
        clearTimeout(timer);
        if (match) resolve(match);
        else reject(new Error(`${this.#name} exited (${describeExit(this.#exit!)}):\n${this.#output}`));
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** Calls `listener` with the whole output each time more arrives; returns how to stop listening. */
  onOutput(listener: (output: string) => void): () => void {
    const wrapped = () => listener(this.#output);
    this.#listeners.add(wrapped);
    return () => this.#listeners.delete(wrapped);
  }

  /** Sends `signal` and waits for the exit; a server still there after the grace period is killed. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ServerExit> {
    if (!this.running) return this.#exit!;
    this.#child.kill(signal);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_GRACE_MS);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Sends `signal` without waiting (a reload, a pause). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.#child.kill(signal);
  }
}

function describeExit({ code, signal }: ServerExit): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/**
 * A loopback TCP port free right now, for servers that must be told their port in a config file.
 * Another process may take it before the server binds it: launchers retry on "address in use".
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address was assigned');
  return address.port;
}
