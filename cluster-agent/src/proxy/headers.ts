/**
 * Which request and response headers cross the agent. A caller's own identity headers never
 * reach the apiserver: the agent sets who the caller is from the identity ticket it verified.
 */

/** RFC 9110 §7.6.1 connection-specific headers, plus the non-standard ones proxies still see. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers with which a client could claim an identity: never forwarded. */
function isIdentityHeader(name: string): boolean {
  return (
    name === 'authorization' ||
    name.startsWith('impersonate-') ||
    name.startsWith('proxy-') ||
    // The apiserver's front-proxy (requestheader) authentication headers.
    name === 'x-remote-user' ||
    name.startsWith('x-remote-group') ||
    name.startsWith('x-remote-extra-')
  );
}

export type HeaderMap = Record<string, string | string[]>;

/**
 * Whether the client asked the apiserver to impersonate someone (`kubectl --as`, `--as-group`,
 * `--as-uid`): the agent refuses that rather than dropping it, since a user who asked for fewer
 * rights must not silently run with their own, fuller ones.
 */
export function requestsImpersonation(rawHeaders: string[]): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase().startsWith('impersonate-')) return true;
  }
  return false;
}

/**
 * A header value as the UTF-8 bytes client-go sends. Node writes each UTF-16 code unit of a
 * header value as one Latin-1 byte (and refuses code units above 0xFF), while the apiserver reads
 * the bytes as UTF-8: `josé` sent as is would arrive as `jos\ufffd`. Handing Node the UTF-8
 * bytes, one code unit per byte, puts exactly those bytes on the wire.
 */
export function utf8HeaderValue(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

function add(headers: HeaderMap, name: string, value: string): void {
  const existing = headers[name];
  if (existing === undefined) headers[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else headers[name] = [existing, value];
}

/** Names the Connection header lists: connection-specific too (RFC 9110 §7.6.1). */
function connectionNamed(rawHeaders: string[]): Set<string> {
  const named = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[i + 1]!.split(',')) {
      const name = token.trim().toLowerCase();
      if (name) named.add(name);
    }
  }
  return named;
}

/**
 * The request headers to send on: everything except hop-by-hop headers, the headers Connection
 * names, Host, and any identity header. For a real upgrade, `Upgrade` (and `Connection: Upgrade`)
 * stay.
 */
export function forwardRequestHeaders(rawHeaders: string[], options: { upgrade?: boolean } = {}): HeaderMap {
  const named = connectionNamed(rawHeaders);
  const headers: HeaderMap = {};
  let upgrade: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'upgrade' && options.upgrade) upgrade = value;
    if (HOP_BY_HOP.has(name) || named.has(name) || isIdentityHeader(name) || name === 'host') continue;
    add(headers, name, value);
  }
  if (options.upgrade && upgrade !== undefined) {
    headers.connection = 'Upgrade';
    headers.upgrade = upgrade;
  }
  return headers;
}

/**
 * The response headers to send back: everything except hop-by-hop headers (and what Connection
 * names) and HTTP/2 pseudo-headers (`:status` becomes the HTTP/1.1 status line).
 */
export function forwardResponseHeaders(rawHeaders: string[], options: { upgrade?: boolean } = {}): HeaderMap {
  const named = connectionNamed(rawHeaders);
  const headers: HeaderMap = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name.startsWith(':')) continue;
    if (options.upgrade && (name === 'upgrade' || name === 'connection')) {
      add(headers, name, value);
      continue;
    }
    if (HOP_BY_HOP.has(name) || name === 'proxy-authenticate' || named.has(name)) continue;
    add(headers, name, value);
  }
  return headers;
}

/**
 * An HTTP/2 response's headers as name/value pairs, like HTTP/1.1's `rawHeaders`: Node hands
 * them over as an object, repeated headers as arrays.
 */
export function http2ResponseRawHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): string[] {
  const raw: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) raw.push(name, String(item));
  }
  return raw;
}

/** An HTTP/1.1 response head, for answers written straight onto an upgraded socket. */
export function responseHead(status: number, statusMessage: string, headers: HeaderMap): string {
  const lines = [`HTTP/1.1 ${status} ${statusMessage}`];
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}
