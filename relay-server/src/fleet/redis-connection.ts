/**
 * The relay's two connections to Redis: one for commands, one subscribed to the fleet's channel
 * (a subscribed connection can run nothing else). Both fail fast while Redis is away instead of
 * queueing: the callers fall back to what this replica knows alone, and reconnecting goes on in the
 * background, so the relay recovers by itself when Redis returns.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/logger.js';

/** At most one warning per this long while Redis stays unreachable. */
const ERROR_LOG_INTERVAL_MS = 10_000;

export interface RedisConnections {
  commands: Redis;
  subscriber: Redis;
  /** Why Redis cannot be used now, for /readyz; undefined when both connections are ready. */
  unavailableReason(): string | undefined;
  close(): Promise<void>;
}

export function connectRedis(url: string, replicaId: string, logger: Logger): RedisConnections {
  const options: RedisOptions = {
    connectionName: `switchboard-relay:${replicaId}`,
    // Commands fail at once while disconnected; a command in flight when the link drops fails too.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    // A Redis that holds the connection but answers nothing (paused, overloaded) must not stall
    // the lease refresh or a stream OPEN: its commands fail after this long.
    commandTimeout: 1_000,
    // Reconnect for ever, quickly at first: a restarted Redis is back in use within a second.
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2_000),
    lazyConnect: true,
  };
  const commands = new Redis(url, options);
  const subscriber = new Redis(url, { ...options, connectionName: `${options.connectionName}:events` });
  let lastError: string | undefined;
  let quietUntil = 0;
  for (const [role, connection] of [
    ['commands', commands],
    ['events', subscriber],
  ] as const) {
    connection.on('error', (error: Error) => {
      lastError = error.message;
      const now = Date.now();
      if (now < quietUntil) return;
      quietUntil = now + ERROR_LOG_INTERVAL_MS;
      logger.warn({ connection: role, reason: error.message }, 'Redis unreachable; using this replica alone');
    });
    connection.on('ready', () => {
      quietUntil = 0;
      logger.info({ connection: role }, 'Redis connected');
    });
    connection.connect().catch(() => {}); // the 'error' listener reports; the retry strategy goes on
  }
  return {
    commands,
    subscriber,
    unavailableReason: () => {
      if (commands.status === 'ready' && subscriber.status === 'ready') return undefined;
      return `Redis is unreachable${lastError ? ` (${lastError})` : ''}`;
    },
    close: async () => {
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
