/**
 * What exec and attach need from a streaming transport, whichever carried it (WebSocket channels
 * or SPDY streams): the client's stdin, our stdout/stderr, terminal resizes, and one final result.
 */
import type { Readable, Writable } from 'node:stream';

/** The remotecommand protocols the apiserver negotiates, newest first. */
export const REMOTE_COMMAND_PROTOCOLS = [
  'v5.channel.k8s.io',
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
] as const;
export type RemoteCommandProtocol = (typeof REMOTE_COMMAND_PROTOCOLS)[number];

export interface TerminalSize {
  width: number;
  height: number;
}

export type ExecResult =
  | { kind: 'exit'; code: number; command: string[] }
  | { kind: 'error'; message: string };

export interface StreamSession {
  protocol: RemoteCommandProtocol;
  tty: boolean;
  /** Present when the client asked for stdin. Ends when the client half-closes it. */
  stdin?: Readable;
  stdout?: Writable;
  /** Absent in tty mode (the terminal merges it into stdout). */
  stderr?: Writable;
  /** Called for each resize the client sends. */
  onResize(listener: (size: TerminalSize) => void): void;
  /** Called once when the client goes away before `finish`. */
  onClose(listener: () => void): void;
  /** Reports the result on the error channel (as the protocol version encodes it) and closes. */
  finish(result: ExecResult): void;
}

/**
 * The error-channel payload. From v4 on it is a JSON metav1.Status, with the exit code in the
 * `ExitCode` cause, exactly as the kubelet writes it; before v4 it is the bare message.
 */
export function encodeResult(result: ExecResult, protocol: RemoteCommandProtocol): Buffer {
  const v4 = protocol === 'v4.channel.k8s.io' || protocol === 'v5.channel.k8s.io';
  if (result.kind === 'exit' && result.code === 0) {
    return v4 ? Buffer.from(JSON.stringify({ metadata: {}, status: 'Success' })) : Buffer.alloc(0);
  }
  const message =
    result.kind === 'exit'
      ? `command terminated with non-zero exit code: error executing command [${result.command.join(' ')}], exit code ${result.code}`
      : result.message;
  if (!v4) return Buffer.from(message);
  const status =
    result.kind === 'exit'
      ? {
          metadata: {},
          status: 'Failure',
          message,
          reason: 'NonZeroExitCode',
          details: { causes: [{ reason: 'ExitCode', message: String(result.code) }] },
        }
      : { metadata: {}, status: 'Failure', message };
  return Buffer.from(JSON.stringify(status));
}
