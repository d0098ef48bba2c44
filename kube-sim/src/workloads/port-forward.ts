/**
 * pods/portforward, in the three forms clients use:
 * - SPDY/3.1 `portforward.k8s.io` (kubectl ≤1.30, and newer kubectl's fallback): the client opens
 *   an error and a data stream per forwarded connection, paired by `requestID`
 *   (kubelet: pkg/kubelet/cri/streaming/portforward/httpstream.go);
 * - the same SPDY session tunneled through a WebSocket whose subprotocol is
 *   `SPDY/3.1+portforward.k8s.io`, raw SPDY bytes in binary messages (kubectl ≥1.31; apiserver:
 *   apiserver/pkg/util/proxy/streamtunnel.go, client: client-go/tools/portforward/tunneling_*.go);
 * - the WebSocket channel protocol `v4.channel.k8s.io` (or base64, or none) with `?ports=`: one
 *   WebSocket per connection, channels 2i (data) and 2i+1 (error) per port, each starting with the
 *   port as uint16 little endian (kubelet: portforward/websocket.go; @kubernetes/client-node).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { ApiError } from '../api/errors.js';
import type { KubeObject } from '../api/objects.js';
import { RstStatus } from './spdy/frame.js';
import { SpdySession, type SpdyStream } from './spdy/session.js';
import { STREAM_CREATION_TIMEOUT_MS, upgradeToSpdy, writeHttpError } from './spdy-streams.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
const TUNNELING_PREFIX = 'SPDY/3.1+';
const CHANNEL_PROTOCOLS = ['v4.channel.k8s.io', 'v4.base64.channel.k8s.io'];

export interface PortForwardOptions {
  streamCreationTimeoutMs?: number;
}

/** Opens a connection to `port` in the pod; throwing, rejecting or emitting 'error' all report. */
export type PortConnector = (port: number) => Duplex | Promise<Duplex>;

export function acceptPortForward(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  pod: KubeObject,
  connect: PortConnector,
  options: PortForwardOptions = {},
): void {
  const forwarder = new Forwarder(pod, connect);
  const timeout = options.streamCreationTimeoutMs ?? STREAM_CREATION_TIMEOUT_MS;
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    const upgraded = upgradeToSpdy(req, socket, head, [PORT_FORWARD_PROTOCOL]);
    if (!(upgraded instanceof ApiError)) serveSpdy(upgraded.session, forwarder, timeout);
    return;
  }
  const offered = (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const tunneled = offered.filter((p) => p.startsWith(TUNNELING_PREFIX) && p.endsWith('.k8s.io'));
  if (tunneled.length > 0) tunnelSpdy(req, socket, head, tunneled, forwarder, timeout);
  else serveChannels(req, socket, head, offered, forwarder);
}

/** Dials ports and words failures the way containerd's CRI streaming server does. */
class Forwarder {
  constructor(
    private readonly pod: KubeObject,
    readonly connect: PortConnector,
  ) {}

  /** containerd reports the pod by sandbox ID and leaves the UID empty. */
  errorMessage(port: number, error: unknown): string {
    const sandbox = createHash('sha256')
      .update(this.pod.metadata.uid ?? this.pod.metadata.name ?? '')
      .digest('hex');
    const reason = error instanceof Error ? error.message : String(error);
    return `error forwarding port ${port} to pod ${sandbox}, uid : ${reason}`;
  }

  /**
   * Connects `port`, reporting a failure (at most once) and calling `done` when the target is
   * gone; resolves with no target when the connection failed.
   */
  async open(
    port: number,
    onError: (message: string) => void,
    done: () => void,
  ): Promise<Duplex | undefined> {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      onError(this.errorMessage(port, error));
      done();
    };
    let target: Duplex;
    try {
      target = await this.connect(port);
    } catch (error) {
      fail(error);
      return undefined;
    }
    target.on('error', fail);
    target.on('close', () => {
      if (!failed) done();
    });
    return target;
  }
}

interface StreamPair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

function serveSpdy(session: SpdySession, forwarder: Forwarder, timeoutMs: number): void {
  const pairs = new Map<string, StreamPair>();
  const targets = new Set<Duplex>();
  session.on('close', () => {
    for (const pair of pairs.values()) clearTimeout(pair.timer);
    for (const target of targets) target.destroy();
  });
  session.on('stream', (stream) => {
    const { port, streamtype: type } = stream.headers;
    const portNumber = Number(port);
    // httpStreamReceived rejects a stream by resetting it, without a word.
    if (
      !port ||
      !/^\d+$/.test(port) ||
      portNumber < 1 ||
      portNumber > 0xffff ||
      (type !== 'error' && type !== 'data')
    ) {
      stream.reset(RstStatus.Cancel);
      return;
    }
    stream.reply();
    // Clients older than requestID pair streams by ID: the error stream first, data right after.
    const requestId = stream.headers.requestid || String(type === 'error' ? stream.id : stream.id - 2);
    let pair = pairs.get(requestId);
    if (!pair) {
      const created: StreamPair = {
        timer: setTimeout(() => {
          pairs.delete(requestId);
          created.error?.end(`(request=${requestId}) timed out waiting for streams`);
        }, timeoutMs),
      };
      pair = created;
      pairs.set(requestId, pair);
    }
    if (pair[type]) {
      const message = `error processing stream for request ${requestId}: ${type} stream already assigned`;
      if (pair.error) pair.error.write(message);
      return;
    }
    pair[type] = stream;
    const { data, error } = pair;
    if (!data || !error) return;
    clearTimeout(pair.timer);
    pairs.delete(requestId);
    void forwarder
      .open(
        portNumber,
        (message) => error.write(message),
        () => {
          data.end();
          error.end();
        },
      )
      .then((target) => {
        if (!target) return;
        if (session.isClosed) target.destroy();
        targets.add(target);
        target.on('close', () => targets.delete(target));
        data.pipe(target);
        target.pipe(data);
      });
  });
}

function tunnelSpdy(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  tunneled: string[],
  forwarder: Forwarder,
  timeoutMs: number,
): void {
  const spdyProtocols = tunneled.map((p) => p.slice(TUNNELING_PREFIX.length));
  if (!spdyProtocols.includes(PORT_FORWARD_PROTOCOL)) {
    // The apiserver replays the kubelet's refusal of the inner SPDY upgrade as is.
    const error = new ApiError(
      403,
      'Forbidden',
      `unable to upgrade: unable to negotiate protocol: client supports [${spdyProtocols.join(' ')}], server accepts [${PORT_FORWARD_PROTOCOL}]`,
    );
    writeHttpError(socket, error, { 'X-Accepted-Stream-Protocol-Versions': [PORT_FORWARD_PROTOCOL] });
    return;
  }
  upgradeWebSocket(req, socket, head, TUNNELING_PREFIX + PORT_FORWARD_PROTOCOL, (ws) => {
    serveSpdy(new SpdySession(webSocketDuplex(ws), { role: 'server' }), forwarder, timeoutMs);
  });
}

function upgradeWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocol: string,
  onOpen: (ws: WebSocket) => void,
): void {
  // ws refuses subprotocols that are not RFC 7230 tokens, and "SPDY/3.1+portforward.k8s.io" has a
  // '/' (gorilla/websocket lets it through). The choice is made already: hide the offer from ws and
  // answer it ourselves.
  delete req.headers['sec-websocket-protocol'];
  const server = new WebSocketServer({ noServer: true, clientTracking: false });
  if (protocol) server.on('headers', (headers) => headers.push(`Sec-WebSocket-Protocol: ${protocol}`));
  server.handleUpgrade(req, socket, head, onOpen);
}

/**
 * The tunnel as a byte stream, as client-go's TunnelingConnection sees it: message boundaries mean
 * nothing, and hanging up is a normal closure (1000), which gorilla/websocket reads as EOF.
 */
export function webSocketDuplex(ws: WebSocket): Duplex {
  const duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      ws.send(chunk, { binary: true }, callback);
    },
    final(callback) {
      ws.close(1000);
      callback();
    },
    destroy(error, callback) {
      ws.terminate();
      callback(error);
    },
  });
  ws.on('message', (data: Buffer) => duplex.push(data));
  ws.on('close', () => duplex.push(null));
  ws.on('error', () => duplex.destroy());
  return duplex;
}

function serveChannels(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  offered: string[],
  forwarder: Forwarder,
): void {
  const ports: number[] = [];
  const query = new URL(req.url ?? '/', 'http://kube-sim').searchParams;
  // `ports` is the apiserver's parameter; the kubelet, behind it, names the same list `port`.
  const values = [...query.getAll('ports'), ...query.getAll('port')];
  if (values.length === 0) {
    writeHttpError(socket, new ApiError(400, 'BadRequest', 'query parameter "port" is required'));
    return;
  }
  for (const value of values.flatMap((v) => v.split(','))) {
    const port = Number(value);
    if (!/^\d+$/.test(value) || port > 0xffff) {
      writeHttpError(socket, new ApiError(400, 'BadRequest', `unable to parse "${value}" as a port`));
      return;
    }
    if (port < 1) {
      writeHttpError(socket, new ApiError(400, 'BadRequest', `port "${value}" must be > 0`));
      return;
    }
    ports.push(port);
  }
  // golang.org/x/net/websocket picks the client's first acceptable subprotocol; none offered means raw.
  const protocol = offered.length === 0 ? '' : offered.find((p) => CHANNEL_PROTOCOLS.includes(p));
  if (protocol === undefined) {
    writeHttpError(socket, new ApiError(403, 'Forbidden', 'Forbidden'));
    return;
  }
  upgradeWebSocket(req, socket, head, protocol, (ws) => forwardChannels(ws, protocol, ports, forwarder));
}

function forwardChannels(ws: WebSocket, protocol: string, ports: number[], forwarder: Forwarder): void {
  const base64 = protocol === 'v4.base64.channel.k8s.io';
  const send = (channel: number, data: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    if (base64) ws.send(String.fromCharCode(48 + channel) + data.toString('base64'));
    else ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true });
  };
  let open = ports.length;
  const targets = ports.map((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    send(2 * i, portBytes);
    send(2 * i + 1, portBytes);
    return forwarder
      .open(
        port,
        (message) => send(2 * i + 1, Buffer.from(message)),
        () => {
          if (--open === 0) ws.close(1000);
        },
      )
      .then((target) => {
        if (ws.readyState !== ws.OPEN) target?.destroy();
        target?.on('data', (chunk: Buffer) => send(2 * i, chunk));
        return target;
      });
  });
  ws.on('message', (message: Buffer, isBinary: boolean) => {
    if (message.length === 0) return;
    const channel = base64 ? (message[0] as number) - 48 : (message[0] as number);
    const payload =
      base64 && !isBinary ? Buffer.from(message.subarray(1).toString(), 'base64') : message.subarray(1);
    // Only data channels (even) are readable; anything else is dropped, as wsstream does.
    if (channel % 2 === 0) void targets[channel / 2]?.then((target) => target?.write(payload));
  });
  ws.on('close', () => {
    for (const target of targets) void target.then((t) => t?.destroy());
  });
}
