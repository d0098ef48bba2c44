/**
 * Where the cluster's apiserver is and how the agent talks to it: TLS trust, and the agent's own
 * credential (client certificate or bearer token, the token re-read from its file as it rotates).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { type ClientHttp2Stream, type OutgoingHttpHeaders, sensitiveHeaders } from 'node:http2';
import https from 'node:https';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { Http2SessionPool, type StreamOptions } from './http2-sessions.js';

export interface ApiServerTlsOptions {
  /** PEM bundle the apiserver's certificate must chain to; the system roots when absent. */
  ca?: string;
  /** Skips verification of the apiserver certificate (kubeconfig `insecure-skip-tls-verify`). */
  insecureSkipTlsVerify?: boolean;
  /** Name checked against the apiserver certificate instead of the URL's host. */
  serverName?: string;
}

/** The agent's own credential towards the apiserver. */
export type AgentCredential =
  | { kind: 'client-certificate'; certPem: string; keyPem: string }
  | { kind: 'token'; token: TokenSource }
  | { kind: 'none' };

export interface ApiServerConfig {
  /** `https://host:port`, possibly with a path prefix. */
  server: string;
  tls: ApiServerTlsOptions;
  credential: AgentCredential;
  /** Where the settings came from, for log lines and error messages. */
  source: string;
  /** The namespace the agent runs in (in-cluster) or the kubeconfig context's namespace. */
  namespace?: string;
}

/** A bearer token, either fixed or read from a file and re-read periodically (projected tokens rotate). */
export class TokenSource {
  #value: string;
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    value: string,
    readonly file?: string,
  ) {
    this.#value = value;
  }

  static fixed(token: string): TokenSource {
    return new TokenSource(token);
  }

  /** Reads `file` now (throws if unreadable or empty) and again every `refreshMs`. */
  static fromFile(file: string, refreshMs = 60_000, onError?: (error: Error) => void): TokenSource {
    const source = new TokenSource(readTokenFile(file), file);
    source.#timer = setInterval(() => {
      try {
        source.#value = readTokenFile(file);
      } catch (error) {
        // Keep the last good token: a rotation in progress must not log the agent out.
        onError?.(error as Error);
      }
    }, refreshMs);
    source.#timer.unref();
    return source;
  }

  get value(): string {
    return this.#value;
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

function readTokenFile(file: string): string {
  const token = readFileSync(file, 'utf8').trim();
  if (token === '') throw new Error(`the token file ${file} is empty`);
  return token;
}

/**
 * Which connections a request goes on: those presenting the agent's own credential (its client
 * certificate, if it has one), or those presenting none, for requests that carry the user's own
 * Kubernetes token (the apiserver would otherwise authenticate them as the agent).
 */
export type ConnectionPool = 'agent' | 'anonymous';

/** A request for the apiserver, its headers already cleaned and given the caller's identity. */
export interface UpstreamRequest {
  method: string;
  /** Path and query, below the apiserver URL's path prefix. */
  path: string;
  headers: Record<string, string | string[]>;
}

/**
 * Headers HPACK must never put in a connection's compression table: connections are shared by
 * many users' requests, and an indexed credential or identity could be probed through the size
 * of later requests.
 */
const NEVER_INDEXED = ['authorization', 'impersonate-user', 'impersonate-group', 'impersonate-uid'];

/**
 * Connections to the apiserver, in two pools that never mix: the agent's own identity, and
 * anonymous (see `ConnectionPool`). Each pool speaks HTTP/2 when the apiserver offers it by ALPN
 * (requests and watches multiplexed on a few connections), else HTTP/1.1 with keep-alive.
 * Upgrades (exec, attach, port-forward) always take an HTTP/1.1 connection of their own.
 */
export class ApiServer {
  readonly url: URL;
  readonly #asAgent: http.Agent;
  readonly #anonymous: http.Agent;
  readonly #http2: Record<ConnectionPool, Http2SessionPool> | undefined;

  constructor(readonly config: ApiServerConfig) {
    this.url = new URL(config.server);
    if (this.url.protocol !== 'https:' && this.url.protocol !== 'http:') {
      throw new Error(`the apiserver URL ${config.server} is not http(s)`);
    }
    const tlsOptions: https.AgentOptions = {
      keepAlive: true,
      ...(config.tls.insecureSkipTlsVerify && { rejectUnauthorized: false }),
      ...(config.tls.serverName !== undefined && { servername: config.tls.serverName }),
    };
    const ca = config.tls.ca !== undefined ? { ca: config.tls.ca } : {};
    const secure = this.url.protocol === 'https:';
    // One secure context per pool: given `ca`/`cert`/`key`, https.Agent would parse them into a
    // new context on every connection (~1 ms each), which shows when a thousand watches open at once.
    const { credential } = config;
    const contexts: Record<ConnectionPool, tls.SecureContextOptions> = {
      agent:
        credential.kind === 'client-certificate'
          ? { ...ca, cert: credential.certPem, key: credential.keyPem }
          : ca,
      anonymous: ca,
    };
    if (!secure) {
      // Plain-text HTTP/2 needs prior knowledge; a plain-text apiserver is a test setup anyway.
      this.#asAgent = new http.Agent({ keepAlive: true });
      this.#anonymous = new http.Agent({ keepAlive: true });
      this.#http2 = undefined;
      return;
    }
    const secureContexts = {
      agent: tls.createSecureContext(contexts.agent),
      anonymous: tls.createSecureContext(contexts.anonymous),
    };
    this.#asAgent = new https.Agent({ ...tlsOptions, secureContext: secureContexts.agent });
    this.#anonymous = new https.Agent({ ...tlsOptions, secureContext: secureContexts.anonymous });
    const host = this.url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(this.url.port || 443);
    const servername = config.tls.serverName ?? (isIP(host) ? undefined : host);
    const pool = (which: ConnectionPool) =>
      new Http2SessionPool({
        authority: this.url.origin,
        connect: () =>
          tls.connect({
            host,
            port,
            ...(servername !== undefined && { servername }),
            secureContext: secureContexts[which],
            ALPNProtocols: ['h2', 'http/1.1'],
            ...(config.tls.insecureSkipTlsVerify && { rejectUnauthorized: false }),
          }),
      });
    this.#http2 = { agent: pool('agent'), anonymous: pool('anonymous') };
  }

  /**
   * A stream for `request` over HTTP/2, or `undefined` when it must go over HTTP/1.1 (the
   * apiserver does not offer HTTP/2, or is plain-text HTTP). Rejects as `Http2SessionPool.open`.
   */
  async http2Stream(
    pool: ConnectionPool,
    request: UpstreamRequest,
    options: StreamOptions,
  ): Promise<ClientHttp2Stream | undefined> {
    const sessions = this.#http2?.[pool];
    if (!sessions) return undefined;
    const { host: _host, ...headers } = request.headers;
    const http2Headers: OutgoingHttpHeaders = {
      ...headers,
      ':method': request.method,
      ':path': this.#prefixed(request.path),
      ':scheme': 'https',
      ':authority': this.url.host,
      [sensitiveHeaders]: NEVER_INDEXED.filter((name) => name in headers),
    };
    return sessions.open(http2Headers, options);
  }

  /** HTTP/2 connections open now, per pool (each one TCP socket). */
  http2Connections(): Record<ConnectionPool, number> {
    return {
      agent: this.#http2?.agent.sessionCount ?? 0,
      anonymous: this.#http2?.anonymous.sessionCount ?? 0,
    };
  }

  /** HTTP/1.1 request options on `pool`, for `request()`. */
  http1Options(pool: ConnectionPool, request: UpstreamRequest): http.RequestOptions {
    return {
      ...this.requestOptions(request.path, pool === 'agent' ? this.#asAgent : this.#anonymous),
      method: request.method,
      headers: request.headers,
    };
  }

  #prefixed(path: string): string {
    return this.url.pathname.replace(/\/+$/, '') + path;
  }

  /** Connection pool for requests that present the agent's own identity. */
  get agentPool(): http.Agent {
    return this.#asAgent;
  }

  /** Connection pool for requests that carry the user's own Kubernetes token. */
  get anonymousPool(): http.Agent {
    return this.#anonymous;
  }

  /** `Authorization` for the agent's own identity when it is a bearer token. */
  agentAuthorization(): string | undefined {
    const { credential } = this.config;
    return credential.kind === 'token' ? `Bearer ${credential.token.value}` : undefined;
  }

  /** The request options for `path` (with query) on the apiserver. */
  requestOptions(path: string, pool: http.Agent): http.RequestOptions {
    return {
      protocol: this.url.protocol,
      hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
      port: this.url.port || (this.url.protocol === 'https:' ? 443 : 80),
      path: this.#prefixed(path),
      agent: pool,
      ...(this.config.tls.serverName !== undefined && { servername: this.config.tls.serverName }),
    };
  }

  request(options: http.RequestOptions): http.ClientRequest {
    return (this.url.protocol === 'https:' ? https : http).request(options);
  }

  /** A small JSON call as the agent (the secret state store uses it). */
  async json(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const authorization = this.agentAuthorization();
    if (authorization) headers.authorization = authorization;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = this.request({ ...this.requestOptions(path, this.#asAgent), method, headers });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {}
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.end(payload);
    });
  }

  close(): void {
    this.#asAgent.destroy();
    this.#anonymous.destroy();
    this.#http2?.agent.close();
    this.#http2?.anonymous.close();
    if (this.config.credential.kind === 'token') this.config.credential.token.close();
  }
}
