/**
 * The desktop shell's pure parts, state by state, without Electron: the tray icon and tooltip for
 * every state on every OS, the tray menu (cluster submenus, copy actions, grouping of long lists),
 * notifications and their limits, the quit question, where the window opens, the app menu (zoom,
 * About, updates, settings), start at login on Linux, and the desktop settings file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { AppClusterView, AppState, ClusterStatus } from '@switchboard/contract/app';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aboutPanelOptions, appMenuTemplate, nextZoomFactor } from '../../src/electron-main/app-menu.js';
import { DesktopSettingsFile } from '../../src/electron-main/desktop-settings.js';
import { linuxAutostartEntry, setLinuxAutostart } from '../../src/electron-main/login-item.js';
import { NotificationPolicy } from '../../src/electron-main/notification-policy.js';
import { quitQuestion } from '../../src/electron-main/quit-guard.js';
import {
  type TrayIconState,
  trayIconState,
  trayImage,
  trayTooltip,
} from '../../src/electron-main/tray-icon.js';
import { FLAT_CLUSTER_LIMIT, trayMenuTemplate } from '../../src/electron-main/tray-menu.js';
import { initialWindowBounds } from '../../src/electron-main/window-state.js';

/** The relay's status, and the presence the core derives from it while the relay is heard. */
function cluster(name: string, status: ClusterStatus): AppClusterView {
  return {
    presence: status === 'connecting' ? 'not-joined' : status,
    mayOpen: true,
    name,
    description: '',
    labels: {},
    createdAt: '2026-01-01T00:00:00Z',
    status,
    lastSeenAt: null,
    sessions: 0,
    metadata: null,
    recommendedAgentVersion: '0.1.0',
    upgradeAvailable: false,
  } as unknown as AppClusterView;
}

const signedIn: AppState = {
  signIn: 'signed-in',
  relayUrl: 'https://relay.example.com',
  account: { relayUrl: 'https://relay.example.com', username: 'alice' },
  clusters: [cluster('prod', 'connected'), cluster('staging', 'connected')],
  statusStream: 'live',
  reach: { state: 'live' },
  proxy: {
    enabled: true,
    state: 'ready',
    port: 47011,
    merged: false,
    activeSessions: 0,
    exportLine: 'export KUBECONFIG=/home/alice/.switchboard/kubeconfig',
    contexts: [
      { cluster: 'prod', context: 'switchboard-prod' },
      { cluster: 'staging', context: 'switchboard-staging' },
    ],
  },
  settings: { backgroundMode: true },
  backgroundModeAvailable: true,
};

const click = (item: MenuItemConstructorOptions | undefined) =>
  item!.click!(undefined as never, undefined as never, undefined as never);
const submenu = (item: MenuItemConstructorOptions | undefined) =>
  item!.submenu as MenuItemConstructorOptions[];

describe('tray icon state', () => {
  const cases: [string, AppState, TrayIconState, string][] = [
    ['all connected', signedIn, 'connected', 'Switchboard: 2 clusters connected'],
    [
      'one offline',
      { ...signedIn, clusters: [cluster('prod', 'connected'), cluster('staging', 'offline')] },
      'some-offline',
      'Switchboard: 1 of 2 clusters offline',
    ],
    [
      'one expired',
      { ...signedIn, clusters: [cluster('prod', 'expired')] },
      'some-offline',
      'Switchboard: 1 of 1 clusters offline',
    ],
    [
      'one agent never joined',
      { ...signedIn, clusters: [cluster('prod', 'connected'), cluster('edge', 'connecting')] },
      'some-offline',
      'Switchboard: 1 of 2 clusters offline',
    ],
    [
      'status stream reconnecting',
      { ...signedIn, statusStream: 'reconnecting', reach: { state: 'connecting' } },
      'some-offline',
      'Switchboard: reconnecting to the relay',
    ],
    [
      'relay unreachable past the grace',
      {
        ...signedIn,
        statusStream: 'reconnecting',
        reach: { state: 'relay-unreachable', confirmedAt: '2026-01-01T00:00:00Z' },
        clusters: signedIn.clusters.map((each) => ({ ...each, presence: 'unknown' as const })),
      },
      'some-offline',
      'Switchboard: relay unreachable, kubectl requests fail',
    ],
    [
      'tokens can no longer be renewed',
      { ...signedIn, reach: { state: 'sign-in-expired' } },
      'sign-in-needed',
      'Switchboard: sign-in expired',
    ],
    [
      'proxy off',
      { ...signedIn, proxy: { ...signedIn.proxy, enabled: false, state: 'off' } },
      'proxy-off',
      'Switchboard: local proxy off',
    ],
    [
      'proxy failed',
      { ...signedIn, proxy: { ...signedIn.proxy, state: 'error' } },
      'proxy-off',
      'Switchboard: local proxy failed',
    ],
    [
      'sign-in expired (wins over everything)',
      { ...signedIn, signIn: 'sign-in-required', proxy: { ...signedIn.proxy, enabled: false } },
      'sign-in-needed',
      'Switchboard: sign-in expired',
    ],
    [
      'signed out',
      { ...signedIn, signIn: 'signed-out', clusters: [] },
      'sign-in-needed',
      'Switchboard: not signed in',
    ],
    [
      'no relay yet',
      { ...signedIn, signIn: 'no-relay', clusters: [] },
      'sign-in-needed',
      'Switchboard: not signed in',
    ],
  ];
  it.each(cases)('%s', (_name, state, iconState, tooltip) => {
    expect(trayIconState(state)).toBe(iconState);
    expect(trayTooltip(state)).toBe(tooltip);
  });
  it('counts a proxy still starting as on', () => {
    expect(trayIconState({ ...signedIn, proxy: { ...signedIn.proxy, state: 'starting' } })).toBe('connected');
  });
});

/** Width, height and RGBA pixels of a PNG from encodePng (filter "none" rows). */
function decodePng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idatLength = png.readUInt32BE(33);
  expect(png.toString('ascii', 37, 41)).toBe('IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  const pixels = Buffer.concat(
    Array.from({ length: height }, (_, y) =>
      raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)),
    ),
  );
  return { width, height, pixels };
}

describe('tray icon images', () => {
  const states: TrayIconState[] = ['connected', 'some-offline', 'sign-in-needed', 'proxy-off'];

  it.each(['darwin', 'win32', 'linux'] as const)(
    'has @1x and @2x images in every state on %s, each distinct',
    (platform) => {
      const seen = new Set<string>();
      for (const state of states) {
        const image = trayImage(state, platform);
        expect(image.template).toBe(platform === 'darwin');
        const base = platform === 'linux' ? 24 : 16;
        expect(image.representations.map(({ scaleFactor, size }) => [scaleFactor, size])).toEqual([
          [1, base],
          [2, base * 2],
        ]);
        for (const { png, size } of image.representations) {
          const { width, height, pixels } = decodePng(png);
          expect([width, height]).toEqual([size, size]);
          if (image.template) {
            // A template image is black with alpha: the menu bar tints it.
            for (let offset = 0; offset < pixels.length; offset += 4) {
              expect(pixels.readUIntBE(offset, 3)).toBe(0);
            }
          }
        }
        seen.add(image.representations[1]!.png.toString('base64'));
      }
      expect(seen.size).toBe(states.length);
    },
  );

  it('marks trouble with an amber or red badge and an off proxy with grey, in colour', () => {
    const pixelAt = (state: TrayIconState, x: number, y: number) => {
      const { pixels, width } = decodePng(trayImage(state, 'win32').representations[1]!.png);
      return [...pixels.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
    };
    // The badge's centre (0.77 of 32 px) and a corner of the square (background).
    expect(pixelAt('some-offline', 24, 24)).toEqual([232, 163, 23, 255]);
    expect(pixelAt('sign-in-needed', 24, 24)).toEqual([217, 48, 37, 255]);
    expect(pixelAt('connected', 5, 16)).toEqual([43, 95, 217, 255]);
    expect(pixelAt('proxy-off', 5, 16)).toEqual([128, 134, 145, 255]);
  });
});

describe('tray menu', () => {
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

  it('gives each cluster a submenu to open it, copy its context name and the export line', () => {
    calls.length = 0;
    const menu = trayMenuTemplate(signedIn, actions);
    const prod = menu.find((item) => item.label === 'prod: Connected');
    const items = submenu(prod);
    expect(items.map((item) => item.label)).toEqual([
      'Open in Switchboard',
      'Copy context name (switchboard-prod)',
      'Copy export KUBECONFIG= line',
    ]);
    for (const item of items) click(item);
    expect(calls).toEqual([
      'open prod',
      'copy switchboard-prod',
      'copy export KUBECONFIG=/home/alice/.switchboard/kubeconfig',
    ]);
  });

  it('disables the copy items while the proxy has no kubeconfig', () => {
    const off = {
      ...signedIn,
      proxy: {
        enabled: false,
        state: 'off' as const,
        port: 47011,
        merged: false,
        activeSessions: 0,
        contexts: [],
      },
    };
    const items = submenu(trayMenuTemplate(off, actions).find((item) => item.label === 'prod: Connected'));
    expect(items[1]).toMatchObject({ label: 'Copy context name (proxy off)', enabled: false });
    expect(items[2]).toMatchObject({ enabled: false });
  });

  it('offers sign-in when signed out and hides sign-out', () => {
    calls.length = 0;
    const menu = trayMenuTemplate({ ...signedIn, signIn: 'signed-out', clusters: [] }, actions);
    click(menu.find((item) => item.label === 'Sign in…'));
    expect(calls).toEqual(['sign-in']);
    expect(menu.some((item) => item.label === 'Sign out')).toBe(false);
    expect(menu.find((item) => item.type === 'checkbox')).toMatchObject({ enabled: true });
  });

  it('says where a sign-in waits: the browser only when it opened', () => {
    const signingIn = (signInProgress: AppState['signInProgress']): AppState => ({
      ...signedIn,
      signIn: 'signing-in',
      ...(signInProgress !== undefined && { signInProgress }),
    });
    const first = (state: AppState) => trayMenuTemplate(state, actions)[0]?.label;
    const startedAt = '2026-01-01T00:00:00Z';
    expect(first(signingIn({ method: 'browser', startedAt, browser: 'opened' }))).toBe(
      'Signing in… (see your browser)',
    );
    expect(first(signingIn({ method: 'browser', startedAt, browser: 'not-opened' }))).toBe(
      'Signing in… (see Switchboard)',
    );
    expect(first(signingIn({ method: 'device-code', startedAt }))).toBe(
      'Signing in with a code… (see Switchboard)',
    );
  });

  it('says the relay is unreachable and shows each cluster as unknown, not as its last status', () => {
    const unreachable: AppState = {
      ...signedIn,
      reach: { state: 'relay-unreachable' },
      clusters: signedIn.clusters.map((each) => ({ ...each, presence: 'unknown' as const })),
    };
    const labels = trayMenuTemplate(unreachable, actions).map((item) => item.label);
    expect(labels).toContain('Relay unreachable: kubectl requests fail');
    expect(labels).toContain('prod: Unknown');
    expect(labels).not.toContain('prod: Connected');
  });

  it('lists a few clusters flat, sorted by name', () => {
    const state = { ...signedIn, clusters: [cluster('b', 'offline'), cluster('a', 'connected')] };
    const labels = trayMenuTemplate(state, actions).map((item) => item.label);
    expect(labels.indexOf('a: Connected')).toBeLessThan(labels.indexOf('b: Offline'));
  });

  it('groups a long cluster list by status, and splits a long group alphabetically', () => {
    const many = [
      ...Array.from({ length: 30 }, (_, i) => cluster(`edge-${String(i).padStart(2, '0')}`, 'connected')),
      ...Array.from({ length: 3 }, (_, i) => cluster(`lab-${i}`, 'offline')),
    ];
    expect(many.length).toBeGreaterThan(FLAT_CLUSTER_LIMIT);
    const menu = trayMenuTemplate({ ...signedIn, clusters: many }, actions);
    const groups = menu.filter((item) => /\(\d+\)$/.test(String(item.label)));
    expect(groups.map((item) => item.label)).toEqual(['Connected (30)', 'Offline (3)']);
    const connected = submenu(groups[0]);
    expect(connected.map((item) => item.label)).toEqual(['edge-00 – edge-24', 'edge-25 – edge-29']);
    expect(submenu(connected[0])).toHaveLength(25);
    expect(submenu(groups[1]).map((item) => item.label)).toEqual([
      'lab-0: Offline',
      'lab-1: Offline',
      'lab-2: Offline',
    ]);
  });
});

describe('notifications', () => {
  const offline = (state: AppState, ...names: string[]): AppState => ({
    ...state,
    clusters: state.clusters.map((each) =>
      names.includes(each.name) ? { ...each, status: 'offline', presence: 'offline' } : each,
    ),
  });

  it('tells when a cluster goes offline and when it comes back', () => {
    const policy = new NotificationPolicy();
    const down = offline(signedIn, 'prod');
    expect(policy.next(signedIn, down, 0, true)).toEqual([
      {
        title: 'prod is offline',
        body: 'kubectl cannot reach prod until its agent reconnects.',
        action: 'open-window',
      },
    ]);
    // Within the quiet time, the same cluster's flapping is not notified again.
    expect(policy.next(down, signedIn, 1_000, true)).toEqual([]);
    expect(policy.next(signedIn, down, 6 * 60_000, true)).toHaveLength(1);
    expect(policy.next(down, signedIn, 12 * 60_000, true)).toEqual([
      { title: 'prod is back', body: 'prod is connected again.', action: 'open-window' },
    ]);
  });

  it('makes one notification of several clusters changing together', () => {
    const clusters = ['a', 'b', 'c', 'd', 'e'].map((name) => cluster(name, 'connected'));
    const before = { ...signedIn, clusters };
    const [notice, ...rest] = new NotificationPolicy().next(
      before,
      offline(before, 'a', 'b', 'c', 'd', 'e'),
      0,
      true,
    );
    expect(rest).toEqual([]);
    expect(notice).toMatchObject({
      title: '5 clusters are offline',
      body: expect.stringContaining('a, b, c and 2 more'),
    });
  });

  it('caps notifications per minute', () => {
    const policy = new NotificationPolicy({ perClusterQuietMs: 0, windowMs: 60_000, maxPerWindow: 2 });
    const down = offline(signedIn, 'prod');
    expect(policy.next(signedIn, down, 0, true)).toHaveLength(1);
    expect(policy.next(down, signedIn, 1, true)).toHaveLength(1);
    expect(policy.next(signedIn, down, 2, true)).toEqual([]);
    expect(policy.next(down, signedIn, 60_001, true)).toHaveLength(1);
  });

  it('asks to sign in again when the sign-in expires; a click starts the sign-in', () => {
    const expired: AppState = { ...signedIn, signIn: 'sign-in-required' };
    expect(new NotificationPolicy().next(signedIn, expired, 0, true)).toEqual([
      {
        title: 'Switchboard: sign in again',
        body: 'Your sign-in expired. Click to sign in again.',
        action: 'sign-in',
      },
    ]);
  });

  it('is silent when switched off, and about clusters that vanish on sign-out', () => {
    const policy = new NotificationPolicy();
    expect(policy.next(signedIn, offline(signedIn, 'prod'), 0, false)).toEqual([]);
    expect(policy.next(signedIn, { ...signedIn, signIn: 'signed-out', clusters: [] }, 0, true)).toEqual([]);
  });
});

describe('quitting with kubectl sessions running', () => {
  it('asks only when sessions run, with Cancel as the default', () => {
    expect(quitQuestion(0, 'quit')).toBeUndefined();
    expect(quitQuestion(1, 'quit')).toMatchObject({
      message: '1 kubectl session is running through Switchboard',
      buttons: ['Quit anyway', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
    });
    expect(quitQuestion(3, 'install-update')).toMatchObject({
      message: '3 kubectl sessions are running through Switchboard',
      buttons: ['Restart and install', 'Cancel'],
    });
  });
});

describe('window place', () => {
  const screenArea = { x: 0, y: 0, width: 1920, height: 1040 };
  it('opens at the default size the first time', () => {
    expect(initialWindowBounds(undefined, [screenArea])).toEqual({
      bounds: { width: 1200, height: 800 },
      maximized: false,
    });
  });
  it('reopens where it was, maximized if it was', () => {
    const saved = { x: 100, y: 50, width: 1000, height: 700, maximized: true };
    expect(initialWindowBounds(saved, [screenArea])).toEqual({
      bounds: { x: 100, y: 50, width: 1000, height: 700 },
      maximized: true,
    });
  });
  it('keeps the size but not a place on a screen that is gone, and never below 800×600', () => {
    const saved = { x: 2500, y: 100, width: 640, height: 480, maximized: false };
    expect(initialWindowBounds(saved, [screenArea])).toEqual({
      bounds: { width: 800, height: 600 },
      maximized: false,
    });
  });
});

describe('application menu', () => {
  const calls: string[] = [];
  const actions = {
    showAbout: () => calls.push('about'),
    checkForUpdates: () => calls.push('check'),
    setNotifications: (enabled: boolean) => calls.push(`notifications ${enabled}`),
    setStartAtLogin: (enabled: boolean) => calls.push(`login ${enabled}`),
    zoom: (change: string) => calls.push(`zoom ${change}`),
  };
  const menuState = {
    platform: 'linux' as NodeJS.Platform,
    isPackaged: true,
    updateLabel: 'Check for Updates…',
    updateEnabled: true,
    notifications: true,
    startAtLogin: false,
  };
  const find = (
    items: MenuItemConstructorOptions[],
    label: string,
  ): MenuItemConstructorOptions | undefined => {
    for (const item of items) {
      if (item.label === label) return item;
      const inner = Array.isArray(item.submenu) ? find(item.submenu, label) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };

  it('has a View menu with zoom, and no developer tools in the packaged app', () => {
    calls.length = 0;
    const menu = appMenuTemplate(menuState, actions);
    const view = submenu(menu.find((item) => item.label === '&View'));
    expect(
      view.filter((item) => item.visible !== false).map((item) => item.label ?? item.role ?? item.type),
    ).toEqual(['Zoom In', 'Zoom Out', 'Actual Size', 'separator', 'togglefullscreen']);
    for (const label of ['Zoom In', 'Zoom Out', 'Actual Size']) click(find(menu, label));
    expect(calls).toEqual(['zoom in', 'zoom out', 'zoom reset']);
    const development = appMenuTemplate({ ...menuState, isPackaged: false }, actions);
    expect(submenu(development.find((item) => item.label === '&View')).map((item) => item.role)).toContain(
      'toggleDevTools',
    );
  });

  it('puts About, updates and settings under Help and File on Windows and Linux, in the app menu on macOS', () => {
    calls.length = 0;
    const linux = appMenuTemplate(menuState, actions);
    click(find(linux, 'About Switchboard'));
    click(find(linux, 'Check for Updates…'));
    click(find(linux, 'Show Notifications'));
    click(find(linux, 'Start at Login'));
    expect(calls).toEqual(['about', 'check', 'notifications false', 'login true']);
    const mac = appMenuTemplate({ ...menuState, platform: 'darwin' }, actions);
    expect(mac[0]!.label).toBe('Switchboard');
    expect(find(mac, 'Open at Login')).toMatchObject({ checked: false });
    expect(mac.some((item) => item.label === '&Help')).toBe(false);
  });

  it('steps zoom as Chromium does, within its limits', () => {
    expect(nextZoomFactor(1, 'in')).toBe(1.1);
    expect(nextZoomFactor(1, 'out')).toBe(0.9);
    expect(nextZoomFactor(3, 'in')).toBe(3);
    expect(nextZoomFactor(0.5, 'out')).toBe(0.5);
    expect(nextZoomFactor(1.75, 'reset')).toBe(1);
  });

  it('shows the versions in the About panel', () => {
    expect(
      aboutPanelOptions({ app: '0.1.0', electron: '41.7.1', chrome: '146.0', node: '24.1.0' }),
    ).toMatchObject({
      applicationName: 'Switchboard',
      applicationVersion: '0.1.0',
      version: 'Electron 41.7.1 · Chromium 146.0 · Node.js 24.1.0',
    });
  });
});

describe('start at login on Linux and the desktop settings file', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'switchboard-desktop-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes and removes an XDG autostart entry that starts hidden', async () => {
    const path = join(work, 'autostart', 'switchboard.desktop');
    await setLinuxAutostart(true, '/opt/Switch board/switchboard', path);
    const entry = readFileSync(path, 'utf8');
    expect(entry).toContain('Exec="/opt/Switch board/switchboard" --hidden');
    expect(entry).toBe(linuxAutostartEntry('/opt/Switch board/switchboard'));
    await setLinuxAutostart(false, '/opt/Switch board/switchboard', path);
    expect(() => statSync(path)).toThrow();
  });

  it('keeps its settings across loads, and falls back to the defaults from a broken file, saying why', async () => {
    const warnings: string[] = [];
    const first = await DesktopSettingsFile.load(work, (message) => warnings.push(message));
    expect(first.current).toMatchObject({ notifications: true, startAtLogin: false, zoomFactor: 1 });
    await first.update({
      notifications: false,
      window: { x: 1, y: 2, width: 900, height: 700, maximized: false },
    });
    expect((await DesktopSettingsFile.load(work, (message) => warnings.push(message))).current).toMatchObject(
      {
        notifications: false,
        window: { width: 900 },
      },
    );
    expect(statSync(join(work, 'desktop.json')).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([]);

    writeFileSync(join(work, 'desktop.json'), '{"updateFeedUrl": "http://updates.example.com/"}');
    const broken = await DesktopSettingsFile.load(work, (message) => warnings.push(message));
    expect(broken.current.notifications).toBe(true);
    expect(warnings[0]).toMatch(
      /desktop\.json is not valid .*the update feed must be an https:\/\/ URL.*; using the defaults/s,
    );
    writeFileSync(join(work, 'desktop.json'), '{"updateFeedUrl": "http://127.0.0.1:8080/feed"}');
    expect(
      (await DesktopSettingsFile.load(work, (message) => warnings.push(message))).current.updateFeedUrl,
    ).toBe('http://127.0.0.1:8080/feed');
    writeFileSync(join(work, 'desktop.json'), 'not json');
    await DesktopSettingsFile.load(work, (message) => warnings.push(message));
    expect(warnings[1]).toMatch(/desktop\.json is not JSON .*; using the defaults/);
  });
});
