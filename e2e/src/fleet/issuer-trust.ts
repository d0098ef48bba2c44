/**
 * The `trust` configuration of a fleet replica whose issuer is another relay's development provider
 * (a fleet cannot run that provider itself: its keys live in one process). What `devIdpTrust` derives
 * for the relay that runs the provider, written as configuration for the relays that trust it.
 */
import { DEV_IDP_CLIENT_ID, type RelayConfigInput } from '@switchboard/relay-server';

export function devIdpIssuerTrust(issuerRelayUrl: string): NonNullable<RelayConfigInput['trust']> {
  return {
    issuer: `${issuerRelayUrl}/dev-idp`,
    clientId: DEV_IDP_CLIENT_ID,
    audience: issuerRelayUrl,
    resource: issuerRelayUrl,
    usernameClaim: 'preferred_username',
    usernamePrefix: '',
    groupsClaim: 'groups',
    groupsPrefix: '',
    scopes: ['openid', 'profile', 'offline_access', 'groups'],
    bearerToken: 'access_token',
  };
}
