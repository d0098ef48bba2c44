/**
 * The fleet's change feed: one Redis pub/sub channel every replica publishes to and listens on.
 * A message is JSON, checked against `fleetEventSchema` on receipt (a bad one is logged and
 * dropped). Pub/sub delivers at most once: a replica that was cut off from Redis reconciles
 * everything when it is back (`FleetEventBus` reports the resubscription), so a lost message
 * delays a change, never loses it.
 */
import { clusterNameSchema } from '@switchboard/contract/relay-api';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import { redisKeys } from './redis-keys.js';

const replicaIdSchema = z.string().min(1).max(63);

export const fleetEventSchema = z.discriminatedUnion('type', [
  /** A replica now holds `sessions` agent sessions of the cluster (0: none any more). */
  z.object({
    type: z.literal('holding'),
    replica: replicaIdSchema,
    cluster: clusterNameSchema,
    sessions: z.number().int().min(0),
  }),
  /** A replica (re)wrote all its holdings: read them again. */
  z.object({ type: z.literal('replica-up'), replica: replicaIdSchema }),
  /** A replica stopped, or its lease expired: forget its holdings. */
  z.object({ type: z.literal('replica-gone'), replica: replicaIdSchema }),
  /**
   * The registry changed through one replica or the operator CLI: a cluster was created or its
   * grants changed (`changed`), it was deleted, or its agent credentials were revoked.
   */
  z.object({
    type: z.literal('registry'),
    change: z.enum(['changed', 'deleted', 'credentials-revoked']),
    cluster: clusterNameSchema,
    /** Which replica made it (it has applied it already); absent from the operator CLI. */
    origin: replicaIdSchema.optional(),
  }),
]);

export type FleetEvent = z.infer<typeof fleetEventSchema>;
export type RegistryChangeEvent = Extract<FleetEvent, { type: 'registry' }>;
export type RegistryChange = RegistryChangeEvent['change'];

/**
 * Publishes events from a process outside the fleet (the operator CLI) over a connection of its
 * own; false when Redis could not take them.
 */
export async function publishFleetEvents(redisUrl: string, events: readonly FleetEvent[]): Promise<boolean> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {}); // reported through the result
  try {
    await redis.connect();
    for (const event of events) await redis.publish(redisKeys.events, JSON.stringify(event));
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Bounds what one message may make a replica parse. */
const MAX_MESSAGE_BYTES = 4 * 1024;

export interface FleetEventBusOptions {
  commands: Redis;
  subscriber: Redis;
  logger: Logger;
  onEvent: (event: FleetEvent) => void;
  /** The subscription is (re)established: messages sent meanwhile may be lost, so reconcile. */
  onResubscribed: () => void;
}

export class FleetEventBus {
  readonly #options: FleetEventBusOptions;

  constructor(options: FleetEventBusOptions) {
    this.#options = options;
    const { subscriber } = options;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === redisKeys.events) this.#receive(message);
    });
    // ioredis subscribes again by itself after a reconnect ('ready' follows the resubscription).
    subscriber.on('ready', () => options.onResubscribed());
    void this.#subscribe();
  }

  /** Publishes; false when Redis could not take it (the others catch up when they reconcile). */
  async publish(event: FleetEvent): Promise<boolean> {
    try {
      await this.#options.commands.publish(redisKeys.events, JSON.stringify(event));
      return true;
    } catch {
      return false;
    }
  }

  async #subscribe(): Promise<void> {
    const { subscriber } = this.#options;
    // Subscribed once the connection is up; ioredis keeps the subscription across reconnects.
    if (subscriber.status !== 'ready') await new Promise((resolve) => subscriber.once('ready', resolve));
    await subscriber.subscribe(redisKeys.events).catch(() => {});
  }

  #receive(message: string): void {
    if (message.length > MAX_MESSAGE_BYTES) {
      this.#options.logger.warn({ bytes: message.length }, 'fleet event dropped: too large');
      return;
    }
    let parsed: ReturnType<typeof fleetEventSchema.safeParse>;
    try {
      parsed = fleetEventSchema.safeParse(JSON.parse(message));
    } catch {
      this.#options.logger.warn('fleet event dropped: not JSON');
      return;
    }
    if (!parsed.success) {
      this.#options.logger.warn({ issue: parsed.error.issues[0]?.message }, 'fleet event dropped: malformed');
      return;
    }
    this.#options.onEvent(parsed.data);
  }
}
