/**
 * A user's limits across the fleet: one OPEN-rate token bucket per user in Redis, and concurrent
 * streams and sessions counted per replica (a hash per replica: user → count) and summed over the
 * replicas whose lease is live, so a replica that died stops counting once its lease runs out.
 * Each admission is one Lua script (check and count in one step, atomically against every other
 * replica), the only Redis round trip on a stream's OPEN path.
 *
 * Redis's counts of this replica mirror what it holds. Every admitted stream and session is also
 * counted locally (`LocalUserLimits`), and each change reaches Redis: an admission by script
 * counts itself there, a release is sent as -1. When a change may have been lost or applied
 * without our knowing (the connection closed, a command failed or missed its deadline, Redis
 * restarted empty), the replica stops asking Redis and, once Redis is reachable and none of its
 * commands is in flight, rewrites its hashes from its local counts in one transaction; changes
 * made from then on are sent after it (+1 for a stream admitted locally meanwhile), and once it
 * succeeds Redis decides again. So a release is never lost (the rewrite no longer holds the
 * stream) nor counted twice (the rewrite replaces whatever the uncertain command did).
 *
 * Until then admissions are decided by this replica alone (never refused or held up because Redis
 * is away): the same limits, over the streams and sessions this replica holds, with its own bucket.
 */
import type { Redis, Result } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import {
  type Admission,
  type Admitted,
  LocalUserLimits,
  refusal,
  type UserLimitSettings,
  type UserLimits,
} from '../tunnel/user-limits.js';
import { answerWithin, FallbackNotice, REDIS_ANSWER_TIMEOUT_MS } from './redis-fallback.js';
import { redisKeys } from './redis-keys.js';

const ADMIT_COMMAND = 'switchboardAdmitUser';
const RELEASE_COMMAND = 'switchboardReleaseUser';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** [outcome, held]: outcome 1 admitted (and counted), 0 refused by the count, -1 by the bucket. */
    [ADMIT_COMMAND](
      numberOfKeys: number,
      ...keysAndArgs: (string | number)[]
    ): Result<[number, number], Context>;
    [RELEASE_COMMAND](countKey: string, user: string): Result<number, Context>;
  }
}

/**
 * KEYS: the replicas ZSET (id → lease end, ms), this replica's count hash, and for streams the
 * user's bucket. ARGV: user, this replica's id, the count hashes' key prefix, the limit, now (ms,
 * the replica's clock, as leases are written), and for streams the rate per second and the burst.
 * The other replicas' hashes are found through the ZSET, so they cannot be declared as KEYS: the
 * fleet runs one Redis, not a Redis Cluster.
 */
const ADMIT_SCRIPT = `
local user, self, prefix = ARGV[1], ARGV[2], ARGV[3]
local limit = tonumber(ARGV[4])
local held = tonumber(redis.call('HGET', KEYS[2], user) or '0')
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[5], '+inf')) do
  if id ~= self then held = held + tonumber(redis.call('HGET', prefix .. id, user) or '0') end
end
if held >= limit then return {0, held} end
if KEYS[3] then
  local rate, burst = tonumber(ARGV[6]), tonumber(ARGV[7])
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local bucket = redis.call('HMGET', KEYS[3], 'tokens', 'at')
  local tokens = tonumber(bucket[1]) or burst
  local at = tonumber(bucket[2]) or now
  tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
  if tokens < 1 then return {-1, held} end
  tokens = tokens - 1
  redis.call('HSET', KEYS[3], 'tokens', tostring(tokens), 'at', tostring(now))
  -- Once full again the bucket is as good as absent.
  redis.call('PEXPIRE', KEYS[3], math.ceil((burst - tokens) * 1000 / rate))
end
redis.call('HINCRBY', KEYS[2], user, 1)
return {1, held + 1}
`;

const RELEASE_SCRIPT = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left
`;

type Kind = 'streams' | 'sessions';

export interface RedisUserLimitsOptions {
  /** The replica's command connection (`connectRedis(...).commands`). */
  redis: Redis;
  replicaId: string;
  settings: UserLimitSettings;
  logger: Logger;
  /** The replica's clock (ms since the epoch), against which leases are read. */
  now?: () => number;
  answerTimeoutMs?: number;
}

export class RedisUserLimits implements UserLimits {
  readonly #redis: Redis;
  readonly #replicaId: string;
  readonly #settings: UserLimitSettings;
  readonly #now: () => number;
  readonly #answerTimeoutMs: number;
  readonly #local: LocalUserLimits;
  readonly #notice: FallbackNotice;
  /** This replica's count hashes. */
  readonly #countKeys: Record<Kind, string>;
  /** Whether Redis's counts of this replica are known to match the local ones: only then does Redis decide. */
  #mirrored = false;
  /** Why they may not match (for the log). */
  #unmirroredBecause = 'Redis has not been reached yet';
  /**
   * Commands that change the counts, sent and not settled: a rewrite waits for them, so none can
   * land after it (an admission's +1 is counted locally only once it answers).
   */
  #pendingChanges = 0;
  #rewriting = false;
  /** Bumped at each possible mismatch: a rewrite sent before the latest one does not restore the mirror. */
  #mismatches = 0;

  constructor(options: RedisUserLimitsOptions) {
    this.#redis = options.redis;
    this.#replicaId = options.replicaId;
    this.#settings = options.settings;
    this.#now = options.now ?? Date.now;
    this.#answerTimeoutMs = options.answerTimeoutMs ?? REDIS_ANSWER_TIMEOUT_MS;
    this.#local = new LocalUserLimits(options.settings);
    this.#notice = new FallbackNotice(options.logger, {
      fallingBack: "Redis cannot answer: users' limits are counted on this replica only",
      recovered: "Redis answers again: users' limits are counted across the fleet",
    });
    this.#countKeys = {
      streams: redisKeys.userStreams(this.#replicaId),
      sessions: redisKeys.userSessions(this.#replicaId),
    };
    this.#redis.defineCommand(ADMIT_COMMAND, { lua: ADMIT_SCRIPT });
    this.#redis.defineCommand(RELEASE_COMMAND, { lua: RELEASE_SCRIPT, numberOfKeys: 1 });
    // A closed connection may have lost changes, and Redis may come back empty.
    this.#redis.on('close', () => this.#mismatch('the connection to Redis closed'));
    this.#redis.on('ready', () => this.#rewriteWhenPossible());
    this.#rewriteWhenPossible();
  }

  /** Whether Redis decides admissions now; false while this replica decides alone. */
  get fleetWide(): boolean {
    return this.#mirrored;
  }

  admitStream(user: string): Promise<Admission> {
    return this.#admit('streams', user);
  }

  admitSession(user: string): Promise<Admission> {
    return this.#admit('sessions', user);
  }

  async #admit(kind: Kind, user: string): Promise<Admission> {
    if (this.#redis.status !== 'ready') this.#mismatch(`Redis is not connected (${this.#redis.status})`);
    if (!this.#mirrored) return this.#admitLocally(kind, user, this.#unmirroredBecause);

    const keys = [redisKeys.replicas, this.#countKeys[kind]];
    const args: (string | number)[] = [
      user,
      this.#replicaId,
      // Every replica's count hash is this prefix and its id.
      kind === 'streams' ? redisKeys.userStreams('') : redisKeys.userSessions(''),
      kind === 'streams' ? this.#settings.maxStreamsPerUser : this.#settings.maxSessionsPerUser,
      this.#now(),
    ];
    if (kind === 'streams') {
      keys.push(redisKeys.userOpenRate(user));
      args.push(this.#settings.userOpenRatePerSecond, this.#settings.userOpenBurst);
    }
    // The reply is taken, and an admission counted locally, before the script stops being pending:
    // a rewrite waiting for it then sees the count it added in Redis.
    let wentOn = false;
    this.#pendingChanges++;
    const decided = this.#redis[ADMIT_COMMAND](keys.length, ...keys, ...args)
      .then(([outcome, held]): Admission | undefined => {
        // Too late: the caller went on without it, and the rewrite replaces what it counted.
        if (wentOn) return undefined;
        if (outcome === 1) return this.#counted(kind, user, this.#countLocally(kind, user));
        if (outcome === -1) return refusal('open-rate', this.#settings);
        return refusal(kind === 'streams' ? 'concurrent-streams' : 'sessions', this.#settings, held);
      })
      .finally(() => this.#settled());
    const answer = await answerWithin(decided, this.#answerTimeoutMs);
    // Answered in time, the caller had not gone on: the reply was decided.
    if (answer.answered) return answer.value!;
    wentOn = true;
    // The script may still run, or have run, on Redis: the count there is no longer known.
    this.#mismatch(answer.reason);
    return this.#admitLocally(kind, user, answer.reason);
  }

  #admitLocally(kind: Kind, user: string, reason: string): Admission {
    this.#notice.fellBack(reason);
    this.#rewriteWhenPossible();
    const admission =
      kind === 'streams' ? this.#local.admitStreamNow(user) : this.#local.admitSessionNow(user);
    if (!admission.admitted) return admission;
    this.#send(kind, user, +1);
    return this.#counted(kind, user, admission);
  }

  #countLocally(kind: Kind, user: string): Admitted {
    return kind === 'streams' ? this.#local.countStream(user) : this.#local.countSession(user);
  }

  /** The admission the caller gets: its release gives the place back here and in Redis. */
  #counted(kind: Kind, user: string, local: Admitted): Admitted {
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        local.release();
        this.#send(kind, user, -1);
      },
    };
  }

  /**
   * Sends one change of a local count to Redis, unless the next rewrite will carry it anyway (no
   * rewrite sent since the counts last stopped matching).
   */
  #send(kind: Kind, user: string, change: 1 | -1): void {
    if (!this.#mirrored && !this.#rewriting) return;
    if (this.#redis.status !== 'ready') {
      this.#mismatch(`Redis is not connected (${this.#redis.status})`);
      return;
    }
    const key = this.#countKeys[kind];
    this.#pendingChanges++;
    (change === 1 ? this.#redis.hincrby(key, user, 1) : this.#redis[RELEASE_COMMAND](key, user))
      .catch((error: Error) => this.#mismatch(error.message))
      .finally(() => this.#settled());
  }

  #settled(): void {
    this.#pendingChanges--;
    this.#rewriteWhenPossible();
  }

  #mismatch(reason: string): void {
    this.#mismatches++;
    this.#mirrored = false;
    this.#unmirroredBecause = reason;
  }

  /** Replaces this replica's hashes in Redis by its local counts, once nothing could overtake the snapshot. */
  #rewriteWhenPossible(): void {
    if (this.#mirrored || this.#rewriting || this.#pendingChanges > 0) return;
    if (this.#redis.status !== 'ready') return;
    this.#rewriting = true;
    const mismatchesBefore = this.#mismatches;
    const transaction = this.#redis.multi();
    for (const [kind, held] of [
      ['streams', this.#local.streamsHeld()],
      ['sessions', this.#local.sessionsHeld()],
    ] as const) {
      transaction.del(this.#countKeys[kind]);
      if (held.size > 0) transaction.hset(this.#countKeys[kind], held);
    }
    transaction.exec().then(
      (results) => {
        this.#rewriting = false;
        const failure =
          results === null ? 'the transaction was discarded' : results.find(([error]) => error)?.[0]?.message;
        if (failure !== undefined) {
          this.#mismatch(failure);
          return;
        }
        if (this.#mismatches !== mismatchesBefore) {
          this.#rewriteWhenPossible();
          return;
        }
        this.#mirrored = true;
        this.#notice.answered();
      },
      (error: Error) => {
        this.#rewriting = false;
        this.#mismatch(error.message);
      },
    );
  }
}
