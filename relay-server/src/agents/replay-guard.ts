/**
 * Where the relay remembers the agent assertions it accepted, so that each is used once. One relay
 * keeps them in memory (`LocalReplayGuard`); a fleet shares them in Redis (`RedisReplayGuard`), so
 * an assertion used on one replica is refused on every other.
 */
import { ReplayCache } from '@switchboard/tickets';

export interface ReplayGuard {
  /**
   * Records `key` until `expiresAtSeconds` plus the clock skew the guard was made with; false when
   * it was recorded before and has not expired (a replay), or when the guard cannot take more.
   */
  remember(key: string, expiresAtSeconds: number, nowSeconds: number): Promise<boolean>;
}

export class LocalReplayGuard implements ReplayGuard {
  readonly #cache: ReplayCache;

  /** `clockSkewSeconds`: how long past `exp` the verifier still accepts an assertion. */
  constructor(clockSkewSeconds: number) {
    this.#cache = new ReplayCache(clockSkewSeconds);
  }

  async remember(key: string, expiresAtSeconds: number, nowSeconds: number): Promise<boolean> {
    return this.#cache.remember(key, expiresAtSeconds, nowSeconds);
  }
}
