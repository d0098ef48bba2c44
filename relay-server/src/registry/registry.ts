/**
 * The cluster registry and its access grants. An interface with two stores behind it: embedded
 * SQLite for a single relay, Postgres for a fleet of replicas.
 */
import type { Cluster, ClusterMetadata, Grant, Role, SubjectKind } from '@switchboard/contract/relay-api';

/** Whom grants are matched against: a user name and the groups it is in. */
export interface Subject {
  username: string;
  groups: readonly string[];
}

/**
 * The one rule for which grants a subject holds: those naming its user name (kind `user`) or one of
 * its groups (kind `group`). The registry's queries and the status stream both match by this.
 */
export function grantSubjectsOf(subject: Subject): Record<SubjectKind, readonly string[]> {
  return { user: [subject.username], group: subject.groups };
}

export interface NewCluster {
  name: string;
  description: string;
  labels: Record<string, string>;
  createdBy: string;
}

export interface NewGrant {
  cluster: string;
  subjectKind: SubjectKind;
  subject: string;
  role: Role;
  createdBy: string;
}

export interface NewJoinToken {
  cluster: string;
  /** SHA-256 of the token (hex); the token itself is never stored. */
  tokenHash: string;
  expiresAt: Date;
  createdBy: string;
}

export interface NewAgentCredential {
  id: string;
  /** The agent's public key (JWK, as JSON text). */
  publicKey: string;
  /** RFC 7638 JWK thumbprint of the public key. */
  thumbprint: string;
  agentVersion: string;
  expiresAt: Date;
}

export interface AgentCredential {
  id: string;
  cluster: string;
  publicKey: string;
  thumbprint: string;
  agentVersion: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
  /** Set once the agent rotated to a new key: new connections must use `supersededBy`. */
  supersededAt?: Date;
  /** The id of the credential that replaced this one. */
  supersededBy?: string;
}

/**
 * The outcome of a rotation. `superseded`: the credential was already rotated to a different key
 * (only a replay with the same new key gets an answer); `revoked`/`unknown` as the names say.
 */
export type RotateResult =
  | { ok: true; credential: AgentCredential; replayed: boolean }
  | { ok: false; failure: 'unknown' | 'revoked' | 'superseded' };

/** What the relay stored about a cluster's agent, beside the registry entry (see `ClusterView`). */
export interface ClusterPresence {
  cluster: Cluster;
  /** When a session of the cluster was last live (connect, heartbeat, disconnect); absent before the first. */
  lastSeenAt?: Date;
  /** The last heartbeat's metadata. */
  metadata?: ClusterMetadata;
  /** Expiry of the cluster's newest unrevoked agent credential; absent when it has none. */
  credentialExpiresAt?: Date;
}

/** Setting holding the URL the relay last served at, so the server-side CLI can print agent commands. */
export const PUBLIC_URL_SETTING = 'public_url';

/** Why a join token could not be redeemed; only the relay log sees the difference. */
export type JoinTokenFailure = 'unknown' | 'used' | 'expired';

export type RedeemResult =
  | { ok: true; credential: AgentCredential }
  | { ok: false; failure: JoinTokenFailure; cluster?: string };

export interface ClusterRegistry {
  /** Throws ClusterExistsError when the name is taken. */
  createCluster(cluster: NewCluster): Promise<Cluster>;
  getCluster(name: string): Promise<Cluster | undefined>;
  listClusters(): Promise<Cluster[]>;
  /**
   * Deletes the cluster, its grants and its join tokens, and revokes its agent credentials;
   * false when there was no such cluster.
   */
  deleteCluster(name: string): Promise<boolean>;

  /** Stores a join token's hash. Throws UnknownClusterError when the cluster does not exist. */
  createJoinToken(token: NewJoinToken): Promise<void>;
  /**
   * Atomically marks the join token used (it must be unused and unexpired at `now`) and stores the
   * agent credential for its cluster. Exactly one of concurrent redeemers of a token succeeds.
   */
  redeemJoinToken(tokenHash: string, credential: NewAgentCredential, now: Date): Promise<RedeemResult>;
  getAgentCredential(id: string): Promise<AgentCredential | undefined>;
  /**
   * Atomically replaces credential `currentId` by `next` (same cluster, issued at `now`) and marks
   * the current one superseded. Idempotent: when `currentId` was already superseded by a
   * credential with `next`'s thumbprint, that credential is returned (`replayed`) and nothing changes.
   */
  rotateAgentCredential(currentId: string, next: NewAgentCredential, now: Date): Promise<RotateResult>;
  /**
   * Revokes every unrevoked credential of the cluster and expires its unredeemed join tokens, in
   * one step: afterwards only a join token issued later lets an agent in.
   */
  revokeAgentAccess(cluster: string, now: Date): Promise<void>;

  /**
   * Records that a session of the cluster was live at `seenAt`, with the heartbeat's metadata when
   * given (otherwise the stored metadata stays). Nothing happens when the cluster does not exist.
   */
  recordPresence(cluster: string, seenAt: Date, metadata?: ClusterMetadata): Promise<void>;
  /** The cluster with its presence; undefined when there is no such cluster. */
  getPresence(cluster: string): Promise<ClusterPresence | undefined>;
  /** Every cluster with its presence, by name. */
  listPresence(): Promise<ClusterPresence[]>;

  /** Small relay-wide values (the public URL the relay last served at, for the CLI). */
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;

  /**
   * Grants a role; a subject holds one grant per cluster, so granting again changes its role.
   * Throws UnknownClusterError when the cluster does not exist.
   */
  grant(grant: NewGrant): Promise<Grant>;
  /** False when the subject held no grant on the cluster. */
  revoke(cluster: string, subjectKind: SubjectKind, subject: string): Promise<boolean>;
  listGrants(cluster: string): Promise<Grant[]>;

  /** The clusters the subject holds a grant on, directly or through a group. */
  clustersFor(subject: Subject): Promise<Cluster[]>;
  /** The highest role the subject holds on the cluster, directly or through a group. */
  roleOf(subject: Subject, cluster: string): Promise<Role | undefined>;

  /** Stores (or replaces) a record of the dev identity provider, dropping expired ones meanwhile. */
  putDevIdpRecord(record: NewDevIdpRecord): Promise<void>;
  /** The record, unless it does not exist or expired by `now`. */
  getDevIdpRecord(model: string, id: string, now: Date): Promise<DevIdpRecord | undefined>;
  consumeDevIdpRecord(model: string, id: string, at: Date): Promise<void>;
  deleteDevIdpRecord(model: string, id: string): Promise<void>;
  deleteDevIdpRecordsOfGrant(model: string, grantId: string): Promise<void>;

  /** Every identity-ticket key the relay holds, oldest generation first. */
  listTicketKeys(): Promise<TicketKey[]>;
  /**
   * Stores a new ticket key unless a key of its generation exists: false then (another replica
   * made it first; use that one). So concurrent relays never make two keys for one slot.
   */
  addTicketKey(key: TicketKey): Promise<boolean>;
  /** Deletes the ticket keys whose `heldUntil` passed by `now`. */
  deleteTicketKeysHeldUntil(now: Date): Promise<void>;

  /** Resolves when the store answers (readiness); RegistryUnavailableError when it cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A key the relay signs identity tickets with (see `tickets/ticket-key-ring.ts` for the schedule).
 * The registry holds the private key only sealed (`tickets/ticket-key-sealer.ts`) under a sealing
 * key it never sees, so a copy of the database cannot sign tickets.
 */
export interface TicketKey {
  /** The n-th key ever made: unique, so replicas racing to make the next key make it once. */
  generation: number;
  kid: string;
  /** The Ed25519 private JWK (with `kid`, as JSON text), sealed under the relay's sealing key. */
  sealedPrivateKey: string;
  createdAt: Date;
  /** Signs tickets from this time… */
  activatesAt: Date;
  /** …until this one (the next key activates then). */
  retiresAt: Date;
  /** In the announced key set (agents accept its tickets) until then. */
  announcedUntil: Date;
  /** Still signs key announcements (for agents that were away) until then; deleted afterwards. */
  heldUntil: Date;
}

/** What the dev identity provider keeps across restarts: see `dev-idp/storage.ts`. */
export interface NewDevIdpRecord {
  /** oidc-provider's model name (`RefreshToken`, `Grant`). */
  model: string;
  /** The record's id; for a model whose id is a secret, the caller stores its hash. */
  id: string;
  grantId: string | undefined;
  /** oidc-provider's payload as JSON, without the secret id. */
  payload: string;
  expiresAt: Date | undefined;
}

export interface DevIdpRecord extends NewDevIdpRecord {
  consumedAt: Date | undefined;
}

export class ClusterExistsError extends Error {
  constructor(readonly cluster: string) {
    super(`cluster "${cluster}" already exists`);
    this.name = 'ClusterExistsError';
  }
}

export class UnknownClusterError extends Error {
  constructor(readonly cluster: string) {
    super(`no cluster "${cluster}"`);
    this.name = 'UnknownClusterError';
  }
}

/**
 * The registry's database cannot be reached now (connection refused, reset or timed out, the server
 * shutting down, a statement over its time limit), so the same call may well succeed in a moment. A
 * write under way when the connection was lost may or may not have been committed. The relay
 * answers it with 503 and `Retry-After`.
 */
export class RegistryUnavailableError extends Error {
  constructor(reason: string, options?: ErrorOptions) {
    super(`the registry database is unreachable: ${reason}`, options);
    this.name = 'RegistryUnavailableError';
  }
}
