/**
 * The application menu and the About panel, as plain data (Electron's template shapes) so they are
 * tested without Electron. macOS gets the app menu (About, Check for Updates, Preferences, Quit);
 * Windows and Linux get the same under File and Help. View has zoom in, out and reset (remembered)
 * and full screen; Reload and the developer tools only in an unpackaged (development) build.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuActions {
  showAbout(): void;
  checkForUpdates(): void;
  setNotifications(enabled: boolean): void;
  setStartAtLogin(enabled: boolean): void;
  zoom(change: 'in' | 'out' | 'reset'): void;
}

export interface AppMenuState {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  updateLabel: string;
  updateEnabled: boolean;
  notifications: boolean;
  startAtLogin: boolean;
}

export function appMenuTemplate(state: AppMenuState, actions: AppMenuActions): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  // Alt-key mnemonics exist on Windows and Linux only.
  const top = (label: string) => (mac ? label.replace('&', '') : label);
  const checkForUpdates: MenuItemConstructorOptions = {
    label: state.updateLabel,
    enabled: state.updateEnabled,
    click: () => actions.checkForUpdates(),
  };
  const preferences: MenuItemConstructorOptions[] = [
    {
      label: 'Show Notifications',
      type: 'checkbox',
      checked: state.notifications,
      click: () => actions.setNotifications(!state.notifications),
    },
    {
      label: mac ? 'Open at Login' : 'Start at Login',
      type: 'checkbox',
      checked: state.startAtLogin,
      click: () => actions.setStartAtLogin(!state.startAtLogin),
    },
  ];
  const about: MenuItemConstructorOptions = { label: 'About Switchboard', click: () => actions.showAbout() };
  const view: MenuItemConstructorOptions[] = [
    { label: 'Zoom In', accelerator: 'CommandOrControl+Plus', click: () => actions.zoom('in') },
    // Keyboards without a separate plus key send "=" for it.
    { label: 'Zoom In', accelerator: 'CommandOrControl+=', visible: false, click: () => actions.zoom('in') },
    { label: 'Zoom Out', accelerator: 'CommandOrControl+-', click: () => actions.zoom('out') },
    { label: 'Actual Size', accelerator: 'CommandOrControl+0', click: () => actions.zoom('reset') },
    { type: 'separator' },
    { role: 'togglefullscreen' },
    ...(state.isPackaged
      ? []
      : ([
          { type: 'separator' },
          { role: 'reload' },
          { role: 'toggleDevTools' },
        ] as MenuItemConstructorOptions[])),
  ];
  return [
    ...(mac
      ? [
          {
            label: 'Switchboard',
            submenu: [
              about,
              checkForUpdates,
              { type: 'separator' },
              { label: 'Settings', submenu: preferences },
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ] as MenuItemConstructorOptions[],
          },
        ]
      : []),
    {
      label: top('&File'),
      submenu: mac
        ? [{ role: 'close' }]
        : [
            { label: 'Settings', submenu: preferences },
            { type: 'separator' },
            { role: 'close' },
            { role: 'quit' },
          ],
    },
    { role: 'editMenu' },
    { label: top('&View'), submenu: view },
    { role: 'windowMenu' },
    ...(mac ? [] : [{ label: '&Help', submenu: [checkForUpdates, { type: 'separator' as const }, about] }]),
  ];
}

export interface Versions {
  app: string;
  electron: string;
  chrome: string;
  node: string;
}

/** `app.setAboutPanelOptions`: the app's version and those of what it runs on. */
export function aboutPanelOptions(versions: Versions, iconPath?: string) {
  return {
    applicationName: 'Switchboard',
    applicationVersion: versions.app,
    version: `Electron ${versions.electron} · Chromium ${versions.chrome} · Node.js ${versions.node}`,
    copyright: 'Copyright © Switchboard contributors · Apache-2.0',
    website: 'https://github.com/switchboard/switchboard',
    ...(iconPath && { iconPath }),
  };
}

/** Chromium's zoom steps, which users know from their browser. */
export const ZOOM_STEPS = [0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3] as const;

export function nextZoomFactor(current: number, change: 'in' | 'out' | 'reset'): number {
  if (change === 'reset') return 1;
  if (change === 'in') return ZOOM_STEPS.find((step) => step > current + 0.001) ?? ZOOM_STEPS.at(-1)!;
  return [...ZOOM_STEPS].reverse().find((step) => step < current - 0.001) ?? ZOOM_STEPS[0];
}
