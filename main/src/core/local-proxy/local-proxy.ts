/**
 * The local proxy kubectl talks to: `https://127.0.0.1:<port>/clusters/<name>/…`, loopback only,
 * one port for every cluster. Requests travel on tunnel streams, kept alive and pooled per cluster
 * (`StreamPool`), so watches and `logs -f` stream as they arrive; upgrades (exec, attach,
 * port-forward over SPDY or WebSocket) are spliced onto a stream of their own byte for byte.
 *
 * Every request must carry the per-user local credential (`Authorization: Bearer`), compared in
 * constant time and never forwarded. Requests with a `Host` other than `127.0.0.1:<port>` /
 * `localhost:<port>`, or with a browser `Origin` other than the proxy's own (see `#guard`), are
 * refused: a web page must not be able to reach the proxy, not even through DNS rebinding.
 *
 * Connections are capped (`maxConnections`): past the cap a new one is closed at once, with a log
 * line, so no local client can grow the proxy's tables without bound. No exception thrown while
 * answering a request ends the process: it is answered 500 and logged (`guardRequestListener`).
 */
import { EventEmitter } from 'node:events';
import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TunnelMode } from '@switchboard/contract/identity';
import { type KubeStatus, kubeStatus } from '@switchboard/contract/problem-details';
import { clusterNameSchema } from '@switchboard/contract/relay-api';
import { guardRequestListener, guardUpgradeListener } from '@switchboard/http-edge/request-guard';
import type { Stream } from '@switchboard/protocol';
import type { Logger } from '../logging/logger.js';
import type { OpenedStream, RelayTunnel } from '../tunnel/relay-tunnel.js';
import { StreamPool } from '../tunnel/stream-pool.js';
import { statusForFailure } from './kube-status.js';
import { credentialMatches, type LocalIdentity } from './local-identity.js';

export const DEFAULT_LOCAL_PROXY_PORT = 47011;
export const LOCAL_PROXY_HOST = '127.0.0.1';
/** How many ports `nextFreePort` tries after the requested one. */
const NEXT_FREE_PORT_ATTEMPTS = 50;
/**
 * Concurrent client connections, upgraded ones (exec, port-forward) included. kubectl holds a
 * handful; a cluster UI watching every kind in every namespace holds a watch, and so a connection,
 * per (kind, namespace): a thousand is real (the watch-fanout benchmark holds 1,000). An idle TLS
 * connection costs tens of KiB, so the cap keeps a flood near 200 MiB.
 */
export const DEFAULT_MAX_LOCAL_CONNECTIONS = 4096;
/** At most one "connection refused: too many" line per this interval, with the count since the last. */
const DROPPED_CONNECTION_LOG_INTERVAL_MS = 10_000;

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number) {
    super(
      `port ${port} on ${LOCAL_PROXY_HOST} is already in use (is another \`switchboard proxy\` running?); ` +
        'stop it, pass --port N for another port, --port 0 for any free port, or --next-free-port',
    );
  }
}

export class NonLoopbackAddressError extends Error {
  override readonly name = 'NonLoopbackAddressError';
}

export interface LocalProxyOptions {
  tunnel: RelayTunnel;
  identity: LocalIdentity;
  /** Only 127.0.0.1 is accepted: the proxy never listens anywhere else. */
  host?: string;
  /** Default 47011; 0 lets the OS pick a free port. */
  port?: number;
  /** When the port is taken, try the following ones instead of failing. */
  nextFreePort?: boolean;
  /** Clusters in service-account-token mode, each with how to read its current Kubernetes token. */
  serviceAccountTokens?: ReadonlyMap<string, () => Promise<string>>;
  /** Concurrent client connections; past it new ones are closed (default `DEFAULT_MAX_LOCAL_CONNECTIONS`). */
  maxConnections?: number;
  logger?: Logger;
}

/** Headers that describe one hop, not the request (RFC 9110 §7.6.1), plus the credentials never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export class LocalProxy extends EventEmitter<{ clients: [count: number] }> {
  readonly #server: Server;
  readonly #options: LocalProxyOptions;
  readonly #pools = new Map<string, StreamPool>();
  readonly #upgraded = new Set<Duplex>();
  #port = 0;
  #closing: Promise<void> | undefined;
  #clientConnections = 0;

  private constructor(options: LocalProxyOptions) {
    super();
    this.#options = options;
    this.#server = createServer(
      {
        key: options.identity.servingKeyPem,
        cert: options.identity.servingCertPem,
        ALPNProtocols: ['http/1.1'],
      },
      guardRequestListener((req, res) => this.#onRequest(req, res), this.#logFailure),
    );
    this.#server.on(
      'upgrade',
      guardUpgradeListener((req, socket, head) => this.#onUpgrade(req, socket, head), this.#logFailure),
    );
    this.#server.maxConnections = options.maxConnections ?? DEFAULT_MAX_LOCAL_CONNECTIONS;
    this.#server.on('drop', () => this.#onDroppedConnection());
    this.#server.on('secureConnection', (socket) => {
      this.#countClients(+1);
      socket.once('close', () => this.#countClients(-1));
    });
    // Watches, logs -f and exec sessions are long-lived: no request timeout.
    this.#server.requestTimeout = 0;
    this.#server.headersTimeout = 60_000;
    this.#server.keepAliveTimeout = 65_000;
    this.#server.on('tlsClientError', (error) =>
      options.logger?.debug({ err: error.message }, 'TLS handshake with a local client failed'),
    );
  }

  /** Listens (loopback only); the relay session is the tunnel's own business, see `ready()`. */
  static async start(options: LocalProxyOptions): Promise<LocalProxy> {
    const host = options.host ?? LOCAL_PROXY_HOST;
    if (host !== LOCAL_PROXY_HOST) {
      throw new NonLoopbackAddressError(
        `the local proxy listens on ${LOCAL_PROXY_HOST} only, never on ${host}: it hands out cluster access to whoever reaches it`,
      );
    }
    const proxy = new LocalProxy(options);
    const first = options.port ?? DEFAULT_LOCAL_PROXY_PORT;
    const attempts = options.nextFreePort && first !== 0 ? NEXT_FREE_PORT_ATTEMPTS : 1;
    for (let i = 0; i < attempts; i++) {
      const port = first + i;
      try {
        proxy.#port = await listen(proxy.#server, port);
        return proxy;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        if (i === attempts - 1) throw new PortInUseError(first);
      }
    }
    throw new PortInUseError(first);
  }

  /** Client connections open now (TLS established): each running kubectl holds at least one. */
  get clientConnections(): number {
    return this.#clientConnections;
  }

  get port(): number {
    return this.#port;
  }

  readonly #logFailure = (error: unknown, req: IncomingMessage) =>
    this.#options.logger?.error(
      { err: error, method: req.method, path: (req.url ?? '').split('?', 1)[0] },
      'local proxy: answering a request failed (answered 500)',
    );

  #droppedSinceLog = 0;
  #lastDropLogAt = Number.NEGATIVE_INFINITY;

  /** One line per interval, not one per connection: a flood must not become a flood of log lines. */
  #onDroppedConnection(): void {
    this.#droppedSinceLog++;
    const now = Date.now();
    if (now - this.#lastDropLogAt < DROPPED_CONNECTION_LOG_INTERVAL_MS) return;
    this.#options.logger?.warn(
      { maxConnections: this.#server.maxConnections, refused: this.#droppedSinceLog },
      'local proxy: too many connections; new ones are closed until some end',
    );
    this.#lastDropLogAt = now;
    this.#droppedSinceLog = 0;
  }

  /** The server URL for a cluster, as it goes into a kubeconfig. */
  serverUrl(cluster: string): string {
    return `https://${LOCAL_PROXY_HOST}:${this.#port}/clusters/${cluster}`;
  }

  /** Listening (already true) and the relay session up. */
  ready(signal?: AbortSignal): Promise<void> {
    return this.#options.tunnel.whenUp(signal);
  }

  /**
   * Stops accepting and ends every client connection: requests under way get `graceMs` to finish,
   * then what still runs (a watch, a shell) is cut. The tunnel is not the proxy's: it stays up.
   */
  close(graceMs = 2_000): Promise<void> {
    this.#closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      this.#server.closeIdleConnections();
      // Free pooled streams serve no one, and would stay open on the tunnel.
      for (const pool of this.#pools.values()) {
        for (const sockets of Object.values(pool.freeSockets))
          for (const socket of sockets ?? []) socket.destroy();
      }
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (grace = setTimeout(resolve, graceMs)))]);
      clearTimeout(grace);
      for (const pool of this.#pools.values()) pool.destroy();
      for (const socket of this.#upgraded) socket.destroy();
      this.#server.closeAllConnections();
      await closed;
    })();
    return this.#closing;
  }

  #countClients(delta: number): void {
    this.#clientConnections += delta;
    this.emit('clients', this.#clientConnections);
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const route = this.#admit(req);
    if ('code' in route) {
      sendStatus(res, route);
      return;
    }
    const { cluster, path } = route;
    // A pooled stream was opened with an earlier token; a user who must sign in again gets the
    // 401 on every request, not only on those that happen to need a new stream.
    this.#options.tunnel.assertSignedIn().then(
      () => this.#forward(req, res, cluster, path),
      (error: unknown) =>
        sendStatus(res, statusForFailure(error, { cluster, relayUrl: this.#options.tunnel.relayUrl })),
    );
  }

  #forward(req: IncomingMessage, res: ServerResponse, cluster: string, path: string): void {
    const upstream = request({
      agent: this.#poolFor(cluster),
      method: req.method,
      path,
      headers: forwardedHeaders(req.rawHeaders, false),
      setHost: false,
    });
    upstream.on('response', (response) => {
      res.writeHead(response.statusCode ?? 502, response.statusMessage, responseHeaders(response.rawHeaders));
      // Watches and log streams: the client sees the headers now, not with the first event.
      res.flushHeaders();
      response.pipe(res);
      response.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) {
        sendStatus(res, statusForFailure(error, { cluster, relayUrl: this.#options.tunnel.relayUrl }));
        this.#options.logger?.info({ cluster, reason: error.message }, 'request not forwarded');
      } else res.destroy();
    });
    res.on('close', () => {
      // The client went away mid-response (a watch ended by Ctrl-C): free the stream now.
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const route = this.#admit(req);
    if ('code' in route) {
      writeRawStatus(socket, route);
      return;
    }
    const { cluster, path } = route;
    this.#upgraded.add(socket);
    socket.once('close', () => this.#upgraded.delete(socket));
    this.#openStream(cluster).then(
      ({ stream }) => {
        if (socket.destroyed) {
          stream.destroy();
          return;
        }
        const lines = [`${req.method} ${path} HTTP/1.1`];
        const headers = forwardedHeaders(req.rawHeaders, true);
        for (let i = 0; i < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
        stream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) stream.write(head);
        splice(socket, stream);
      },
      (error: unknown) => {
        writeRawStatus(socket, statusForFailure(error, { cluster, relayUrl: this.#options.tunnel.relayUrl }));
      },
    );
  }

  /** The checks every request and upgrade passes first: who may ask, and which cluster it is for. */
  #admit(req: IncomingMessage): { cluster: string; path: string } | KubeStatus {
    return this.#guard(req) ?? routeOf(req.url ?? '/');
  }

  #guard(req: IncomingMessage): KubeStatus | undefined {
    const host = req.headers.host?.toLowerCase();
    if (host !== `127.0.0.1:${this.#port}` && host !== `localhost:${this.#port}`) {
      return kubeStatus(
        403,
        'Forbidden',
        `Switchboard local proxy: Host "${req.headers.host ?? ''}" is refused; only 127.0.0.1:${this.#port} and localhost:${this.#port} are served`,
      );
    }
    const { origin } = req.headers;
    if (origin !== undefined && !isOwnOrigin(origin, host)) {
      return kubeStatus(
        403,
        'Forbidden',
        `Switchboard local proxy: requests from web pages are refused (Origin "${origin}"); only non-browser clients may use it`,
      );
    }
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!credentialMatches(presented, this.#options.identity.credential)) {
      return kubeStatus(
        401,
        'Unauthorized',
        `Switchboard local proxy: the local credential is ${presented ? 'wrong' : 'missing'}; use the kubeconfig written by \`switchboard proxy\` or \`switchboard kubeconfig\``,
      );
    }
    return undefined;
  }

  async #openStream(cluster: string): Promise<OpenedStream> {
    const saToken = this.#options.serviceAccountTokens?.get(cluster);
    const mode: TunnelMode = saToken ? 'service-account-token' : 'impersonate';
    return this.#options.tunnel.openStream({
      cluster,
      mode,
      ...(saToken && { serviceAccountToken: await saToken() }),
    });
  }

  #poolFor(cluster: string): StreamPool {
    let pool = this.#pools.get(cluster);
    if (!pool) {
      pool = new StreamPool(() => this.#openStream(cluster));
      this.#pools.set(cluster, pool);
    }
    return pool;
  }
}

/**
 * Throws `PortInUseError` when the proxy could not listen on `port` now: binds it as the proxy would
 * and lets go again, so a running proxy is moved only to a port that was free a moment before.
 */
export async function assertPortFree(port: number): Promise<void> {
  const probe = createTcpServer();
  try {
    await listen(probe, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port);
    throw error;
  }
  await new Promise((resolve) => probe.close(resolve));
}

function listen(server: TcpServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host: LOCAL_PROXY_HOST, exclusive: true });
  });
}

/**
 * Whether `origin` is the proxy's own, `http(s)://<the Host it was addressed to>`: the Origin
 * non-browser WebSocket clients derive from the URL they dial. A browser sends it only from a page
 * the proxy served, and it serves none (on that port there is only this TLS server, so not even an
 * http:// page can come from there). Every other origin, `null` included, is a web page's and
 * refused. What clients send on exec/attach/port-forward upgrades (WebSocket and SPDY), from their
 * sources:
 * - Python (kubernetes.stream, on websocket-client): `Origin: http://<host:port>` up to
 *   websocket-client 1.2 (Debian 12's), `https://<host:port>` for wss:// URLs in later versions;
 * - client-go / kubectl (the SPDY round tripper; gorilla/websocket for the v5 WebSocket executor
 *   and the port-forward tunnel): no Origin;
 * - the Java client (OkHttp's RealWebSocket adds only Upgrade, Connection and Sec-WebSocket-*):
 *   no Origin; clients on Netty's handshaker (Vert.x, which fabric8 can use) add
 *   `https://<host:port>` for wss:// URLs by default;
 * - the .NET client (System.Net.WebSockets.ClientWebSocket, likewise): no Origin;
 * - @kubernetes/client-node (ws): no Origin.
 * The Host each of them sends is the URL's authority, `127.0.0.1:<port>`, which `#guard` checks first.
 */
function isOwnOrigin(origin: string, host: string): boolean {
  const normalized = origin.toLowerCase();
  return normalized === `https://${host}` || normalized === `http://${host}`;
}

/** `/clusters/<name>/rest…` → the cluster and the apiserver path (query kept); otherwise why not. */
function routeOf(url: string): { cluster: string; path: string } | KubeStatus {
  const match = /^\/clusters\/([^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/.exec(url);
  if (!match) return notARoute(url);
  let cluster: string;
  try {
    cluster = decodeURIComponent(match[1]!);
  } catch {
    return kubeStatus(
      400,
      'BadRequest',
      `Switchboard local proxy: the cluster name in "${url.split('?')[0]}" has a malformed percent-escape`,
    );
  }
  if (!clusterNameSchema.safeParse(cluster).success) return notARoute(url);
  return { cluster, path: `${match[2] ?? '/'}${match[3] ?? ''}` };
}

function notARoute(url: string): KubeStatus {
  return kubeStatus(
    404,
    'NotFound',
    `Switchboard local proxy: no cluster in path "${url.split('?')[0]}"; cluster servers are https://127.0.0.1:<port>/clusters/<name>`,
  );
}

/** The client's headers minus hop-by-hop ones, those `Connection` names, and `Authorization`. */
function forwardedHeaders(raw: string[], upgrade: boolean): string[] {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') {
      for (const token of raw[i + 1]!.split(',')) named.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'authorization') continue;
    // An upgrade keeps `Connection: Upgrade` and `Upgrade`: the upstream must see the request as is.
    if (upgrade && (name === 'connection' || name === 'upgrade')) {
      out.push(raw[i]!, raw[i + 1]!);
      continue;
    }
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

function responseHeaders(raw: string[]): string[] {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') {
      for (const token of raw[i + 1]!.split(',')) named.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/**
 * The Status body is what client libraries read; kubectl's discovery, though, replaces the message
 * of a 401/404/503 with a canned sentence. A `Warning: 299` header (RFC 7234) is printed by every
 * client-go based tool as `Warning: …` whatever the status, so the reason always reaches the user.
 */
function warningHeader(message: string): string {
  return `299 - ${JSON.stringify(message.replace(/[^\x20-\x7e]/g, '?'))}`;
}

function sendStatus(res: ServerResponse, status: KubeStatus): void {
  const body = JSON.stringify(status);
  res.writeHead(status.code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    warning: warningHeader(status.message),
  });
  res.end(body);
}

function writeRawStatus(socket: Duplex, status: KubeStatus): void {
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${status.reason}\r\ncontent-type: application/json\r\n` +
      `warning: ${warningHeader(status.message)}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Raw bytes both ways until both sides have finished; either failing ends both. */
function splice(socket: Duplex, stream: Stream): void {
  socket.pipe(stream);
  stream.pipe(socket);
  stream.on('error', () => socket.destroy());
  socket.on('error', () => stream.destroy());
  socket.on('close', () => {
    if (!stream.writableFinished || !stream.readableEnded) stream.destroy();
  });
  stream.on('close', () => {
    if (!socket.writableFinished) socket.end();
  });
}
