/**
 * Identities of tokens that already passed verification, so a client that opens many streams
 * with one token (1,000 watches, a burst of kubectl requests) pays the signature check once per
 * token instead of once per OPEN. Keyed by the token's SHA-256 (the token itself is not kept);
 * an entry never outlives the token's `exp`, and the least recently used entry goes first when
 * the cache is full. Only verified tokens are stored: a rejection is checked again every time.
 *
 * What a cached entry skips is the signature and claim checks against the issuer's keys at the
 * time of use: a key the issuer withdraws before a token's `exp` keeps that token accepted until
 * then, as it would for a stream opened just before the withdrawal.
 */
import { createHash } from 'node:crypto';
import type { Identity } from '@switchboard/contract/identity';

export interface VerifiedTokenCacheOptions {
  /** Entries kept at most; the least recently used is dropped beyond it (default 10,000). */
  maxEntries?: number;
  /** Milliseconds since the epoch (tests inject a clock). */
  now?: () => number;
}

export const DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES = 10_000;

export class VerifiedTokenCache {
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #entries = new Map<string, Identity>();

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The identity a still-unexpired verified token was issued to, or undefined. */
  get(token: string): Identity | undefined {
    const key = keyOf(token);
    const identity = this.#entries.get(key);
    if (!identity) return undefined;
    this.#entries.delete(key);
    if (identity.expiresAt.getTime() <= this.#now()) return undefined;
    this.#entries.set(key, identity);
    return identity;
  }

  /**
   * Remembers a token that just passed verification, until its `exp`. Returns the identity as
   * stored (frozen: every later caller shares it).
   */
  remember(token: string, identity: Identity): Identity {
    const stored = Object.freeze({ ...identity, groups: Object.freeze([...identity.groups]) as string[] });
    // A token accepted only thanks to the clock tolerance is already past its exp: not kept.
    if (this.#maxEntries <= 0 || stored.expiresAt.getTime() <= this.#now()) return stored;
    const key = keyOf(token);
    this.#entries.delete(key);
    this.#entries.set(key, stored);
    while (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    return stored;
  }
}

function keyOf(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}
