/**
 * Relay replicas as the fleet tests need them: each its own Redis connections (as `connectRedis`
 * makes them in the relay) and its own captured log, over one real Redis.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { connectRedis, type RedisConnections } from '../../src/fleet/redis-connection.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';

export interface TestReplica {
  id: string;
  redis: RedisConnections;
  logger: Logger;
  logs(): Array<Record<string, unknown>>;
}

/** A replica connected to Redis at `url`, its connections ready; closed when the test finishes. */
export async function connectReplica(url: string, id = `replica-${randomBytes(4).toString('hex')}`) {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  const redis = connectRedis(url, id, logger);
  onTestFinished(() => redis.close());
  await Promise.all([untilReady(redis.commands), untilReady(redis.subscriber)]);
  const replica: TestReplica = {
    id,
    redis,
    logger,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
  return replica;
}

// Not `events.once`: a reconnecting ioredis connection emits 'error', which would reject it.
export function untilReady(connection: Redis): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => connection.once('ready', () => resolve()));
}

/** Resolves once the connection has noticed that Redis went away. */
export function untilDisconnected(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') return Promise.resolve();
  return new Promise((resolve) => connection.once('close', () => resolve()));
}
