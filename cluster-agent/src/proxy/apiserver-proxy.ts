/**
 * The apiserver for every tunnelled connection. Each stream becomes an HTTP/1.1 connection of one
 * Node HTTP server (keep-alive and pipelining come with it); each request is forwarded with the
 * caller's identity headers removed and the verified identity added, over HTTP/2 when the
 * apiserver offers it (multiplexed on a few connections, see `kube/http2-sessions.ts`) or else
 * HTTP/1.1, and the answer streams back without buffering, with backpressure both ways: a slow
 * tunnel reader pauses the HTTP/2 stream, whose flow-control window then stops the apiserver.
 * Upgrades (exec, attach, port-forward over SPDY or WebSocket) take an HTTP/1.1 connection of
 * their own, forward the 101 and then splice the two raw sockets.
 *
 * A connection is authenticated once, by the identity ticket that opened its stream, so it takes
 * requests only while the user token behind that ticket (its `tokenExp`) is valid. What it is serving when the token expires runs to its end, as a
 * kube-apiserver lets a watch or an exec outlive the token that started it (the apiserver's own
 * timeouts still apply, and the relay ends streams whose grant is revoked); then the connection
 * closes. The local proxy stops reusing a connection before its token expires, so a request never
 * meets a closing connection.
 *
 * What a peer can make the agent hold is bounded. A connection serves its requests one at a time,
 * in order (HTTP/1.1 answers pipelined requests in order anyway); while a request that has fully
 * arrived waits for its answer, nothing more is read from the stream, so pipelined requests stay
 * in the tunnel's flow-control window rather than in memory or on the apiserver. Requests in
 * flight towards the apiserver (HTTP/2 streams or HTTP/1.1 requests, watches included) and
 * spliced upgrades across the whole agent are capped (`maxUpstreamConnections`; past it a 503
 * `Status`). Whatever a connection has open towards the apiserver is destroyed (an HTTP/2 stream
 * reset) when its stream ends, whatever state the answer is in.
 */
import {
  type ClientRequest,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { type ClientHttp2Stream, constants as http2Constants } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { TunnelMode } from '@switchboard/contract/identity';
import { type Identity, TOKEN_CLOCK_TOLERANCE_SECONDS } from '@switchboard/contract/identity';
import type { KubeStatus } from '@switchboard/contract/problem-details';
import { guardRequestListener, guardUpgradeListener } from '@switchboard/http-edge/request-guard';
import type { ApiServer, ConnectionPool, UpstreamRequest } from '../kube/apiserver.js';
import type { Logger } from '../logger.js';
import {
  forwardRequestHeaders,
  forwardResponseHeaders,
  http2ResponseRawHeaders,
  requestsImpersonation,
  responseHead,
  utf8HeaderValue,
} from './headers.js';
import { failureStatus, upstreamFailure } from './status.js';
import { TunnelSocket } from './tunnel-socket.js';

/** Who a tunnelled connection belongs to, settled when its stream was accepted. */
export interface ConnectionContext {
  identity: Identity;
  mode: TunnelMode;
  /** Service-account-token mode: the Kubernetes token to forward. */
  serviceAccountToken?: string;
  requestId: string;
}

/** What a connection is doing: for serving its requests in order, and ending it once its token expired. */
interface ConnectionUse {
  /** Requests whose response has not finished (pipelined ones included). */
  requests: number;
  /** Spliced onto an upgrade (exec, attach, port-forward): it lives until either side ends. */
  upgraded: boolean;
  expired: boolean;
  /** The request being served; undefined between requests. */
  current: IncomingMessage | undefined;
  /** Requests parsed behind `current` (pipelined), started in order as each answer finishes. */
  waiting: { req: IncomingMessage; start: () => void }[];
  /** What the connection has open towards the apiserver: destroyed when it closes. */
  upstream: Set<Upstream>;
}

/** A request to the apiserver (HTTP/1.1 request or HTTP/2 stream), or the socket an upgrade left. */
type Upstream = ClientRequest | Duplex;

export interface ApiServerProxyOptions {
  apiServer: ApiServer;
  logger: Logger;
  /** Idle keep-alive connections are closed after this long. */
  keepAliveTimeoutMs?: number;
  /**
   * Requests in flight to the apiserver (each an HTTP/2 stream or an HTTP/1.1 connection, watches
   * included) plus spliced upgrades (each an HTTP/1.1 connection), across all tunnelled
   * connections (default `DEFAULT_MAX_UPSTREAM_CONNECTIONS`); past it a request is answered 503.
   * Over HTTP/2 this bounds streams, not sockets: those are a few per pool.
   */
  maxUpstreamConnections?: number;
}

/** Room for a thousand watches at once (a few dozen Lens users); see the README's memory bound. */
export const DEFAULT_MAX_UPSTREAM_CONNECTIONS = 1024;

/** Methods that may be sent again after a connection was lost before their answer (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Header values Node refuses to put on HTTP/2 (a username with control characters, say). */
const INVALID_HEADER = new Set([
  'ERR_HTTP2_INVALID_HEADER_VALUE',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
]);

/** How long one side of a spliced upgrade may take to end after the other closed. */
const CLOSE_GRACE_MS = 10_000;
/** Error bodies of refused upgrades are small; anything larger is cut. */
const MAX_REFUSED_UPGRADE_BODY = 1024 * 1024;
/** The verifier accepts tokens this long past `exp` (clock skew); connections take requests as long. */
const CLOCK_TOLERANCE_MS = TOKEN_CLOCK_TOLERANCE_SECONDS * 1000;
/** setTimeout's limit; expiries further out are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** At most one log line per this long about requests refused at the upstream cap. */
const CAP_LOG_INTERVAL_MS = 10_000;

export class ApiServerProxy {
  readonly #server: Server;
  readonly #apiServer: ApiServer;
  readonly #log: Logger;
  readonly #connections = new Map<TunnelSocket<ConnectionContext>, ConnectionUse>();
  readonly #maxUpstream: number;
  #upstreamInUse = 0;
  #refusedAtCap = 0;
  #capLoggedAt = Number.NEGATIVE_INFINITY;

  constructor(options: ApiServerProxyOptions) {
    this.#apiServer = options.apiServer;
    this.#log = options.logger;
    this.#maxUpstream = options.maxUpstreamConnections ?? DEFAULT_MAX_UPSTREAM_CONNECTIONS;
    this.#server = createServer({ requestTimeout: 0, headersTimeout: 60_000, maxHeaderSize: 64 * 1024 });
    this.#server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 120_000;
    // Whatever comes through the tunnel is parsed here: a throw answers that request, never ends the agent.
    const logFailure = (error: unknown, req: IncomingMessage) =>
      this.#log.error(
        { err: error, method: req.method, path: (req.url ?? '').split('?', 1)[0] },
        'request to the apiserver failed (answered 500)',
      );
    this.#server.on(
      'request',
      guardRequestListener((req, res) => this.#forward(req, res), logFailure),
    );
    this.#server.on(
      'upgrade',
      guardUpgradeListener((req, socket, head) => this.#forwardUpgrade(req, socket, head), logFailure),
    );
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      if (socket.writable && error.code !== 'ECONNRESET') {
        const body = JSON.stringify(failureStatus(400, `malformed HTTP request: ${error.message}`));
        socket.end(
          responseHead(400, 'Bad Request', {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            connection: 'close',
          }) + body,
        );
      } else socket.destroy();
    });
  }

  /** Serves HTTP on an accepted tunnel stream. */
  serve(stream: Duplex, context: ConnectionContext): void {
    const socket = new TunnelSocket(stream, context);
    const use: ConnectionUse = {
      requests: 0,
      upgraded: false,
      expired: false,
      current: undefined,
      waiting: [],
      upstream: new Set(),
    };
    this.#connections.set(socket, use);
    // Nothing more is parsed while a request that fully arrived waits for its answer.
    socket.holdReadsWhile(() => use.waiting.length > 0 || use.current?.complete === true);
    const timer = atExpiry(context.identity.expiresAt, () => {
      use.expired = true;
      this.#endIfDone(socket, use);
    });
    socket.once('close', () => {
      this.#connections.delete(socket);
      timer.cancel();
      use.waiting = [];
      for (const upstream of use.upstream) upstream.destroy();
    });
    this.#server.emit('connection', socket);
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  close(): void {
    for (const socket of this.#connections.keys()) socket.destroy();
    this.#server.close();
  }

  /** An expired connection ends (gracefully: a response's last bytes still go out) once idle. */
  #endIfDone(socket: TunnelSocket<ConnectionContext>, use: ConnectionUse): void {
    if (!use.expired || use.requests > 0 || use.upgraded || socket.writableEnded) return;
    this.#log.debug(
      { requestId: socket.context.requestId },
      'connection closed: the token that opened it expired',
    );
    socket.end();
  }

  /**
   * Counts a request on its connection until the returned release is called: when its response
   * finished, or with `upgraded` once it became a spliced upgrade.
   */
  #track(req: IncomingMessage): (upgraded?: boolean) => void {
    const socket = tunnelSocketOf(req);
    const use = this.#connections.get(socket);
    if (!use) return () => {};
    use.requests += 1;
    let released = false;
    return (upgraded = false) => {
      if (released) return;
      released = true;
      use.requests -= 1;
      use.upgraded ||= upgraded;
      this.#endIfDone(socket, use);
    };
  }

  /** Starts `start` now if the connection is between requests, else once those before it finished. */
  #inTurn(req: IncomingMessage, start: () => void): void {
    const use = this.#connections.get(tunnelSocketOf(req));
    if (!use) return;
    if (use.current) {
      use.waiting.push({ req, start });
      return;
    }
    use.current = req;
    start();
  }

  /** `req`'s answer is done (or it became an upgrade): the next request in line starts. */
  #done(req: IncomingMessage): void {
    const socket = tunnelSocketOf(req);
    const use = this.#connections.get(socket);
    if (!use || use.current !== req) return;
    const next = use.waiting.shift();
    use.current = next?.req;
    next?.start();
    socket.checkHold();
  }

  /**
   * One of the `maxUpstreamConnections` slots, held until the returned release is called (once is
   * enough); undefined when none is free.
   */
  #upstreamSlot(): (() => void) | undefined {
    if (this.#upstreamInUse >= this.#maxUpstream) {
      this.#refusedAtCap += 1;
      if (Date.now() - this.#capLoggedAt >= CAP_LOG_INTERVAL_MS) {
        this.#capLoggedAt = Date.now();
        this.#log.warn(
          { max: this.#maxUpstream, refused: this.#refusedAtCap },
          'refusing requests: the agent is at its limit of concurrent apiserver connections',
        );
        this.#refusedAtCap = 0;
      }
      return undefined;
    }
    this.#upstreamInUse += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#upstreamInUse -= 1;
    };
  }

  /** Ties `upstream` to `req`'s connection: destroyed if the connection closes first; `then` once it closed. */
  #tie(req: IncomingMessage, upstream: Upstream, then?: () => void): void {
    const use = this.#connections.get(tunnelSocketOf(req));
    if (!use) {
      upstream.destroy();
      then?.();
      return;
    }
    use.upstream.add(upstream);
    upstream.once('close', () => {
      use.upstream.delete(upstream);
      then?.();
    });
  }

  #atCapacity(): KubeStatus {
    return failureStatus(
      503,
      `the Switchboard agent is at its limit of ${this.#maxUpstream} concurrent requests to the ` +
        'Kubernetes API server; retry shortly',
    );
  }

  /** The 401 for a request that arrives after the connection's token expired (pipelined, or racing the close). */
  #expiredConnection(req: IncomingMessage): KubeStatus | undefined {
    const socket = tunnelSocketOf(req);
    const use = this.#connections.get(socket);
    if (!use || (!use.expired && !isExpired(socket.context.identity.expiresAt))) return undefined;
    use.expired = true;
    return failureStatus(
      401,
      `the token that opened this tunnel connection expired at ${socket.context.identity.expiresAt.toISOString()}; ` +
        'send the request on a new connection (the Switchboard local proxy does so by itself)',
    );
  }

  #context(req: IncomingMessage): ConnectionContext {
    return tunnelSocketOf(req).context;
  }

  /**
   * The request for the apiserver: the client's headers, cleaned, plus who the caller is, and the
   * pool whose connections carry it (a user's own token never rides on the agent's certificate).
   */
  #upstream(req: IncomingMessage, upgrade: boolean): { request: UpstreamRequest; pool: ConnectionPool } {
    const context = this.#context(req);
    const headers = forwardRequestHeaders(req.rawHeaders, { upgrade });
    headers.host = this.#apiServer.url.host;
    const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers };
    if (context.mode === 'service-account-token') {
      headers.authorization = `Bearer ${context.serviceAccountToken}`;
      return { request, pool: 'anonymous' };
    }
    const authorization = this.#apiServer.agentAuthorization();
    if (authorization) headers.authorization = authorization;
    headers['impersonate-user'] = utf8HeaderValue(context.identity.username);
    if (context.identity.groups.length > 0)
      headers['impersonate-group'] = context.identity.groups.map(utf8HeaderValue);
    return { request, pool: 'agent' };
  }

  #http1Request(pool: ConnectionPool, request: UpstreamRequest): ClientRequest {
    return this.#apiServer.request(this.#apiServer.http1Options(pool, request));
  }

  #forward(req: IncomingMessage, res: ServerResponse): void {
    const release = this.#track(req);
    res.once('close', () => {
      release();
      this.#done(req);
    });
    this.#inTurn(req, () => this.#forwardInTurn(req, res));
  }

  /** Why the agent answers `req` itself rather than forwarding it, if it does. */
  #refusal(req: IncomingMessage): KubeStatus | undefined {
    const expired = this.#expiredConnection(req);
    if (expired) return expired;
    if (requestsImpersonation(req.rawHeaders)) {
      const context = this.#context(req);
      this.#log.info(
        { requestId: context.requestId, user: context.identity.username, path: req.url?.split('?')[0] },
        'refused a request asking for impersonation',
      );
      return failureStatus(
        403,
        'impersonation (kubectl --as, --as-group, --as-uid; Impersonate-* headers) is not available ' +
          'through Switchboard: requests run as the user you signed in as. Leave out --as/--as-group, ' +
          'or ask the cluster admin for a role that fits what you need',
      );
    }
    return undefined;
  }

  #forwardInTurn(req: IncomingMessage, res: ServerResponse): void {
    const refusal = this.#refusal(req);
    if (refusal) {
      sendStatus(res, refusal, { close: refusal.code === 401 });
      return;
    }
    const slot = this.#upstreamSlot();
    if (!slot) {
      sendStatus(res, this.#atCapacity(), { retryAfterSeconds: 1 });
      return;
    }
    const upstream = this.#upstream(req, false);
    this.#forwardOverHttp2(req, res, upstream, slot, { retried: false });
  }

  /**
   * Sends the request on an HTTP/2 stream; on HTTP/1.1 when the apiserver does not speak HTTP/2.
   * A request the apiserver refused unprocessed (its connection was going away) is sent once more,
   * if it has no body to replay.
   */
  #forwardOverHttp2(
    req: IncomingMessage,
    res: ServerResponse,
    upstream: { request: UpstreamRequest; pool: ConnectionPool },
    slot: () => void,
    attempt: { retried: boolean },
  ): void {
    const context = this.#context(req);
    const started = Date.now();
    const bodyless = !hasBody(req);
    // The caller may leave while a connection to the apiserver is still being opened.
    const callerGone = new AbortController();
    const onCallerGone = () => callerGone.abort(new Error('the caller went away'));
    res.once('close', onCallerGone);
    this.#apiServer
      .http2Stream(upstream.pool, upstream.request, { endStream: bodyless, signal: callerGone.signal })
      .then(
        (stream) => {
          res.off('close', onCallerGone);
          if (!stream) {
            this.#forwardOverHttp1(req, res, upstream, slot);
            return;
          }
          this.#pipeHttp2(req, res, stream, slot, started, (error) => {
            // Refused streams (beyond a GOAWAY's last stream) were not processed: any bodyless
            // request may go again. A connection lost under a request leaves it unknown, which
            // only idempotent ones may risk, as Go's transport (kubectl's) decides.
            const unprocessed =
              stream.rstCode === http2Constants.NGHTTP2_REFUSED_STREAM ||
              error.code === 'ERR_HTTP2_GOAWAY_SESSION';
            const retry =
              !attempt.retried && bodyless && (unprocessed || IDEMPOTENT.has(upstream.request.method));
            if (!retry) return false;
            this.#forwardOverHttp2(req, res, upstream, slot, { retried: true });
            return true;
          });
        },
        (error: NodeJS.ErrnoException) => {
          res.off('close', onCallerGone);
          slot();
          if (callerGone.signal.aborted) return;
          if (INVALID_HEADER.has(error.code ?? '')) {
            sendStatus(res, failureStatus(400, `the request cannot be forwarded: ${error.message}`));
            return;
          }
          this.#log.warn(
            { requestId: context.requestId, apiserver: this.#apiServer.url.origin, err: error.message },
            'the apiserver did not answer',
          );
          sendStatus(res, upstreamFailure(error, this.#apiServer.url.origin));
        },
      );
  }

  /**
   * The HTTP/2 answer back as HTTP/1.1. `retry` is asked first about an error that came before
   * any answer, and says whether it took the request over.
   */
  #pipeHttp2(
    req: IncomingMessage,
    res: ServerResponse,
    stream: ClientHttp2Stream,
    slot: () => void,
    started: number,
    retry: (error: NodeJS.ErrnoException) => boolean,
  ): void {
    const context = this.#context(req);
    let retried = false;
    /** Whether the apiserver's answer started, or a failure before it was dealt with. */
    let state: 'waiting' | 'answered' | 'failed' = 'waiting';
    this.#tie(req, stream, () => {
      if (!retried) slot();
    });
    const failBeforeAnswer = (error: NodeJS.ErrnoException) => {
      if (state !== 'waiting' || res.destroyed || res.writableEnded) return;
      state = 'failed';
      if (retry(error)) {
        retried = true;
        return;
      }
      this.#log.warn(
        { requestId: context.requestId, apiserver: this.#apiServer.url.origin, err: error.message },
        'the apiserver did not answer',
      );
      sendStatus(res, upstreamFailure(error, this.#apiServer.url.origin));
    };
    stream.on('response', (headers) => {
      state = 'answered';
      const status = Number(headers[':status'] ?? 502);
      res.writeHead(
        status,
        STATUS_CODES[status] ?? '',
        forwardResponseHeaders(http2ResponseRawHeaders(headers)),
      );
      // Watches and `logs -f` answer with headers long before their first event.
      res.flushHeaders();
      stream.pipe(res);
      this.#log.debug(
        {
          requestId: context.requestId,
          user: context.identity.username,
          method: req.method,
          path: req.url?.split('?')[0],
          status,
          ms: Date.now() - started,
          protocol: 'h2',
        },
        'request',
      );
    });
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (state === 'answered') res.destroy();
      else failBeforeAnswer(error);
    });
    // Closed without an error (RST_STREAM NO_ERROR, a connection closed after GOAWAY): an answer
    // cut short must reach the caller as a cut, not as a complete response.
    stream.on('close', () => {
      if (state === 'waiting') {
        failBeforeAnswer(
          Object.assign(new Error('the connection closed before an answer'), { code: 'ECONNRESET' }),
        );
      } else if (state === 'answered' && !res.writableEnded) res.destroy();
    });
    // The caller went away (a watch or `logs -f` interrupted): cancel the apiserver's stream too.
    res.on('close', () => {
      if (!res.writableFinished && !stream.closed) stream.close(http2Constants.NGHTTP2_CANCEL);
    });
    if (!stream.writableEnded) req.pipe(stream);
  }

  #forwardOverHttp1(
    req: IncomingMessage,
    res: ServerResponse,
    upstream: { request: UpstreamRequest; pool: ConnectionPool },
    slot: () => void,
  ): void {
    const context = this.#context(req);
    const started = Date.now();
    let request: ClientRequest;
    try {
      request = this.#http1Request(upstream.pool, upstream.request);
    } catch (error) {
      // Header values Node refuses (a username with control characters, say).
      slot();
      sendStatus(res, failureStatus(400, `the request cannot be forwarded: ${(error as Error).message}`));
      return;
    }
    this.#tie(req, request, slot);
    request.on('response', (answer) => {
      res.writeHead(
        answer.statusCode ?? 502,
        answer.statusMessage,
        forwardResponseHeaders(answer.rawHeaders),
      );
      // Watches and `logs -f` answer with headers long before their first event.
      res.flushHeaders();
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      this.#log.debug(
        {
          requestId: context.requestId,
          user: context.identity.username,
          method: req.method,
          path: req.url?.split('?')[0],
          status: answer.statusCode,
          ms: Date.now() - started,
          protocol: 'http/1.1',
        },
        'request',
      );
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!res.headersSent) {
        this.#log.warn(
          { requestId: context.requestId, apiserver: this.#apiServer.url.origin, err: error.message },
          'the apiserver did not answer',
        );
        sendStatus(res, upstreamFailure(error, this.#apiServer.url.origin));
      } else res.destroy();
    });
    // The caller went away (a watch or `logs -f` interrupted): stop the apiserver request too.
    res.on('close', () => {
      if (!res.writableFinished) request.destroy();
    });
    req.pipe(request);
  }

  #forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const release = this.#track(req);
    this.#inTurn(req, () => this.#forwardUpgradeInTurn(req, socket as TunnelSocket, head, release));
  }

  #forwardUpgradeInTurn(
    req: IncomingMessage,
    socket: TunnelSocket,
    head: Buffer,
    release: (upgraded?: boolean) => void,
  ): void {
    const refuse = (status: KubeStatus) => {
      writeStatus(socket, status);
      release();
    };
    const refusal = this.#refusal(req);
    if (refusal) {
      refuse(refusal);
      return;
    }
    const slot = this.#upstreamSlot();
    if (!slot) {
      refuse(this.#atCapacity());
      return;
    }
    const context = this.#context(req);
    socket.setTimeout(0);
    let upstream: ClientRequest;
    try {
      const { request, pool } = this.#upstream(req, true);
      upstream = this.#http1Request(pool, request);
    } catch (error) {
      slot();
      refuse(failureStatus(400, `the request cannot be forwarded: ${(error as Error).message}`));
      return;
    }
    // Until the apiserver upgrades, the slot is the request's; then the spliced socket's.
    let upgraded = false;
    this.#tie(req, upstream, () => {
      if (!upgraded) slot();
    });
    socket.on('error', () => upstream.destroy());
    upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      upgraded = true;
      this.#tie(req, upstreamSocket, slot);
      this.#log.debug(
        {
          requestId: context.requestId,
          user: context.identity.username,
          method: req.method,
          path: req.url?.split('?')[0],
          status: answer.statusCode,
          protocol: answer.headers['sec-websocket-protocol'] ?? answer.headers['x-stream-protocol-version'],
        },
        'upgrade',
      );
      socket.write(
        responseHead(
          answer.statusCode ?? 101,
          answer.statusMessage ?? 'Switching Protocols',
          forwardResponseHeaders(answer.rawHeaders, { upgrade: true }),
        ),
      );
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      release(true);
      // From here on the bytes are the upgraded protocol's: nothing to hold, nothing to slice.
      socket.holdReadsWhile(undefined);
      splice(socket, upstreamSocket);
    });
    upstream.on('response', (answer) => {
      // Not upgraded (403, 400…): relay the answer and close, since the connection's state is unknown.
      const chunks: Buffer[] = [];
      let size = 0;
      answer.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_REFUSED_UPGRADE_BODY) chunks.push(chunk);
      });
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = forwardResponseHeaders(answer.rawHeaders);
        delete headers['content-length'];
        headers['content-length'] = String(body.length);
        headers.connection = 'close';
        socket.write(responseHead(answer.statusCode ?? 502, answer.statusMessage ?? '', headers));
        socket.end(body);
        release();
      });
      answer.on('error', () => socket.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      this.#log.warn(
        { requestId: context.requestId, apiserver: this.#apiServer.url.origin, err: error.message },
        'the apiserver did not answer an upgrade',
      );
      refuse(upstreamFailure(error, this.#apiServer.url.origin));
    });
    upstream.end();
  }
}

/**
 * Both directions of an upgraded connection, half-closes passed on, either side's end tearing down
 * both. An error tears down at once. A close ends the other side gracefully instead: it first
 * writes out what it still holds (the apiserver's last frames, e.g. an exec's exit status, are
 * often written just before it closes, while the tunnel still waits for credit), and it is
 * destroyed once its peer ended too (or after `CLOSE_GRACE_MS`): destroying a tunnel stream resets
 * it, and a reset discards whatever the relay has not delivered yet.
 */
function splice(a: Duplex, b: Duplex): void {
  const teardown = () => {
    a.destroy();
    b.destroy();
  };
  const closeAfter = (other: Duplex) => () => {
    if (other.destroyed) return;
    other.unpipe();
    other.resume(); // what still arrives has nowhere to go
    const timer = setTimeout(() => other.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    other.once('close', () => clearTimeout(timer));
    const check = () => {
      if (other.writableFinished && other.readableEnded) other.destroy();
    };
    other.once('finish', check);
    other.once('end', check);
    if (!other.writableEnded) other.end();
    check();
  };
  a.pipe(b);
  b.pipe(a);
  a.on('error', teardown);
  b.on('error', teardown);
  a.on('close', closeAfter(b));
  b.on('close', closeAfter(a));
}

function sendStatus(
  res: ServerResponse,
  status: KubeStatus,
  options: { close?: boolean; retryAfterSeconds?: number } = {},
): void {
  const body = JSON.stringify(status);
  res.writeHead(status.code, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...(options.close && { connection: 'close' }),
    ...(options.retryAfterSeconds !== undefined && { 'retry-after': String(options.retryAfterSeconds) }),
  });
  res.end(body);
}

/** Whether the request carries a body (a length, or chunks), which an HTTP/2 retry could not replay. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Every connection of the server is a tunnel socket: `serve` is its only way in. */
function tunnelSocketOf(req: IncomingMessage): TunnelSocket<ConnectionContext> {
  return req.socket as unknown as TunnelSocket<ConnectionContext>;
}

function isExpired(expiresAt: Date): boolean {
  return Date.now() >= expiresAt.getTime() + CLOCK_TOLERANCE_MS;
}

/** Calls `then` once `expiresAt` (plus the clock tolerance) has passed. */
function atExpiry(expiresAt: Date, then: () => void): { cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const remaining = expiresAt.getTime() + CLOCK_TOLERANCE_MS - Date.now();
    if (remaining <= 0) {
      timer = undefined;
      then();
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return { cancel: () => clearTimeout(timer) };
}

function writeStatus(socket: Duplex, status: KubeStatus): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(status);
  socket.end(
    responseHead(status.code, status.reason, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    }) + body,
  );
}
