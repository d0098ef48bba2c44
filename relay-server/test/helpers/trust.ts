import type { TrustSettings } from '../../src/identity/trust-settings.js';
import { TEST_AUDIENCE } from './test-issuer.js';

export function testTrust(issuer: string, overrides: Partial<TrustSettings> = {}): TrustSettings {
  return {
    issuer,
    audiences: [TEST_AUDIENCE],
    usernameClaim: 'sub',
    usernamePrefix: '',
    displayNameClaims: ['preferred_username'],
    groupsClaim: 'groups',
    groupsPrefix: '',
    groupsOverage: 'ignore',
    client: { clientId: TEST_AUDIENCE, scopes: ['openid'], bearerToken: 'id_token' },
    ...overrides,
  };
}
