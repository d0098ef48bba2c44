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
  error?: AppError;
}

export interface AppSettings {
  /** Keep the core (proxy, status) running in the tray when the window closes. */
  backgroundMode: boolean;
}

/** Everything the UI shows outside the cluster browser; pushed whole on every change (it is small). */
export interface AppState {
  signIn: SignInState;
  relayUrl?: string;
  account?: AccountView;
  clusters: ClusterView[];
  /** The live status stream from the relay: `live`, or `reconnecting` after it dropped. */
  statusStream: 'idle' | 'live' | 'reconnecting';
  proxy: ProxyView;
  settings: AppSettings;
  /** The latest problem not tied to one request (relay unreachable, sign-in required…). */
  problem?: AppError;
}

/** The resources the cluster browser shows. */
export const BROWSABLE_KINDS = [
  'namespaces',
  'pods',
  'deployments',
  'services',
  'nodes',
  'events',
  'configmaps',
] as const;
export type BrowsableKind = (typeof BROWSABLE_KINDS)[number];

/** One row of a resource list, already summarised by the core so 10,000 pods stay cheap to send. */
export interface ResourceRow {
  uid: string;
  name: string;
  namespace?: string;
  /** ISO time; the UI renders the age. */
  createdAt: string;
  /** Kind-specific columns, in display order (see `RESOURCE_COLUMNS`). */
  cells: Record<string, string | number>;
}

/** Columns per kind beyond name, namespace and age. */
export const RESOURCE_COLUMNS: Record<BrowsableKind, readonly string[]> = {
  namespaces: ['status'],
  pods: ['phase', 'ready', 'restarts', 'node'],
  deployments: ['ready', 'upToDate', 'available'],
  services: ['type', 'clusterIP', 'ports'],
  nodes: ['status', 'roles', 'version'],
  events: ['type', 'reason', 'object', 'message', 'count'],
  configmaps: ['data'],
};

/** Pushed for a watch: the first event is `reset` with the full list, then changes. */
export type ResourceWatchEvent =
  | { watchId: string; type: 'reset'; rows: ResourceRow[] }
  | { watchId: string; type: 'upsert'; row: ResourceRow }
  | { watchId: string; type: 'delete'; uid: string }
  | { watchId: string; type: 'error'; error: AppError };

const kubeName = z.string().min(1).max(253);
const kind = z.enum(BROWSABLE_KINDS);
const subscriptionId = z.string().min(1).max(64);

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
  /** Signs out: stops the proxy, removes tokens from the keychain. */
  signOut: z.undefined(),
  setProxyEnabled: z.strictObject({ enabled: z.boolean() }),
  setProxyPort: z.strictObject({ port: z.number().int().min(1024).max(65535) }),
  mergeKubeconfig: z.undefined(),
  unmergeKubeconfig: z.undefined(),
  setSettings: z.strictObject({ backgroundMode: z.boolean().optional() }),
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
    /** The container's previous instance (after a restart), as `kubectl logs --previous`. */
    previous: z.boolean().optional(),
    /** Each line starts with its RFC 3339 time and a space, as `kubectl logs --timestamps`. */
    timestamps: z.boolean().optional(),
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
  ...workloadRequestSchemas(),
} as const;

export type AppMethod = keyof typeof appRequestSchemas;
export type AppRequestParams<M extends AppMethod> = z.infer<(typeof appRequestSchemas)[M]>;

/** Response types, by method. */
export interface AppResponses {
  getState: AppState;
  connectRelay: AppState;
  signIn: AppState;
  signOut: AppState;
  setProxyEnabled: ProxyView;
  setProxyPort: ProxyView;
  mergeKubeconfig: { kubeconfigPath: string; backupPath?: string; contexts: string[] };
  unmergeKubeconfig: { kubeconfigPath: string; removedContexts: string[] };
  setSettings: AppSettings;
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
