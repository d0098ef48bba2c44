/**
 * `switchboard ui`: the renderer in the system browser. Serves `app/dist` on 127.0.0.1 and carries
 * the app contract as JSON over a WebSocket at `BROWSER_HOST_SOCKET_PATH`.
 *
 * Anything that can reach a loopback port could drive the core (sign out, delete pods, open a
 * shell), so every request is checked:
 * - `Host` must be `127.0.0.1:<port>` or `localhost:<port>` (no DNS rebinding);
 * - `Origin`, when sent (always, for the socket), must be exactly this host's origin;
 * - the one-time secret from the printed URL (`?secret=…`), compared in constant time, is required
 *   for the socket, in its URL only. Never in a cookie: cookies are not isolated by port, so every
 *   other server on 127.0.0.1 the browser visits would receive it.
 * - the page (HTML) needs the secret too, so a stranger's page cannot even load the shell, except
 *   for a navigation from this very origin (`Sec-Fetch-Site: same-origin`, which other pages cannot
 *   forge): that is a reload, after the renderer moved the secret from the address bar to the
 *   tab's sessionStorage. The other static files (scripts, styles) hold nothing secret and load
 *   without it.
 * Static files carry the renderer's CSP, `nosniff` and `no-store`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  type AppEventMessage,
  BROWSER_HOST_SECRET_PARAM,
  BROWSER_HOST_SOCKET_PATH,
} from '../app-contract/app-contract.js';
import type { AppCore } from '../core/app/app-core.js';
import { rendererContentSecurityPolicy, rendererDirectory } from '../core/app/renderer-files.js';
import type { Logger } from '../core/logging/logger.js';

export const BROWSER_HOST_ADDRESS = '127.0.0.1';
/** A request is at most an exec keystroke batch (64 Ki characters) plus its envelope. */
const MAX_MESSAGE_BYTES = 512 * 1024;
/** A tab that stopped reading is dropped before it holds this much of our memory. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface BrowserHostOptions {
  core: AppCore;
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  /** The built renderer; default `app/dist` of `@switchboard/app`. */
  staticRoot?: string;
  logger?: Logger;
}

export interface BrowserHost {
  /** `http://127.0.0.1:<port>/?secret=…`: the one URL that opens the UI. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const root = resolve(options.staticRoot ?? rendererDirectory());
  const secret = randomBytes(32).toString('base64url');
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  let port = 0;
  let nextOwner = 0;

  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((host) => `http://${host}`);

  /** Why the request is refused, or undefined when it may proceed (the secret is checked apart). */
  const refusal = (req: IncomingMessage, { socket }: { socket: boolean }): string | undefined => {
    const host = req.headers.host?.toLowerCase() ?? '';
    if (!allowedHosts().includes(host)) {
      return `Host "${req.headers.host ?? ''}" is refused; open ${allowedOrigins()[0]}/ as printed by \`switchboard ui\``;
    }
    const origin = req.headers.origin;
    if ((socket || origin !== undefined) && !allowedOrigins().includes(origin ?? '')) {
      return `Origin "${origin ?? ''}" is refused; only ${allowedOrigins().join(' and ')} may use the Switchboard UI`;
    }
    return undefined;
  };

  const presentsSecret = (req: IncomingMessage): boolean => {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get(BROWSER_HOST_SECRET_PARAM);
    return secretMatches(query ?? undefined, secret);
  };
  /** A reload, or a link in our own page: browsers set this header and pages cannot forge it. */
  const navigatesFromOwnPage = (req: IncomingMessage) => req.headers['sec-fetch-site'] === 'same-origin';

  const server: Server = createServer((req, res) => {
    const refused = refusal(req, { socket: false });
    if (refused) return sendText(res, 403, `Switchboard UI: ${refused}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendText(res, 405, 'Switchboard UI: only GET\n');
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const mayLoadPage = presentsSecret(req) || navigatesFromOwnPage(req);
    serveFile(root, pathname, { mayLoadPage }, req, res, port).catch((error: Error) => {
      options.logger?.warn({ err: error.message }, 'browser host: could not serve a file');
      if (!res.headersSent) sendText(res, 500, 'Switchboard UI: internal error\n');
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const refused =
      path !== BROWSER_HOST_SOCKET_PATH
        ? 'no such endpoint'
        : (refusal(req, { socket: true }) ?? (presentsSecret(req) ? undefined : SECRET_REFUSAL));
    if (refused) {
      const body = `Switchboard UI: ${refused}\n`;
      socket.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain; charset=utf-8\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => connect(ws, `browser-tab-${++nextOwner}`));
  });

  const connect = (ws: WebSocket, owner: string) => {
    const { core } = options;
    const send = (message: unknown) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        options.logger?.warn({ owner }, 'browser host: a tab stopped reading; closing its connection');
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(message));
    };
    const onPush = (message: AppEventMessage, target: string | undefined) => {
      if (target === undefined || target === owner) send(message);
    };
    core.on('push', onPush);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'JSON text messages only');
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        return ws.close(1007, 'not JSON');
      }
      core.handleMessage(raw, owner).then((response) => response && send(response));
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      core.off('push', onPush);
      core.closeOwner(owner);
    });
  };

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: BROWSER_HOST_ADDRESS, exclusive: true }, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${BROWSER_HOST_ADDRESS}:${port}/?${BROWSER_HOST_SECRET_PARAM}=${secret}`,
    port,
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}

async function serveFile(
  root: string,
  pathname: string,
  { mayLoadPage }: { mayLoadPage: boolean },
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return sendText(res, 400, 'Switchboard UI: bad path\n');
  }
  if (relative.endsWith('/')) relative += 'index.html';
  const file = resolve(root, `.${relative}`);
  if (file !== root && !file.startsWith(`${root}${sep}`)) return sendText(res, 404, 'Not found\n');
  const extension = extname(file).toLowerCase();
  if (extension === '.html' && !mayLoadPage) return sendText(res, 403, `Switchboard UI: ${SECRET_REFUSAL}\n`);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return sendText(res, 404, 'Not found\n');
  const body = await readFile(file);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-security-policy': rendererContentSecurityPolicy([
      `ws://127.0.0.1:${port}`,
      `ws://localhost:${port}`,
    ]),
    'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'content-length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const SECRET_REFUSAL =
  'the secret is missing or wrong; open the URL `switchboard ui` printed (it contains the secret)';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Constant time (both sides hashed to equal lengths first). */
function secretMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
