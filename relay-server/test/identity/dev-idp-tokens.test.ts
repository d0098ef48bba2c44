/**
 * The relay's trust settings for `--dev-idp` against real tokens of the embedded provider: a CI
 * service principal's client-credentials access token must verify to its username and groups.
 */
import * as oidc from 'openid-client';
import { expect, it, onTestFinished } from 'vitest';
import { devIdpTrust } from '../../src/config/trust.js';
import { OidcTokenVerifier } from '../../src/identity/token-verifier.js';
import { discoverServiceClient, RESOURCE, SERVICE_CLIENT, startIdp } from '../dev-idp/harness.js';

it('verifies access tokens minted by the dev identity provider', async () => {
  const idp = await startIdp();
  onTestFinished(() => idp.close());
  // The harness mounts the provider at <origin>/dev-idp as the relay does, with a fixed resource.
  const trust = { ...devIdpTrust(idp.origin), audiences: [RESOURCE] };
  expect(trust.issuer).toBe(idp.issuer);

  const client = await discoverServiceClient(idp.issuer, SERVICE_CLIENT.clientSecret);
  const tokens = await oidc.clientCredentialsGrant(client, { resource: RESOURCE });
  const identity = await new OidcTokenVerifier(trust).verify(tokens.access_token);
  expect(identity).toMatchObject({ username: SERVICE_CLIENT.username, groups: SERVICE_CLIENT.groups });
});
