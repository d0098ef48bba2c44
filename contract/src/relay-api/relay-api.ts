/**
 * The relay's HTTP contract, shared by the relay (which serves it) and every client (desktop
 * core, CLI, agent): paths, and zod schemas that clients use to validate what they receive. Its
 * error responses are RFC 9457 problems (`../problem-details`).
 */
import { z } from 'zod';

export const CONFIGURATION_PATH = '/.well-known/switchboard-configuration';

/** Everything a client needs to sign a user in, so the user only types the relay URL. */
export const switchboardConfigurationSchema = z.object({
  relayVersion: z.string(),
  /** The OpenID issuer whose tokens the relay trusts. */
  issuer: z.string().url(),
  /** The public client (no secret) that desktop and CLI sign in with. */
  clientId: z.string().min(1),
  /** Scopes to request; for Entra ID this includes the relay API scope (`api://…/access`). */
  scopes: z.array(z.string()),
  /** RFC 8707 resource indicator to request, for issuers that mint audience-bound JWT access tokens. */
  resource: z.string().optional(),
  /** Which token the relay expects as bearer: an access token (Entra, dev-idp) or the ID token (Dex-style). */
  bearerToken: z.enum(['access_token', 'id_token']),
});
export type SwitchboardConfiguration = z.infer<typeof switchboardConfigurationSchema>;

/** Prefix of the administration API; every path below is relative to the relay URL. */
export const API_PREFIX = '/api/v1';

/** Paths of the administration API, so clients never assemble them by hand (names and subjects are encoded). */
export const apiPaths = {
  whoami: `${API_PREFIX}/whoami`,
  clusters: `${API_PREFIX}/clusters`,
  /** GET, `text/event-stream`: live changes of the caller's clusters (see `clusterEventSchemas`). */
  clusterEvents: `${API_PREFIX}/clusters/events`,
  cluster: (name: string) => `${API_PREFIX}/clusters/${encodeURIComponent(name)}`,
  grants: (cluster: string) => `${API_PREFIX}/clusters/${encodeURIComponent(cluster)}/grants`,
  /** POST (global admins): a fresh single-use join token for the cluster's agent. */
  joinTokens: (cluster: string) => `${API_PREFIX}/clusters/${encodeURIComponent(cluster)}/join-tokens`,
  /**
   * POST (global admins): revives the cluster entry for a new agent install: revokes every agent
   * credential of the cluster, closes its sessions and returns a fresh join token. Grants, name and
   * history are kept.
   */
  rejoin: (cluster: string) => `${API_PREFIX}/clusters/${encodeURIComponent(cluster)}/rejoin`,
  /** GET (global admins): the agent's install manifests (YAML) with a fresh join token in its Secret. */
  manifests: (cluster: string) => `${API_PREFIX}/clusters/${encodeURIComponent(cluster)}/manifests`,
  grant: (cluster: string, subjectKind: SubjectKind, subject: string) =>
    `${API_PREFIX}/clusters/${encodeURIComponent(cluster)}/grants/${subjectKind}/${encodeURIComponent(subject)}`,
};

export const ROLES = ['connect', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Cluster names are DNS labels: they appear in URLs, kubeconfig contexts and hostnames. */
export const clusterNameSchema = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    'a cluster name is 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit',
  );

/** Label keys follow Kubernetes label keys (optional DNS prefix, then a name); values are short free text. */
export const labelsSchema = z
  .record(
    z
      .string()
      .regex(
        /^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
        'a label key is a name of 1-63 letters, digits, "-", "_" or ".", optionally after a "prefix/"',
      ),
    z.string().max(256),
  )
  .refine((labels) => Object.keys(labels).length <= 64, 'at most 64 labels');

export const clusterSchema = z.object({
  name: clusterNameSchema,
  description: z.string(),
  labels: z.record(z.string(), z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Cluster = z.infer<typeof clusterSchema>;

export const clusterListSchema = z.object({ items: z.array(clusterSchema) });

/** Path segments the API serves under `/clusters/` (`apiPaths.clusterEvents`): not usable as names. */
export const RESERVED_CLUSTER_NAMES: readonly string[] = ['events'];

export const createClusterRequestSchema = z.strictObject({
  name: clusterNameSchema.refine(
    (name) => !RESERVED_CLUSTER_NAMES.includes(name),
    `this name is reserved by the API (${apiPaths.clusterEvents}); pick another name`,
  ),
  description: z.string().max(1024).default(''),
  labels: labelsSchema.default({}),
});
export type CreateClusterRequest = z.input<typeof createClusterRequestSchema>;

export const SUBJECT_KINDS = ['user', 'group'] as const;
export const subjectKindSchema = z.enum(SUBJECT_KINDS);
export type SubjectKind = z.infer<typeof subjectKindSchema>;

export const grantSchema = z.object({
  cluster: clusterNameSchema,
  subjectKind: subjectKindSchema,
  subject: z.string().min(1),
  role: roleSchema,
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Grant = z.infer<typeof grantSchema>;

export const grantListSchema = z.object({ items: z.array(grantSchema) });

export const grantRequestSchema = z.strictObject({
  subjectKind: subjectKindSchema,
  subject: z.string().min(1).max(512),
  role: roleSchema,
});
export type GrantRequest = z.infer<typeof grantRequestSchema>;

/** Who the relay says the caller is (`GET /api/v1/whoami`). */
export const whoamiSchema = z.object({
  /** The stable name grants refer to (for Entra ID the object id, `oid`). */
  username: z.string(),
  /** A human-readable name when the issuer provides one (e.g. `preferred_username`), for display only. */
  displayName: z.string().optional(),
  groups: z.array(z.string()),
  /** Whether the caller is a global administrator of this relay. */
  admin: z.boolean(),
});
export type Whoami = z.infer<typeof whoamiSchema>;

/** Join tokens live at most this long (the default is 24 hours). */
export const MAX_JOIN_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export const issueJoinTokenRequestSchema = z.strictObject({
  /** Lifetime of the token; the relay's default (24 h unless configured) when left out. */
  ttlSeconds: z.number().int().min(60).max(MAX_JOIN_TOKEN_TTL_SECONDS).optional(),
});
export type IssueJoinTokenRequest = z.infer<typeof issueJoinTokenRequestSchema>;

/** A join token, shown once: the relay stores only its hash. */
export const issuedJoinTokenSchema = z.object({
  cluster: clusterNameSchema,
  joinToken: z.string(),
  expiresAt: z.string(),
  /** The command that runs the agent out of cluster with this token. */
  agentCommand: z.string(),
  /** The command that installs the agent in the cluster with the Helm chart and this token. */
  helmCommand: z.string(),
});
export type IssuedJoinToken = z.infer<typeof issuedJoinTokenSchema>;

/**
 * Connectivity status of a cluster (ARCHITECTURE.md, "Connectivity status"):
 * - `connecting`: registered, its agent has never connected;
 * - `connected`: at least one live agent session now;
 * - `offline`: no live session (see `lastSeenAt`);
 * - `expired`: no live session and the agent's newest credential has expired; `clusters rejoin`
 *   issues a join token that revives the same entry.
 */
export const CLUSTER_STATUSES = ['connecting', 'connected', 'offline', 'expired'] as const;
export const clusterStatusSchema = z.enum(CLUSTER_STATUSES);
export type ClusterStatus = z.infer<typeof clusterStatusSchema>;

/** What the agent last reported in a heartbeat; every field optional because detection can fail. */
export const clusterMetadataSchema = z.object({
  kubernetesVersion: z.string().optional(),
  nodeCount: z.number().int().nonnegative().optional(),
  vcpuTotal: z.number().nonnegative().optional(),
  agentVersion: z.string().optional(),
  /** e.g. `aks`, `eks`, `gke`, `openshift`, `k3s`, `kind`, `kubeadm`; absent when unknown. */
  distribution: z.string().optional(),
  /** e.g. `azure`, `aws`, `gcp`, `bare-metal`; absent when unknown. */
  infrastructure: z.string().optional(),
  /** The agent process's own CPU use (fraction of one core, averaged since the last heartbeat). */
  agentCpuCores: z.number().nonnegative().optional(),
  /** The agent process's resident memory. */
  agentMemoryBytes: z.number().int().nonnegative().optional(),
  /** When the relay received the heartbeat this came from. */
  reportedAt: z.string(),
});
export type ClusterMetadata = z.infer<typeof clusterMetadataSchema>;

/** A cluster as users see it: the registry entry plus live status and the last heartbeat's metadata. */
export const clusterViewSchema = clusterSchema.extend({
  status: clusterStatusSchema,
  /** Last moment a session of this cluster was live (now-ish when connected); null before the first. */
  lastSeenAt: z.string().nullable(),
  /** Live agent sessions (the agent runs several; each replica holds its own). */
  sessions: z.number().int().nonnegative(),
  metadata: clusterMetadataSchema.nullable(),
  /** The agent version this relay recommends. */
  recommendedAgentVersion: z.string(),
  /** True when the reporting agent's version is older than `recommendedAgentVersion`. */
  upgradeAvailable: z.boolean(),
  /**
   * Whether the caller may open streams to the cluster (holds a grant on it), as the status stream
   * tells each subscriber: false only for a global admin, who sees every cluster, without a grant.
   * Absent from other answers and from older relays: treat absent as true.
   */
  mayConnect: z.boolean().optional(),
});
export type ClusterView = z.infer<typeof clusterViewSchema>;

/** `GET /api/v1/clusters`: the clusters the caller holds a grant on (all of them for global admins). */
export const clusterViewListSchema = z.object({ items: z.array(clusterViewSchema) });

/**
 * `GET /api/v1/clusters/events` (`Accept: text/event-stream`): Server-Sent Events, filtered to the
 * clusters the caller holds a grant on at the moment each event is sent. The first event is a
 * `snapshot`; then `cluster` (added or changed) and `removed` (deleted, or the grant is gone), in
 * the order the relay saw them. The `data:` of each event is JSON matching the schema below for its
 * `event:` name. A comment line (`: keep-alive`) is sent every 15 s so proxies keep the stream open.
 * A client that reconnects gets a fresh snapshot (there is no resume; `id:` is not used).
 */
export const CLUSTER_EVENT_NAMES = ['snapshot', 'cluster', 'removed'] as const;
export const clusterEventSchemas = {
  snapshot: clusterViewListSchema,
  cluster: clusterViewSchema,
  removed: z.object({ name: clusterNameSchema }),
} as const;
export type ClusterEvent =
  | { event: 'snapshot'; data: z.infer<typeof clusterViewListSchema> }
  | { event: 'cluster'; data: ClusterView }
  | { event: 'removed'; data: { name: string } };

export const CLUSTER_EVENTS_KEEPALIVE_MS = 15_000;
