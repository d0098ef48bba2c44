/**
 * Switchboard's UI. Screens: first run / sign-in (FirstRun), cluster list + local proxy (ClusterList,
 * ProxyPanel), cluster browser (ClusterBrowser). It talks to the core only through the AppApi.
 *
 * Test hooks (prefer roles and accessible names; data-testid only where no role fits):
 * - Landmarks: banner (header, h1 "Switchboard"), main; navigation "Resource kinds" in the browser.
 * - First run: textbox "Relay URL", button "Connect and sign in"; while waiting, a status containing
 *   "Waiting for you to finish signing in in your browser"; buttons "Sign in" / "Sign in again" /
 *   "Open the sign-in page again", "Use another relay".
 * - Header: `data-testid="account-name"`, `data-testid="relay-url"`, checkbox "Keep running in the
 *   background when the window closes", button "Sign out".
 * - Banners: role=alert for `state.problem` (`[data-error-kind]` inside carries AppError.kind, and
 *   `[data-error-code]` its code when a peer named the cause), with
 *   buttons "Sign in again", "Try again", "Change relay", "Choose another port".
 * - Cluster list: table "Clusters"; rows `data-testid="cluster-row-<name>"` with `data-status`
 *   (connecting|connected|offline|expired) and aria-selected; searchbox "Search", combobox "Status";
 *   button "Browse <name>" per row (Enter or double click on a row opens it too).
 * - Local proxy: switch "Local proxy" (aria-checked), `[data-proxy-state]` on its status; textbox
 *   "Port", button "Change port"; `data-testid="export-line"` and button "Copy the export KUBECONFIG
 *   command" (then a status "Copied"); buttons "Merge into ~/.kube/config", "Remove from
 *   ~/.kube/config" (each opens a dialog with "Merge" / "Remove"); list "Context name per cluster".
 * - Cluster browser: button "← All clusters"; heading = cluster name;
 *   `data-testid="cluster-unavailable"` when it is not connected; tabs "Namespaces", "Pods",
 *   "Deployments", "Services", "Nodes", "Events", "ConfigMaps"; combobox "Namespace"; searchbox
 *   "Search"; `data-testid="resource-count"`; table "<Kind> in <cluster>" with rows
 *   `data-testid="<kind>-row-<name>"` (pod-row-, deployment-row-, service-row-, node-row-,
 *   event-row-, configmap-row-, namespace-row-), `data-namespace`, and for pods `data-phase`. Rows are
 *   virtualized: only those in view exist in the DOM. A click opens the details.
 * - Details (`data-testid="resource-details"`): tabs "YAML", "Logs" (pods, deployments), "Shell"
 *   (pods), "Port forward" (pods, services); region "YAML of …" (`data-testid="yaml-view"`), button
 *   "Copy YAML"; button "Delete…" → dialog "Delete <kind> <name>?" with button "Delete <kind>".
 * - Logs (`data-testid="logs-panel"`, class `logs-maximized` when maximized): combobox "Container"
 *   (options "<name>", "<name> (init)", "(sidecar)", "(debug)"), checkbox "Previous container"
 *   (disabled with an aria-describedby reason when there was no restart), checkboxes "Timestamps",
 *   "Wrap lines"; searchbox "Search the log", buttons "Previous match" / "Next match",
 *   `data-testid="log-match-count"` ("2 of 9"); button "Pause" / "Resume" (aria-pressed); buttons
 *   "Download", "Maximize" / "Restore size"; `data-testid="log-status"` ("Following the log of …",
 *   "Paused: N new lines.", "The whole log of …", dropped-lines count); `data-testid="log-view"`
 *   (one `pre`: its text is the log; `mark.log-match`, `.log-match-active`, `.log-time`, `.log-pod`);
 *   for a deployment, list "Pods in this log" with `data-testid="log-pod-<pod>"` and `data-state`
 *   (waiting|following|ended|failed), and combobox "Container" when its pods have several.
 * - Shell: combobox "Container" (running ones), button "New shell"; tablist "Shells in <pod>" with
 *   one tab per shell named "<pod>/<container>" ("(2)"… when repeated; Delete closes the focused
 *   one); `data-testid="terminal"` (xterm; type into it after clicking it);
 *   `data-testid="shell-status"` with `data-phase` (starting|running|exited|failed) and
 *   `data-shell` (bash|sh); buttons "Close shell <title>", "Start a new shell" (after an exit).
 * - Port forward: combobox "Port", textbox "Local port", button "Start forwarding"; region "Port
 *   forwards" (in the cluster browser while any run) with items `data-testid="port-forward-<local
 *   port>"` and `data-state` (forwarding|failed), buttons "Copy <address>", "Open http://… in the
 *   browser", "Stop forwarding <address>".
 * - When the core goes away: role=alert "The Switchboard core stopped…" (or "Could not connect to the
 *   Switchboard core…" when the socket was refused) with button "Reload".
 */
import { useState } from 'react';
import { Banner } from './components/Banner';
import { ErrorMessage } from './components/ErrorMessage';
import { AppBanners } from './screens/AppBanners';
import { AppHeader } from './screens/AppHeader';
import { ClusterList } from './screens/ClusterList';
import { ClusterBrowser } from './screens/cluster-browser/ClusterBrowser';
import { FirstRun } from './screens/FirstRun';
import { ProxyPanel } from './screens/ProxyPanel';
import { useCoreLost } from './state/core-context';
import { useAppState } from './state/use-app-state';

export function App() {
  const lostReason = useCoreLost();
  const { state, loadError } = useAppState();
  const [openCluster, setOpenCluster] = useState<string>();
  const [relayFormWanted, setRelayFormWanted] = useState(false);
  const [portFocusRequest, setPortFocusRequest] = useState(0);

  const body = (() => {
    if (lostReason !== undefined) {
      return (
        <Banner
          tone="error"
          actions={
            <button type="button" className="button-primary" onClick={() => window.location.reload()}>
              Reload
            </button>
          }
        >
          {lostReason}
        </Banner>
      );
    }
    if (state === undefined) {
      return loadError === undefined ? (
        <p role="status" className="muted">
          Connecting to the Switchboard core…
        </p>
      ) : (
        <Banner tone="error">
          <ErrorMessage error={loadError} />
        </Banner>
      );
    }
    const signedIn =
      state.account !== undefined && ['signed-in', 'signing-in', 'sign-in-required'].includes(state.signIn);
    if (!signedIn || relayFormWanted) {
      return (
        <>
          {state.problem !== undefined && (
            <AppBanners
              state={state}
              onChangeRelay={() => setRelayFormWanted(true)}
              onChoosePort={() => setPortFocusRequest((count) => count + 1)}
            />
          )}
          <FirstRun state={state} relayFormWanted={relayFormWanted} onRelayFormWanted={setRelayFormWanted} />
        </>
      );
    }
    return (
      <>
        <AppBanners
          state={state}
          onChangeRelay={() => setRelayFormWanted(true)}
          onChoosePort={() => {
            setOpenCluster(undefined);
            setPortFocusRequest((count) => count + 1);
          }}
        />
        {openCluster === undefined ? (
          <div className="home">
            <ClusterList clusters={state.clusters} onOpen={setOpenCluster} />
            <ProxyPanel proxy={state.proxy} portFocusRequest={portFocusRequest} />
          </div>
        ) : (
          <ClusterBrowser
            clusterName={openCluster}
            cluster={state.clusters.find((cluster) => cluster.name === openCluster)}
            onBack={() => setOpenCluster(undefined)}
          />
        )}
      </>
    );
  })();

  return (
    <>
      <AppHeader state={lostReason === undefined ? state : undefined} />
      <main id="main" className="app-main">
        {body}
      </main>
    </>
  );
}
