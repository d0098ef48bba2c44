/**
 * What this replica knows of the others: which are alive (their lease in the `replicas` ZSET), where
 * they are reached (`peerUrl`), and how many agent sessions of each cluster they hold. Kept in memory
 * and updated from the fleet's events, so routing and status never wait on Redis; re-read from Redis
 * at every tick for replicas it has not loaded, and entirely after a resubscription.
 *
 * A replica counts only while its lease runs: a killed replica stops counting at its lease's end
 * (no ghost "Connected"), even before anyone deletes its keys. The first replica to see an expired
 * lease removes it and its keys (ZREM decides who) and tells the others.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { FleetEvent } from './fleet-events.js';
import { redisKeys } from './redis-keys.js';

export interface PeerReplica {
  replicaId: string;
  peerUrl: string;
}

interface KnownReplica {
  leaseEndsAt: number;
  peerUrl: string | undefined;
  holdings: Map<string, number>;
}

export interface FleetViewOptions {
  redis: Redis;
  replicaId: string;
  logger: Logger;
  now?: () => number;
  /** A replica's lease that ended (killed, cut off): what the first replica to notice does. */
  onReplicaExpired: (replicaId: string) => Promise<void>;
}

export class FleetView extends EventEmitter<{
  /** The fleet-wide session count of the cluster may have changed. */
  sessions: [cluster: string];
}> {
  readonly #options: FleetViewOptions;
  readonly #now: () => number;
  readonly #replicas = new Map<string, KnownReplica>();
  #turn = 0;

  constructor(options: FleetViewOptions) {
    super();
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Agent sessions of the cluster held by the other live replicas. */
  sessionsElsewhere(cluster: string): number {
    let sessions = 0;
    for (const [, replica] of this.#live()) sessions += replica.holdings.get(cluster) ?? 0;
    return sessions;
  }

  /** The other live replicas holding a session of the cluster, in turn (a different first each call). */
  holders(cluster: string): PeerReplica[] {
    const holders: PeerReplica[] = [];
    for (const [replicaId, replica] of this.#live()) {
      if ((replica.holdings.get(cluster) ?? 0) > 0 && replica.peerUrl !== undefined) {
        holders.push({ replicaId, peerUrl: replica.peerUrl });
      }
    }
    const start = this.#turn++ % Math.max(1, holders.length);
    return [...holders.slice(start), ...holders.slice(0, start)];
  }

  apply(event: FleetEvent): void {
    if (event.type === 'registry' || event.replica === this.#options.replicaId) return;
    if (event.type === 'holding') {
      const replica = this.#replicas.get(event.replica);
      if (!replica) return; // the next tick loads it whole
      if (event.sessions > 0) replica.holdings.set(event.cluster, event.sessions);
      else replica.holdings.delete(event.cluster);
      this.emit('sessions', event.cluster);
    } else if (event.type === 'replica-up') {
      void this.#load(event.replica).catch(() => {});
    } else {
      this.#forget(event.replica);
    }
  }

  /**
   * Drops replicas whose lease ran out (even while Redis is away, so their sessions stop counting),
   * then reads the leases: loads replicas not known yet, drops those gone, reaps expired ones.
   */
  async tick(): Promise<void> {
    const now = this.#now();
    for (const [id, replica] of [...this.#replicas]) if (replica.leaseEndsAt <= now) this.#forget(id);
    const entries = await this.#options.redis.zrange(redisKeys.replicas, 0, -1, 'WITHSCORES');
    const leases = new Map<string, number>();
    for (let i = 0; i + 1 < entries.length; i += 2) leases.set(entries[i]!, Number(entries[i + 1]));
    leases.delete(this.#options.replicaId);
    for (const id of [...this.#replicas.keys()]) if (!leases.has(id)) this.#forget(id);
    const loads: Promise<void>[] = [];
    for (const [id, leaseEndsAt] of leases) {
      if (leaseEndsAt <= now) {
        this.#forget(id);
        loads.push(this.#options.onReplicaExpired(id).catch(() => {}));
        continue;
      }
      const known = this.#replicas.get(id);
      if (known) known.leaseEndsAt = leaseEndsAt;
      else loads.push(this.#load(id, leaseEndsAt));
    }
    await Promise.all(loads);
  }

  /** Reads every replica again (after a resubscription: events may have been missed). */
  async reload(): Promise<void> {
    for (const id of [...this.#replicas.keys()]) this.#forget(id);
    await this.tick();
  }

  *#live(): Generator<[string, KnownReplica]> {
    const now = this.#now();
    for (const entry of this.#replicas) if (entry[1].leaseEndsAt > now) yield entry;
  }

  async #load(replicaId: string, leaseEndsAt?: number): Promise<void> {
    const { redis } = this.#options;
    const [[, info], [, holdings], [, score]] = (await redis
      .multi()
      .hgetall(redisKeys.replica(replicaId))
      .hgetall(redisKeys.holdings(replicaId))
      .zscore(redisKeys.replicas, replicaId)
      .exec()) as [
      [unknown, Record<string, string>],
      [unknown, Record<string, string>],
      [unknown, string | null],
    ];
    if (score === null) return; // it left meanwhile
    const previous = this.#replicas.get(replicaId);
    const replica: KnownReplica = {
      leaseEndsAt: leaseEndsAt ?? Number(score),
      peerUrl: info.peerUrl,
      holdings: new Map(
        Object.entries(holdings)
          .map(([cluster, sessions]) => [cluster, Number(sessions)] as const)
          .filter(([, sessions]) => Number.isInteger(sessions) && sessions > 0),
      ),
    };
    this.#replicas.set(replicaId, replica);
    const clusters = new Set([...(previous?.holdings.keys() ?? []), ...replica.holdings.keys()]);
    for (const cluster of clusters) this.emit('sessions', cluster);
  }

  #forget(replicaId: string): void {
    const replica = this.#replicas.get(replicaId);
    if (!replica) return;
    this.#replicas.delete(replicaId);
    for (const cluster of replica.holdings.keys()) this.emit('sessions', cluster);
  }
}
