/**
 * The fleet's agent assertion replay cache: each accepted assertion is a Redis key set only if
 * absent (SET NX) that expires when the assertion could no longer be accepted anyway, so a
 * captured assertion is refused on every replica, not only on the one that saw it first.
 *
 * Every assertion is remembered in this replica's memory as well, checked first. While Redis cannot
 * answer (not connected, failing, or slower than the deadline) that memory alone decides: an
 * assertion replayed to the same replica is still refused, but one replayed to another replica
 * during the outage is accepted there, and assertions first seen during the outage are unknown to
 * Redis when it returns. We accept that window rather than refuse every agent while Redis is away:
 * an assertion lives five minutes at most, names this relay as its audience and travels only inside
 * the agent's TLS connection to it, so a replay needs one captured there within those minutes.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LocalReplayGuard, type ReplayGuard } from '../agents/replay-guard.js';
import type { Logger } from '../logging/logger.js';
import { askRedis, FallbackNotice, REDIS_ANSWER_TIMEOUT_MS } from './redis-fallback.js';
import { redisKeys } from './redis-keys.js';

export interface RedisReplayGuardOptions {
  /** The replica's command connection (`connectRedis(...).commands`). */
  redis: Redis;
  /** How long past `exp` the verifier still accepts an assertion. */
  clockSkewSeconds: number;
  logger: Logger;
  answerTimeoutMs?: number;
}

export class RedisReplayGuard implements ReplayGuard {
  readonly #redis: Redis;
  readonly #local: LocalReplayGuard;
  readonly #clockSkewSeconds: number;
  readonly #answerTimeoutMs: number;
  readonly #notice: FallbackNotice;

  constructor(options: RedisReplayGuardOptions) {
    this.#redis = options.redis;
    this.#local = new LocalReplayGuard(options.clockSkewSeconds);
    this.#clockSkewSeconds = options.clockSkewSeconds;
    this.#answerTimeoutMs = options.answerTimeoutMs ?? REDIS_ANSWER_TIMEOUT_MS;
    this.#notice = new FallbackNotice(options.logger, {
      fallingBack: 'Redis cannot answer: agent assertion replays are refused on this replica only',
      recovered: 'Redis answers again: agent assertion replays are refused on every replica',
    });
  }

  async remember(key: string, expiresAtSeconds: number, nowSeconds: number): Promise<boolean> {
    if (!(await this.#local.remember(key, expiresAtSeconds, nowSeconds))) return false;
    // The key holds whatever the caller chose (a credential id and a jti the agent picked): hashed,
    // every Redis key is short and of one shape.
    const digest = createHash('sha256').update(key).digest('base64url');
    const until = expiresAtSeconds + this.#clockSkewSeconds;
    const answer = await askRedis(this.#redis, this.#answerTimeoutMs, (redis) =>
      redis.set(redisKeys.replay(digest), '1', 'EXAT', until, 'NX'),
    );
    if (!answer.answered) {
      this.#notice.fellBack(answer.reason);
      return true;
    }
    this.#notice.answered();
    return answer.value === 'OK';
  }
}
