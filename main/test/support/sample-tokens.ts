import { randomBytes } from 'node:crypto';
import type { StoredTokens } from '../../src/core/token-store/token-store.js';

/** A random token-shaped string, long enough to be found again by a plaintext search. */
export function fakeToken(bytes: number): string {
  return randomBytes(Math.ceil((bytes * 3) / 4))
    .toString('base64url')
    .slice(0, bytes);
}

export function sampleTokens(relayUrl: string, sizes = { access: 900, refresh: 120, id: 800 }): StoredTokens {
  return {
    relayUrl,
    configuration: {
      relayVersion: '0.1.0',
      issuer: `${relayUrl}/dev-idp`,
      clientId: 'switchboard-cli',
      scopes: ['openid', 'profile'],
      resource: relayUrl,
      bearerToken: 'access_token',
    },
    grant: { type: 'authorization_code' },
    accessToken: fakeToken(sizes.access),
    accessTokenExpiresAt: Date.now() + 600_000,
    refreshToken: fakeToken(sizes.refresh),
    idToken: fakeToken(sizes.id),
    obtainedAt: Date.now(),
  };
}
