/**
 * The Electron shell without Electron: the window's security options, the URL rules for IPC and
 * navigation, and the tray menu for the states that matter (sign-in expired, clusters, proxy).
 * Then, where the Electron binary is installed, the real app through Playwright's `_electron`.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AppState } from '@switchboard/contract/app';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { trayMenuTemplate } from '../../src/electron-main/tray-menu.js';
import {
  APP_START_URL,
  isAppUrl,
  isExternalLinkAllowed,
  secureWebPreferences,
} from '../../src/electron-main/window-options.js';

describe('Electron window security options', () => {
  it('isolates and sandboxes the renderer, with no Node and web security on', () => {
    const preferences = secureWebPreferences('/app/preload.cjs');
    expect(preferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('treats only the app origin as the app (IPC sender and navigation)', () => {
    expect(isAppUrl(APP_START_URL)).toBe(true);
    expect(isAppUrl('app://switchboard/assets/index.js')).toBe(true);
    expect(isAppUrl('app://elsewhere/index.html')).toBe(false);
    expect(isAppUrl('https://switchboard/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });

  it('opens only https links in the system browser', () => {
    expect(isExternalLinkAllowed('https://relay.example.com/docs')).toBe(true);
    expect(isExternalLinkAllowed('http://relay.example.com/')).toBe(false);
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false);
  });
});

describe('tray menu', () => {
  const base: AppState = {
    signIn: 'signed-in',
    relayUrl: 'https://relay.example.com',
    account: { relayUrl: 'https://relay.example.com', username: 'alice', displayName: 'Alice' },
    clusters: [],
    statusStream: 'live',
    reach: { state: 'live' },
    proxy: { enabled: true, state: 'ready', port: 47011, merged: false, contexts: [], activeSessions: 0 },
    settings: { backgroundMode: true },
    backgroundModeAvailable: true,
  };
  const calls: string[] = [];
  const actions = {
    openWindow: () => calls.push('open'),
    openCluster: (name: string) => calls.push(`open ${name}`),
    copyText: (text: string) => calls.push(`copy ${text}`),
    signIn: () => calls.push('sign-in'),
    signOut: () => calls.push('sign-out'),
    setProxyEnabled: (enabled: boolean) => calls.push(`proxy ${enabled}`),
    quit: () => calls.push('quit'),
  };

  it('offers "Sign in again" when the sign-in expired, and it starts the sign-in', () => {
    const menu = trayMenuTemplate({ ...base, signIn: 'sign-in-required' }, actions);
    const item = menu.find((each) => each.label === 'Sign in again');
    expect(item).toBeDefined();
    item!.click!(undefined as never, undefined as never, undefined as never);
    expect(calls).toContain('sign-in');
    expect(trayMenuTemplate(base, actions).some((each) => each.label === 'Sign in again')).toBe(false);
  });

  it('lists each cluster with its status and switches the proxy', () => {
    const cluster = {
      name: 'prod',
      description: '',
      labels: {},
      createdAt: '2025-01-01T00:00:00Z',
      status: 'offline' as const,
      presence: 'offline' as const,
      mayOpen: true,
      lastSeenAt: null,
      sessions: 0,
      metadata: null,
      recommendedAgentVersion: '0.1.0',
      upgradeAvailable: false,
    };
    const menu = trayMenuTemplate({ ...base, clusters: [cluster as never] }, actions);
    expect(menu.map((each) => each.label)).toContain('prod: Offline');
    const proxy = menu.find((each) => each.type === 'checkbox')!;
    expect(proxy).toMatchObject({ checked: true, label: 'Local proxy (port 47011)' });
    proxy.click!(undefined as never, undefined as never, undefined as never);
    expect(calls).toContain('proxy false');
    expect(menu.map((each) => each.label)).toEqual(
      expect.arrayContaining(['Open Switchboard', 'Sign out', 'Quit Switchboard']),
    );
  });
});

function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
describe.skipIf(!binary)(
  'the Electron app (skipped: the Electron binary is not installed here, ELECTRON_SKIP_BINARY_DOWNLOAD)',
  () => {
    it('opens a sandboxed window exposing exactly window.switchboard', async () => {
      const main = fileURLToPath(new URL('../../dist/electron-main/main.js', import.meta.url));
      const app = await _electron.launch({ executablePath: binary!, args: [main] });
      try {
        const page = await app.firstWindow();
        expect(page.url()).toBe(APP_START_URL);
        const exposed = await page.evaluate(() => {
          const scope = globalThis as unknown as Record<string, unknown>;
          return {
            api: Object.keys((scope.switchboard as object) ?? {}).sort(),
            require: typeof scope.require,
            process: typeof scope.process,
          };
        });
        expect(exposed).toEqual({ api: ['on', 'request'], require: 'undefined', process: 'undefined' });
        const state = await page.evaluate(() =>
          (
            globalThis as unknown as { switchboard: { request(m: string, p: unknown): Promise<unknown> } }
          ).switchboard.request('getState', undefined),
        );
        expect(state).toMatchObject({ clusters: expect.any(Array) });
      } finally {
        await app.close();
      }
    });
  },
);
