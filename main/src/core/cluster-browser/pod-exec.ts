/**
 * A shell in a pod: client-node `Exec` with a TTY, through the local proxy. Keystrokes go to stdin,
 * output comes back as `exec` events, terminal sizes go through client-node's terminal size queue
 * (it reads `columns`/`rows` and the `resize` event of the output stream), and the exit code comes
 * from the status the kubelet sends before closing.
 */
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import type { AppEvents } from '@switchboard/contract/app';

export interface PodExecOptions {
  execId: string;
  kubeConfig: KubeConfig;
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  columns: number;
  rows: number;
  push: (event: AppEvents['exec']) => void;
  /** Called once when the session is over (exited, failed or stopped). */
  onClosed: () => void;
}

/** The output side of the terminal: what client-node's `isResizable` looks for. */
class TerminalOutput extends Writable {
  readonly #decoder = new TextDecoder();

  constructor(
    public columns: number,
    public rows: number,
    onText: (text: string) => void,
  ) {
    super({
      write: (chunk: Buffer, _encoding, callback) => {
        const text = this.#decoder.decode(chunk, { stream: true });
        if (text) onText(text);
        callback();
      },
    });
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class PodExec {
  readonly #options: PodExecOptions;
  readonly #stdin = new PassThrough();
  readonly #output: TerminalOutput;
  #socket: { close(): void } | undefined;
  #exited = false;

  constructor(options: PodExecOptions) {
    this.#options = options;
    this.#output = new TerminalOutput(options.columns, options.rows, (output) =>
      options.push({ execId: options.execId, output }),
    );
  }

  /** Resolves once the connection is upgraded; rejects when the cluster refused. */
  async start(): Promise<void> {
    const { kubeConfig, namespace, pod, container, command } = this.#options;
    const socket = await new Exec(kubeConfig).exec(
      namespace,
      pod,
      container,
      command,
      this.#output,
      null, // a TTY carries stderr on stdout
      this.#stdin,
      true,
      (status) => this.#exit(exitOf(status)),
    );
    this.#socket = socket;
    socket.on('close', () => this.#exit({ code: -1, message: 'the connection to the pod closed' }));
  }

  input(data: string): void {
    if (!this.#exited) this.#stdin.write(data);
  }

  resize(columns: number, rows: number): void {
    if (!this.#exited) this.#output.resize(columns, rows);
  }

  stop(): void {
    this.#exit(undefined);
  }

  /** Pushes the exit once (none when the UI stopped the session itself), then closes. */
  #exit(exit: { code: number; message?: string } | undefined): void {
    if (this.#exited) return;
    this.#exited = true;
    if (exit) this.#options.push({ execId: this.#options.execId, exit });
    this.#stdin.end();
    this.#socket?.close();
    this.#options.onClosed();
  }
}

function exitOf(status: V1Status): { code: number; message?: string } {
  if (status.status === 'Success') return { code: 0 };
  const cause = status.details?.causes?.find((each) => each.reason === 'ExitCode');
  const code = Number(cause?.message);
  return {
    code: Number.isInteger(code) ? code : 1,
    ...(status.message !== undefined && { message: status.message }),
  };
}
