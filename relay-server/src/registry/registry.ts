/**
 * The cluster registry and its access grants. An interface, so that the embedded SQLite store
 * can be swapped for Postgres when a relay outgrows one process.
 */
import type { Cluster, Grant, Role, SubjectKind } from '../api/contract.js';

/** Whom grants are matched against: a user name and the groups it is in. */
export interface Subject {
  username: string;
  groups: readonly string[];
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

export interface Registry {
  /** Throws ClusterExistsError when the name is taken. */
  createCluster(cluster: NewCluster): Promise<Cluster>;
  getCluster(name: string): Promise<Cluster | undefined>;
  listClusters(): Promise<Cluster[]>;
  /** Deletes the cluster and its grants; false when there was no such cluster. */
  deleteCluster(name: string): Promise<boolean>;

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

  /** Resolves when the store answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
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
