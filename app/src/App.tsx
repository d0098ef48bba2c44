/**
 * Switchboard's UI. Screens: first run / sign-in (FirstRun), cluster list + local proxy (ClusterList,
 * ProxyPanel), cluster browser (ClusterBrowser). It talks to the core only through the AppApi.
 *
 * Test hooks (prefer roles and accessible names; data-testid only where no role fits):
 * - Landmarks: banner (header, h1 "Switchboard"), main; navigation "Resource kinds" in the browser.
 * - First run: textbox "Relay URL", button "Connect and sign in"; signed out: buttons "Sign in" /
 *   "Sign in again", "Use a sign-in code", "Use another relay".
 * - Sign-in in progress (`.sign-in-progress[data-sign-in-method=browser|device-code]`, on the first-run
 *   screen, or in region "Sign-in in progress" over the cluster list): browser: a status with
 *   `data-browser-state` (preparing|opening|opened|not-opened), containing "Waiting for you to finish
 *   signing in in your browser" once opened and "could not open a browser" when not;
 *   `data-testid="sign-in-link"`, buttons "Open the sign-in page", "Copy link", "Use a sign-in code
 *   instead"; device code: `data-testid="user-code"` and `data-testid="verification-uri"`, buttons
 *   "Copy code", "Copy link", "Open the page on this computer"; both: button "Cancel". Focus lost
 *   with a pressed button goes to the panel (and back to "Sign in" after Cancel).
 * - Header: `data-testid="account-name"`, `data-testid="relay-url"`, checkbox "Keep running in the
 *   background when the window closes" (only where the host has a tray: `state.backgroundModeAvailable`),
 *   button "Sign out"; with kubectl connections open on the proxy it opens dialog "Sign out and stop
 *   kubectl sessions?" (`data-testid="sign-out-sessions"` says how many) with button "Sign out".
 * - Banners: role=alert for `state.problem` (`[data-error-kind]` inside carries AppError.kind, and
 *   `[data-error-code]` its code when a peer named the cause), with
 *   buttons "Sign in again" (sign-in-required, sign-in-failed), "Try again" (relay-unreachable,
 *   keychain-unavailable), "Change relay", "Choose another port";
 *   `data-testid="relay-unreachable-banner"` once the relay stayed unreachable past the grace.
 * - Cluster list: table "Clusters"; rows `data-testid="cluster-row-<name>"` with `data-status` (the
 *   presence for this user now: connected|offline|not-joined|expired|unknown), `data-may-open` and
 *   aria-selected; `.status-problem` on the badge of offline, not-joined and expired; searchbox
 *   "Search", combobox "Status"; button "Browse <name>" per row the user may open (Enter or double
 *   click on a row opens it too), else `data-testid="no-access-<name>"` ("No access");
 *   `data-testid="reach-note"` with `data-reach` (relay-unreachable|sign-in-expired) when no status
 *   is current.
 * - Local proxy: switch "Local proxy" (aria-checked), `[data-proxy-state]` and `[data-reach]` on its
 *   status ("Running — relay unreachable, kubectl requests fail" while listening without the relay); textbox
 *   "Port", button "Change port", and under it `data-testid="port-error"` (a busy port, shown there
 *   only); `data-testid="proxy-identity"` (whom kubectl acts as); `data-testid="export-line"` and button "Copy the export KUBECONFIG
 *   command" (then a status "Copied"); buttons "Merge into ~/.kube/config", "Remove from
 *   ~/.kube/config" (each opens a dialog with "Merge" / "Remove"); list "Context name per cluster".
 * - Routing: the address's fragment is the place, `#/clusters/<name>/<kind>?ns=&q=&sel=<ns>/<name>
 *   &details=1&sort=[-]<column>` (routing/route.ts); reload and Back/Forward restore it.
 * - Open clusters: navigation "Open clusters" (shown once a cluster was opened) with button "All
 *   clusters", a button per open cluster (aria-current="page" on the one on screen; item
 *   `data-testid="open-cluster-<name>"` with `data-status`) and button "Close <name>". Hidden
 *   clusters stay mounted and keep their place.
 * - Cluster browser: button "← All clusters"; heading = cluster name (focused when the cluster is
 *   opened or switched to); `data-testid="cluster-unavailable"` when it was never reached or is not
 *   in the list; navigation "Resource kinds" with
 *   searchbox "Filter resource kinds" and tree "Resource kinds": group treeitems ("Workloads",
 *   "Config", "Network", "Storage", "Access Control", "Custom Resources" and one per API group
 *   such as "cert-manager.io", "Other"; `aria-expanded`) and kind treeitems named as Lens names
 *   them ("Pods", "Deployments", "Secrets", "Nodes", "Events", "Namespaces"…; others by their
 *   plural, "Certificates") with `data-kind="<resource type id>"` (`pods`,
 *   `certificates.cert-manager.io`), `aria-selected`, and `aria-disabled` when RBAC refuses the
 *   list; combobox "Namespace"; searchbox "Search"; `data-testid="resource-count"` ("Not loaded" while a failed list has no rows); group
 *   "Columns" (a disclosure, checkboxes named after kubectl's `-o wide` columns); table
 *   "<Label> in <cluster>" whose column headers are the apiserver's Table columns (buttons that
 *   sort, `aria-sort` on the sorted one, reached with Up from the first row; Namespace after the name across namespaces) with rows
 *   `data-testid="<kind>-row-<name>"` (the Kind in lower case: pod-row-, deployment-row-,
 *   service-row-, node-row-, event-row-, configmap-row-, namespace-row-, certificate-row-),
 *   `data-namespace`, for pods `data-phase` (the Status column), for events `data-type` (Warning
 *   rows also have class `row-warning`). Rows are virtualized: only those in view exist in the DOM.
 *   A click opens the details. Headers (`data-column`) give way as the table narrows (higher
 *   priority first; the name never); a cut-off cell gets a `title` with its text on hover. The
 *   table has `data-stale="true"` while its rows are not live.
 * - Outage and errors: `data-testid="stale-notice"` (role=status, "Offline — showing data from
 *   HH:MM:SS") while the cluster is offline; `data-testid="watch-problem"` with the error
 *   (role=alert), `data-testid="watch-retry"` ("Retrying in N s." / "Retrying…") and button "Retry
 *   now" while a list fails.
 * - Details (`data-testid="resource-details"`): tabs "Overview" (default), "YAML", "Logs", "Shell" (pods); region
 *   "YAML of …" (`data-testid="yaml-view"`), button "Copy YAML"; `data-testid="log-view"`;
 *   `data-testid="terminal"` (xterm; type into it after clicking it), `data-testid="shell-status"` with
 *   `data-phase` (starting|running|exited|failed); button "Delete…" → dialog "Delete <kind> <name>?"
 *   with button "Delete <kind>".
 * - Desktop host: an `openCluster` event (deep link `switchboard://cluster/<name>`, tray "Open in
 *   Switchboard") opens that cluster's browser, as "Browse <name>" does.
 * - Overview: region "Overview of <kind> <namespace>/<name>" (`data-testid="resource-overview"`);
 *   `data-testid="owner-links"` with buttons "<Kind> <name>";
 *   section headings (h4) per part, e.g. "Pods (3)" with buttons "Pod <name>"; events table
 *   (`data-testid="describe-events"`, rows with `data-event-type`, Warning rows class `event-warning`).
 * - Actions (only what SelfSubjectAccessReview allows): buttons "Scale…" → dialog "Scale <kind> <name>"
 *   with spinbutton "Replicas" and button "Scale"; "Restart…" → dialog "Restart <kind> <name>?" with
 *   button "Restart"; "Cordon" / "Uncordon"; "Drain…" → dialog "Drain node <name>?" with list "Pods to
 *   evict" and button "Drain node", then dialog "Node <name> drained" (button "Done") or "Node <name>
 *   partly drained" (button "Retry", `data-testid="drain-result"`); `data-testid="access-note"` says
 *   what the user may not do.
 * - YAML edit: button "Edit" (when allowed) → textbox "Edit YAML of …", buttons "Apply", "Cancel
 *   editing"; `data-testid="apply-outcome"` with `data-outcome` (applied|conflict|stale|invalid);
 *   a conflict offers "Apply anyway (force)" and "Reload".
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
import { useRef, useState } from 'react';
import { Banner } from './components/Banner';
import { ErrorMessage } from './components/ErrorMessage';
import { type BrowsePlace, HOME, START_PLACE } from './routing/route';
import { useRoute } from './routing/use-route';
import { AppBanners } from './screens/AppBanners';
import { AppHeader } from './screens/AppHeader';
import { ClusterList } from './screens/ClusterList';
import { ClusterBrowser } from './screens/cluster-browser/ClusterBrowser';
import { FirstRun } from './screens/FirstRun';
import { OpenClusters } from './screens/OpenClusters';
import { ProxyPanel } from './screens/ProxyPanel';
import { useCoreLost } from './state/core-context';
import { useAppState } from './state/use-app-state';
import { useOpenClusterRequests } from './state/use-open-cluster-requests';

export function App() {
  const lostReason = useCoreLost();
  const { state, loadError } = useAppState();
  const [route, navigate] = useRoute();
  const activeCluster = route.screen === 'cluster' ? route.cluster : undefined;
  const [openClusters, setOpenClusters] = useState<readonly string[]>([]);
  // A cluster reached by address (a link, reload, Back) joins the open ones.
  if (activeCluster !== undefined && !openClusters.includes(activeCluster)) {
    setOpenClusters([...openClusters, activeCluster]);
  }
  /** Each open cluster's place while another is on screen; the active one's is in the address. */
  const places = useRef(new Map<string, BrowsePlace>());
  if (route.screen === 'cluster') places.current.set(route.cluster, route.place);
  const showCluster = (cluster: string) =>
    navigate({ screen: 'cluster', cluster, place: places.current.get(cluster) ?? START_PLACE });
  const closeCluster = (cluster: string) => {
    setOpenClusters(openClusters.filter((name) => name !== cluster));
    places.current.delete(cluster);
    if (cluster === activeCluster) navigate(HOME);
  };
  useOpenClusterRequests(showCluster);
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
            navigate(HOME);
            setPortFocusRequest((count) => count + 1);
          }}
        />
        <OpenClusters
          open={openClusters}
          active={activeCluster}
          clusters={state.clusters}
          onShowList={() => navigate(HOME)}
          onShow={showCluster}
          onClose={closeCluster}
        />
        {activeCluster === undefined && (
          <div className="home">
            <ClusterList clusters={state.clusters} reach={state.reach} onOpen={showCluster} />
            <ProxyPanel proxy={state.proxy} reach={state.reach} portFocusRequest={portFocusRequest} />
          </div>
        )}
        {/* Every open cluster stays mounted, hidden when another is on screen, so each keeps its
            lists, logs and shells. */}
        {openClusters.map((name) => (
          <div key={name} className="cluster-browser-slot" hidden={name !== activeCluster}>
            <ClusterBrowser
              clusterName={name}
              cluster={state.clusters.find((cluster) => cluster.name === name)}
              listKnown={state.statusStream === 'live' || state.clusters.length > 0}
              place={places.current.get(name) ?? START_PLACE}
              onPlaceChange={(place, how) => navigate({ screen: 'cluster', cluster: name, place }, how)}
              active={name === activeCluster}
              onBack={() => navigate(HOME)}
            />
          </div>
        ))}
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
