/**
 * HTTP/2 towards the apiserver: requests and watches multiplexed on a few connections, as kubectl
 * and client-go talk to kube-apiserver. One pool holds the connections of one TLS identity (the
 * agent's credential, or none); a request takes a stream on the oldest connection that has room
 * under the apiserver's SETTINGS_MAX_CONCURRENT_STREAMS, and a new connection is opened only when
 * every open one is full. Connections that got GOAWAY take no new streams and close once their
 * streams end; connections without streams close after `idleTimeoutMs`.
 *
 * Whether the apiserver speaks HTTP/2 is settled by ALPN on the first connection: one that picks
 * HTTP/1.1 makes the pool answer "use HTTP/1.1" (`undefined`) until `HTTP1_RECHECK_MS` have passed.
 */
import http2, {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type OutgoingHttpHeaders,
  type SecureClientSessionOptions,
} from 'node:http2';
import type { TLSSocket } from 'node:tls';

export interface Http2SessionPoolOptions {
  /** `https://host:port` of the apiserver (the `:authority` of every request). */
  authority: string;
  /** Opens a TLS connection to the apiserver offering `h2` and `http/1.1` by ALPN. */
  connect: () => TLSSocket;
  /** A connection without streams is closed after this long. */
  idleTimeoutMs?: number;
  /** How long opening a connection (TCP, TLS, the apiserver's SETTINGS) may take. */
  connectTimeoutMs?: number;
}

export interface StreamOptions {
  /** The request has no body: its HEADERS frame ends the stream. */
  endStream: boolean;
  /** Gives up waiting for a stream (the caller went away). */
  signal?: AbortSignal;
}

/** Shorter than kube-apiserver's own idle timeout (90 s), so the agent closes first rather than racing its GOAWAY. */
export const DEFAULT_HTTP2_IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** An apiserver that answered with HTTP/1.1 is asked again this long after. */
const HTTP1_RECHECK_MS = 5 * 60_000;
/**
 * Flow-control windows the agent grants the apiserver. A stream's window bounds what one response
 * can have in flight towards the agent (what a slow tunnel reader leaves unread); the
 * connection's bounds all of its streams together. Go's transport (kubectl) grants 4 MiB and 1 GiB;
 * smaller here because the agent holds a thousand users' streams, not one user's.
 */
const STREAM_WINDOW_BYTES = 1024 * 1024;
const CONNECTION_WINDOW_BYTES = 32 * 1024 * 1024;
/** Buffered frames per connection before Node refuses new streams; a thousand watches need more than 10 MB. */
const MAX_SESSION_MEMORY_MB = 64;
/** What Node assumes before the apiserver's SETTINGS arrive (RFC 9113 recommends at least 100). */
const ASSUMED_MAX_STREAMS = 100;

interface PooledSession {
  session: ClientHttp2Session;
  /** Streams open on it. */
  active: number;
  /** The apiserver's SETTINGS_MAX_CONCURRENT_STREAMS. */
  limit: number;
  /** GOAWAY received, idle-closed, or out of stream ids: no new streams. */
  draining: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

interface Waiter {
  headers: OutgoingHttpHeaders;
  options: StreamOptions;
  resolve: (stream: ClientHttp2Stream | undefined) => void;
  reject: (error: Error) => void;
  unlisten: () => void;
}

export class Http2SessionPool {
  readonly #options: Required<Http2SessionPoolOptions>;
  readonly #sessions = new Set<PooledSession>();
  #waiting: Waiter[] = [];
  #connecting = false;
  #http1Until = 0;
  #closed = false;

  constructor(options: Http2SessionPoolOptions) {
    this.#options = {
      idleTimeoutMs: DEFAULT_HTTP2_IDLE_TIMEOUT_MS,
      connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
      ...options,
    };
  }

  /**
   * A stream for one request with `headers` (pseudo-headers included), or `undefined` when the
   * apiserver speaks only HTTP/1.1. Rejects when no connection could be opened, when the headers
   * are not valid HTTP/2 headers, or with `signal`'s reason.
   */
  open(headers: OutgoingHttpHeaders, options: StreamOptions): Promise<ClientHttp2Stream | undefined> {
    if (this.#closed) return Promise.reject(new Error('the apiserver connections are closed'));
    if (Date.now() < this.#http1Until) return Promise.resolve(undefined);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { headers, options, resolve, reject, unlisten: () => {} };
      if (signal) {
        const onAbort = () => {
          this.#waiting = this.#waiting.filter((w) => w !== waiter);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      this.#waiting.push(waiter);
      this.#dispatch();
    });
  }

  /** Connections open now (each one TCP socket to the apiserver). */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Streams open now, across the pool's connections. */
  get streamCount(): number {
    let streams = 0;
    for (const pooled of this.#sessions) streams += pooled.active;
    return streams;
  }

  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) {
      waiter.unlisten();
      waiter.reject(new Error('the apiserver connections are closed'));
    }
    for (const pooled of this.#sessions) {
      clearTimeout(pooled.idleTimer);
      pooled.session.destroy();
    }
    this.#sessions.clear();
  }

  /** Starts what waits on connections with room; opens another connection if some still wait. */
  #dispatch(): void {
    while (this.#waiting.length > 0) {
      const pooled = this.#withRoom();
      if (!pooled) break;
      this.#start(pooled, this.#waiting.shift()!);
    }
    if (this.#waiting.length > 0 && !this.#connecting && !this.#closed) void this.#grow();
  }

  /** The oldest connection with room, so that the newest ones are the first to go idle and close. */
  #withRoom(): PooledSession | undefined {
    for (const pooled of this.#sessions) {
      if (!pooled.draining && !pooled.session.closed && pooled.active < pooled.limit) return pooled;
    }
    return undefined;
  }

  #start(pooled: PooledSession, waiter: Waiter): void {
    waiter.unlisten();
    let stream: ClientHttp2Stream;
    try {
      stream = pooled.session.request(waiter.headers, { endStream: waiter.options.endStream });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_HTTP2_OUT_OF_STREAMS') {
        // Stream ids run out after 2^30 requests on one connection: the next one takes over.
        this.#drain(pooled);
        this.#waiting.unshift(waiter);
        return;
      }
      waiter.reject(error as Error);
      return;
    }
    pooled.active += 1;
    clearTimeout(pooled.idleTimer);
    pooled.idleTimer = undefined;
    stream.once('close', () => {
      pooled.active -= 1;
      if (pooled.active === 0 && !pooled.draining) {
        pooled.idleTimer = setTimeout(() => this.#drain(pooled), this.#options.idleTimeoutMs);
        pooled.idleTimer.unref();
      }
      this.#dispatch();
    });
    waiter.resolve(stream);
  }

  /** No new streams on `pooled`; it closes once those it has ended. */
  #drain(pooled: PooledSession): void {
    pooled.draining = true;
    clearTimeout(pooled.idleTimer);
    if (!pooled.session.closed) pooled.session.close();
  }

  async #grow(): Promise<void> {
    this.#connecting = true;
    try {
      const pooled = await this.#connect();
      if (!pooled) {
        this.#http1Until = Date.now() + HTTP1_RECHECK_MS;
        for (const waiter of this.#waiting.splice(0)) {
          waiter.unlisten();
          waiter.resolve(undefined);
        }
        return;
      }
      if (this.#closed) {
        pooled.session.destroy();
        return;
      }
      this.#sessions.add(pooled);
    } catch (error) {
      for (const waiter of this.#waiting.splice(0)) {
        waiter.unlisten();
        waiter.reject(error as Error);
      }
      return;
    } finally {
      this.#connecting = false;
    }
    this.#dispatch();
  }

  /** A ready connection (the apiserver's SETTINGS read), or undefined if the apiserver chose HTTP/1.1. */
  async #connect(): Promise<PooledSession | undefined> {
    const socket = this.#options.connect();
    const timeout = setTimeout(
      () => socket.destroy(new Error(`connecting to ${this.#options.authority} timed out`)),
      this.#options.connectTimeoutMs,
    );
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
        socket.once('close', () => reject(new Error(`${this.#options.authority} closed the connection`)));
      });
      if (socket.alpnProtocol !== 'h2') {
        socket.destroy();
        return undefined;
      }
      const sessionOptions: SecureClientSessionOptions = {
        createConnection: () => socket,
        settings: { enablePush: false, initialWindowSize: STREAM_WINDOW_BYTES },
        maxSessionMemory: MAX_SESSION_MEMORY_MB,
        peerMaxConcurrentStreams: ASSUMED_MAX_STREAMS,
      };
      const session = http2.connect(this.#options.authority, sessionOptions);
      const pooled: PooledSession = {
        session,
        active: 0,
        limit: ASSUMED_MAX_STREAMS,
        draining: false,
        idleTimer: undefined,
      };
      await new Promise<void>((resolve, reject) => {
        session.once('remoteSettings', () => resolve());
        session.once('error', reject);
        session.once('close', () => reject(new Error(`${this.#options.authority} closed the connection`)));
      });
      session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
      this.#watch(pooled);
      return pooled;
    } catch (error) {
      socket.destroy();
      throw error;
    } finally {
      clearTimeout(timeout);
    }
  }

  #watch(pooled: PooledSession): void {
    const { session } = pooled;
    const readLimit = () => {
      pooled.limit = session.remoteSettings.maxConcurrentStreams ?? ASSUMED_MAX_STREAMS;
    };
    readLimit();
    session.on('remoteSettings', () => {
      readLimit();
      this.#dispatch();
    });
    // Node closes the session itself after a GOAWAY; streams the apiserver did not take fail
    // with REFUSED_STREAM, which callers may retry.
    session.on('goaway', () => {
      pooled.draining = true;
    });
    // A connection that fails in use fails its streams, whose owners answer for them.
    session.on('error', () => {});
    session.once('close', () => {
      clearTimeout(pooled.idleTimer);
      this.#sessions.delete(pooled);
      this.#dispatch();
    });
  }
}
