import { decodeJwt } from 'jose';
import type { TokenEndpointResponse } from 'openid-client';
import type { SwitchboardConfiguration } from '../relay-client/relay-configuration.js';
import type { OAuthGrant, StoredTokens } from '../token-store/token-store.js';

/**
 * Turns a token endpoint response into what the token store keeps. `previous` carries over the
 * refresh and ID tokens when a refresh response omits them (issuers without rotation).
 */
export function storedTokensFromResponse(
  response: TokenEndpointResponse,
  context: { relayUrl: string; configuration: SwitchboardConfiguration; grant: OAuthGrant; now: number },
  previous?: StoredTokens,
): StoredTokens {
  const accessTokenExpiresAt =
    response.expires_in !== undefined
      ? context.now + response.expires_in * 1000
      : jwtExpiry(response.access_token);
  const refreshToken = response.refresh_token ?? previous?.refreshToken;
  const idToken = response.id_token ?? previous?.idToken;
  return {
    relayUrl: context.relayUrl,
    configuration: context.configuration,
    grant: context.grant,
    accessToken: response.access_token,
    ...(accessTokenExpiresAt !== undefined && { accessTokenExpiresAt }),
    ...(refreshToken !== undefined && { refreshToken }),
    ...(idToken !== undefined && { idToken }),
    obtainedAt: context.now,
  };
}

/** Epoch milliseconds of a JWT's `exp`, or undefined for opaque tokens. */
export function jwtExpiry(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return exp === undefined ? undefined : exp * 1000;
  } catch {
    return undefined;
  }
}
