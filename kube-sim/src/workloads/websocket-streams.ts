/**
 * The WebSocket transport of exec and attach: what a client reaches through the apiserver, i.e.
 * the apiserver's own v5 stream translator, or for older protocols the kubelet's wsstream server.
 *
 * Frames carry a channel number first: 0 stdin, 1 stdout, 2 stderr, 3 error (the final status),
 * 4 resize (JSON TerminalSize). The base64 variants send text frames whose channel is an ASCII
 * digit and whose payload is base64. v5 adds channel 255, `[255, n]`, which half-closes channel n.
 */
import type { IncomingMessage } from 'node:http';
import { type Duplex, PassThrough, Writable } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import {
  encodeResult,
  type RemoteCommandProtocol,
  type StreamSession,
  type TerminalSize,
} from './stream-session.js';

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

interface Negotiated {
  protocol: RemoteCommandProtocol;
  base64: boolean;
}

/**
 * What each subprotocol name means. v5 is served by the apiserver itself (binary only); the rest
 * by the kubelet, whose WebSocket server knows v4 and the unversioned protocol, each raw or base64.
 * v2 and v3 exist only over SPDY.
 */
const WEBSOCKET_PROTOCOLS: Record<string, Negotiated> = {
  'v5.channel.k8s.io': { protocol: 'v5.channel.k8s.io', base64: false },
  'v4.channel.k8s.io': { protocol: 'v4.channel.k8s.io', base64: false },
  'v4.base64.channel.k8s.io': { protocol: 'v4.channel.k8s.io', base64: true },
  'channel.k8s.io': { protocol: 'channel.k8s.io', base64: false },
  'base64.channel.k8s.io': { protocol: 'channel.k8s.io', base64: true },
};

/**
 * The first protocol in the client's order that is supported, as golang.org/x/net/websocket's
 * handshake picks; `''` when the client asked for none (the raw channel protocol, no header).
 */
export function negotiateWebSocketProtocol(header: string | string[] | undefined): string | undefined {
  const requested = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (requested.length === 0) return '';
  return requested.find((p) => p in WEBSOCKET_PROTOCOLS);
}

/** The subprotocol negotiated for each request, which `ws` echoes in the handshake response. */
const chosenProtocol = new WeakMap<IncomingMessage, string>();

const server = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  clientTracking: false,
  handleProtocols: (_offered, req) => chosenProtocol.get(req) || false,
});

/** Splits a resize channel's byte stream into JSON TerminalSize objects, as json.Decoder would. */
function resizeDecoder(listener: (size: TerminalSize) => void): (data: Buffer) => void {
  let pending = '';
  return (data) => {
    pending += data.toString('utf8');
    let depth = 0;
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const ch = pending[i];
      if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) {
        const text = pending.slice(start, i + 1);
        start = i + 1;
        try {
          // Go decodes struct fields case-insensitively: {"Width":80} and {"width":80} are the same.
          const raw = JSON.parse(text) as Record<string, unknown>;
          const field = (name: string) =>
            Number(Object.entries(raw).find(([k]) => k.toLowerCase() === name)?.[1] ?? 0) || 0;
          listener({ width: field('width'), height: field('height') });
        } catch {
          // A malformed size ends the kubelet's resize loop; here it is just skipped.
        }
      }
    }
    pending = depth > 0 ? pending.slice(start) : '';
  };
}

export function acceptWebSocketStreams(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: { tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean },
): Promise<StreamSession> {
  const chosen = negotiateWebSocketProtocol(req.headers['sec-websocket-protocol']);
  if (chosen === undefined) {
    // x/net/websocket answers a failed subprotocol handshake with a bare 403. The caller may try
    // to write its own error after this; that write must not become an unhandled 'error'.
    socket.on('error', () => {});
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return Promise.reject(new Error('requested protocol(s) are not supported'));
  }
  const negotiated = WEBSOCKET_PROTOCOLS[chosen] ?? { protocol: 'channel.k8s.io', base64: false };
  chosenProtocol.set(req, chosen);
  return new Promise((resolve, reject) => {
    const closed = () => reject(new Error('connection closed during the WebSocket handshake'));
    socket.once('close', closed);
    server.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', closed);
      resolve(session(ws, socket, negotiated, options));
    });
  });
}

function session(
  ws: WebSocket,
  socket: Duplex,
  negotiated: Negotiated,
  options: { tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean },
): StreamSession {
  const { base64, protocol } = negotiated;
  let finished = false;
  const closeListeners: (() => void)[] = [];
  const resizeListeners: ((size: TerminalSize) => void)[] = [];

  const send = (channel: number, data: Buffer, cb?: (err?: Error) => void) => {
    if (ws.readyState !== ws.OPEN) {
      cb?.();
      return;
    }
    const frame = base64
      ? String.fromCharCode(48 + channel) + data.toString('base64')
      : Buffer.concat([Buffer.from([channel]), data]);
    ws.send(frame, { binary: !base64 }, cb);
  };
  const writer = (channel: number) =>
    new Writable({
      write(chunk: Buffer, _encoding, cb) {
        send(channel, chunk, () => cb());
      },
    });

  const stdin = options.stdin ? new PassThrough() : undefined;
  const decodeResize = resizeDecoder((size) => {
    for (const listener of resizeListeners) listener(size);
  });
  let resizeOpen = true;

  ws.on('message', (raw: RawData, isBinary: boolean) => {
    let data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    if (data.length === 0) return;
    let channel = data[0]!;
    if (base64) {
      channel -= 48;
      data = Buffer.from(data.subarray(1).toString('latin1'), 'base64');
    } else {
      data = data.subarray(1);
    }
    if (protocol === 'v5.channel.k8s.io' && channel === CLOSE && isBinary) {
      if (data[0] === STDIN) stdin?.end();
      else if (data[0] === RESIZE) resizeOpen = false;
      return;
    }
    if (channel === STDIN && stdin && !stdin.writableEnded) stdin.write(data);
    else if (channel === RESIZE && resizeOpen) decodeResize(data);
  });
  ws.on('close', () => {
    if (stdin && !stdin.writableEnded) stdin.end();
    if (finished) return;
    finished = true;
    for (const listener of closeListeners) listener();
  });
  ws.on('error', () => {});

  // The kubelet's "connection established" signal: an empty frame on the lowest writable channel.
  send(options.stdout ? STDOUT : options.stderr ? STDERR : ERROR, Buffer.alloc(0));

  return {
    protocol,
    tty: options.tty,
    stdin,
    stdout: options.stdout ? writer(STDOUT) : undefined,
    stderr: options.stderr && !options.tty ? writer(STDERR) : undefined,
    onResize(listener) {
      resizeListeners.push(listener);
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    finish(result) {
      if (finished) return;
      finished = true;
      const payload = encodeResult(result, protocol);
      // Before v4 a success is reported by closing without a status.
      if (payload.length > 0) send(ERROR, payload);
      // golang.org/x/net/websocket (the apiserver's wsstream) closes the connection right after its
      // close frame; ws would wait up to 30 s for the client's. Clients rely on the end: the Python
      // client never sees a close frame that shares a TLS record with the status (it polls the raw
      // socket), and reads it only when the connection ends. ws writes the frame synchronously
      // (no permessage-deflate here), so the end comes after it.
      ws.close(1000);
      socket.end();
    },
  };
}
