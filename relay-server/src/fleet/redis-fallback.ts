/**
 * How fleet state in Redis degrades: a caller asks Redis with a deadline, and when Redis is not
 * connected, fails or does not answer in time, it goes on with what this replica knows alone and
 * says so, at most once per interval, in the log. Nothing on a request's path ever waits longer
 * than the deadline for Redis.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';

/** How long a request's path waits for Redis before it goes on without it. */
export const REDIS_ANSWER_TIMEOUT_MS = 500;

/** At most one warning per this long while a caller keeps falling back. */
const FALLBACK_LOG_INTERVAL_MS = 10_000;

export type RedisAnswer<T> = { answered: true; value: T } | { answered: false; reason: string };

/**
 * Sends a command only while the connection is ready: ioredis would refuse it at once anyway
 * (the connections do not queue offline), this just skips building it.
 */
export function askRedis<T>(
  redis: Redis,
  timeoutMs: number,
  command: (redis: Redis) => Promise<T>,
): Promise<RedisAnswer<T>> {
  if (redis.status !== 'ready') {
    return Promise.resolve({ answered: false, reason: `Redis is not connected (${redis.status})` });
  }
  return answerWithin(command(redis), timeoutMs);
}

/**
 * The command's reply, or why there is none: its error, or the deadline passing. A command that
 * missed the deadline may still run on Redis later; callers for whom that matters watch `pending`
 * themselves.
 */
export async function answerWithin<T>(pending: Promise<T>, timeoutMs: number): Promise<RedisAnswer<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<RedisAnswer<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ answered: false, reason: `Redis did not answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      pending.then(
        (value): RedisAnswer<T> => ({ answered: true, value }),
        (error: Error): RedisAnswer<T> => ({ answered: false, reason: error.message }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The log lines of one caller that falls back: a warning per interval, a line when Redis answers again. */
export class FallbackNotice {
  #fallbacks = 0;
  #quietUntil = 0;
  #fallingBack = false;

  constructor(
    private readonly logger: Logger,
    private readonly messages: {
      /** Logged (warn) while it falls back: what this replica does alone meanwhile. */
      fallingBack: string;
      /** Logged (info) once Redis answers again. */
      recovered: string;
    },
    private readonly now: () => number = Date.now,
  ) {}

  fellBack(reason: string): void {
    this.#fallingBack = true;
    this.#fallbacks++;
    const now = this.now();
    if (now < this.#quietUntil) return;
    this.#quietUntil = now + FALLBACK_LOG_INTERVAL_MS;
    // `fallbacks`: how many times since the previous warning, so a quiet interval still counts.
    this.logger.warn({ reason, fallbacks: this.#fallbacks }, this.messages.fallingBack);
    this.#fallbacks = 0;
  }

  answered(): void {
    if (!this.#fallingBack) return;
    this.#fallingBack = false;
    this.#quietUntil = 0;
    this.#fallbacks = 0;
    this.logger.info(this.messages.recovered);
  }
}
