/**
 * The Electron main process: hosts the core (`AppCore`), one window with the renderer, the tray,
 * notifications, updates and the OS integration. Thin on purpose: what it shows is decided by pure
 * modules beside it (tray icon and menu, notification policy, app menu, quit question, window
 * place, deep links), tested without Electron; everything the window shows and does goes through
 * the same contract the browser host carries, and everything security-relevant about the window is
 * in `window-options.ts`.
 *
 * - Renderer files come from `app://switchboard/` (a privileged scheme served from `app/dist`, with
 *   the CSP as a response header); windows may not navigate anywhere else, open new windows, attach
 *   webviews or get permissions. https links go to the system browser.
 * - IPC: one `handle` channel for requests, checked to come from the app's own frame, and one
 *   channel for pushed events.
 * - With background mode on (the user's choice), closing the window leaves the core and proxy
 *   running in the tray, and the first close says so; otherwise closing the window quits. Quitting
 *   while kubectl sessions run through the proxy asks first. A second launch focuses the running
 *   instance (and hands it its deep link).
 * - `switchboard://cluster/<name>` opens that cluster (macOS `open-url`; Windows and Linux pass it
 *   as an argument). Started at login (`--hidden`) the app opens in the tray only.
 * - Updates: electron-updater's generic feed from `desktop.json`'s `updateFeedUrl`,
 *   `SWITCHBOARD_UPDATE_URL`, or the one built in; checked at start and daily, installed on quit.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AppEventMessage,
  type AppState,
  DEEP_LINK_SCHEME,
  deepLinkInArguments,
  IPC_CHANNELS,
  parseDeepLink,
} from '@switchboard/contract/app';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  Notification,
  nativeImage,
  protocol,
  screen,
  session,
  shell,
  Tray,
  type WebContents,
} from 'electron';
import electronUpdater from 'electron-updater';
import { AppCore } from '../core/app/app-core.js';
import { rendererContentSecurityPolicy, rendererDirectory } from '../core/app/renderer-files.js';
import { switchboardConfigDirectory } from '../core/files/config-directory.js';
import { KeychainLocalIdentityStore } from '../core/local-proxy/local-identity.js';
import { createLogger } from '../core/logging/logger.js';
import { KeychainTokenStore } from '../core/token-store/keychain-token-store.js';
import { aboutPanelOptions, appMenuTemplate, nextZoomFactor } from './app-menu.js';
import { DesktopSettingsFile, updateFeedUrlSchema } from './desktop-settings.js';
import { RELAY_URL_ENV } from './electron-binary.js';
import { appIconLayers, rasterize } from './icons/icon-art.js';
import { encodePng } from './icons/png.js';
import { HIDDEN_ARGUMENT, setLinuxAutostart } from './login-item.js';
import { type Notice, NotificationPolicy } from './notification-policy.js';
import { quitQuestion } from './quit-guard.js';
import { type TrayIconState, trayIconState, trayImage, trayTooltip } from './tray-icon.js';
import { trayMenuTemplate } from './tray-menu.js';
import { UpdateService, updateMenuLabel } from './updates/update-service.js';
import {
  APP_SCHEME,
  APP_START_URL,
  isAppUrl,
  isExternalLinkAllowed,
  secureWebPreferences,
} from './window-options.js';
import { initialWindowBounds, MINIMUM_WINDOW_SIZE } from './window-state.js';

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

/** Windows groups notifications and taskbar entries by this id; it is electron-builder's appId. */
const APP_USER_MODEL_ID = 'dev.switchboard.desktop';
/** The build-time update feed (electron-builder's `publish`), in the app's resources when set. */
const BUILT_IN_UPDATE_CONFIG = join(process.resourcesPath ?? '', 'app-update.yml');

// A deep link that arrives before the window exists (macOS delivers `open-url` before `ready`).
let pendingDeepLink: string | undefined = deepLinkInArguments(process.argv);
let handleDeepLink = (link: string) => {
  pendingDeepLink = link;
};
app.on('open-url', (event, url) => {
  event.preventDefault();
  handleDeepLink(url);
});

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
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  // Registered by the installers; this covers a development run and a moved AppImage. A development
  // run is `electron <main.js>`: the OS must start Electron with the script, not Electron alone.
  const launchArguments = process.defaultApp && process.argv[1] ? [resolve(process.argv[1])] : [];
  if (!app.isDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, launchArguments)) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, launchArguments);
  }

  const configDirectory = switchboardConfigDirectory();
  const desktop = await DesktopSettingsFile.load(configDirectory, (message) => logger.warn({}, message));
  const save = (change: Parameters<DesktopSettingsFile['update']>[0]) =>
    void desktop
      .update(change)
      .catch((error: Error) => logger.warn({ err: error.message }, 'saving desktop.json failed'));
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
  const appIcon = nativeImage.createFromBuffer(encodePng(rasterize(256, appIconLayers())));
  app.setAboutPanelOptions(
    aboutPanelOptions({
      app: app.getVersion(),
      electron: process.versions.electron,
      chrome: process.versions.chrome,
      node: process.versions.node,
    }),
  );

  let window: BrowserWindow | undefined;
  let quitting = false;
  let pendingCluster: string | undefined;
  const ownerOf = (contents: WebContents) => `electron-window-${contents.id}`;

  const rememberPlace = (shown: BrowserWindow) =>
    desktop
      .update({ window: { ...shown.getNormalBounds(), maximized: shown.isMaximized() } })
      .catch((error: Error) => logger.warn({ err: error.message }, 'saving the window place failed'));

  const showWindow = () => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    const place = initialWindowBounds(
      desktop.current.window,
      screen.getAllDisplays().map((display) => display.workArea),
    );
    const created = new BrowserWindow({
      ...place.bounds,
      minWidth: MINIMUM_WINDOW_SIZE.width,
      minHeight: MINIMUM_WINDOW_SIZE.height,
      title: 'Switchboard',
      icon: appIcon,
      show: false,
      webPreferences: secureWebPreferences(PRELOAD),
    });
    const owner = ownerOf(created.webContents);
    created.once('ready-to-show', () => {
      if (place.maximized) created.maximize();
      created.show();
    });
    created.webContents.on('did-finish-load', () =>
      created.webContents.setZoomFactor(desktop.current.zoomFactor),
    );
    created.on('close', (event) => {
      if (quitting) return; // before-quit remembered the place already
      void rememberPlace(created);
      if (!core.state.settings.backgroundMode) {
        // Without background mode, closing the window quits (and stops the proxy), asking first
        // when kubectl sessions run; the window stays if the user cancels.
        event.preventDefault();
        app.quit();
      } else if (!desktop.current.closeToTrayExplained) {
        save({ closeToTrayExplained: true });
        void dialog.showMessageBox({
          type: 'info',
          message: 'Switchboard is still running',
          detail:
            `The local proxy keeps serving kubectl while the window is closed. Open the window or quit from the Switchboard icon in the ${process.platform === 'darwin' ? 'menu bar' : 'tray'}. ` +
            'To quit when the window closes, turn off "Keep running in the background" in the app.',
          buttons: ['OK'],
        });
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

  const sendOpenCluster = (contents: WebContents, cluster: string) => {
    const message: AppEventMessage = { event: 'openCluster', data: { cluster } };
    contents.send(IPC_CHANNELS.event, message);
  };
  const openCluster = (cluster: string) => {
    const loaded = window && !window.isDestroyed() && !window.webContents.isLoading();
    showWindow();
    // A page still loading subscribes when it first asks for the state (see the IPC handler).
    if (loaded) sendOpenCluster(window!.webContents, cluster);
    else pendingCluster = cluster;
  };
  handleDeepLink = (link) => {
    const parsed = parseDeepLink(link);
    if (parsed) openCluster(parsed.cluster);
    else logger.warn({ link: link.slice(0, 200) }, 'ignored a link that is not switchboard://cluster/<name>');
  };

  ipcMain.handle(IPC_CHANNELS.request, async (event, message: unknown) => {
    // Only the app's own page may talk to the core, never a frame it might have navigated to.
    if (!isAppUrl(event.senderFrame?.url)) throw new Error('Switchboard: request refused');
    try {
      return await core.handleMessage(message, ownerOf(event.sender));
    } finally {
      // The page's first getState comes right after it subscribed to its events.
      if (pendingCluster && (message as { method?: unknown } | null)?.method === 'getState') {
        const cluster = pendingCluster;
        pendingCluster = undefined;
        setImmediate(() => sendOpenCluster(event.sender, cluster));
      }
    }
  });

  const feedUrl = feedUrlFor(desktop.current.updateFeedUrl);
  const updates = new UpdateService({
    updater: updaterFor(feedUrl),
    logger,
    ...(feedUrl && {
      feedUrl,
      ...(!existsSync(BUILT_IN_UPDATE_CONFIG) && {
        updateConfigFile: join(app.getPath('userData'), 'app-update.yml'),
      }),
    }),
  });

  const askBeforeCuttingSessions = (reason: 'quit' | 'install-update'): boolean => {
    const question = quitQuestion(core.kubectlSessions, reason);
    if (!question) return true;
    const options = { type: 'warning' as const, ...question };
    const answer =
      window && !window.isDestroyed()
        ? dialog.showMessageBoxSync(window, options)
        : dialog.showMessageBoxSync(options);
    return answer === 0;
  };
  let sessionsConfirmed = false;
  const installUpdate = () => {
    if (!askBeforeCuttingSessions('install-update')) return;
    sessionsConfirmed = true;
    updates.installNow();
  };
  const showUpdateReady = async () => {
    const status = updates.status;
    if (status.state !== 'downloaded') return;
    const { response } = await dialog.showMessageBox({
      type: 'info',
      message: `Switchboard ${status.version} is ready to install`,
      detail: `${status.releaseNotes}\n\nIt installs when you quit Switchboard, or now with a restart.`,
      buttons: ['Restart and install', 'Later'],
      defaultId: 1,
      cancelId: 1,
    });
    if (response === 0) installUpdate();
  };

  const setStartAtLogin = async (enabled: boolean) => {
    if (process.platform === 'linux') {
      await setLinuxAutostart(enabled, process.env.APPIMAGE ?? process.execPath);
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARGUMENT] });
    }
    await desktop.update({ startAtLogin: enabled });
    refreshMenus();
  };
  const zoom = (change: 'in' | 'out' | 'reset') => {
    const factor = nextZoomFactor(desktop.current.zoomFactor, change);
    save({ zoomFactor: factor });
    for (const each of BrowserWindow.getAllWindows()) each.webContents.setZoomFactor(factor);
  };
  const refreshApplicationMenu = () => {
    const status = updates.status;
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate(
          {
            platform: process.platform,
            isPackaged: app.isPackaged,
            updateLabel: updateMenuLabel(status),
            updateEnabled:
              status.state !== 'not-configured' &&
              status.state !== 'checking' &&
              status.state !== 'downloading',
            notifications: desktop.current.notifications,
            startAtLogin: desktop.current.startAtLogin,
          },
          {
            showAbout: () => app.showAboutPanel(),
            checkForUpdates: () =>
              status.state === 'downloaded' ? void showUpdateReady() : void updates.checkNow(),
            setNotifications: (enabled) => {
              save({ notifications: enabled });
              setImmediate(refreshApplicationMenu);
            },
            setStartAtLogin: (enabled) =>
              void setStartAtLogin(enabled).catch((error: Error) =>
                logger.warn({ err: error.message }, 'start at login could not be changed'),
              ),
            zoom,
          },
        ),
      ),
    );
  };

  const tray = new Tray(trayNativeImage(trayIconState(core.state)));
  let shownIconState: TrayIconState = trayIconState(core.state);
  tray.on('click', showWindow);
  const actions = {
    openWindow: showWindow,
    openCluster,
    copyText: (text: string) => clipboard.writeText(text),
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
  const refreshTray = (state: AppState) => {
    const iconState = trayIconState(state);
    if (iconState !== shownIconState) {
      tray.setImage(trayNativeImage(iconState));
      shownIconState = iconState;
    }
    tray.setToolTip(trayTooltip(state));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(state, actions)));
  };
  function refreshMenus(): void {
    refreshApplicationMenu();
    refreshTray(core.state);
  }

  const notifications = new NotificationPolicy();
  const notify = (notice: Notice) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body, icon: appIcon });
    notification.on('click', notice.action === 'sign-in' ? actions.signIn : showWindow);
    notification.show();
  };
  let previous: AppState = core.state;
  const onState = (state: AppState) => {
    refreshTray(state);
    for (const notice of notifications.next(previous, state, Date.now(), desktop.current.notifications))
      notify(notice);
    previous = state;
  };
  onState(core.state);
  refreshApplicationMenu();

  updates.on('status', (status) => {
    refreshApplicationMenu();
    if (status.state === 'downloaded' && desktop.current.notifications && Notification.isSupported()) {
      const notification = new Notification({
        title: `Switchboard ${status.version} is ready`,
        body: 'It installs when you quit. Click for what is new.',
        icon: appIcon,
      });
      notification.on('click', () => void showUpdateReady());
      notification.show();
    }
  });
  updates.start();

  core.on('push', (message: AppEventMessage, owner: string | undefined) => {
    if (message.event === 'state') onState(message.data as AppState);
    for (const each of BrowserWindow.getAllWindows()) {
      if (owner === undefined || owner === ownerOf(each.webContents))
        each.webContents.send(IPC_CHANNELS.event, message);
    }
  });

  app.on('second-instance', (_event, argv) => {
    const link = deepLinkInArguments(argv);
    if (link) handleDeepLink(link);
    else showWindow();
  });
  app.on('activate', showWindow);
  // In background mode the core lives on in the tray with no window.
  app.on('window-all-closed', () => {
    if (!core.state.settings.backgroundMode) app.quit();
  });
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (!sessionsConfirmed && !askBeforeCuttingSessions('quit')) return;
    sessionsConfirmed = true;
    quitting = true;
    updates.stop();
    // Written before the windows close: the process ends soon after.
    const shown = window && !window.isDestroyed() ? rememberPlace(window) : undefined;
    Promise.all([shown, core.close()]).finally(() => {
      closed = true;
      tray.destroy();
      app.quit();
    });
  });

  const startedHidden =
    process.argv.includes(HIDDEN_ARGUMENT) ||
    (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
  if (pendingDeepLink) handleDeepLink(pendingDeepLink);
  else if (!(startedHidden && core.state.settings.backgroundMode)) showWindow();
}

/** electron-updater's updater for this platform, or undefined when there is no feed to check. */
function updaterFor(feedUrl: string | undefined) {
  if (!app.isPackaged) return undefined;
  if (!feedUrl && !existsSync(BUILT_IN_UPDATE_CONFIG)) return undefined;
  return electronUpdater.autoUpdater;
}

function feedUrlFor(configuredFeed: string | undefined): string | undefined {
  if (configuredFeed) return configuredFeed;
  const fromEnvironment = process.env.SWITCHBOARD_UPDATE_URL;
  if (!fromEnvironment) return undefined;
  const parsed = updateFeedUrlSchema.safeParse(fromEnvironment);
  if (parsed.success) return parsed.data;
  process.stderr.write(`switchboard: SWITCHBOARD_UPDATE_URL ignored: ${parsed.error.issues[0]?.message}\n`);
  return undefined;
}

function trayNativeImage(iconState: TrayIconState) {
  const { template, representations } = trayImage(iconState, process.platform);
  const image = nativeImage.createEmpty();
  for (const { scaleFactor, size, png } of representations) {
    image.addRepresentation({ scaleFactor, width: size, height: size, buffer: png });
  }
  image.setTemplateImage(template);
  return image;
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

function fail(error: Error): void {
  process.stderr.write(`switchboard: ${error.message}\n`);
  app.exit(1);
}
