/**
 * Cluster and grant administration with its authorization rules, shared by the admin API and
 * the server-side CLI so both enforce and validate the same way.
 *
 * Rules: global admins (configured users or groups) see and manage everything; a cluster `admin`
 * grant manages that cluster's grants; any grant makes a cluster visible. A cluster the caller
 * cannot see is reported as missing, so its existence does not leak. Grants are read from the
 * registry on every call, so a revocation takes effect on the next request.
 */
import type { Identity } from '@switchboard/contract/identity';
import {
  type Cluster,
  clusterNameSchema,
  createClusterRequestSchema,
  type Grant,
  grantRequestSchema,
  issueJoinTokenRequestSchema,
  type Role,
  type SubjectKind,
  subjectKindSchema,
  type Whoami,
} from '@switchboard/contract/relay-api';
import type { z } from 'zod';
import { DEFAULT_JOIN_TOKEN_TTL_SECONDS, generateJoinToken, hashJoinToken } from '../agents/join-token.js';
import { ClusterExistsError, type ClusterRegistry, UnknownClusterError } from '../registry/registry.js';
import { describeFirstIssue } from '../validation/first-issue.js';
import type { Actor } from './actor.js';
import { conflict, forbidden, invalidInput, notFound } from './admin-errors.js';

export interface GlobalAdmins {
  users: readonly string[];
  groups: readonly string[];
}

export interface AdminServiceOptions {
  /** Lifetime of join tokens when the caller does not ask for one (default 24 h). */
  joinTokenTtlSeconds?: number;
  /** Called after a cluster was deleted (the relay closes its agent sessions). */
  onClusterDeleted?: (name: string) => void;
  /** Called after a cluster was created or a grant on it given or revoked (the live status stream re-filters). */
  onClusterChanged?: (name: string) => void;
  /** Called after `rejoin` revoked a cluster's agent credentials (the relay closes its agent sessions). */
  onAgentCredentialsRevoked?: (name: string) => void;
}

/** A join token as issued: the only time the token itself is seen. */
export interface NewJoinTokenIssued {
  cluster: string;
  joinToken: string;
  expiresAt: string;
}

export class AdminService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly globalAdmins: GlobalAdmins,
    private readonly options: AdminServiceOptions = {},
  ) {}

  whoami(identity: Identity): Whoami {
    const whoami: Whoami = {
      username: identity.username,
      groups: identity.groups,
      admin: this.isGlobalAdmin(identity),
    };
    if (identity.displayName !== undefined) whoami.displayName = identity.displayName;
    return whoami;
  }

  async listClusters(actor: Actor): Promise<Cluster[]> {
    const limited = this.limitedIdentity(actor);
    return limited ? this.registry.clustersFor(limited) : this.registry.listClusters();
  }

  /** The names of the clusters the identity holds a grant on, directly or through a group. */
  async grantedClusterNames(identity: Identity): Promise<Set<string>> {
    return new Set((await this.registry.clustersFor(identity)).map((cluster) => cluster.name));
  }

  async getCluster(actor: Actor, name: unknown): Promise<Cluster> {
    const clusterName = parse(clusterNameSchema, name);
    await this.roleOnVisibleCluster(actor, clusterName);
    // A grant implies the cluster exists (grants cascade away with it); global admins need the lookup.
    const cluster = await this.registry.getCluster(clusterName);
    if (!cluster) throw missingCluster(clusterName);
    return cluster;
  }

  async createCluster(actor: Actor, request: unknown): Promise<Cluster> {
    this.requireGlobalAdmin(actor, 'create clusters');
    const input = parse(createClusterRequestSchema, request);
    let cluster: Cluster;
    try {
      cluster = await this.registry.createCluster({ ...input, createdBy: actorName(actor) });
    } catch (error) {
      if (error instanceof ClusterExistsError) throw conflict(error.message);
      throw error;
    }
    this.options.onClusterChanged?.(cluster.name);
    return cluster;
  }

  async deleteCluster(actor: Actor, name: unknown): Promise<void> {
    const clusterName = parse(clusterNameSchema, name);
    if (this.limitedIdentity(actor)) {
      await this.roleOnVisibleCluster(actor, clusterName);
      throw forbidden('only global admins delete clusters');
    }
    if (!(await this.registry.deleteCluster(clusterName))) throw missingCluster(clusterName);
    this.options.onClusterDeleted?.(clusterName);
  }

  /** A fresh single-use join token for the cluster's agent (global admins and operators). */
  async issueJoinToken(actor: Actor, cluster: unknown, request: unknown = {}): Promise<NewJoinTokenIssued> {
    const clusterName = parse(clusterNameSchema, cluster);
    if (this.limitedIdentity(actor)) {
      await this.roleOnVisibleCluster(actor, clusterName);
      throw forbidden('only global admins issue join tokens');
    }
    const { ttlSeconds } = parse(issueJoinTokenRequestSchema, request ?? {});
    const lifetime = ttlSeconds ?? this.options.joinTokenTtlSeconds ?? DEFAULT_JOIN_TOKEN_TTL_SECONDS;
    const joinToken = generateJoinToken();
    const expiresAt = new Date(Date.now() + lifetime * 1000);
    try {
      await this.registry.createJoinToken({
        cluster: clusterName,
        tokenHash: hashJoinToken(joinToken),
        expiresAt,
        createdBy: actorName(actor),
      });
    } catch (error) {
      if (error instanceof UnknownClusterError) throw missingCluster(clusterName);
      throw error;
    }
    return { cluster: clusterName, joinToken, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Revives the cluster entry for a new agent install (global admins and operators): revokes every
   * agent credential of the cluster (its sessions are closed) and issues a fresh join token. The
   * name, grants and history stay.
   */
  async rejoin(actor: Actor, cluster: unknown, request: unknown = {}): Promise<NewJoinTokenIssued> {
    const clusterName = parse(clusterNameSchema, cluster);
    if (this.limitedIdentity(actor)) {
      // Throws 404 for a cluster the actor cannot see, so the 403 below does not reveal that it exists.
      await this.roleOnVisibleCluster(actor, clusterName);
      throw forbidden('only global admins rejoin clusters');
    }
    const tokenRequest = parse(issueJoinTokenRequestSchema, request ?? {});
    if (!(await this.registry.getCluster(clusterName))) throw missingCluster(clusterName);
    // Revoked first: the new token must not join while an old credential (or an older token) still works.
    await this.registry.revokeAgentAccess(clusterName, new Date());
    this.options.onAgentCredentialsRevoked?.(clusterName);
    // Its credentials are gone: the status subscribers see the change (no longer Expired).
    this.options.onClusterChanged?.(clusterName);
    return this.issueJoinToken(actor, clusterName, tokenRequest);
  }

  async listGrants(actor: Actor, cluster: unknown): Promise<Grant[]> {
    const clusterName = await this.requireClusterAdmin(actor, cluster);
    return this.registry.listGrants(clusterName);
  }

  async grant(actor: Actor, cluster: unknown, request: unknown): Promise<Grant> {
    const clusterName = await this.requireClusterAdmin(actor, cluster);
    const input = parse(grantRequestSchema, request);
    let grant: Grant;
    try {
      grant = await this.registry.grant({ cluster: clusterName, ...input, createdBy: actorName(actor) });
    } catch (error) {
      if (error instanceof UnknownClusterError) throw missingCluster(clusterName);
      throw error;
    }
    this.options.onClusterChanged?.(clusterName);
    return grant;
  }

  async revoke(actor: Actor, cluster: unknown, subjectKind: unknown, subject: unknown): Promise<void> {
    const clusterName = await this.requireClusterAdmin(actor, cluster);
    const kind: SubjectKind = parse(subjectKindSchema, subjectKind);
    const name = parse(grantRequestSchema.shape.subject, subject);
    if (!(await this.registry.revoke(clusterName, kind, name))) {
      throw notFound(`${kind} "${name}" holds no grant on cluster "${clusterName}"`);
    }
    this.options.onClusterChanged?.(clusterName);
  }

  isGlobalAdmin(identity: Identity): boolean {
    return (
      this.globalAdmins.users.includes(identity.username) ||
      identity.groups.some((group) => this.globalAdmins.groups.includes(group))
    );
  }

  /** The identity whose grants limit what the actor may do; undefined for operators and global admins. */
  private limitedIdentity(actor: Actor): Identity | undefined {
    if (actor.kind === 'operator' || this.isGlobalAdmin(actor.identity)) return undefined;
    return actor.identity;
  }

  private requireGlobalAdmin(actor: Actor, what: string): void {
    if (this.limitedIdentity(actor)) throw forbidden(`only global admins ${what}`);
  }

  /** The cluster name, once the actor is known to administer it (global admin or `admin` grant). */
  private async requireClusterAdmin(actor: Actor, cluster: unknown): Promise<string> {
    const clusterName = parse(clusterNameSchema, cluster);
    if (!this.limitedIdentity(actor)) {
      if (!(await this.registry.getCluster(clusterName))) throw missingCluster(clusterName);
      return clusterName;
    }
    const role = await this.roleOnVisibleCluster(actor, clusterName);
    if (role !== 'admin') throw forbidden(`managing access to cluster "${clusterName}" needs the admin role`);
    return clusterName;
  }

  /** The actor's role on the cluster; a cluster it holds no grant on is reported as missing. */
  private async roleOnVisibleCluster(actor: Actor, clusterName: string): Promise<Role | 'global-admin'> {
    const limited = this.limitedIdentity(actor);
    if (!limited) return 'global-admin';
    const role = await this.registry.roleOf(limited, clusterName);
    if (!role) throw missingCluster(clusterName);
    return role;
  }
}

function actorName(actor: Actor): string {
  return actor.kind === 'operator' ? actor.name : actor.identity.username;
}

function missingCluster(name: string) {
  return notFound(`no cluster "${name}"`);
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { path, message } = describeFirstIssue(result.error);
  throw invalidInput(path ? `${path}: ${message}` : message);
}
