/**
 * The one contract between the UI (renderer, `app/`) and the core (`main/src/core`): every request
 * the UI can make with its request and response types, and every event the core pushes. Two hosts
 * carry it: the Electron preload (`contextBridge` + IPC) and the browser host (`switchboard ui`,
 * JSON over a WebSocket). Requests are validated with these schemas on the core side of both hosts:
 * the renderer is treated as untrusted input.
 *
 * Wire shape (both hosts): request `{ id, method, params }` → response `{ id, ok: true, result }` or
 * `{ id, ok: false, error: AppError }`; pushed `{ event, data }`.
 */
import { z } from 'zod';
import { type ClusterView, clusterNameSchema } from '../relay-api/relay-api.js';
import { OPEN_REFUSALS } from '../tunnel/tunnel.js';

export type { ClusterStatus, ClusterView } from '../relay-api/relay-api.js';

/** Errors a person can act on; `kind` picks the UI's wording and the button it offers. */
export const APP_ERROR_KINDS = [
  'relay-unreachable', // retry, or change the relay URL
  'sign-in-required', // sign in again (one click)
  'cluster-offline', // the agent is not connected; shows last seen
  'no-access', // ask an admin for a grant / RBAC
  'port-in-use', // pick another port
  'keychain-unavailable', // the OS keychain is missing or locked: fix it, then try again
  'sign-in-failed', // the sign-in did not complete (timed out, refused, not offered): sign in again
  'not-found',
  'invalid-request', // the UI sent something the core refused (a bug, or bad user input)
  'internal',
] as const;
export type AppErrorKind = (typeof APP_ERROR_KINDS)[number];
/**
 * The cause as a peer named it, when one did: why the relay or the cluster's agent refused a
 * tunnel stream (the tunnel contract's refusal reasons: `cluster-offline`, `forbidden`…).
 */
export const APP_ERROR_CODES = OPEN_REFUSALS;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];
export interface AppError {
  kind: AppErrorKind;
  message: string;
  code?: AppErrorCode;
}

export type SignInState = 'no-relay' | 'signed-out' | 'signing-in' | 'signed-in' | 'sign-in-required';

/** What the browser did with the sign-in page the core asked it to open. */
export type SignInBrowserState = 'preparing' | 'opening' | 'opened' | 'not-opened';

/** The code to enter on another device (OAuth device authorization grant, RFC 8628). */
export interface DeviceCodeView {
  userCode: string;
  verificationUri: string;
  /** The verification URI with the code filled in, when the issuer gives one. */
  verificationUriComplete?: string;
  /** ISO time the code stops working. */
  expiresAt: string;
}

/** A sign-in under way (`signIn` is `signing-in`): how, and what the person can do about it. */
export type SignInProgress =
  | {
      method: 'browser';
      /** ISO time. */
      startedAt: string;
      /** The sign-in page (authorization URL), once it is known. */
      url?: string;
      browser: SignInBrowserState;
      /** Why the browser did not open, when it did not. */
      browserProblem?: string;
    }
  | {
      method: 'device-code';
      startedAt: string;
      /** Undefined until the issuer handed out a code. */
      deviceCode?: DeviceCodeView;
      /** Why the code's page could not be opened on this computer, when the person asked and it failed. */
      browserProblem?: string;
    };

export interface AccountView {
  relayUrl: string;
  username: string;
  displayName?: string;
}

export interface ProxyView {
  enabled: boolean;
  /** `starting` until it listens and the relay session is up. */
  state: 'off' | 'starting' | 'ready' | 'error';
  port: number;
  /** `https://127.0.0.1:<port>` when listening. */
  url?: string;
  /** The kubeconfig the proxy wrote (mode 0600). */
  kubeconfigPath?: string;
  /** `export KUBECONFIG=<kubeconfigPath>`, ready to copy. */
  exportLine?: string;
  /** Whether Switchboard's contexts are merged into ~/.kube/config. */
  merged: boolean;
  /** Context name per granted cluster. */
  contexts: { cluster: string; context: string }[];
  /**
   * Client connections open on the proxy now (each running kubectl, Helm or Lens holds at least
   * one): what stopping the proxy, e.g. by signing out, would cut.
   */
  activeSessions: number;
  error?: AppError;
}

export interface AppSettings {
  /** Keep the core (proxy, status) running in the tray when the window closes. */
  backgroundMode: boolean;
}

/**
 * Whether what the relay says reaches this user now, derived in the core from the status stream and
 * the sign-in (one place, so the cluster list, the proxy and the banners agree):
 * - `signed-out`: no session;
 * - `connecting`: signed in, the status stream not live yet, or dropped within a short grace;
 * - `live`: the status stream is live: the statuses shown are the relay's, now;
 * - `relay-unreachable`: the stream has been down past the grace: kubectl requests fail too;
 * - `sign-in-expired`: the tokens can no longer be renewed: kubectl requests fail until the user
 *   signs in again.
 */
export const RELAY_REACH_STATES = [
  'signed-out',
  'connecting',
  'live',
  'relay-unreachable',
  'sign-in-expired',
] as const;
export type RelayReachState = (typeof RELAY_REACH_STATES)[number];
export interface RelayReach {
  state: RelayReachState;
  /**
   * While not `live`: the ISO time the relay last confirmed the clusters' statuses (its stream was
   * live until then); absent while live and before it ever was.
   */
  confirmedAt?: string;
}

/**
 * A cluster as this user can use it now (derived in the core from the relay's `status` and the
 * reach): `unknown` while the relay is unreachable or the sign-in expired (`status` is then the
 * relay's last word, as of `reach.confirmedAt`); `not-joined` for a cluster whose agent never
 * connected, which kubectl is told is offline, as for `offline`.
 */
export const CLUSTER_PRESENCES = ['connected', 'offline', 'not-joined', 'expired', 'unknown'] as const;
export type ClusterPresence = (typeof CLUSTER_PRESENCES)[number];
export interface AppClusterView extends ClusterView {
  presence: ClusterPresence;
  /** Whether this user may open the cluster (holds a grant on it): a global admin sees others too. */
  mayOpen: boolean;
}

/** Everything the UI shows outside the cluster browser; pushed whole on every change (it is small). */
export interface AppState {
  signIn: SignInState;
  relayUrl?: string;
  account?: AccountView;
  clusters: AppClusterView[];
  /** The live status stream from the relay: `live`, or `reconnecting` after it dropped. */
  statusStream: 'idle' | 'live' | 'reconnecting';
  /** What is true for this user now; the cluster list and the proxy panel say it. */
  reach: RelayReach;
  proxy: ProxyView;
  settings: AppSettings;
  /**
   * Whether the host can keep the core running when its window closes (Electron, in the tray):
   * only there does `settings.backgroundMode` do something. The browser host's core outlives its
   * tabs anyway.
   */
  backgroundModeAvailable: boolean;
  /** The latest problem not tied to one request (relay unreachable, sign-in required…). */
  problem?: AppError;
  /** While `signIn` is `signing-in`. */
  signInProgress?: SignInProgress;
}

/**
 * A resource type, named as kubectl names resources: `<plural>` in the core group (`pods`,
 * `nodes`), `<plural>.<group>` otherwise (`deployments.apps`, `certificates.cert-manager.io`).
 * The core resolves it through the cluster's discovery and refuses one the cluster does not serve.
 */
export type ResourceTypeId = string;
export const resourceTypeIdSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'a resource type is `<plural>` or `<plural>.<group>`, lower case (pods, deployments.apps)',
  );

/** One resource type the cluster serves, from its discovery. */
export interface ResourceKindInfo {
  id: ResourceTypeId;
  /** The object kind, e.g. `Deployment`. */
  kind: string;
  plural: string;
  /** `` for the core group. */
  group: string;
  /** The version the core reads it in (the group's preferred one that serves it). */
  version: string;
  namespaced: boolean;
  verbs: string[];
  /** Served because of a CustomResourceDefinition. */
  custom: boolean;
  /** Whether the person may list it across the cluster (a SelfSubjectAccessReview said so). */
  listAllowed: boolean;
}

/**
 * A sidebar group, as Lens groups kinds: Nodes, Workloads, Config, Network, Storage, Namespaces,
 * Events, Access Control, then "Custom Resources": first the CustomResourceDefinitions
 * themselves (no `apiGroup`), then one group per API group of custom resources (`apiGroup` set),
 * then Other. Kinds within a group are in Lens's order, the rest by Kind.
 */
export interface ResourceKindGroup {
  name: string;
  /** For custom resources: the API group these kinds belong to. */
  apiGroup?: string;
  kinds: ResourceKindInfo[];
}

/** A column of a resource list: the apiserver's Table `columnDefinitions`, as kubectl shows them. */
export interface ResourceColumn {
  name: string;
  /** OpenAPI type: `string`, `integer`, `number`, `boolean`, `date`. */
  type: string;
  /** `name` for the object's name column; others as the apiserver sets them. */
  format: string;
  /** 0: shown by default (kubectl get); higher: shown on request (kubectl get -o wide). */
  priority: number;
  description: string;
}

export type ResourceCell = string | number | boolean | null;

/** One row of a resource list, the Table row the apiserver printed, so 10,000 pods stay cheap to send. */
export interface ResourceRow {
  uid: string;
  name: string;
  namespace?: string;
  /** ISO time; the UI renders the age. */
  createdAt: string;
  /** The Table's cells, one per column of the watch's `columns`. */
  cells: ResourceCell[];
}

/** Pushed for a watch: the first event is `reset` with the full list, then changes. */
export type ResourceWatchEvent =
  | { watchId: string; type: 'reset'; columns: ResourceColumn[]; rows: ResourceRow[] }
  | { watchId: string; type: 'upsert'; row: ResourceRow }
  | { watchId: string; type: 'delete'; uid: string }
  | { watchId: string; type: 'error'; error: AppError };

const kubeName = z.string().min(1).max(253);
const kind = resourceTypeIdSchema;
const subscriptionId = z.string().min(1).max(64);

// ---- Details: describe, YAML edit + apply, and actions gated by SelfSubjectAccessReview ----

/**
 * A link to another object in the browser (an owner, a pod a workload owns). `kind` is the resource
 * type id as kubectl names it: `<plural>` for the core group, `<plural>.<group>` otherwise.
 */
export interface ObjectLink {
  kind: string;
  /** The object kind as the API names it (`ReplicaSet`), for display. */
  kindName: string;
  namespace?: string;
  name: string;
  /** Its uid when known (owner references and listed objects carry it): the browser opens it by uid. */
  uid?: string;
}

/** One line of a describe section; `tone` marks what needs attention (a False condition, a taint). */
export interface DescribeField {
  label: string;
  value: string;
  tone?: 'warning';
}

/** A part of the describe view: fields, a table (containers, ports, conditions…) or links. */
export interface DescribeSection {
  title: string;
  fields?: DescribeField[];
  table?: { columns: string[]; rows: string[][] };
  links?: ObjectLink[];
}

/** An event about the object, as `kubectl describe` lists them (the UI shows newest first). */
export interface DescribedEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** ISO time it was last seen. */
  lastSeen: string;
  source: string;
}

/** `kubectl describe`, summarised by the core per kind. */
export interface ResourceDescription {
  kindName: string;
  name: string;
  namespace?: string;
  uid: string;
  createdAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The owner chain, nearest first: a pod's ReplicaSet, then that ReplicaSet's Deployment. */
  owners: ObjectLink[];
  sections: DescribeSection[];
  /** Newest first. */
  events: DescribedEvent[];
  /** Why the events could not be listed (no RBAC to list events, for example), when they could not. */
  eventsError?: string;
}

/** What the details offer; each one is asked of the cluster (SelfSubjectAccessReview) first. */
export const RESOURCE_ACTIONS = ['edit', 'delete', 'scale', 'restart', 'cordon', 'drain'] as const;
export type ResourceAction = (typeof RESOURCE_ACTIONS)[number];

/** Whether the user may do each action on the object; actions that do not apply to its kind are absent. */
export type ResourceAccess = Partial<Record<ResourceAction, boolean>>;

/** A field another manager owns with a different value (server-side apply's 409, one cause each). */
export interface ApplyConflict {
  /** The field path as the apiserver names it (`.spec.replicas`). */
  field: string;
  /** The field manager that owns it (`kubectl`, `kube-controller-manager`…). */
  manager: string;
  message: string;
}

export type ApplyResult =
  /** `merge-patch` when the cluster had no server-side apply (older apiserver). */
  | { outcome: 'applied'; method: 'server-side-apply' | 'merge-patch'; yaml: string }
  | { outcome: 'conflict'; conflicts: ApplyConflict[]; message: string }
  /** The object changed since it was opened (its resourceVersion moved on). */
  | { outcome: 'stale'; message: string }
  /** The YAML was refused before it was sent (parse error, other object) or by the apiserver (422). */
  | { outcome: 'invalid'; message: string; line?: number };

/**
 * A pod a drain evicts; `unmanaged` when no controller will recreate it, `localData` when it has
 * emptyDir volumes whose data goes with it (what kubectl drain wants --force and
 * --delete-emptydir-data for).
 */
export interface DrainPod {
  namespace: string;
  name: string;
  unmanaged: boolean;
  localData: boolean;
}

export interface DrainPlan {
  evict: DrainPod[];
  /** Pods a drain leaves alone, and why (DaemonSet pods, mirror pods). */
  skipped: { namespace: string; name: string; why: string }[];
}

export interface DrainResult {
  evicted: DrainPod[];
  /** Refused by a PodDisruptionBudget (429): retry once the budget allows. */
  blocked: { namespace: string; name: string; message: string }[];
  failed: { namespace: string; name: string; message: string }[];
}

/** The largest YAML the editor may apply. */
export const MAX_APPLY_YAML_CHARS = 1024 * 1024;

const objectRef = {
  cluster: clusterNameSchema,
  kind,
  namespace: kubeName.optional(),
  name: kubeName,
};

/** The details' requests, merged into `appRequestSchemas`. */
const detailsRequestSchemas = {
  /** The object summarised per kind, its owner chain and its events. */
  describeResource: z.strictObject(objectRef),
  /** Which actions the user may take on the object (batched SelfSubjectAccessReviews, cached briefly). */
  accessReview: z.strictObject(objectRef),
  /**
   * Server-side apply of the edited YAML (fieldManager `switchboard`); `force` takes over fields
   * other managers own. The YAML's resourceVersion, when present, must still be current.
   */
  applyResourceYaml: z.strictObject({
    ...objectRef,
    yaml: z.string().min(1).max(MAX_APPLY_YAML_CHARS),
    force: z.boolean(),
  }),
  scaleResource: z.strictObject({ ...objectRef, replicas: z.number().int().min(0).max(10_000) }),
  /** As `kubectl rollout restart`: stamps the pod template's restartedAt annotation. */
  restartRollout: z.strictObject(objectRef),
  /** Cordon (`schedulable: false`) or uncordon a node. */
  setNodeSchedulable: z.strictObject({
    cluster: clusterNameSchema,
    name: kubeName,
    schedulable: z.boolean(),
  }),
  /** What a drain of the node would evict, for the confirmation. */
  planDrain: z.strictObject({ cluster: clusterNameSchema, name: kubeName }),
  /** Cordons the node, then evicts its pods through the eviction subresource (PDBs honoured). */
  drainNode: z.strictObject({ cluster: clusterNameSchema, name: kubeName }),
} as const;

interface DetailsResponses {
  describeResource: ResourceDescription;
  accessReview: ResourceAccess;
  applyResourceYaml: ApplyResult;
  scaleResource: null;
  restartRollout: null;
  setNodeSchedulable: null;
  planDrain: DrainPlan;
  drainNode: DrainResult;
}

// ---- end of Details ----

// ---- Workloads: containers, many pods' logs, port-forward (issue 16) ----

/** How a container takes part in its pod, as Lens and `kubectl describe` tell them apart. */
export type ContainerRole = 'init' | 'sidecar' | 'container' | 'ephemeral';

export interface PodContainerView {
  name: string;
  role: ContainerRole;
  image: string;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  restartCount: number;
  /** Whether an earlier instance ended, so `previous` logs exist. */
  hasPrevious: boolean;
  ports: { port: number; name?: string; protocol: string }[];
}

/** A port a forward can name: a pod's container port, or a service port (see `startPortForward`). */
export interface ForwardablePort {
  port: number;
  name?: string;
  /** For a service port: where it goes (`→ 8080`, `→ http`); for a pod port: its container. */
  detail: string;
}

/** One line of a workload's log, from one of its pods. */
export interface WorkloadLogLine {
  pod: string;
  container: string;
  /** RFC 3339 time the container runtime stamped on the line. */
  time: string;
  text: string;
}

/** The pods of a workload being followed, and why one is not. */
export interface WorkloadLogPod {
  name: string;
  container: string;
  /** `waiting`: its containers have not started yet. */
  state: 'waiting' | 'following' | 'ended' | 'failed';
  error?: AppError;
}

export type WorkloadLogsEvent =
  | { logsId: string; lines: WorkloadLogLine[] }
  | { logsId: string; pods: WorkloadLogPod[] }
  | { logsId: string; end: true; error?: AppError };

/** The kinds a port-forward can target: a pod's port, or a service port resolved to a ready pod. */
export const PORT_FORWARD_TARGETS = ['pods', 'services'] as const;
export type PortForwardTarget = (typeof PORT_FORWARD_TARGETS)[number];

export interface PortForwardView {
  forwardId: string;
  cluster: string;
  namespace: string;
  target: { kind: PortForwardTarget; name: string; port: number };
  /** The pod and container port the connections reach (a service resolves to one of its pods). */
  pod: string;
  podPort: number;
  /** `127.0.0.1:<localPort>`; the listener is loopback only. */
  localAddress: string;
  localPort: number;
  state: 'forwarding' | 'failed';
  /** Connections open now. */
  connections: number;
  /** The latest failure: a connection the pod refused (kept, still forwarding), or why it stopped. */
  error?: AppError;
}

/** Request schemas of this section (spread into `appRequestSchemas`, below). */
function workloadRequestSchemas() {
  const port = z.number().int().min(1).max(65535);
  return {
    /** A pod's containers (init and sidecars included), for the log and shell pickers. */
    getPodContainers: z.strictObject({ cluster: clusterNameSchema, namespace: kubeName, pod: kubeName }),
    /**
     * Follows the log of every pod an owner selects (a Deployment…), interleaved by time, as
     * `workloadLogs` events; pods that join or leave are followed.
     */
    startWorkloadLogs: z.strictObject({
      cluster: clusterNameSchema,
      namespace: kubeName,
      kind,
      name: kubeName,
      container: kubeName.optional(),
      tailLines: z.number().int().min(0).max(10_000).optional(),
    }),
    /** Listens on 127.0.0.1 and forwards each connection to the pod through the tunnel. */
    startPortForward: z.strictObject({
      cluster: clusterNameSchema,
      namespace: kubeName,
      kind: z.enum(PORT_FORWARD_TARGETS),
      name: kubeName,
      port,
      /** Omitted or 0: a free port the system picks. */
      localPort: z.union([z.literal(0), z.number().int().min(1024).max(65535)]).optional(),
    }),
    /** The TCP ports a pod declares or a service exposes, for the port-forward picker. */
    getForwardablePorts: z.strictObject({
      cluster: clusterNameSchema,
      namespace: kubeName,
      kind: z.enum(PORT_FORWARD_TARGETS),
      name: kubeName,
    }),
    stopPortForward: z.strictObject({ forwardId: subscriptionId }),
    listPortForwards: z.undefined(),
  };
}
// ---- end of the workloads section ----

/** Request schemas, by method; the core validates `params` with these before acting. */
export const appRequestSchemas = {
  /** The current AppState (the UI calls it once at start, then follows `state` events). */
  getState: z.undefined(),
  /** First run or switching relays: remembers the URL and starts sign-in in the system browser. */
  connectRelay: z.strictObject({ relayUrl: z.string().min(1).max(2048) }),
  signIn: z.undefined(),
  /**
   * Starts a sign-in with a code entered on another device (the device authorization grant), for
   * when the browser is elsewhere or cannot reach this machine; replaces a browser sign-in under way.
   */
  signInWithDeviceCode: z.undefined(),
  /** Opens the sign-in in progress in the system browser again (its page, or the code's page). */
  openSignInPage: z.undefined(),
  /** Stops the sign-in in progress (its loopback listener closes) and goes back to where it began. */
  cancelSignIn: z.undefined(),
  /** Signs out: stops the proxy, removes tokens from the keychain. */
  signOut: z.undefined(),
  setProxyEnabled: z.strictObject({ enabled: z.boolean() }),
  setProxyPort: z.strictObject({ port: z.number().int().min(1024).max(65535) }),
  mergeKubeconfig: z.undefined(),
  unmergeKubeconfig: z.undefined(),
  setSettings: z.strictObject({ backgroundMode: z.boolean().optional() }),
  /** The kinds the cluster serves (discovery, CRDs included), grouped for the sidebar. */
  discoverKinds: z.strictObject({ cluster: clusterNameSchema }),
  /** Starts a list+watch; rows arrive as `resources` events for the returned watchId. */
  watchResources: z.strictObject({ cluster: clusterNameSchema, kind, namespace: kubeName.optional() }),
  stopWatch: z.strictObject({ watchId: subscriptionId }),
  getResourceYaml: z.strictObject({
    cluster: clusterNameSchema,
    kind,
    namespace: kubeName.optional(),
    name: kubeName,
  }),
  deleteResource: z.strictObject({
    cluster: clusterNameSchema,
    kind,
    namespace: kubeName.optional(),
    name: kubeName,
  }),
  /** Streams a pod's log as `logs` events. */
  startLogs: z.strictObject({
    cluster: clusterNameSchema,
    namespace: kubeName,
    pod: kubeName,
    container: kubeName.optional(),
    follow: z.boolean(),
    tailLines: z.number().int().min(0).max(100_000).optional(),
    /** Each line starts with its RFC 3339 time and a space (`kubectl logs --timestamps`). */
    timestamps: z.boolean().optional(),
    /** Only lines from this second on: a stream resumed where an outage cut it off. */
    sinceTime: z.iso.datetime({ offset: true }).optional(),
    /** The container's previous instance (after a restart), as `kubectl logs --previous`. */
    previous: z.boolean().optional(),
  }),
  stopLogs: z.strictObject({ logsId: subscriptionId }),
  /** Opens a shell (exec with a TTY) in a pod; output arrives as `exec` events. */
  startExec: z.strictObject({
    cluster: clusterNameSchema,
    namespace: kubeName,
    pod: kubeName,
    container: kubeName.optional(),
    command: z.array(z.string().max(4096)).min(1).max(64),
    /**
     * Run instead when `command` cannot start because the image lacks it (bash, then sh: what
     * users of `kubectl exec` try by hand); the `exec` event `started` says which one ran.
     */
    fallbackCommand: z.array(z.string().max(4096)).min(1).max(64).optional(),
    columns: z.number().int().min(1).max(1000),
    rows: z.number().int().min(1).max(1000),
  }),
  /** Keystrokes; UTF-8 text as the terminal produced it. */
  execInput: z.strictObject({ execId: subscriptionId, data: z.string().max(65_536) }),
  execResize: z.strictObject({
    execId: subscriptionId,
    columns: z.number().int().min(1).max(1000),
    rows: z.number().int().min(1).max(1000),
  }),
  stopExec: z.strictObject({ execId: subscriptionId }),
  /** Opens the relay's sign-in, a URL, in the system browser (never inside the app). */
  openExternal: z.strictObject({ url: z.string().url().max(4096) }),
  ...detailsRequestSchemas,
  ...workloadRequestSchemas(),
} as const;

export type AppMethod = keyof typeof appRequestSchemas;
export type AppRequestParams<M extends AppMethod> = z.infer<(typeof appRequestSchemas)[M]>;

/** Response types, by method. */
export interface AppResponses extends DetailsResponses {
  getState: AppState;
  connectRelay: AppState;
  signIn: AppState;
  signInWithDeviceCode: AppState;
  openSignInPage: AppState;
  cancelSignIn: AppState;
  signOut: AppState;
  setProxyEnabled: ProxyView;
  setProxyPort: ProxyView;
  mergeKubeconfig: { kubeconfigPath: string; backupPath?: string; contexts: string[] };
  unmergeKubeconfig: { kubeconfigPath: string; removedContexts: string[] };
  setSettings: AppSettings;
  discoverKinds: { groups: ResourceKindGroup[] };
  watchResources: { watchId: string };
  stopWatch: null;
  getResourceYaml: { yaml: string };
  deleteResource: null;
  startLogs: { logsId: string };
  stopLogs: null;
  startExec: { execId: string };
  execInput: null;
  execResize: null;
  stopExec: null;
  openExternal: null;
  getPodContainers: { containers: PodContainerView[] };
  startWorkloadLogs: { logsId: string };
  getForwardablePorts: { ports: ForwardablePort[] };
  startPortForward: PortForwardView;
  stopPortForward: null;
  listPortForwards: { forwards: PortForwardView[] };
}

/** Events the core pushes, by name. */
export interface AppEvents {
  state: AppState;
  resources: ResourceWatchEvent;
  logs: { logsId: string; text: string } | { logsId: string; end: true; error?: AppError };
  exec:
    | { execId: string; output: string }
    | { execId: string; exit: { code: number; message?: string } }
    | { execId: string; started: { command: string[] } };
  workloadLogs: WorkloadLogsEvent;
  /** Every port-forward, pushed whole to every window when one starts, fails or stops. */
  portForwards: { forwards: PortForwardView[] };
}
export type AppEventName = keyof AppEvents;

/** What the renderer sees (`window.switchboard` in Electron, a WebSocket client in the browser host). */
export interface AppApi {
  request<M extends AppMethod>(method: M, params: AppRequestParams<M>): Promise<AppResponses[M]>;
  /** Returns the unsubscribe function. */
  on<E extends AppEventName>(event: E, listener: (data: AppEvents[E]) => void): () => void;
}

/** Wire messages (both hosts). */
export interface AppRequestMessage {
  id: number;
  method: AppMethod;
  params?: unknown;
}
export type AppResponseMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: AppError };
export interface AppEventMessage {
  event: AppEventName;
  data: unknown;
}

/** The outer shape of a request, checked before the method's own schema. */
export const appRequestMessageSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.enum(Object.keys(appRequestSchemas) as [AppMethod, ...AppMethod[]]),
  params: z.unknown().optional(),
});

/** Electron IPC channel names (the preload invokes and listens on these only). */
export const IPC_CHANNELS = {
  request: 'switchboard:request',
  event: 'switchboard:event',
} as const;

/**
 * Browser host: the WebSocket path; the query parameter of the page address carrying the one-time
 * secret; the `<meta name>` in the page that hands the tab its credential in exchange; and the
 * socket URL's query parameter that presents that credential.
 */
export const BROWSER_HOST_SOCKET_PATH = '/app-socket';
export const BROWSER_HOST_SECRET_PARAM = 'secret';
export const BROWSER_HOST_TAB_CREDENTIAL_META = 'switchboard-tab-credential';
export const BROWSER_HOST_TAB_CREDENTIAL_PARAM = 'credential';

// ---- Desktop shell (issue 17): deep links and what the Electron host pushes on its own ----

export {
  clusterDeepLink,
  DEEP_LINK_SCHEME,
  type DeepLink,
  deepLinkInArguments,
  parseDeepLink,
} from './deep-link.js';

/**
 * Declaration merging adds the desktop host's events to `AppEvents`: the Electron main process
 * sends `openCluster` when a deep link (`switchboard://cluster/<name>`) or the tray's "Open in
 * Switchboard" asks the window to show that cluster. The browser host never sends it.
 */
export interface AppEvents {
  openCluster: { cluster: string };
}
