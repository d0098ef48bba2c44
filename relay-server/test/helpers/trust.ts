import { expect } from 'vitest';
import { TokenRejectedError } from '../../src/identity/token-rejected-error.js';
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

/** The reason a verification was refused with; fails the test if it was not a TokenRejectedError. */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TokenRejectedError);
  return (error as TokenRejectedError).reason;
}
