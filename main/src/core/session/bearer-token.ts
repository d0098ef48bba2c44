import { jwtExpiry } from '../sign-in/token-response.js';
import type { StoredTokens } from '../token-store/token-store.js';

/** The token the relay expects as bearer (its `bearerToken` setting), with when it expires. */
export interface BearerToken {
  value: string;
  kind: 'access_token' | 'id_token';
  /** Epoch milliseconds; undefined when the issuer did not say. */
  expiresAt?: number;
}

export function bearerTokenOf(tokens: StoredTokens): BearerToken | undefined {
  if (tokens.configuration.bearerToken === 'id_token') {
    if (!tokens.idToken) return undefined;
    const expiresAt = jwtExpiry(tokens.idToken);
    return { value: tokens.idToken, kind: 'id_token', ...(expiresAt !== undefined && { expiresAt }) };
  }
  return {
    value: tokens.accessToken,
    kind: 'access_token',
    ...(tokens.accessTokenExpiresAt !== undefined && { expiresAt: tokens.accessTokenExpiresAt }),
  };
}
