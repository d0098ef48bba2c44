import * as oidc from 'openid-client';
import { signInWithClientCredentials } from '../sign-in/client-credentials-sign-in.js';
import { connectToIssuer, resourceParameters } from '../sign-in/issuer-connection.js';
import { storedTokensFromResponse } from '../sign-in/token-response.js';
import type { StoredTokens } from '../token-store/token-store.js';
import { SignInRequiredError } from './sign-in-required-error.js';

/** OAuth errors that mean the grant itself is dead; retrying cannot help, only a new sign-in can. */
const DEAD_GRANT_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

/**
 * Obtains new tokens without the user: the refresh token grant for user sign-ins (rotated refresh
 * tokens are returned in the result, for the caller to persist), a new client credentials grant
 * for service principals.
 */
export async function renewTokens(tokens: StoredTokens, now: () => number): Promise<StoredTokens> {
  const context = { relayUrl: tokens.relayUrl, configuration: tokens.configuration, grant: tokens.grant };
  try {
    if (tokens.grant.type === 'client_credentials') {
      const response = await signInWithClientCredentials(tokens.configuration, {
        clientId: tokens.grant.clientId,
        clientSecretFile: tokens.grant.clientSecretFile,
        ...(tokens.grant.scope !== undefined && { scope: tokens.grant.scope }),
      });
      return storedTokensFromResponse(response, { ...context, now: now() });
    }
    if (!tokens.refreshToken) {
      throw new SignInRequiredError(
        tokens.relayUrl,
        'the session expired and the identity provider issued no refresh token',
      );
    }
    const issuer = await connectToIssuer(tokens.configuration.issuer, tokens.configuration.clientId);
    const response = await oidc.refreshTokenGrant(
      issuer,
      tokens.refreshToken,
      resourceParameters(tokens.configuration),
    );
    return storedTokensFromResponse(response, { ...context, now: now() }, tokens);
  } catch (error) {
    const oauthError = oauthErrorOf(error);
    if (oauthError !== undefined && DEAD_GRANT_ERRORS.has(oauthError)) {
      const why =
        oauthError === 'invalid_grant'
          ? 'the refresh token expired or was revoked'
          : `the identity provider answered ${oauthError}`;
      throw new SignInRequiredError(tokens.relayUrl, why);
    }
    throw error;
  }
}

/**
 * The OAuth error code of a failed token request: from the JSON body, or from the
 * `WWW-Authenticate` challenge of a 401 (how providers answer a client secret they do not accept
 * with HTTP Basic client authentication: `invalid_client`).
 */
function oauthErrorOf(error: unknown): string | undefined {
  if (error instanceof oidc.ResponseBodyError) return error.error;
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    return error.cause.find((challenge) => challenge.parameters.error)?.parameters.error;
  }
  return undefined;
}
