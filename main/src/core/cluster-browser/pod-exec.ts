/**
 * A shell in a pod: exec with a TTY over a WebSocket on the session's tunnel, speaking the
 * apiserver's channel protocol (`v5.channel.k8s.io`, else `v4.channel.k8s.io`). Every binary frame
 * starts with its channel: 0 stdin (keystrokes), 1 stdout (a TTY carries stderr there too), 3 the
 * final `Status` (the exit code), 4 terminal sizes (JSON `{ Width, Height }`).
 *
 * A session may have commands to fall back on (bash, then sh): when one cannot start because the
 * image lacks it, the next runs on a fresh connection, keystrokes typed meanwhile kept for it.
 */

import type { AppEvents } from '@switchboard/contract/app';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import type { ClusterClient } from './cluster-client.js';
import { objectPath, PODS } from './kind-discovery.js';
import { commandWasMissing } from './shell-fallback.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const RESIZE = 4;

/** The part of the final `Status` that says how the command ended. */
const execStatusSchema = z.object({
  status: z.string().optional(),
  message: z.string().optional(),
  details: z
    .object({
      causes: z.array(z.object({ reason: z.string().optional(), message: z.string().optional() })).optional(),
    })
    .optional(),
});

export interface PodExecOptions {
  execId: string;
  client: ClusterClient;
  namespace: string;
  pod: string;
  container: string;
  /** The command, then those to try in turn when the one before is not in the image. */
  commands: [string[], ...string[][]];
  columns: number;
  rows: number;
  push: (event: AppEvents['exec']) => void;
  /** Called once when the session is over (exited, failed or stopped). */
  onClosed: () => void;
}

export class PodExec {
  readonly #options: PodExecOptions;
  readonly #decoder = new TextDecoder();
  #socket: WebSocket | undefined;
  #exited = false;
  #attempt = 0;
  #sawOutput = false;
  #size: { columns: number; rows: number };
  /** Keystrokes while the next command of the fallback is being started. */
  #heldInput: Buffer[] = [];

  constructor(options: PodExecOptions) {
    this.#options = options;
    this.#size = { columns: options.columns, rows: options.rows };
  }

  /** Resolves once the connection is upgraded; rejects when the cluster refused. */
  async start(): Promise<void> {
    const { client, namespace, pod, container, commands } = this.#options;
    const command = commands[this.#attempt]!;
    const query = new URLSearchParams({ container, stdin: 'true', stdout: 'true', tty: 'true' });
    for (const argument of command) query.append('command', argument);
    // Frames before this attempt is the session's (a Status sent with the upgrade) wait for it.
    const early: Buffer[] = [];
    let current = false;
    const socket = await client.webSocket(
      `${objectPath(PODS, pod, namespace)}/exec?${query}`,
      PROTOCOLS,
      (data, isBinary) => {
        if (!isBinary) return;
        if (!current) early.push(frameOf(data));
        else if (socket === this.#socket) this.#onFrame(frameOf(data));
      },
    );
    this.#socket = socket;
    if (this.#exited) {
      socket.close();
      return;
    }
    current = true;
    socket.on('error', () => {}); // the close that follows ends the session
    socket.on('close', () => {
      if (socket === this.#socket) this.#exit({ code: -1, message: 'the connection to the pod closed' });
    });
    this.#options.push({ execId: this.#options.execId, started: { command } });
    for (const frame of early.splice(0)) {
      if (socket === this.#socket) this.#onFrame(frame);
    }
    if (socket !== this.#socket) return;
    this.resize(this.#size.columns, this.#size.rows);
    for (const held of this.#heldInput.splice(0)) this.#send(STDIN, held);
  }

  input(data: string): void {
    const bytes = Buffer.from(data, 'utf8');
    if (this.#socket === undefined) this.#heldInput.push(bytes);
    else this.#send(STDIN, bytes);
  }

  resize(columns: number, rows: number): void {
    this.#size = { columns, rows };
    this.#send(RESIZE, Buffer.from(JSON.stringify({ Width: columns, Height: rows })));
  }

  stop(): void {
    this.#exit(undefined);
  }

  #send(channel: number, payload: Buffer): void {
    const socket = this.#socket;
    if (this.#exited || !socket || socket.readyState !== socket.OPEN) return;
    socket.send(Buffer.concat([Buffer.from([channel]), payload]));
  }

  #onFrame(frame: Buffer): void {
    const channel = frame[0];
    const payload = frame.subarray(1);
    // The kubelet opens each channel with an empty frame: nothing to show.
    if (payload.length === 0) return;
    if (channel === STDOUT || channel === STDERR) {
      const output = this.#decoder.decode(payload, { stream: true });
      if (output) {
        this.#sawOutput = true;
        this.#options.push({ execId: this.#options.execId, output });
      }
    } else if (channel === STATUS) {
      const end = exitOf(payload);
      if (this.#attempt + 1 < this.#options.commands.length && commandWasMissing(end, this.#sawOutput)) {
        this.#fallBack();
      } else {
        this.#exit(end);
      }
    }
  }

  /** The command is not in the image: the next one runs on a new connection. */
  #fallBack(): void {
    this.#attempt += 1;
    const previous = this.#socket;
    this.#socket = undefined;
    previous?.close();
    this.start().catch((error: unknown) =>
      this.#exit({
        code: -1,
        message: `could not start ${this.#options.commands[this.#attempt]!.join(' ')}: ${(error as Error).message}`,
      }),
    );
  }

  /** Pushes the exit once (none when the UI stopped the session itself), then closes. */
  #exit(exit: { code: number; message?: string } | undefined): void {
    if (this.#exited) return;
    this.#exited = true;
    if (exit) this.#options.push({ execId: this.#options.execId, exit });
    this.#socket?.close();
    this.#options.onClosed();
  }
}

function frameOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** `Success` is exit code 0; otherwise the `ExitCode` cause, or 1 when the Status names none. */
function exitOf(payload: Buffer): { code: number; message?: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { code: 1, message: 'the pod sent an unreadable exit status' };
  }
  const parsed = execStatusSchema.safeParse(json);
  const status = parsed.success ? parsed.data : {};
  if (status.status === 'Success') return { code: 0 };
  const cause = status.details?.causes?.find((each) => each.reason === 'ExitCode');
  const code = Number(cause?.message);
  return {
    code: Number.isInteger(code) ? code : 1,
    ...(status.message !== undefined && { message: status.message }),
  };
}
