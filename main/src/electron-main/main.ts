/**
 * The Electron main process: hosts the core (`AppCore`), one window with the renderer, the tray and
 * notifications. Thin on purpose: everything it shows and does goes through the same contract the
 * browser host carries, and everything security-relevant about the window is in `window-options.ts`.
 *
 * - Renderer files come from `app://switchboard/` (a privileged scheme served from `app/dist`, with
 *   the CSP as a response header); windows may not navigate anywhere else, open new windows, attach
 *   webviews or get permissions. https links go to the system browser.
 * - IPC: one `handle` channel for requests, checked to come from the app's own frame, and one
 *   channel for pushed events.
 * - The core keeps running without a window in background mode (tray); otherwise closing the
 *   window quits. A second launch focuses the running instance.
 * - "Sign-in required" is the core's state: the tray offers "Sign in again" and a notification says
 *   so; one click starts the sign-in in the system browser.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppEventMessage, type AppState, IPC_CHANNELS } from '@switchboard/contract/app';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  type MenuItemConstructorOptions,
  Notification,
  nativeImage,
  protocol,
  session,
  shell,
  Tray,
  type WebContents,
} from 'electron';
import { AppCore } from '../core/app/app-core.js';
import { rendererContentSecurityPolicy, rendererDirectory } from '../core/app/renderer-files.js';
import { switchboardConfigDirectory } from '../core/files/config-directory.js';
import { KeychainLocalIdentityStore } from '../core/local-proxy/local-identity.js';
import { createLogger } from '../core/logging/logger.js';
import { KeychainTokenStore } from '../core/token-store/keychain-token-store.js';
import { RELAY_URL_ENV } from './electron-binary.js';
import { TRAY_ICON_DATA_URL } from './tray-icon.js';
import { trayMenuTemplate } from './tray-menu.js';
import {
  APP_SCHEME,
  APP_START_URL,
  isAppUrl,
  isExternalLinkAllowed,
  secureWebPreferences,
} from './window-options.js';

const PRELOAD = fileURLToPath(new URL('../electron-preload/preload.cjs', import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app
    .whenReady()
    .then(run)
    .catch((error: Error) => fail(error));
}

async function run(): Promise<void> {
  const logger = createLogger();
  const rendererRoot = resolve(rendererDirectory());
  serveRenderer(rendererRoot);
  lockDownSessions();
  if (app.isPackaged) Menu.setApplicationMenu(Menu.buildFromTemplate(packagedMenuTemplate()));

  const configDirectory = switchboardConfigDirectory();
  const core = await AppCore.start({
    configDirectory,
    store: new KeychainTokenStore(join(configDirectory, 'tokens'), logger),
    localIdentityStore: new KeychainLocalIdentityStore(join(configDirectory, 'local-proxy'), logger),
    logger,
    openBrowser: (url) => shell.openExternal(url),
    // The tray below keeps the core running when the window closes, if the person asks.
    backgroundModeAvailable: true,
    ...(process.env[RELAY_URL_ENV] && { relayUrl: process.env[RELAY_URL_ENV] }),
  });

  let window: BrowserWindow | undefined;
  let quitting = false;
  const ownerOf = (contents: WebContents) => `electron-window-${contents.id}`;

  const showWindow = () => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    const created = new BrowserWindow({
      width: 1200,
      height: 800,
      title: 'Switchboard',
      show: false,
      webPreferences: secureWebPreferences(PRELOAD),
    });
    const owner = ownerOf(created.webContents);
    created.once('ready-to-show', () => created.show());
    created.on('close', (event) => {
      // Without background mode, closing the window quits (and stops the proxy).
      if (!quitting && !core.state.settings.backgroundMode) {
        event.preventDefault();
        app.quit();
      }
    });
    created.on('closed', () => {
      core.closeOwner(owner);
      if (window === created) window = undefined;
    });
    // A reload or a crashed renderer keeps the webContents (and so the owner id), but the page that
    // opened the watches, log streams and shells is gone: end them as for a closed window.
    created.webContents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) core.closeOwner(owner);
    });
    created.webContents.on('render-process-gone', () => core.closeOwner(owner));
    void created.loadURL(APP_START_URL);
    window = created;
  };

  ipcMain.handle(IPC_CHANNELS.request, (event, message: unknown) => {
    // Only the app's own page may talk to the core, never a frame it might have navigated to.
    if (!isAppUrl(event.senderFrame?.url)) throw new Error('Switchboard: request refused');
    return core.handleMessage(message, ownerOf(event.sender));
  });

  const tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON_DATA_URL));
  tray.setToolTip('Switchboard');
  tray.on('click', showWindow);
  const actions = {
    openWindow: showWindow,
    signIn: () =>
      void core
        .request('signIn', undefined)
        .catch((error: Error) => logger.warn({ err: error.message }, 'sign-in failed')),
    signOut: () =>
      void core
        .request('signOut', undefined)
        .catch((error: Error) => logger.warn({ err: error.message }, 'sign-out failed')),
    setProxyEnabled: (enabled: boolean) =>
      void core
        .request('setProxyEnabled', { enabled })
        .catch((error: Error) => logger.warn({ err: error.message }, 'proxy switch failed')),
    quit: () => app.quit(),
  };
  let previous: AppState = core.state;
  const onState = (state: AppState) => {
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(state, actions)));
    if (
      state.signIn === 'sign-in-required' &&
      previous.signIn !== 'sign-in-required' &&
      Notification.isSupported()
    ) {
      const notification = new Notification({
        title: 'Switchboard: sign in again',
        body: state.problem?.message ?? 'Your sign-in expired. Click to sign in again.',
      });
      notification.on('click', actions.signIn);
      notification.show();
    }
    previous = state;
  };
  onState(core.state);

  core.on('push', (message: AppEventMessage, owner: string | undefined) => {
    if (message.event === 'state') onState(message.data as AppState);
    for (const each of BrowserWindow.getAllWindows()) {
      if (owner === undefined || owner === ownerOf(each.webContents))
        each.webContents.send(IPC_CHANNELS.event, message);
    }
  });

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  // In background mode the core lives on in the tray with no window.
  app.on('window-all-closed', () => {
    if (!core.state.settings.backgroundMode) app.quit();
  });
  let closed = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closed) return;
    event.preventDefault();
    core.close().finally(() => {
      closed = true;
      tray.destroy();
      app.quit();
    });
  });

  showWindow();
}

/** `app://switchboard/<path>` → the file under `app/dist`, with the CSP and nosniff headers. */
function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const { pathname } = new URL(request.url);
    let relative = decodeURIComponent(pathname);
    if (relative.endsWith('/')) relative += 'index.html';
    const file = resolve(root, `.${relative}`);
    if (!file.startsWith(`${root}${sep}`)) return new Response('Not found', { status: 404 });
    const body = await readFile(file).catch(() => undefined);
    if (!body) return new Response('Not found', { status: 404 });
    const extension = file.slice(file.lastIndexOf('.'));
    return new Response(body, {
      headers: {
        'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
        'content-security-policy': rendererContentSecurityPolicy(),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  });
}

/** No navigation away, no new windows, no webviews, no permissions; https links open outside. */
function lockDownSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (isAppUrl(url)) return;
      event.preventDefault();
      if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLinkAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

/**
 * The menu of a packaged app: Electron's default one has Reload and Toggle Developer Tools (and
 * their shortcuts), which users have no use for; edit keeps copy and paste working on macOS.
 */
function packagedMenuTemplate(): MenuItemConstructorOptions[] {
  return [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'windowMenu' },
  ];
}

function fail(error: Error): void {
  process.stderr.write(`switchboard: ${error.message}\n`);
  app.exit(1);
}
