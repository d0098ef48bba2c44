import * as oidc from 'openid-client';
import type { SwitchboardConfiguration } from '../relay-client/relay-configuration.js';
import { readClientSecretFile } from './client-secret-file.js';
import { connectToIssuer, resourceParameters } from './issuer-connection.js';

/** Scopes that describe a signed-in person; meaningless (and often rejected) for a service principal. */
const USER_ONLY_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access', 'groups']);

export interface ServicePrincipal {
  clientId: string;
  clientSecretFile: string;
  /** Overrides the scopes derived from the relay configuration (Entra ID wants `api://…/.default`). */
  scope?: string;
}

/**
 * Client credentials grant for service principals in CI. The secret is read from its file on
 * every call (sign-in and each renewal) and kept nowhere else.
 */
export async function signInWithClientCredentials(
  configuration: SwitchboardConfiguration,
  principal: ServicePrincipal,
): Promise<oidc.TokenEndpointResponse> {
  const secret = await readClientSecretFile(principal.clientSecretFile);
  const issuer = await connectToIssuer(configuration.issuer, principal.clientId, secret);
  const scope =
    principal.scope ?? configuration.scopes.filter((scope) => !USER_ONLY_SCOPES.has(scope)).join(' ');
  return oidc.clientCredentialsGrant(issuer, {
    ...(scope && { scope }),
    ...resourceParameters(configuration),
  });
}
