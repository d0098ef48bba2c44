/**
 * `switchboard ui`: the renderer in the system browser. Serves `app/dist` on 127.0.0.1 and carries
 * the app contract as JSON over a WebSocket at `BROWSER_HOST_SOCKET_PATH`.
 *
 * Anything that can reach a loopback port could drive the core (sign out, delete pods, open a
 * shell), so every request is checked:
 * - `Host` must be `127.0.0.1:<port>` or `localhost:<port>` (no DNS rebinding);
 * - `Origin`, when sent (always, for the socket), must be exactly this host's origin;
 * - the secret in the URL (`?secret=…`, compared in constant time) is good for one page load: that
 *   load exchanges it for the tab credential, handed over in the page itself (a `<meta>` the
 *   renderer reads, then keeps in the tab's sessionStorage), and the secret is dead from then on.
 *   A second load or a replay gets a 403 that says to run `switchboard ui` again. So a secret
 *   someone saw (in a terminal, a launch file, the browser's history) opens nothing once used.
 * - the socket needs the tab credential, in its URL only. Never in a cookie: cookies are not
 *   isolated by port, so every other server on 127.0.0.1 the browser visits would receive it.
 * - the page (HTML) without the secret loads only for a navigation from this very origin
 *   (`Sec-Fetch-Site: same-origin`, which other pages cannot forge): that is a reload of the tab,
 *   which finds its credential in sessionStorage. It carries no credential. The other static files
 *   (scripts, styles) hold nothing secret and load without either.
 * Static files carry the renderer's CSP, `nosniff` and `no-store`. No exception thrown while
 * answering a request or a socket message ends the process: it is answered 500 and logged.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import {
  type AppEventMessage,
  BROWSER_HOST_SECRET_PARAM,
  BROWSER_HOST_SOCKET_PATH,
  BROWSER_HOST_TAB_CREDENTIAL_META,
  BROWSER_HOST_TAB_CREDENTIAL_PARAM,
} from '@switchboard/contract/app';
import { guardRequestListener, guardUpgradeListener } from '@switchboard/http-edge/request-guard';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AppCore } from '../core/app/app-core.js';
import { rendererContentSecurityPolicy, rendererDirectory } from '../core/app/renderer-files.js';
import { credentialMatches } from '../core/local-proxy/local-identity.js';
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
  /** `http://127.0.0.1:<port>/?secret=…`: opens the UI in one tab, once. */
  url: string;
  port: number;
  /** Settles when the URL's secret has been exchanged (whatever carried it can go now). */
  secretUsed: Promise<void>;
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const root = resolve(options.staticRoot ?? rendererDirectory());
  const { logger } = options;
  /** The URL's secret until its first use; then undefined, and `tabCredential` is set. */
  let secret: string | undefined = randomBytes(32).toString('base64url');
  let tabCredential: string | undefined;
  let onSecretUsed = () => {};
  const secretUsed = new Promise<void>((resolveUsed) => {
    onSecretUsed = resolveUsed;
  });
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

  /**
   * The page load that presents the URL's secret: the first one gets the tab credential (and the
   * secret dies), any later one `undefined`. Only GET spends it: a HEAD could not receive it.
   */
  const exchangeSecret = (presented: string, req: IncomingMessage): string | undefined => {
    if (req.method !== 'GET' || secret === undefined || !credentialMatches(presented, secret))
      return undefined;
    secret = undefined;
    tabCredential = randomBytes(32).toString('base64url');
    logger?.info('browser host: the one-time secret was exchanged for a tab credential');
    onSecretUsed();
    return tabCredential;
  };
  /** A reload, or a link in our own page: browsers set this header and pages cannot forge it. */
  const navigatesFromOwnPage = (req: IncomingMessage) => req.headers['sec-fetch-site'] === 'same-origin';

  const logFailure = (error: unknown, req: IncomingMessage) =>
    logger?.error(
      { err: error, method: req.method, path: (req.url ?? '').split('?', 1)[0] },
      'browser host: answering a request failed (answered 500)',
    );

  const server: Server = createServer(
    guardRequestListener(async (req, res) => {
      const refused = refusal(req, { socket: false });
      if (refused) return sendText(res, 403, `Switchboard UI: ${refused}\n`);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendText(res, 405, 'Switchboard UI: only GET\n');
      const target = requestTarget(req);
      if (!target) return sendText(res, 400, 'Switchboard UI: malformed request target\n');
      const presented = target.searchParams.get(BROWSER_HOST_SECRET_PARAM);
      await serveFile(
        root,
        target.pathname,
        {
          presentsSecret: presented !== null,
          exchangeSecret: () => (presented === null ? undefined : exchangeSecret(presented, req)),
          reload: navigatesFromOwnPage(req),
        },
        req,
        res,
        port,
      );
    }, logFailure),
  );

  server.on(
    'upgrade',
    guardUpgradeListener((req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const target = requestTarget(req);
      const refused =
        target?.pathname !== BROWSER_HOST_SOCKET_PATH
          ? 'no such endpoint'
          : (refusal(req, { socket: true }) ??
            (tabCredential !== undefined &&
            credentialMatches(
              target.searchParams.get(BROWSER_HOST_TAB_CREDENTIAL_PARAM) ?? undefined,
              tabCredential,
            )
              ? undefined
              : CREDENTIAL_REFUSAL));
      if (refused) {
        const body = `Switchboard UI: ${refused}\n`;
        socket.end(
          `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain; charset=utf-8\r\n` +
            `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
        return;
      }
      sockets.handleUpgrade(req, socket, head, (ws) => connect(ws, `browser-tab-${++nextOwner}`));
    }, logFailure),
  );

  const connect = (ws: WebSocket, owner: string) => {
    const { core } = options;
    const send = (message: unknown) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        logger?.warn({ owner }, 'browser host: a tab stopped reading; closing its connection');
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
      core
        .handleMessage(raw, owner)
        .then((response) => response && send(response))
        .catch((error: unknown) => {
          logger?.error(
            { owner, err: error },
            'browser host: answering a tab failed; closing its connection',
          );
          ws.close(1011, 'internal error');
        });
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
    secretUsed,
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}

/** Who may load the page (HTML): the secret's exchange, which yields the tab's credential, or a reload. */
interface PageAccess {
  presentsSecret: boolean;
  /** Spends the secret: the tab credential on its first use, undefined ever after. */
  exchangeSecret(): string | undefined;
  reload: boolean;
}

/** The request target as a URL; undefined when it does not parse (`//host:bad-port`, …). */
function requestTarget(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

async function serveFile(
  root: string,
  pathname: string,
  page: PageAccess,
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
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return sendText(res, 404, 'Not found\n');
  let body: Buffer = await readFile(file);
  if (extension === '.html') {
    const credential = page.exchangeSecret();
    if (credential !== undefined) body = withTabCredential(body.toString('utf8'), credential);
    else if (!page.reload) {
      return sendText(res, 403, `Switchboard UI: ${page.presentsSecret ? SECRET_REFUSAL : PAGE_REFUSAL}\n`);
    }
  }
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
  'this link was already used, or its secret is wrong: each link opens the UI once, in one tab. ' +
  'Run `switchboard ui` again for a new one';
const PAGE_REFUSAL = 'open the link `switchboard ui` printed or opened (it contains a one-time secret)';
const CREDENTIAL_REFUSAL =
  'this tab has no valid credential; open the UI with a new link from `switchboard ui` (each link works once)';

/** The page, handing the tab its credential in a `<meta>` (the CSP allows no inline script). */
function withTabCredential(html: string, credential: string): Buffer {
  const head = /<head[^>]*>/i.exec(html);
  if (!head) throw new Error('the renderer page has no <head> to carry the tab credential');
  const at = head.index + head[0].length;
  const meta = `<meta name="${BROWSER_HOST_TAB_CREDENTIAL_META}" content="${credential}" />`;
  return Buffer.from(`${html.slice(0, at)}${meta}${html.slice(at)}`, 'utf8');
}

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
