/**
 * The relay's live view of every cluster's connectivity: it hears agent sessions open and close
 * and their heartbeats (from the tunnel), and registry changes (from the admin API), persists
 * "last seen" and metadata, and emits one change per cluster whose view changed, in the order the
 * relay saw them. Users read it through `GET /api/v1/clusters` and the live event stream.
 *
 * All work runs through one queue, so a subscriber that takes its snapshot inside the queue
 * (`exclusive`) sees every later change exactly once and in order.
 */
import { EventEmitter } from 'node:events';
import type { Cluster, ClusterMetadata, ClusterView, Grant } from '@switchboard/contract/relay-api';
import type { AgentHeartbeat } from '@switchboard/contract/tunnel';
import type { Logger } from '../logging/logger.js';
import type { ClusterPresence, ClusterRegistry } from '../registry/registry.js';
import type { AgentPresenceListener } from '../tunnel/agent-presence.js';
import type { AgentSessionEntry, LiveSessionIndex } from '../tunnel/live-sessions.js';
import { clusterView, viewKey } from './cluster-view.js';

/**
 * The longest the expiry timer waits before looking at the relay clock again. Expiries are weeks
 * away and the clock can jump (a suspended host, an injected test clock), so a long wait is taken
 * in daily steps, each re-checking what is due; it also stays far below setTimeout's 2^31-1 ms limit.
 */
const EXPIRY_CHECK_STEP_MS = 24 * 3600 * 1000;

export type ClusterStatusChange =
  /**
   * The cluster's view, with its grants as of now (subscribers filter on them). `changed` is false
   * when only who may see it may have changed (a grant was added or revoked).
   */
  | { kind: 'cluster'; view: ClusterView; grants: Grant[]; changed: boolean }
  | { kind: 'removed'; name: string };

export interface ClusterStatusOptions {
  registry: ClusterRegistry;
  liveSessions: LiveSessionIndex;
  /** Agent sessions of the cluster that other replicas of the fleet hold (none for a single relay). */
  sessionsElsewhere?: (cluster: string) => number;
  /**
   * A session of the cluster closed here and its "last seen" is written: the fleet tells the other
   * replicas only now, so that the Offline they show carries it. (An opened session is told at once:
   * a Connected view does not read "last seen".)
   */
  onSessionClosedRecorded?: (cluster: string) => void;
  recommendedAgentVersion: string;
  /** The relay's clock (ms since the epoch); tests inject one. */
  now: () => number;
  logger: Logger;
  /**
   * How often every cluster is read again: picks up what the operator CLI changed from another
   * process (deleted clusters, grants, revoked credentials).
   */
  reconcileIntervalMs: number;
}

export class ClusterStatusService
  extends EventEmitter<{ change: [ClusterStatusChange] }>
  implements AgentPresenceListener
{
  readonly #options: ClusterStatusOptions;
  /** Per cluster, the key of the view last emitted (see `viewKey`). */
  readonly #emitted = new Map<string, string>();
  /** Per cluster without a live session, when its newest credential expires (if in the future). */
  readonly #expiries = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();
  /** The newest heartbeat of each cluster whose recording waits in the queue. */
  readonly #pendingHeartbeats = new Map<string, ClusterMetadata>();
  #expiryTimer: NodeJS.Timeout | undefined;
  #reconcileTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: ClusterStatusOptions) {
    super();
    this.#options = options;
  }

  /** Reads every cluster once and starts the periodic reconciliation. */
  async start(): Promise<void> {
    await this.reconcile();
    this.#reconcileTimer = setInterval(() => void this.reconcile(), this.#options.reconcileIntervalMs);
    this.#reconcileTimer.unref();
  }

  /** Stops the timers and waits for queued work (last-seen writes of sessions that just closed). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#reconcileTimer);
    clearTimeout(this.#expiryTimer);
    await this.#queue;
  }

  /** Runs `task` in the queue: no change is emitted while it runs. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** The views of these clusters (what `GET /api/v1/clusters` returns), in the given order. */
  async views(clusters: readonly Cluster[]): Promise<ClusterView[]> {
    const wanted = new Set(clusters.map((cluster) => cluster.name));
    const presences = new Map(
      (await this.#options.registry.listPresence())
        .filter((presence) => wanted.has(presence.cluster.name))
        .map((presence) => [presence.cluster.name, presence]),
    );
    return clusters.flatMap((cluster) => {
      const presence = presences.get(cluster.name);
      return presence ? [this.#view(presence)] : [];
    });
  }

  sessionOpened(entry: AgentSessionEntry): void {
    this.#record(entry.cluster, 'session opened');
  }

  sessionClosed(entry: AgentSessionEntry): void {
    this.#record(entry.cluster, 'session closed', this.#options.onSessionClosedRecorded);
  }

  /** Another replica's sessions of the cluster changed (it recorded "last seen" itself). */
  sessionsChanged(cluster: string): void {
    this.#enqueue(() => this.#refresh(cluster, false));
  }

  /**
   * At most one heartbeat per cluster waits in the queue: a newer one replaces it, so agents
   * (many sessions, or a flood) cannot grow the queue faster than the registry writes.
   */
  heartbeat(entry: AgentSessionEntry, heartbeat: AgentHeartbeat): void {
    const { type: _type, ...reported } = heartbeat;
    const metadata: ClusterMetadata = {
      ...reported,
      reportedAt: new Date(this.#options.now()).toISOString(),
    };
    const { cluster } = entry;
    const waiting = this.#pendingHeartbeats.has(cluster);
    this.#pendingHeartbeats.set(cluster, metadata);
    if (waiting) return;
    this.#enqueue(() => {
      const latest = this.#pendingHeartbeats.get(cluster);
      this.#pendingHeartbeats.delete(cluster);
      return this.#recordNow(cluster, 'heartbeat', latest);
    });
  }

  /** A cluster was created or a grant on it changed: (re)evaluate who sees it. */
  clusterChanged(name: string): void {
    this.#enqueue(() => this.#refresh(name, true));
  }

  clusterDeleted(name: string): void {
    this.#enqueue(() => this.#refresh(name, true));
  }

  #record(cluster: string, why: string, recorded?: (cluster: string) => void): void {
    this.#enqueue(async () => {
      await this.#recordNow(cluster, why);
      recorded?.(cluster);
    });
  }

  /** Runs in the queue. */
  async #recordNow(cluster: string, why: string, metadata?: ClusterMetadata): Promise<void> {
    try {
      await this.#options.registry.recordPresence(cluster, new Date(this.#options.now()), metadata);
    } catch (error) {
      this.#options.logger.warn({ err: error, cluster, why }, 'cannot record when the cluster was last seen');
    }
    await this.#refresh(cluster, false);
  }

  #enqueue(task: () => Promise<void>): void {
    // Closed: the relay is stopping and closes the registry next; a fleet replica still hears the
    // others' holdings change (their leases released) until it leaves, and nothing of that matters now.
    if (this.#closed) return;
    void this.exclusive(task).catch((error: unknown) =>
      this.#options.logger.error({ err: error }, 'cluster status update failed'),
    );
  }

  async #refresh(name: string, accessChanged: boolean): Promise<void> {
    const presence = await this.#options.registry.getPresence(name);
    if (!presence) {
      this.#forget(name);
      return;
    }
    await this.#update(presence, accessChanged);
    this.#scheduleExpiry();
  }

  async #update(presence: ClusterPresence, accessChanged: boolean): Promise<void> {
    const view = this.#view(presence);
    const name = view.name;
    this.#noteExpiry(presence, view);
    const key = viewKey(view);
    const changed = this.#emitted.get(name) !== key;
    if (!changed && !accessChanged) return;
    this.#emitted.set(name, key);
    if (this.listenerCount('change') === 0) return;
    const grants = await this.#options.registry.listGrants(name);
    this.emit('change', { kind: 'cluster', view, grants, changed });
  }

  #forget(name: string): void {
    this.#expiries.delete(name);
    if (!this.#emitted.delete(name)) return;
    this.emit('change', { kind: 'removed', name });
  }

  #view(presence: ClusterPresence): ClusterView {
    const { liveSessions, sessionsElsewhere, now, recommendedAgentVersion } = this.#options;
    const { name } = presence.cluster;
    return clusterView({
      presence,
      sessions: liveSessions.list(name).length + (sessionsElsewhere?.(name) ?? 0),
      now: now(),
      recommendedAgentVersion,
    });
  }

  /** Reads every cluster again (another process may have changed the registry). */
  async reconcile(): Promise<void> {
    if (this.#closed) return;
    await this.exclusive(async () => {
      const presences = await this.#options.registry.listPresence();
      const present = new Set(presences.map((presence) => presence.cluster.name));
      for (const name of [...this.#emitted.keys()]) if (!present.has(name)) this.#forget(name);
      // Grants may have changed out of process: let subscribers re-filter every cluster.
      for (const presence of presences) await this.#update(presence, true);
      this.#scheduleExpiry();
    }).catch((error: unknown) =>
      this.#options.logger.warn({ err: error }, 'cannot reconcile cluster status with the registry'),
    );
  }

  /** Remembers when an offline cluster turns Expired, so the change is emitted at that moment. */
  #noteExpiry(presence: ClusterPresence, view: ClusterView): void {
    const expiresAt = presence.credentialExpiresAt?.getTime();
    if (view.status === 'offline' || view.status === 'connecting') {
      if (expiresAt !== undefined) this.#expiries.set(view.name, expiresAt);
      else this.#expiries.delete(view.name);
    } else {
      this.#expiries.delete(view.name);
    }
  }

  #scheduleExpiry(): void {
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    if (this.#closed || this.#expiries.size === 0) return;
    const next = Math.min(...this.#expiries.values());
    const delay = Math.min(Math.max(0, next - this.#options.now()), EXPIRY_CHECK_STEP_MS);
    this.#expiryTimer = setTimeout(() => this.#onExpiryTimer(), delay);
    this.#expiryTimer.unref();
  }

  #onExpiryTimer(): void {
    const now = this.#options.now();
    const due = [...this.#expiries].filter(([, at]) => at <= now).map(([name]) => name);
    if (due.length === 0) {
      this.#scheduleExpiry(); // a long wait taken in steps
      return;
    }
    for (const name of due) {
      this.#expiries.delete(name);
      this.#enqueue(() => this.#refresh(name, false));
    }
  }
}
