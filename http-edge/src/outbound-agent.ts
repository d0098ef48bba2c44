/**
 * Outbound connections through `HTTPS_PROXY`/`HTTP_PROXY` unless `NO_PROXY` says otherwise (an
 * HTTP CONNECT tunnel through the proxy, TLS to the target inside it), with optional extra CA roots.
 * One set of rules for every Switchboard process that reaches out: the cluster agent (to the relay
 * and the OpenID issuer), the relay (to the issuer), the desktop app and CLI (to the relay).
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

export interface OutboundConnectionOptions {
  /** Extra PEM roots for the target's certificate (the relay's `--ca-file`); the system roots otherwise. */
  ca?: string;
  env?: NodeJS.ProcessEnv;
}

/** The proxy for `target`, as curl and Go read the environment; undefined means connect directly. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const raw = secure
    ? (env.HTTPS_PROXY ?? env.https_proxy)
    : (env.HTTP_PROXY ?? env.http_proxy ?? env.HTTPS_PROXY ?? env.https_proxy);
  if (!raw) return undefined;
  if (bypassesProxy(target, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
  const proxy = URL.parse(raw.includes('://') ? raw : `http://${raw}`);
  if (!proxy) {
    // Not echoed: a proxy URL may carry a password.
    throw new Error(
      `the ${secure ? 'HTTPS_PROXY' : 'HTTP_PROXY'} environment variable is not a URL; set it to http://host:port`,
    );
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new Error(`the proxy ${proxy.protocol}//${proxy.host} is not an http(s) proxy`);
  }
  return proxy;
}

/** NO_PROXY: `*`, host names (a leading dot or none: the domain and its subdomains), `host:port`, IPs. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' || target.protocol === 'wss:' ? '443' : '80');
  for (const rawEntry of noProxy.split(/[\s,]+/)) {
    const entry = rawEntry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let name = entry;
    let entryPort: string | undefined;
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (match) {
      name = match[1]!;
      entryPort = match[2];
    }
    name = name.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
    if (entryPort && entryPort !== port) continue;
    const bare = name.replace(/^\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/** Opens a TCP tunnel to host:port through an HTTP proxy with CONNECT. */
function connectThroughProxy(proxy: URL, host: string, port: number, timeoutMs = 30_000): Promise<Duplex> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    const request = (proxy.protocol === 'https:' ? https : http).request({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
    });
    request.setTimeout(timeoutMs, () =>
      request.destroy(new Error(`the proxy ${proxy.host} did not answer CONNECT within ${timeoutMs} ms`)),
    );
    request.once('connect', (response, socket, head) => {
      request.setTimeout(0);
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(
          new Error(
            `the proxy ${proxy.host} refused CONNECT ${authority}: ${response.statusCode} ${response.statusMessage ?? ''}`.trim(),
          ),
        );
        return;
      }
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    request.once('error', (error) =>
      reject(new Error(`cannot reach the proxy ${proxy.host}: ${error.message}`, { cause: error })),
    );
    request.end();
  });
}

type Callback = (error: Error | null, socket?: Duplex) => void;

/**
 * An http(s).Agent whose connections go through the proxy. Node's Agent accepts an asynchronous
 * `createConnection` (return nothing, call back later), which is what CONNECT needs.
 */
function proxiedAgent(proxy: URL, secure: boolean, ca: string | undefined): http.Agent {
  const create = (options: tls.ConnectionOptions & { host?: string; port?: number }, callback: Callback) => {
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? (secure ? 443 : 80));
    connectThroughProxy(proxy, host, port).then(
      (tunnel) => {
        if (!secure) {
          callback(null, tunnel);
          return;
        }
        const socket = tls.connect({
          ...options,
          socket: tunnel,
          servername: options.servername ?? (isIp(host) ? undefined : host),
          ...(ca !== undefined && { ca }),
        } as tls.ConnectionOptions);
        const onError = (error: Error) => callback(error);
        socket.once('error', onError);
        socket.once('secureConnect', () => {
          socket.off('error', onError);
          callback(null, socket);
        });
      },
      (error: Error) => callback(error),
    );
    return undefined;
  };
  const AgentClass = secure ? https.Agent : http.Agent;
  const agent = new AgentClass({ keepAlive: false, ...(ca !== undefined && { ca }) });
  (agent as unknown as { createConnection: typeof create }).createConnection = create;
  return agent;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** The agent (connection factory) for requests and WebSockets to `target`. */
export function outboundAgent(target: URL, options: OutboundConnectionOptions = {}): http.Agent {
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const proxy = proxyFor(target, options.env);
  if (proxy) return proxiedAgent(proxy, secure, options.ca);
  return secure
    ? new https.Agent({ keepAlive: false, ...(options.ca !== undefined && { ca: options.ca }) })
    : new http.Agent({ keepAlive: false });
}
