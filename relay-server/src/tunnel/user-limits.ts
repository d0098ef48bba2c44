/**
 * What one user may hold and open through the relay: concurrent streams, the rate of stream OPENs
 * (a token bucket) and tunnel sessions. `LocalUserLimits` counts in this process; a fleet counts
 * across its replicas in Redis (`fleet/redis-user-limits.ts`). Either way a place is counted the
 * moment it is admitted, so two admissions racing each other cannot both take the last one.
 */
import type { TunnelSettings } from './tunnel-settings.js';

export type UserLimitSettings = Pick<
  TunnelSettings,
  'maxStreamsPerUser' | 'maxSessionsPerUser' | 'userOpenRatePerSecond' | 'userOpenBurst'
>;

/** Which limit refused: shown in the relay log. */
export type UserLimit = 'concurrent-streams' | 'open-rate' | 'sessions';

export interface Admitted {
  admitted: true;
  /** Gives the place back when the stream or session ends; later calls do nothing. */
  release(): void;
}

export interface Refused {
  admitted: false;
  limit: UserLimit;
  /** For the user: which limit, and what to do. */
  message: string;
  /** Streams or sessions the user held when a concurrency limit refused. */
  held?: number;
}

export type Admission = Admitted | Refused;

export interface UserLimits {
  /** A stream the user opens: refused past their concurrent streams or their OPEN rate. */
  admitStream(user: string): Promise<Admission>;
  /** A tunnel session the user opens: refused past their sessions. */
  admitSession(user: string): Promise<Admission>;
}

/** The refusal of each limit, worded once for this process's limits and the fleet's alike. */
export function refusal(limit: UserLimit, settings: UserLimitSettings, held?: number): Refused {
  const message =
    limit === 'concurrent-streams'
      ? `too many concurrent streams: at most ${settings.maxStreamsPerUser} per user`
      : limit === 'open-rate'
        ? `too many streams opened: at most ${settings.userOpenRatePerSecond} per second`
        : `you hold ${held} tunnel sessions, the most the relay allows per user; stop another Switchboard proxy or app, or wait for its session to end`;
  return { admitted: false, limit, message, ...(held !== undefined && { held }) };
}

interface UserStreams {
  held: number;
  opens: TokenBucket;
}

/** Users with nothing held and a full bucket are forgotten; past this many, the others are checked too. */
const PRUNE_FLOOR = 1_024;

/** The limits as this relay process alone counts them. */
export class LocalUserLimits implements UserLimits {
  readonly #settings: UserLimitSettings;
  /** Users who hold streams or whose bucket is refilling. */
  readonly #streams = new Map<string, UserStreams>();
  /** Users who hold sessions. */
  readonly #sessions = new Map<string, number>();
  #pruneAtSize = PRUNE_FLOOR;

  constructor(settings: UserLimitSettings) {
    this.#settings = settings;
  }

  async admitStream(user: string): Promise<Admission> {
    return this.admitStreamNow(user);
  }

  async admitSession(user: string): Promise<Admission> {
    return this.admitSessionNow(user);
  }

  /** `admitStream`, decided and counted before it returns. */
  admitStreamNow(user: string): Admission {
    const streams = this.#userStreams(user);
    if (streams.held >= this.#settings.maxStreamsPerUser) {
      return refusal('concurrent-streams', this.#settings, streams.held);
    }
    if (!streams.opens.take()) {
      this.#forgetIfIdle(user, streams);
      return refusal('open-rate', this.#settings);
    }
    return this.countStream(user);
  }

  /** `admitSession`, decided and counted before it returns. */
  admitSessionNow(user: string): Admission {
    const held = this.#sessions.get(user) ?? 0;
    if (held >= this.#settings.maxSessionsPerUser) return refusal('sessions', this.#settings, held);
    return this.countSession(user);
  }

  /**
   * Counts a stream another limiter admitted (the fleet's), so that what this process holds stays
   * whole should it have to decide alone; neither refused nor charged to the OPEN rate.
   */
  countStream(user: string): Admitted {
    const streams = this.#userStreams(user);
    streams.held++;
    return once(() => {
      streams.held--;
      this.#forgetIfIdle(user, streams);
    });
  }

  /** Counts a session another limiter admitted; see `countStream`. */
  countSession(user: string): Admitted {
    this.#sessions.set(user, (this.#sessions.get(user) ?? 0) + 1);
    return once(() => {
      const remaining = (this.#sessions.get(user) ?? 1) - 1;
      if (remaining > 0) this.#sessions.set(user, remaining);
      else this.#sessions.delete(user);
    });
  }

  /** Streams held per user now (users holding none are absent). */
  streamsHeld(): Map<string, number> {
    const held = new Map<string, number>();
    for (const [user, streams] of this.#streams) if (streams.held > 0) held.set(user, streams.held);
    return held;
  }

  /** Sessions held per user now. */
  sessionsHeld(): Map<string, number> {
    return new Map(this.#sessions);
  }

  #userStreams(user: string): UserStreams {
    let streams = this.#streams.get(user);
    if (!streams) {
      if (this.#streams.size >= this.#pruneAtSize) this.#prune();
      const { userOpenRatePerSecond, userOpenBurst } = this.#settings;
      streams = { held: 0, opens: new TokenBucket(userOpenRatePerSecond, userOpenBurst) };
      this.#streams.set(user, streams);
    }
    return streams;
  }

  #forgetIfIdle(user: string, streams: UserStreams): void {
    if (streams.held === 0 && streams.opens.full) this.#streams.delete(user);
  }

  /**
   * A user whose bucket was still refilling when their last stream ended stays in the map; once
   * it is full they are as good as unknown, so they go when the map has grown (amortised: the
   * next prune waits until the map doubles).
   */
  #prune(): void {
    for (const [user, streams] of this.#streams) this.#forgetIfIdle(user, streams);
    this.#pruneAtSize = Math.max(PRUNE_FLOOR, this.#streams.size * 2);
  }
}

function once(release: () => void): Admitted {
  let released = false;
  return {
    admitted: true,
    release: () => {
      if (released) return;
      released = true;
      release();
    },
  };
}

/** OPENs per user: refills `rate` per second up to `burst`. */
class TokenBucket {
  #tokens: number;
  #at = performance.now();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  get full(): boolean {
    this.#refill();
    return this.#tokens >= this.burst;
  }

  #refill(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
  }
}
