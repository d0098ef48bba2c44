/**
 * The browser host (`switchboard ui`) in front of a real AppCore (no relay chosen yet): the URL's
 * secret loads the page once and is exchanged there for the tab credential, which alone opens the
 * socket (in its URL only, never a cookie); foreign Host and Origin are refused, static files carry
 * the CSP, nosniff and no-store, the contract works over the socket, and no request, however
 * malformed, ends the process.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_HOST_SOCKET_PATH, BROWSER_HOST_TAB_CREDENTIAL_META } from '@switchboard/contract/app';
import { rawRequest } from '@switchboard/test-support/raw-exchange';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type BrowserHost, startBrowserHost } from '../../src/browser-host/browser-host.js';
import { AppCore } from '../../src/core/app/app-core.js';
import { EphemeralLocalIdentityStore } from '../../src/core/local-proxy/local-identity.js';
import { createLogger } from '../../src/core/logging/logger.js';
import { EphemeralTokenStore } from '../../src/core/token-store/ephemeral-token-store.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The credential a page load handed its tab (the `<meta>`), or undefined. */
function tabCredentialIn(html: string): string | undefined {
  return new RegExp(`<meta name="${BROWSER_HOST_TAB_CREDENTIAL_META}" content="([A-Za-z0-9_-]+)"`).exec(
    html,
  )?.[1];
}

/** Opens the socket; resolves with the socket or the HTTP status it was refused with. */
function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

describe('browser host', () => {
  let scratch: string;
  let core: AppCore;
  let root: string;
  let host: BrowserHost;
  let port: number;
  let secret: string;
  let origin: string;
  const hosts: BrowserHost[] = [];

  /** A fresh host, its secret unused. */
  const startHost = async () => {
    host = await startBrowserHost({ core, port: 0, staticRoot: root });
    hosts.push(host);
    port = host.port;
    secret = new URL(host.url).searchParams.get('secret') ?? '';
    origin = `http://127.0.0.1:${port}`;
  };
  /** A fresh host whose secret was spent on a page load: the tab credential it handed over. */
  const startHostWithTab = async () => {
    await startHost();
    const page = await get(port, `/?secret=${secret}`);
    expect(page.status).toBe(200);
    return tabCredentialIn(page.body)!;
  };

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-browser-host-'));
    root = join(scratch, 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(
      join(root, 'index.html'),
      '<!doctype html><html><head><title>Switchboard</title></head></html>',
    );
    await writeFile(join(root, 'assets', 'app.js'), 'console.log("app")');
    await writeFile(join(scratch, 'outside.txt'), 'not to be served');
    core = await AppCore.start({
      configDirectory: join(scratch, 'config'),
      store: new EphemeralTokenStore(),
      localIdentityStore: new EphemeralLocalIdentityStore(),
      logger: createLogger('silent'),
      openBrowser: async () => {},
      userKubeconfigPath: join(scratch, 'kube', 'config'),
    });
    await startHost();
  });
  afterAll(async () => {
    for (const started of hosts) await started.close();
    await core?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('prints a URL on 127.0.0.1 with a long random secret', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?secret=[A-Za-z0-9_-]{43}$/);
  });

  it('serves the page once for the secret, handing the tab its credential, with the CSP, nosniff and no-store', async () => {
    await startHost();
    const without = await get(port, '/');
    expect(without.status).toBe(403);
    expect(without.body).toMatch(/open the link `switchboard ui` printed or opened/);
    expect(without.body).not.toContain('Switchboard</title>');

    const wrong = await get(port, `/?secret=${'x'.repeat(43)}`);
    expect(wrong.status).toBe(403);

    // Neither a HEAD nor an asset nor a missing file spends the secret.
    expect((await get(port, `/assets/app.js?secret=${secret}`)).status).toBe(200);
    expect((await get(port, `/nothing.html?secret=${secret}`)).status).toBe(404);

    const page = await get(port, `/?secret=${secret}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Switchboard</title>');
    const credential = tabCredentialIn(page.body);
    expect(credential).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(credential).not.toBe(secret);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`ws://127.0.0.1:${port}`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    // Cookies are not isolated by port: every other server on 127.0.0.1 would receive it.
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('the secret is dead after its first use: a second load or a replay gets a 403 that says to run `switchboard ui` again', async () => {
    await startHost();
    let used = false;
    void host.secretUsed.then(() => {
      used = true;
    });
    expect((await get(port, `/?secret=${secret}`)).status).toBe(200);
    await host.secretUsed;
    expect(used).toBe(true);
    for (const path of [`/?secret=${secret}`, `/index.html?secret=${secret}`]) {
      const replay = await get(port, path);
      expect(replay.status, path).toBe(403);
      expect(replay.body).toContain('this link was already used');
      expect(replay.body).toContain('Run `switchboard ui` again for a new one');
      expect(tabCredentialIn(replay.body)).toBeUndefined();
    }
    // The spent secret opens no socket either.
    const socketUrl = `ws://127.0.0.1:${port}${BROWSER_HOST_SOCKET_PATH}`;
    expect(await openSocket(`${socketUrl}?secret=${secret}`, { origin })).toBe(403);
  });

  it('refuses the page under any name without the secret, except a reload from the page itself (which carries no credential)', async () => {
    for (const path of ['/index.html', '/index%2Ehtml', '/assets/../index.html']) {
      expect((await get(port, path)).status, path).toBe(403);
    }
    for (const site of ['cross-site', 'same-site', 'none']) {
      expect((await get(port, '/', { 'sec-fetch-site': site })).status, site).toBe(403);
    }
    const reload = await get(port, '/', { 'sec-fetch-site': 'same-origin' });
    expect(reload.status).toBe(200);
    expect(reload.body).toContain('<title>Switchboard</title>');
    expect(tabCredentialIn(reload.body)).toBeUndefined();
  });

  it('serves the assets (nothing secret in them) without the secret', async () => {
    const asset = await get(port, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the secret, without spending it', async () => {
    await startHost();
    const rebound = await get(port, `/?secret=${secret}`, { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatch(/Host "evil\.example:\d+" is refused/);
    const foreign = await get(port, `/?secret=${secret}`, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/Origin "http:\/\/evil\.example" is refused/);
    expect((await get(port, `/?secret=${secret}`, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('never serves files outside the renderer directory', async () => {
    const traversal = await get(port, `/..%2Foutside.txt?secret=${secret}`);
    expect(traversal.status).toBe(404);
    expect(traversal.body).not.toContain('not to be served');
  });

  it('opens the socket only with the tab credential and the exact Origin', async () => {
    await startHost();
    const unspent = secret;
    const socketUrl = `ws://127.0.0.1:${port}${BROWSER_HOST_SOCKET_PATH}`;
    // The URL's secret itself never opens the socket, spent or not.
    expect(await openSocket(`${socketUrl}?secret=${unspent}`, { origin })).toBe(403);
    const page = await get(port, `/?secret=${unspent}`);
    const credential = tabCredentialIn(page.body)!;
    expect(await openSocket(socketUrl, { origin })).toBe(403);
    expect(await openSocket(`${socketUrl}?credential=${'x'.repeat(43)}`, { origin })).toBe(403);
    expect(await openSocket(`${socketUrl}?credential=${credential}`, { origin: 'http://evil.example' })).toBe(
      403,
    );
    expect(await openSocket(`${socketUrl}?credential=${credential}`, {})).toBe(403);
    expect(
      await openSocket(`${socketUrl}?credential=${credential}`, { origin: `http://127.0.0.2:${port}` }),
    ).toBe(403);
    // A cookie, which any server on 127.0.0.1 could have been sent, is no credential.
    expect(await openSocket(socketUrl, { origin, cookie: `switchboard-ui-${port}=${credential}` })).toBe(403);
    const ws = await openSocket(`${socketUrl}?credential=${credential}`, { origin });
    expect(ws).toBeInstanceOf(WebSocket);
    (ws as WebSocket).close();
  });

  it('no request ends the process: unparsable targets, bad escapes, invalid UTF-8 and odd headers are answered', async () => {
    await startHost();
    const attempts = [
      'GET //a:b HTTP/1.1',
      'GET //[ HTTP/1.1',
      'GET /%E0%A4%A HTTP/1.1',
      'GET /%FF%FE.html HTTP/1.1',
      `GET ${BROWSER_HOST_SOCKET_PATH}%E0%A4%A HTTP/1.1`,
    ];
    for (const line of attempts) {
      for (const upgrade of [false, true]) {
        const headers = upgrade
          ? `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.alloc(16).toString('base64')}\r\nOrigin: ${origin}\r\n`
          : 'Connection: close\r\n';
        const answer = await rawRequest(port, `${line}\r\nHost: 127.0.0.1:${port}\r\n${headers}\r\n`);
        expect(answer, `${line} (upgrade: ${upgrade})`).toMatch(/^HTTP\/1\.1 (400|403|404) /);
      }
    }
    const odd = await rawRequest(
      port,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Odd: \xff\xfe\r\nSec-Fetch-Site: \xe9\r\nConnection: close\r\n\r\n`,
    );
    expect(odd).toMatch(/^HTTP\/1\.1 403 /);
    expect((await get(port, '/assets/app.js')).status).toBe(200);
  });

  it('a page that cannot carry the credential is a 500 with a log line, not the end of the process', async () => {
    const bare = join(scratch, 'bare');
    await mkdir(bare, { recursive: true });
    await writeFile(join(bare, 'index.html'), '<!doctype html><title>no head</title>');
    const lines: string[] = [];
    const logger = createLogger('error', { write: (line: string) => lines.push(line) });
    const bareHost = await startBrowserHost({ core, port: 0, staticRoot: bare, logger });
    hosts.push(bareHost);
    const failed = await get(bareHost.port, `/?${new URL(bareHost.url).search.slice(1)}`);
    expect(failed.status).toBe(500);
    expect(lines.join('')).toContain('answering a request failed');
    expect((await get(bareHost.port, '/index.html', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('answers contract requests over the socket and refuses invalid ones', async () => {
    const credential = await startHostWithTab();
    const ws = (await openSocket(
      `ws://127.0.0.1:${port}${BROWSER_HOST_SOCKET_PATH}?credential=${credential}`,
      {
        origin,
      },
    )) as WebSocket;
    const answers = new Map<number, Record<string, unknown>>();
    const waiters = new Map<number, () => void>();
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (typeof message.id === 'number') {
        answers.set(message.id, message);
        waiters.get(message.id)?.();
      }
    });
    const ask = (message: Record<string, unknown>) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const id = message.id as number;
        waiters.set(id, () => resolve(answers.get(id)!));
        ws.send(JSON.stringify(message));
      });
    try {
      const state = await ask({ id: 1, method: 'getState' });
      expect(state).toMatchObject({ id: 1, ok: true, result: { signIn: 'no-relay', clusters: [] } });

      const invalid = await ask({ id: 2, method: 'setProxyPort', params: { port: 80 } });
      expect(invalid).toMatchObject({ id: 2, ok: false, error: { kind: 'invalid-request' } });

      const unknown = await ask({ id: 3, method: 'shutdownEverything' });
      expect(unknown).toMatchObject({ id: 3, ok: false, error: { kind: 'invalid-request' } });

      const notHttps = await ask({ id: 4, method: 'openExternal', params: { url: 'file:///etc/passwd' } });
      expect(notHttps).toMatchObject({ id: 4, ok: false, error: { kind: 'invalid-request' } });
    } finally {
      ws.close();
    }
  });
});
