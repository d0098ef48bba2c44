/**
 * Where the cluster's apiserver is and how the agent talks to it: TLS trust, and the agent's own
 * credential (client certificate or bearer token, the token re-read from its file as it rotates).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

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
 * Connections to the apiserver. Requests as the agent carry its credential; requests in
 * service-account-token mode carry only the user's token, over connections that present no
 * client certificate (the apiserver would otherwise authenticate them as the agent).
 */
export class ApiServer {
  readonly url: URL;
  readonly #asAgent: http.Agent;
  readonly #anonymous: http.Agent;

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
    const make = (context: tls.SecureContextOptions) =>
      secure
        ? new https.Agent({ ...tlsOptions, secureContext: tls.createSecureContext(context) })
        : new http.Agent({ keepAlive: true });
    const { credential } = config;
    this.#asAgent = make(
      credential.kind === 'client-certificate'
        ? { ...ca, cert: credential.certPem, key: credential.keyPem }
        : ca,
    );
    this.#anonymous = make(ca);
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
    const prefix = this.url.pathname.replace(/\/+$/, '');
    return {
      protocol: this.url.protocol,
      hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
      port: this.url.port || (this.url.protocol === 'https:' ? 443 : 80),
      path: prefix + path,
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
    if (this.config.credential.kind === 'token') this.config.credential.token.close();
  }
}
