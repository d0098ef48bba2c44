/**
 * The issuer's signing keys, fetched from its JWKS URI and cached.
 *
 * jose's createRemoteJWKSet refetches on an unknown `kid` only after a cooldown counted from the
 * last fetch, so a key rotated in just after start-up is refused until the cooldown ends. This
 * key set instead refetches once per unknown `kid` (concurrent requests for it share that one
 * fetch), remembers a `kid` the refetch did not find so it is refused without another fetch, and
 * spaces unknown-kid refetches apart so tokens with made-up `kid`s cannot turn the relay into a
 * load generator against the issuer.
 */
import {
  type CryptoKey,
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type LocalJWKSet,
} from 'jose';
import { IssuerUnavailableError } from './token-rejected-error.js';

export interface RemoteKeySetOptions {
  /** Keys older than this are refetched before use (issuers rotate on a schedule). */
  maxAgeMs: number;
  /** Minimum time between two refetches caused by unknown `kid`s. */
  unknownKidRefetchIntervalMs: number;
  /** How long a `kid` the refetch did not find stays refused without a new fetch. */
  unknownKidMemoryMs: number;
}

export const DEFAULT_KEY_SET_OPTIONS: RemoteKeySetOptions = {
  maxAgeMs: 60 * 60_000,
  unknownKidRefetchIntervalMs: 5_000,
  unknownKidMemoryMs: 5 * 60_000,
};

/** After a failed scheduled refresh, how long the old keys serve before the next attempt. */
const STALE_KEYS_RETRY_MS = 30_000;

/** Bounds the memory of unknown `kid`s; the oldest is forgotten first. */
const MAX_REMEMBERED_UNKNOWN_KIDS = 1024;

interface UnknownKidRefetch {
  at: number;
  keys: Promise<LocalJWKSet>;
}

export class RemoteKeySet {
  private keys: LocalJWKSet | undefined;
  private fetchedAt = 0;
  private refreshing: Promise<LocalJWKSet> | undefined;
  private lastUnknownKidRefetchAt = Number.NEGATIVE_INFINITY;
  private readonly unknownKidRefetches = new Map<string, UnknownKidRefetch>();

  constructor(
    private readonly loadJwks: () => Promise<unknown>,
    private readonly options: RemoteKeySetOptions = DEFAULT_KEY_SET_OPTIONS,
  ) {}

  /** A jose key resolver (`jwtVerify(token, keySet.resolver, …)`). */
  readonly resolver = (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> =>
    this.keyFor(header, token);

  private async keyFor(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> {
    const keys = await this.currentKeys();
    try {
      return await keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      const refetched = await this.refetchForUnknownKid(header.kid ?? '');
      if (!refetched) throw error;
      return refetched(header, token);
    }
  }

  private async currentKeys(): Promise<LocalJWKSet> {
    if (this.keys && Date.now() - this.fetchedAt < this.options.maxAgeMs) return this.keys;
    try {
      return await this.refresh();
    } catch (error) {
      // The issuer being briefly unreachable must not lock everyone out: keep the keys we have,
      // and do not retry on every request.
      if (this.keys) {
        this.fetchedAt = Date.now() - this.options.maxAgeMs + STALE_KEYS_RETRY_MS;
        return this.keys;
      }
      throw error;
    }
  }

  /** The keys after the one refetch this `kid` is entitled to, or undefined when it gets none. */
  private async refetchForUnknownKid(kid: string): Promise<LocalJWKSet | undefined> {
    const now = Date.now();
    let refetch = this.unknownKidRefetches.get(kid);
    if (!refetch || now - refetch.at > this.options.unknownKidMemoryMs) {
      if (now - this.lastUnknownKidRefetchAt < this.options.unknownKidRefetchIntervalMs) return undefined;
      this.lastUnknownKidRefetchAt = now;
      refetch = { at: now, keys: this.refresh() };
      this.remember(kid, refetch);
    }
    try {
      return await refetch.keys;
    } catch (error) {
      // A failed fetch says nothing about the kid; let the next request try again.
      if (this.unknownKidRefetches.get(kid) === refetch) this.unknownKidRefetches.delete(kid);
      throw error;
    }
  }

  private remember(kid: string, refetch: UnknownKidRefetch): void {
    this.unknownKidRefetches.delete(kid);
    this.unknownKidRefetches.set(kid, refetch);
    if (this.unknownKidRefetches.size > MAX_REMEMBERED_UNKNOWN_KIDS) {
      const oldest = this.unknownKidRefetches.keys().next().value as string;
      this.unknownKidRefetches.delete(oldest);
    }
  }

  /** Fetches the key set; concurrent callers share one fetch. */
  private refresh(): Promise<LocalJWKSet> {
    this.refreshing ??= this.fetchKeys().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async fetchKeys(): Promise<LocalJWKSet> {
    const document = await this.loadJwks();
    let keys: LocalJWKSet;
    try {
      keys = createLocalJWKSet(document as JSONWebKeySet);
    } catch (error) {
      throw new IssuerUnavailableError(`the issuer's key set is invalid: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
    return keys;
  }
}
