import { decodeJwt, type JWTPayload } from 'jose';
import type { StoredTokens } from '../token-store/token-store.js';

/** Who the tokens say the caller is, read locally without asking the relay. */
export interface ClaimedIdentity {
  username: string;
  groups: string[];
  /** Which token the claims came from. */
  source: 'id_token' | 'access_token';
}

/**
 * Reads the identity from the ID token (a user sign-in) or else the access token if it is a JWT
 * (a service principal). Claims are not verified here: this is for display, and the relay
 * verifies every token it receives.
 */
export function claimedIdentity(tokens: StoredTokens): ClaimedIdentity | undefined {
  for (const source of ['id_token', 'access_token'] as const) {
    const token = source === 'id_token' ? tokens.idToken : tokens.accessToken;
    const claims = token && decodeSafely(token);
    if (!claims) continue;
    const username = firstString(claims, [
      'preferred_username',
      'email',
      'upn',
      'unique_name',
      'client_id',
      'azp',
      'sub',
    ]);
    if (!username) continue;
    const groups = Array.isArray(claims.groups)
      ? claims.groups.filter((group) => typeof group === 'string')
      : [];
    return { username, groups, source };
  }
  return undefined;
}

function decodeSafely(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

function firstString(claims: JWTPayload, names: string[]): string | undefined {
  for (const name of names) {
    const value = claims[name];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}
