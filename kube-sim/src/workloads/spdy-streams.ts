/**
 * exec and attach over SPDY/3.1, server side, as the kubelet's remotecommand package does it
 * (pkg/kubelet/cri/streaming/remotecommand/httpstream.go): negotiate X-Stream-Protocol-Version,
 * answer 101, accept the streams the client opens (one per `streamType`), and when the command is
 * done write the result on the error stream, reset what is left and hang up.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { ApiError } from '../api/errors.js';
import { SpdySession, type SpdyStream } from './spdy/session.js';
import {
  type ExecResult,
  encodeResult,
  REMOTE_COMMAND_PROTOCOLS,
  type RemoteCommandProtocol,
  type StreamSession,
  type TerminalSize,
} from './stream-session.js';

/** v5 adds a close signal that only the WebSocket transport carries. */
const SPDY_REMOTE_COMMAND_PROTOCOLS = REMOTE_COMMAND_PROTOCOLS.filter((p) => p !== 'v5.channel.k8s.io');

/** The kubelet's DefaultStreamCreationTimeout. */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

export interface SpdyStreamOptions {
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  streamCreationTimeoutMs?: number;
}

/**
 * Writes a complete HTTP/1.1 response on a socket that Node handed over for an upgrade, headers
 * in Go's order (sorted) since kubectl sees the kubelet's response through the apiserver verbatim.
 */
export function writeRawResponse(
  socket: Duplex,
  status: number,
  headers: Record<string, string | string[]>,
  body?: string,
): void {
  const all: Record<string, string | string[]> = { ...headers, Date: new Date().toUTCString() };
  if (body !== undefined) all['Content-Length'] = String(Buffer.byteLength(body));
  const lines = Object.keys(all)
    .sort()
    .flatMap((name) => [all[name] ?? []].flat().map((value) => `${name}: ${value}\r\n`));
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('')}\r\n`;
  if (body === undefined) {
    socket.write(head);
    return;
  }
  socket.end(head + body);
}

/** Go's http.Error: a plain-text line, and the socket is done. */
export function writeHttpError(
  socket: Duplex,
  error: ApiError,
  headers: Record<string, string[]> = {},
): void {
  // Node gives an upgraded socket no 'error' listener; a late write by a caller must not crash us.
  socket.on('error', () => socket.destroy());
  writeRawResponse(
    socket,
    error.code,
    {
      ...headers,
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'close',
    },
    `${error.message}\n`,
  );
}

/** httpstream.Handshake: the first protocol in the client's order that the server supports. */
export function negotiateProtocol(
  req: IncomingMessage,
  serverProtocols: readonly string[],
): string | ApiError {
  const offered = (req.headersDistinct['x-stream-protocol-version'] ?? [])
    .flatMap((value) => value.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (offered.length === 0) {
    return new ApiError(400, 'BadRequest', 'unable to upgrade: X-Stream-Protocol-Version is required');
  }
  const chosen = offered.find((p) => serverProtocols.includes(p));
  if (chosen) return chosen;
  return new ApiError(
    403,
    'Forbidden',
    `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${serverProtocols.join(' ')}]`,
  );
}

/**
 * Handshake plus spdy.ResponseUpgrader: on success the socket carries a server SPDY session; on
 * failure the HTTP error is already written and returned.
 */
export function upgradeToSpdy(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  serverProtocols: readonly string[],
): { session: SpdySession; protocol: string } | ApiError {
  const protocol = negotiateProtocol(req, serverProtocols);
  if (protocol instanceof ApiError) {
    const accepted: Record<string, string[]> =
      protocol.code === 403 ? { 'X-Accepted-Stream-Protocol-Versions': [...serverProtocols] } : {};
    writeHttpError(socket, protocol, accepted);
    return protocol;
  }
  const connection = (req.headers.connection ?? '').toLowerCase();
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (!connection.includes('upgrade') || !upgrade.includes('spdy/3.1')) {
    const error = new ApiError(400, 'BadRequest', 'unable to upgrade: missing upgrade headers in request');
    writeHttpError(socket, error);
    return error;
  }
  writeRawResponse(socket, 101, {
    Connection: 'Upgrade',
    Upgrade: 'SPDY/3.1',
    'X-Stream-Protocol-Version': protocol,
  });
  return { session: new SpdySession(socket, { role: 'server', head }), protocol };
}

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

/**
 * Upgrades an exec/attach request and resolves once the client has opened every stream the
 * options call for. Rejects with the ApiError already written to the client when the upgrade is
 * refused, or with an Error (and a closed connection) when the streams never all arrive.
 */
export function acceptSpdyStreams(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: SpdyStreamOptions,
): Promise<StreamSession> {
  const upgraded = upgradeToSpdy(req, socket, head, SPDY_REMOTE_COMMAND_PROTOCOLS);
  if (upgraded instanceof ApiError) return Promise.reject(upgraded);
  const { session } = upgraded;
  const protocol = upgraded.protocol as RemoteCommandProtocol;
  const resizable = protocol === 'v4.channel.k8s.io' || protocol === 'v3.channel.k8s.io';
  const stderr = options.stderr && !options.tty;
  const wanted = new Set<StreamType>(['error']);
  if (options.stdin) wanted.add('stdin');
  if (options.stdout) wanted.add('stdout');
  if (stderr) wanted.add('stderr');
  if (options.tty && resizable) wanted.add('resize');

  return new Promise((resolve, reject) => {
    const streams = new Map<StreamType, SpdyStream>();
    const timer = setTimeout(() => {
      session.close();
      reject(new Error('timed out waiting for client to create streams'));
    }, options.streamCreationTimeoutMs ?? STREAM_CREATION_TIMEOUT_MS);
    session.on('close', () => {
      clearTimeout(timer);
      reject(new Error('connection closed before the client created its streams'));
    });
    session.on('stream', (stream) => {
      // The kubelet accepts every stream, even ones it then ignores.
      stream.reply();
      const type = stream.headers.streamtype as StreamType;
      if (!wanted.has(type) || streams.has(type)) return;
      streams.set(type, stream);
      if ([...wanted].every((t) => streams.has(t))) {
        clearTimeout(timer);
        resolve(buildSession(session, protocol, options.tty, streams, stderr));
      }
    });
  });
}

function buildSession(
  session: SpdySession,
  protocol: RemoteCommandProtocol,
  tty: boolean,
  streams: Map<StreamType, SpdyStream>,
  withStderr: boolean,
): StreamSession {
  const resizeListeners: ((size: TerminalSize) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let finished = false;
  let clientGone = false;
  session.on('close', () => {
    if (finished) return;
    clientGone = true;
    for (const listener of closeListeners.splice(0)) listener();
  });
  const resize = streams.get('resize');
  if (resize) {
    const decode = terminalSizeDecoder((size) => {
      for (const listener of resizeListeners) listener(size);
    });
    resize.on('data', decode);
  }
  const stdout = streams.get('stdout');
  const stderr = withStderr ? streams.get('stderr') : undefined;
  return {
    protocol,
    tty,
    stdin: streams.get('stdin'),
    stdout,
    stderr,
    onResize(listener) {
      resizeListeners.push(listener);
    },
    onClose(listener) {
      if (clientGone) queueMicrotask(listener);
      else if (!finished) closeListeners.push(listener);
    },
    finish(result: ExecResult) {
      if (finished) return;
      finished = true;
      void (async () => {
        // The kubelet reports the result only after the command's output is all written.
        await Promise.all([stdout, stderr].map(settled));
        const payload = encodeResult(result, protocol);
        const errorStream = streams.get('error');
        if (payload.length > 0 && errorStream) {
          await new Promise<void>((resolve) => errorStream.write(payload, () => resolve()));
        }
        session.close();
      })();
    },
  };
}

/** Resolves once everything written so far has reached the session. */
function settled(stream: Writable | undefined): Promise<void> {
  if (!stream || stream.writableFinished || stream.destroyed) return Promise.resolve();
  if (stream.writableEnded) {
    return new Promise((resolve) => {
      stream.once('finish', resolve);
      stream.once('close', resolve);
    });
  }
  return new Promise((resolve) => stream.write(Buffer.alloc(0), () => resolve()));
}

/**
 * The resize stream is a sequence of JSON TerminalSize objects, decoded like Go's json.Decoder
 * into remotecommand.TerminalSize (field names match case-insensitively). As in the kubelet, the
 * first malformed value ends decoding.
 */
export function terminalSizeDecoder(onSize: (size: TerminalSize) => void): (chunk: Buffer) => void {
  const utf8 = new StringDecoder('utf8');
  let text = '';
  let broken = false;
  return (chunk) => {
    if (broken) return;
    text += utf8.write(chunk);
    let depth = 0;
    let inString = false;
    let escaped = false;
    let start = -1;
    let consumed = 0;
    for (let i = 0; i < text.length && !broken; i++) {
      const c = text[i] as string;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"' && depth > 0) {
        inString = true;
      } else if (c === '{') {
        if (depth++ === 0) start = i;
      } else if (c === '}' && depth > 0) {
        if (--depth === 0) {
          const size = toTerminalSize(text.slice(start, i + 1));
          if (size) onSize(size);
          else broken = true;
          consumed = i + 1;
        }
      } else if (depth === 0 && !/\s/.test(c)) {
        broken = true;
      }
    }
    text = text.slice(consumed);
  };
}

function toTerminalSize(json: string): TerminalSize | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const size = { width: 0, height: 0 };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = key.toLowerCase();
    if (field !== 'width' && field !== 'height') continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff) return undefined;
    size[field] = v;
  }
  return size;
}
