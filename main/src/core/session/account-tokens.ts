import type { Logger } from '../logging/logger.js';
import type { StoredTokens, TokenStore } from '../token-store/token-store.js';
import { type BearerToken, bearerTokenOf } from './bearer-token.js';
import { isExpired, needsRenewal } from './refresh-policy.js';
import { SignInRequiredError } from './sign-in-required-error.js';
import { renewTokens } from './token-renewal.js';

export interface AccountTokensOptions {
  now?: () => number;
  logger?: Logger;
  /** Swapped in tests to observe renewals; defaults to the OAuth renewal. */
  renew?: (tokens: StoredTokens, now: () => number) => Promise<StoredTokens>;
}

/**
 * One signed-in account (one relay): hands out a valid bearer token, renewing ahead of expiry.
 *
 * - Single-flight: concurrent callers share one renewal, so N parallel requests near expiry cost
 *   one token request (and, with rotation, do not race each other into reuse detection). Across
 *   processes the store's per-account lock does the same: the second process finds the tokens
 *   the first one stored.
 * - Rotation: the renewed tokens, including the new refresh token, are saved (atomically, by the
 *   store) before anyone gets the new bearer token, so a crash cannot lose the only valid
 *   refresh token.
 * - A dead grant moves the session to "sign-in required" for good: the stored tokens are
 *   removed and every later call fails fast with `SignInRequiredError`, without network.
 */
export class AccountTokens {
  private readonly now: () => number;
  private readonly renew: NonNullable<AccountTokensOptions['renew']>;
  private current?: StoredTokens;
  private renewal?: Promise<StoredTokens>;
  private signInRequired?: SignInRequiredError;

  constructor(
    readonly relayUrl: string,
    private readonly store: TokenStore,
    private readonly options: AccountTokensOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.renew = options.renew ?? renewTokens;
  }

  /** Valid tokens for this account, renewed first if the bearer token is close to expiry. */
  async tokens(): Promise<StoredTokens> {
    if (this.signInRequired) throw this.signInRequired;
    if (this.renewal) return this.renewal;
    const current = this.current ?? (await this.loadStored());
    if (!needsRenewal(this.bearerOf(current), current.obtainedAt, this.now())) return current;
    this.renewal ??= this.renewAndStore(current).finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  /**
   * The relay refused `rejected` although it has not expired (the issuer's signing keys changed,
   * e.g. a development provider restarted, or the relay's trust changed): renews now, whatever the
   * expiry, unless the current token is already another one. A grant that renewal cannot save
   * ends in `SignInRequiredError` as usual.
   */
  async renewRejected(rejected: string): Promise<BearerToken> {
    if (this.signInRequired) throw this.signInRequired;
    if (!this.renewal) {
      const current = this.current ?? (await this.loadStored());
      if (this.bearerOf(current).value !== rejected) return this.bearerOf(current);
      this.renewal = this.store
        .exclusively(this.relayUrl, () => this.renewUnderLock(current, rejected))
        .finally(() => {
          this.renewal = undefined;
        });
    }
    return this.bearerOf(await this.renewal);
  }

  /** The token to send to the relay as `Authorization: Bearer …`. */
  async bearerToken(): Promise<BearerToken> {
    return this.bearerOf(await this.tokens());
  }

  private async loadStored(): Promise<StoredTokens> {
    const stored = await this.store.load(this.relayUrl);
    if (!stored) throw this.fail(new SignInRequiredError(this.relayUrl, 'not signed in'));
    this.current = stored;
    return stored;
  }

  private renewAndStore(current: StoredTokens): Promise<StoredTokens> {
    return this.store.exclusively(this.relayUrl, () => this.renewUnderLock(current));
  }

  private async renewUnderLock(current: StoredTokens, rejected?: string): Promise<StoredTokens> {
    // Another process (a second CLI invocation) may have renewed and rotated while we waited for
    // the lock; its tokens supersede ours, and our refresh token is then already spent.
    const latest = (await this.store.load(this.relayUrl)) ?? current;
    const fresh =
      rejected === undefined
        ? !needsRenewal(this.bearerOf(latest), latest.obtainedAt, this.now())
        : this.bearerOf(latest).value !== rejected;
    if (fresh) {
      this.current = latest;
      return latest;
    }
    let renewed: StoredTokens;
    try {
      renewed = await this.renew(latest, this.now);
    } catch (error) {
      if (error instanceof SignInRequiredError) {
        await this.store.remove(this.relayUrl);
        this.current = undefined;
        throw this.fail(error);
      }
      // A transient failure (issuer unreachable): a token that has not expired yet is still good.
      if (!isExpired(this.bearerOf(latest), this.now())) {
        this.options.logger?.warn(
          { relayUrl: this.relayUrl, err: error },
          'token renewal failed; using the current token until it expires',
        );
        return latest;
      }
      throw error;
    }
    await this.store.save(this.relayUrl, renewed);
    this.current = renewed;
    this.options.logger?.debug({ relayUrl: this.relayUrl }, 'tokens renewed');
    return renewed;
  }

  private bearerOf(tokens: StoredTokens): BearerToken {
    const bearer = bearerTokenOf(tokens);
    if (!bearer) {
      throw this.fail(
        new SignInRequiredError(this.relayUrl, 'the relay expects an ID token and none was issued'),
      );
    }
    return bearer;
  }

  private fail(error: SignInRequiredError): SignInRequiredError {
    this.signInRequired = error;
    return error;
  }
}
