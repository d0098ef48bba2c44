/**
 * Child processes for the fault tests: each one in its own process group (`detached`), so a fault
 * (`kill -9`) or the final cleanup reaches whatever it spawned too, with its output captured and
 * awaitable. Nothing here sleeps a fixed time: waits are on output or exit, with deadlines.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<Exit>;
  #stdout = '';
  #stderr = '';
  #exit: Exit | undefined;
  readonly #listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    stdin?: string,
  ) {
    this.process = spawn(command, args, {
      env,
      detached: true,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (stdin !== undefined) this.process.stdin?.end(stdin);
    this.process.stdout?.on('data', (chunk: Buffer) => {
      this.#stdout += chunk.toString();
      this.#notify();
    });
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
      this.#notify();
    });
    this.exited = new Promise((resolve) => {
      const done = (exit: Exit) => {
        this.#exit ??= exit;
        this.#notify();
        resolve(this.#exit);
      };
      this.process.once('error', () => done({ code: -1, signal: null }));
      this.process.once('close', (code, signal) => done({ code, signal }));
    });
  }

  get pid(): number {
    return this.process.pid!;
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Set once the process has exited and its pipes closed. */
  get exit(): Exit | undefined {
    return this.#exit;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** Resolves with the first match of `pattern` in stdout or stderr; rejects on exit or deadline. */
  waitFor(pattern: RegExp, { stream = 'stdout', timeoutMs = 15_000 } = {}): Promise<RegExpMatchArray> {
    const read = () => (stream === 'stdout' ? this.#stdout : this.#stderr);
    return this.until(() => read().match(pattern) ?? undefined, `${stream} ${pattern}`, timeoutMs);
  }

  /** Counts the lines of stderr matching `pattern` (JSON log lines, say). */
  countStderr(pattern: RegExp): number {
    return this.#stderr.split('\n').filter((line) => pattern.test(line)).length;
  }

  /** Re-evaluates `probe` on every output chunk until it yields a value; rejects on exit or deadline. */
  until<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value !== undefined) return finish(() => resolve(value));
        if (this.#exit) {
          finish(() =>
            reject(
              new Error(`${this.name} exited (${JSON.stringify(this.#exit)}) before ${what}\n${this.tail()}`),
            ),
          );
        }
      };
      const timer = setTimeout(
        () =>
          finish(() => reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.tail()}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        settle();
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** Signals the whole process group. */
  kill(signal: NodeJS.Signals): void {
    if (this.#exit) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<Exit> {
    if (this.#exit) return this.#exit;
    this.kill(signal);
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    // Anything the process left behind in its group goes too.
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // the group is empty
    }
    return exit;
  }

  tail(chars = 3_000): string {
    return `--- ${this.name} stdout\n${this.#stdout.slice(-chars)}\n--- ${this.name} stderr\n${this.#stderr.slice(-chars)}`;
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Every process a test file started; `stopAll` ends them all (process groups, no orphans). */
export class Processes {
  readonly #children: Child[] = [];

  start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, stdin?: string): Child {
    const child = new Child(name, command, args, env, stdin);
    this.#children.push(child);
    return child;
  }

  /** Runs to completion (with a hard deadline: the group is killed and the promise rejects). */
  async run(
    name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    { timeoutMs = 20_000, stdin }: { timeoutMs?: number; stdin?: string } = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
    const started = Date.now();
    const child = this.start(name, command, args, env, stdin);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const exit = await child.exited;
    clearTimeout(timer);
    if (timedOut)
      throw new Error(`${name} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${child.tail()}`);
    return { code: exit.code, stdout: child.stdout, stderr: child.stderr, ms: Date.now() - started };
  }

  /** Dumps the output of everything started (for a failing test's message). */
  tails(): string {
    return this.#children.map((child) => child.tail(1_500)).join('\n');
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#children.map((child) => child.stop('SIGKILL', 2_000)));
  }
}
