/**
 * What the tray menu shows for a state: who is signed in, each cluster with its status as a
 * submenu (open it in the app, copy its kubeconfig context name, copy the `export KUBECONFIG=`
 * line), the proxy switch, "Sign in again" when the sign-in expired, and the window, sign-in/out
 * and quit actions. Long cluster lists are grouped by status, and a group longer than a screen is
 * split alphabetically, as Slack and Teleport Connect do with long workspace lists. Plain data
 * (Electron's menu template shape) so it is built and tested without Electron.
 */
import type { AppClusterView, AppState, ClusterPresence } from '@switchboard/contract/app';
import type { MenuItemConstructorOptions } from 'electron';

export interface TrayActions {
  openWindow(): void;
  openCluster(name: string): void;
  copyText(text: string): void;
  signIn(): void;
  signOut(): void;
  setProxyEnabled(enabled: boolean): void;
  quit(): void;
}

/** The presence for this user now, as the window words it (unknown while the relay cannot be heard). */
const PRESENCE_LABELS: Record<ClusterPresence, string> = {
  connected: 'Connected',
  offline: 'Offline',
  'not-joined': 'Not joined',
  expired: 'Expired',
  unknown: 'Unknown',
};

/** Up to this many clusters sit directly in the menu; more are grouped by status. */
export const FLAT_CLUSTER_LIMIT = 12;
/** A group with more clusters than this is split into alphabetical ranges. */
export const GROUP_CLUSTER_LIMIT = 25;

export function trayMenuTemplate(state: AppState, actions: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  const who = state.account?.displayName ?? state.account?.username;
  if (state.signIn === 'sign-in-required') {
    items.push({ label: 'Sign-in expired', enabled: false });
    items.push({ label: 'Sign in again', click: () => actions.signIn() });
  } else if (state.signIn === 'signed-in') {
    items.push({ label: `Signed in${who ? ` as ${who}` : ''}`, enabled: false });
  } else if (state.signIn === 'signing-in') {
    items.push({ label: signingInLabel(state), enabled: false });
  } else if (state.signIn === 'signed-out') {
    items.push({ label: 'Not signed in', enabled: false });
    items.push({ label: 'Sign in…', click: () => actions.signIn() });
  } else {
    items.push({ label: 'Not signed in', enabled: false });
  }
  if (state.reach.state === 'relay-unreachable') {
    items.push({ label: 'Relay unreachable: kubectl requests fail', enabled: false });
  }
  if (state.clusters.length > 0) {
    items.push({ type: 'separator' });
    items.push(...clusterItems(state, actions));
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

/** Where the sign-in waits for the person: the browser only when it really opened. */
function signingInLabel(state: AppState): string {
  const progress = state.signInProgress;
  if (progress?.method === 'device-code') return 'Signing in with a code… (see Switchboard)';
  if (progress?.browser === 'opened') return 'Signing in… (see your browser)';
  return 'Signing in… (see Switchboard)';
}

function clusterItems(state: AppState, actions: TrayActions): MenuItemConstructorOptions[] {
  const sorted = [...state.clusters].sort((a, b) => a.name.localeCompare(b.name));
  const submenuOf = (cluster: AppClusterView) => clusterMenu(state, cluster, actions);
  if (sorted.length <= FLAT_CLUSTER_LIMIT) return sorted.map(submenuOf);
  const order: ClusterPresence[] = ['connected', 'offline', 'not-joined', 'expired', 'unknown'];
  return order.flatMap((presence) => {
    const group = sorted.filter((cluster) => cluster.presence === presence);
    if (group.length === 0) return [];
    const submenu =
      group.length <= GROUP_CLUSTER_LIMIT
        ? group.map(submenuOf)
        : chunks(group, GROUP_CLUSTER_LIMIT).map((chunk) => ({
            label: `${chunk[0]!.name} – ${chunk.at(-1)!.name}`,
            submenu: chunk.map(submenuOf),
          }));
    return [{ label: `${PRESENCE_LABELS[presence]} (${group.length})`, submenu }];
  });
}

function clusterMenu(
  state: AppState,
  cluster: AppClusterView,
  actions: TrayActions,
): MenuItemConstructorOptions {
  const context = state.proxy.contexts.find((each) => each.cluster === cluster.name)?.context;
  const exportLine = state.proxy.exportLine;
  return {
    label: `${cluster.name}: ${PRESENCE_LABELS[cluster.presence]}`,
    submenu: [
      { label: 'Open in Switchboard', click: () => actions.openCluster(cluster.name) },
      {
        label: context ? `Copy context name (${context})` : 'Copy context name (proxy off)',
        enabled: context !== undefined,
        click: () => context && actions.copyText(context),
      },
      {
        label: 'Copy export KUBECONFIG= line',
        enabled: exportLine !== undefined,
        click: () => exportLine && actions.copyText(exportLine),
      },
    ],
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
