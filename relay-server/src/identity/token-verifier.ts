/**
 * Validates OpenID bearer tokens (JWTs) against the trusted issuer: signature from the issuer's
 * published keys, issuer, audience, lifetime, and an algorithm allow-list, then reads the
 * identity from the configured claims. Shared by the admin API and the tunnel. A
 * token that passed is remembered until its `exp` (`VerifiedTokenCache`): one client opening
 * many streams with the same token is checked once.
 */
import { type Identity, TOKEN_CLOCK_TOLERANCE_SECONDS } from '@switchboard/contract/identity';
import { errors, jwtVerify } from 'jose';
import { identityFromClaims } from './claims.js';
import { type FetchJsonOptions, fetchJson } from './fetch-json.js';
import { discoverIssuer, type IssuerMetadata } from './issuer-discovery.js';
import { DEFAULT_KEY_SET_OPTIONS, RemoteKeySet, type RemoteKeySetOptions } from './remote-key-set.js';
import { TokenRejectedError } from './token-rejected-error.js';
import type { TokenTrust } from './trust-settings.js';
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-token-cache.js';

export interface TokenVerifier {
  /** The caller's identity; throws TokenRejectedError for a bad token, IssuerUnavailableError when keys cannot be had. */
  verify(token: string): Promise<Identity>;
}

/** Asymmetric algorithms only: never `none`, never HMAC (whose secret would be the public key). */
export const ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Real tokens are a few KiB even with many groups; anything far larger is not worth parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;

export interface OidcTokenVerifierOptions {
  fetch?: Partial<FetchJsonOptions>;
  keySet?: Partial<RemoteKeySetOptions>;
  /** Verified tokens remembered (default 10,000 entries; `maxEntries: 0` turns it off). */
  cache?: Pick<VerifiedTokenCacheOptions, 'maxEntries'>;
  /** Milliseconds since the epoch, for token lifetimes and the cache (tests inject a clock). */
  now?: () => number;
}

export class OidcTokenVerifier implements TokenVerifier {
  private metadata: IssuerMetadata | undefined;
  private discovering: Promise<IssuerMetadata> | undefined;
  private readonly fetchOptions: FetchJsonOptions;
  private readonly keySet: RemoteKeySet;
  private readonly verified: VerifiedTokenCache;
  private readonly now: () => number;

  constructor(
    readonly trust: TokenTrust,
    options: OidcTokenVerifierOptions = {},
  ) {
    this.fetchOptions = { timeoutMs: 5_000, maxBytes: 512 * 1024, ...options.fetch };
    this.keySet = new RemoteKeySet(
      async () => fetchJson((await this.discover()).jwksUri, this.fetchOptions),
      { ...DEFAULT_KEY_SET_OPTIONS, ...options.keySet },
    );
    this.now = options.now ?? Date.now;
    this.verified = new VerifiedTokenCache({ ...options.cache, now: this.now });
  }

  /** Whether the issuer's discovery document has been loaded (readiness). */
  get discovered(): boolean {
    return this.metadata !== undefined;
  }

  /** Loads the issuer's discovery document; concurrent callers share one fetch, a failure is retried next time. */
  discover(): Promise<IssuerMetadata> {
    if (this.metadata) return Promise.resolve(this.metadata);
    this.discovering ??= discoverIssuer(this.trust.issuer, this.fetchOptions)
      .then((metadata) => {
        this.metadata = metadata;
        return metadata;
      })
      .finally(() => {
        this.discovering = undefined;
      });
    return this.discovering;
  }

  async verify(token: string): Promise<Identity> {
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('the token is too large');
    const known = this.verified.get(token);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, this.keySet.resolver, {
        issuer: this.trust.issuer,
        audience: this.trust.audiences,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: TOKEN_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
        currentDate: new Date(this.now()),
      });
      return this.verified.remember(token, identityFromClaims(payload, this.trust));
    } catch (error) {
      throw explainRejection(error);
    }
  }
}

/** Turns jose's errors into reasons a user or admin can act on; other errors pass through. */
function explainRejection(error: unknown): unknown {
  if (!(error instanceof errors.JOSEError)) return error;
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return new TokenRejectedError('the token is not valid yet (nbf)');
      case 'iat':
        return new TokenRejectedError('the token was issued in the future (iat)');
      case 'iss':
        return new TokenRejectedError('the token was not issued by the issuer this relay trusts');
      case 'aud':
        return new TokenRejectedError('the token is not meant for this relay (audience)');
      case 'exp':
        return new TokenRejectedError('the token has no valid expiry (exp)');
      default:
        return new TokenRejectedError(`the token's "${error.claim}" claim is invalid`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenRejectedError('the token is signed with an algorithm the relay does not accept');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenRejectedError('the token signature is invalid');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new TokenRejectedError('the token is signed with a key the issuer does not publish');
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenRejectedError('the token does not say which of the issuer keys signed it (kid)');
  }
  return new TokenRejectedError('the token is malformed');
}
