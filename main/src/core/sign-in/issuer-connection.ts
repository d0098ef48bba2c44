import * as oidc from 'openid-client';
import { outboundFetch } from '../outbound/outbound-fetch.js';
import type { SwitchboardConfiguration } from '../relay-client/relay-configuration.js';
import { isLoopbackHostname } from '../relay-client/relay-url.js';

/** The issuer could not be discovered (unreachable, or not an OpenID provider). */
export class IssuerDiscoveryError extends Error {
  override readonly name = 'IssuerDiscoveryError';
}

/**
 * Discovers the relay's issuer and returns an openid-client configuration for the given client.
 * Without `clientSecret` it is the relay's public client (PKCE, no secret); with one, a service
 * principal authenticating with client_secret_basic.
 *
 * Plain-http issuers are accepted on loopback only: that is the relay's embedded development
 * provider; anything reachable over a network must use https.
 */
export async function connectToIssuer(
  issuer: string,
  clientId: string,
  clientSecret?: string,
): Promise<oidc.Configuration> {
  const issuerUrl = new URL(issuer);
  const clientAuthentication =
    clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(clientSecret);
  const execute =
    issuerUrl.protocol === 'http:' && isLoopbackHostname(issuerUrl.hostname)
      ? [oidc.allowInsecureRequests]
      : [];
  try {
    return await oidc.discovery(issuerUrl, clientId, undefined, clientAuthentication, {
      execute,
      timeout: 15,
      // Every later request of the returned configuration (token, device, revocation) uses it too.
      [oidc.customFetch]: outboundFetch,
    });
  } catch (error) {
    const detail =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new IssuerDiscoveryError(`cannot discover the OpenID issuer ${issuer}: ${detail}`, {
      cause: error,
    });
  }
}

/**
 * Scopes for a user sign-in: the relay's, plus `openid` (an ID token identifies the user) and
 * `offline_access` (a refresh token, so the session renews without a browser).
 */
export function userSignInScope(configuration: SwitchboardConfiguration): string {
  return [...new Set(['openid', ...configuration.scopes, 'offline_access'])].join(' ');
}

/**
 * RFC 8707 resource indicator, sent on authorization and on every token request: issuers that
 * mint audience-bound JWTs (the dev provider) otherwise issue a token for the wrong audience
 * on refresh.
 */
export function resourceParameters(configuration: SwitchboardConfiguration): Record<string, string> {
  return configuration.resource ? { resource: configuration.resource } : {};
}
