/**
 * Remembers each accepted `jti` until its token expires (plus the clock skew its verifier allows),
 * so a captured token cannot be used twice while it is still valid: the agent keeps one for
 * identity tickets, the relay one for agent assertions. Expired entries are pruned as new ones
 * arrive.
 */

/** Upper bound of remembered `jti`s; beyond it (after pruning) tokens are refused, fail closed. */
const MAX_REMEMBERED_JTIS = 200_000;

export class ReplayCache {
  readonly #seen = new Map<string, number>();
  #nextPruneAt = 0;

  /** `clockSkewSeconds`: how far past `exp` the verifier still accepts a token, so how long to remember it. */
  constructor(
    private readonly clockSkewSeconds: number,
    private readonly maxEntries = MAX_REMEMBERED_JTIS,
  ) {}

  /** False when the key was seen and has not expired yet (or the cache is full). */
  remember(key: string, expiresAtSeconds: number, nowSeconds: number): boolean {
    if (nowSeconds >= this.#nextPruneAt || this.#seen.size >= this.maxEntries) this.#prune(nowSeconds);
    const known = this.#seen.get(key);
    if (known !== undefined && known > nowSeconds) return false;
    if (this.#seen.size >= this.maxEntries) return false;
    this.#seen.set(key, expiresAtSeconds + this.clockSkewSeconds);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }

  #prune(nowSeconds: number): void {
    this.#nextPruneAt = nowSeconds + 10;
    for (const [key, until] of this.#seen) if (until <= nowSeconds) this.#seen.delete(key);
  }
}
