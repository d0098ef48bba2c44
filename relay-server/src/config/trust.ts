/** Turns the trust section of the configuration (a generic issuer, or a preset) into TrustSettings. */
import type { TrustSettings } from '../identity/trust-settings.js';
import type { TrustConfig } from './schema.js';

const STANDARD_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const DISPLAY_NAME_CLAIMS = ['preferred_username', 'name', 'email'];

export function resolveTrust(trust: TrustConfig): TrustSettings {
  if (trust.entra) return entraTrust(trust, trust.entra);
  const clientId = trust.clientId!;
  const client: TrustSettings['client'] = {
    clientId,
    scopes: trust.scopes ?? STANDARD_SCOPES,
    // Without an audience-bound access token (resource indicator), the ID token is the JWT whose
    // audience is known: the client id. That is how Kubernetes' own OIDC authenticator works.
    bearerToken: trust.bearerToken ?? (trust.resource ? 'access_token' : 'id_token'),
  };
  if (trust.resource) client.resource = trust.resource;
  return {
    issuer: trust.issuer!,
    audiences: toList(trust.audience ?? (trust.resource ? [trust.resource] : [clientId])),
    usernameClaim: trust.usernameClaim ?? 'sub',
    usernamePrefix: trust.usernamePrefix ?? '',
    displayNameClaims: DISPLAY_NAME_CLAIMS,
    groupsClaim: trust.groupsClaim ?? 'groups',
    groupsPrefix: trust.groupsPrefix ?? '',
    groupsOverage: 'ignore',
    client,
  };
}

/**
 * Microsoft Entra ID. Clients request the relay's API scope and present the v2.0 access token
 * (the app registration must set `requestedAccessTokenVersion: 2`), whose audience is the client
 * id. The username is the user's object id (`oid`): unlike `preferred_username` or `upn` it never
 * changes and is never reassigned, so a grant cannot pass to someone else after a rename;
 * `preferred_username` is shown for display. Groups are group object ids from `groups`; a token in
 * groups overage is refused rather than read as "no groups".
 */
function entraTrust(trust: TrustConfig, entra: NonNullable<TrustConfig['entra']>): TrustSettings {
  const apiScope = entra.apiScope ?? `api://${entra.clientId}/access`;
  return {
    issuer: `https://login.microsoftonline.com/${entra.tenantId.toLowerCase()}/v2.0`,
    audiences: [entra.clientId.toLowerCase(), `api://${entra.clientId.toLowerCase()}`],
    usernameClaim: trust.usernameClaim ?? 'oid',
    usernamePrefix: trust.usernamePrefix ?? '',
    displayNameClaims: DISPLAY_NAME_CLAIMS,
    groupsClaim: trust.groupsClaim ?? 'groups',
    groupsPrefix: trust.groupsPrefix ?? '',
    groupsOverage: 'reject',
    client: {
      clientId: entra.clientId.toLowerCase(),
      scopes: trust.scopes ?? ['openid', 'profile', 'offline_access', apiScope],
      bearerToken: 'access_token',
    },
  };
}

export const DEV_IDP_CLIENT_ID = 'switchboard-cli';
export const DEV_IDP_PATH = '/dev-idp';

/**
 * The embedded development provider lives on the relay itself; it mints access tokens bound to
 * the relay's URL as resource (RFC 8707), so that URL is the audience.
 */
export function devIdpTrust(relayUrl: string): TrustSettings {
  return {
    issuer: `${relayUrl}${DEV_IDP_PATH}`,
    audiences: [relayUrl],
    // Not `sub`: for a service principal (client credentials) that is the client id, while
    // `preferred_username` names the user or the principal's configured user alike.
    usernameClaim: 'preferred_username',
    usernamePrefix: '',
    displayNameClaims: ['name'],
    groupsClaim: 'groups',
    groupsPrefix: '',
    groupsOverage: 'ignore',
    client: {
      clientId: DEV_IDP_CLIENT_ID,
      scopes: [...STANDARD_SCOPES, 'groups'],
      resource: relayUrl,
      bearerToken: 'access_token',
    },
  };
}

function toList(value: string | string[]): string[] {
  return typeof value === 'string' ? [value] : value;
}
