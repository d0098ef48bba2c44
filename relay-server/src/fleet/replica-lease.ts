/**
 * This replica's place in the fleet's Redis state: a lease in the `replicas` ZSET, refreshed every
 * `refreshMs` and ending `leaseMs` after the last refresh, and the hash of the agent sessions it
 * holds per cluster. One lease per replica instead of one expiring entry per cluster keeps an idle
 * fleet's Redis load at one write per replica per refresh, whatever the number of agents; a killed
 * replica's holdings die with its lease (`FleetView` stops counting them at its expiry and the first
 * replica to notice deletes them).
 *
 * Redis may be away: a holding that cannot be written marks the lease dirty, and the next refresh
 * that reaches Redis rewrites every holding. So does a refresh that finds the lease gone (another
 * replica reaped it after a stall): the replica comes back with everything it holds.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { FleetEventBus } from './fleet-events.js';
import { redisKeys } from './redis-keys.js';

export interface ReplicaLeaseOptions {
  redis: Redis;
  bus: FleetEventBus;
  replicaId: string;
  peerUrl: string;
  leaseMs: number;
  refreshMs: number;
  /** Agent sessions this replica holds now, per cluster. */
  holdings: () => ReadonlyMap<string, number>;
  logger: Logger;
  now?: () => number;
}

export class ReplicaLease {
  readonly #options: ReplicaLeaseOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #dirty = true;
  #refreshing: Promise<void> | undefined;
  #released = false;
  /** Why the last refresh failed; cleared by the next that succeeds. */
  #failure: string | undefined = 'not refreshed yet';

  constructor(options: ReplicaLeaseOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Takes the lease (in the background while Redis is away) and keeps refreshing it. */
  start(): void {
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.#options.refreshMs);
    this.#timer.unref();
  }

  /** The replica now holds `sessions` sessions of the cluster: tell the fleet. */
  async holdingChanged(cluster: string, sessions: number): Promise<void> {
    if (this.#released) return;
    const { redis, bus, replicaId } = this.#options;
    try {
      const key = redisKeys.holdings(replicaId);
      if (sessions > 0) await redis.hset(key, cluster, sessions);
      else await redis.hdel(key, cluster);
    } catch {
      this.#dirty = true;
      return;
    }
    if (!(await bus.publish({ type: 'holding', replica: replicaId, cluster, sessions }))) this.#dirty = true;
  }

  /** Extends the lease; rewrites the holdings when they may be out of date. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /**
   * Why the lease cannot be refreshed (Redis refused, timed out, or has not answered yet);
   * undefined while it can. Judged by the last attempt, not by the time since the last success: a
   * replica whose event loop is merely busy is still ready.
   */
  get failure(): string | undefined {
    return this.#failure;
  }

  /** Gives the lease up (the replica stops): the fleet forgets its holdings at once. */
  async release(): Promise<void> {
    clearInterval(this.#timer);
    this.#released = true;
    await this.#refreshing;
    const { redis, bus, replicaId } = this.#options;
    // Redis away: the lease expires by itself and another replica reaps it.
    await reapReplica(redis, bus, replicaId).catch(() => {});
  }

  async #refresh(): Promise<void> {
    if (this.#released) return;
    const { redis, replicaId, peerUrl, leaseMs, logger } = this.#options;
    try {
      const added = await redis.zadd(redisKeys.replicas, this.#now() + leaseMs, replicaId);
      this.#failure = undefined;
      if (added === 1 && !this.#dirty) {
        logger.warn(
          { replica: replicaId },
          'this replica lost its fleet lease (a stall?); rejoining the fleet',
        );
      }
      if (added === 1 || this.#dirty) await this.#rewrite(peerUrl);
    } catch (error) {
      if (!this.#dirty) logger.debug({ err: (error as Error).message }, 'cannot refresh the fleet lease');
      this.#failure = (error as Error).message;
      this.#dirty = true;
    }
  }

  /** Writes every holding anew and tells the fleet to read them. */
  async #rewrite(peerUrl: string): Promise<void> {
    const { redis, bus, replicaId, holdings } = this.#options;
    this.#dirty = false;
    const key = redisKeys.holdings(replicaId);
    const transaction = redis
      .multi()
      .hset(redisKeys.replica(replicaId), { peerUrl, startedAt: new Date(this.#now()).toISOString() })
      .del(key);
    const held = [...holdings()].filter(([, sessions]) => sessions > 0);
    if (held.length > 0) transaction.hset(key, Object.fromEntries(held));
    try {
      await transaction.exec();
    } catch (error) {
      this.#dirty = true;
      throw error;
    }
    if (!(await bus.publish({ type: 'replica-up', replica: replicaId }))) this.#dirty = true;
  }
}

/**
 * Removes a replica from the fleet (its own stop, or another's lease that ran out): the ZREM decides
 * which of several replicas noticing it does the rest, so its keys are deleted and the fleet told once.
 */
export async function reapReplica(redis: Redis, bus: FleetEventBus, replicaId: string): Promise<void> {
  if ((await redis.zrem(redisKeys.replicas, replicaId)) === 0) return;
  await redis.del(
    redisKeys.replica(replicaId),
    redisKeys.holdings(replicaId),
    redisKeys.userStreams(replicaId),
    redisKeys.userSessions(replicaId),
  );
  await bus.publish({ type: 'replica-gone', replica: replicaId });
}
