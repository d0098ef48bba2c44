/**
 * What the tray menu shows for a state: who is signed in, each cluster's status, the proxy switch,
 * "Sign in again" when the sign-in expired, and the window, sign-out and quit actions. Plain data
 * (Electron's menu template shape) so it is built and tested without Electron.
 */
import type { AppState, ClusterStatus } from '@switchboard/contract/app';
import type { MenuItemConstructorOptions } from 'electron';

export interface TrayActions {
  openWindow(): void;
  signIn(): void;
  signOut(): void;
  setProxyEnabled(enabled: boolean): void;
  quit(): void;
}

const STATUS_LABELS: Record<ClusterStatus, string> = {
  connected: 'Connected',
  connecting: 'Connecting',
  offline: 'Offline',
  expired: 'Expired',
};

export function trayMenuTemplate(state: AppState, actions: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  const who = state.account?.displayName ?? state.account?.username;
  if (state.signIn === 'sign-in-required') {
    items.push({ label: 'Sign-in expired', enabled: false });
    items.push({ label: 'Sign in again', click: () => actions.signIn() });
  } else if (state.signIn === 'signed-in') {
    items.push({ label: `Signed in${who ? ` as ${who}` : ''}`, enabled: false });
  } else if (state.signIn === 'signing-in') {
    items.push({ label: 'Signing in… (see your browser)', enabled: false });
  } else {
    items.push({ label: 'Not signed in', enabled: false });
  }
  if (state.clusters.length > 0) {
    items.push({ type: 'separator' });
    for (const cluster of state.clusters) {
      items.push({ label: `${cluster.name}: ${STATUS_LABELS[cluster.status]}`, enabled: false });
    }
  }
  items.push({ type: 'separator' });
  items.push({
    label:
      state.proxy.state === 'ready'
        ? `Local proxy (port ${state.proxy.port})`
        : `Local proxy (${state.proxy.state})`,
    type: 'checkbox',
    checked: state.proxy.enabled,
    enabled: state.signIn === 'signed-in' || state.proxy.enabled,
    click: () => actions.setProxyEnabled(!state.proxy.enabled),
  });
  items.push({ type: 'separator' });
  items.push({ label: 'Open Switchboard', click: () => actions.openWindow() });
  if (state.signIn === 'signed-in' || state.signIn === 'sign-in-required') {
    items.push({ label: 'Sign out', click: () => actions.signOut() });
  }
  items.push({ label: 'Quit Switchboard', click: () => actions.quit() });
  return items;
}
