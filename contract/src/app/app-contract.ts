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
  }),
  stopLogs: z.strictObject({ logsId: subscriptionId }),
  /** Opens a shell (exec with a TTY) in a pod; output arrives as `exec` events. */
  startExec: z.strictObject({
    cluster: clusterNameSchema,
    namespace: kubeName,
    pod: kubeName,
    container: kubeName.optional(),
    command: z.array(z.string().max(4096)).min(1).max(64),
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
}

/** Events the core pushes, by name. */
export interface AppEvents {
  state: AppState;
  resources: ResourceWatchEvent;
  logs: { logsId: string; text: string } | { logsId: string; end: true; error?: AppError };
  exec: { execId: string; output: string } | { execId: string; exit: { code: number; message?: string } };
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
