import type { Logger } from '../logging/logger.js';
import type { TokenStore } from '../token-store/token-store.js';
import { AccountTokens } from './account-tokens.js';
import { SignInRequiredError } from './sign-in-required-error.js';

/**
 * A long-running bearer-token source for the proxy and the app's signed-in session (its status
 * stream and tunnel). An `AccountTokens` stays "sign-in required" for good once it failed; they outlive
 * that, so after a failure the next call starts a fresh session that reads the store again, and a
 * `switchboard login` in another terminal revives the proxy.
 */
export interface BearerTokenSource {
  (): Promise<string>;
  /** The relay refused this unexpired token: renew now (see `AccountTokens.renewRejected`). */
  renewRejected(rejected: string): Promise<string>;
}

export function bearerTokenSource(relayUrl: string, store: TokenStore, logger?: Logger): BearerTokenSource {
  let session = new AccountTokens(relayUrl, store, logger ? { logger } : {});
  const guarded = async (get: () => Promise<{ value: string }>) => {
    try {
      return (await get()).value;
    } catch (error) {
      if (error instanceof SignInRequiredError)
        session = new AccountTokens(relayUrl, store, logger ? { logger } : {});
      throw error;
    }
  };
  const source = () => guarded(() => session.bearerToken());
  source.renewRejected = (rejected: string) => guarded(() => session.renewRejected(rejected));
  return source;
}
