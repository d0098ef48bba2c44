/**
 * The browser host (`switchboard ui`) in front of a real AppCore (no relay chosen yet): the
 * one-time secret guards the page and the socket (in its URL only, never a cookie), foreign Host
 * and Origin are refused, static files carry the CSP, nosniff and no-store, and the contract works
 * over the socket.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BROWSER_HOST_SOCKET_PATH } from '../../src/app-contract/app-contract.js';
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
  let host: BrowserHost;
  let port: number;
  let secret: string;
  let origin: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-browser-host-'));
    const root = join(scratch, 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Switchboard</title>');
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
    host = await startBrowserHost({ core, port: 0, staticRoot: root });
    const url = new URL(host.url);
    port = host.port;
    secret = url.searchParams.get('secret') ?? '';
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await host?.close();
    await core?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('prints a URL on 127.0.0.1 with a long random secret', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?secret=[A-Za-z0-9_-]{43}$/);
  });

  it('serves the page only with the secret, with the CSP, nosniff and no-store', async () => {
    const without = await get(port, '/');
    expect(without.status).toBe(403);
    expect(without.body).toMatch(/secret is missing or wrong/);
    expect(without.body).not.toContain('Switchboard</title>');

    const wrong = await get(port, `/?secret=${'x'.repeat(43)}`);
    expect(wrong.status).toBe(403);

    const page = await get(port, `/?secret=${secret}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Switchboard</title>');
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

  it('refuses the page under any name without the secret, except a reload from the page itself', async () => {
    for (const path of ['/index.html', '/index%2Ehtml', '/assets/../index.html']) {
      expect((await get(port, path)).status, path).toBe(403);
    }
    for (const site of ['cross-site', 'same-site', 'none']) {
      expect((await get(port, '/', { 'sec-fetch-site': site })).status, site).toBe(403);
    }
    const reload = await get(port, '/', { 'sec-fetch-site': 'same-origin' });
    expect(reload.status).toBe(200);
    expect(reload.body).toContain('<title>Switchboard</title>');
  });

  it('serves the assets (nothing secret in them) without the secret', async () => {
    const asset = await get(port, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the secret', async () => {
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

  it('requires the secret and the exact Origin on the socket', async () => {
    const socketUrl = `ws://127.0.0.1:${port}${BROWSER_HOST_SOCKET_PATH}`;
    expect(await openSocket(socketUrl, { origin })).toBe(403);
    expect(await openSocket(`${socketUrl}?secret=${secret}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await openSocket(`${socketUrl}?secret=${secret}`, {})).toBe(403);
    expect(await openSocket(`${socketUrl}?secret=${secret}`, { origin: `http://127.0.0.2:${port}` })).toBe(
      403,
    );
    // The cookie earlier versions set, which any server on 127.0.0.1 could have been sent.
    expect(await openSocket(socketUrl, { origin, cookie: `switchboard-ui-${port}=${secret}` })).toBe(403);
    const ws = await openSocket(`${socketUrl}?secret=${secret}`, { origin });
    expect(ws).toBeInstanceOf(WebSocket);
    (ws as WebSocket).close();
  });

  it('answers contract requests over the socket and refuses invalid ones', async () => {
    const ws = (await openSocket(`ws://127.0.0.1:${port}${BROWSER_HOST_SOCKET_PATH}?secret=${secret}`, {
      origin,
    })) as WebSocket;
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
