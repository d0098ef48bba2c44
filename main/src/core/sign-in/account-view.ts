import type { AccountView } from '@switchboard/contract/app';
import { decodeJwt } from 'jose';
import { claimedIdentity } from '../session/identity-claims.js';
import type { StoredTokens } from '../token-store/token-store.js';

/** Who is signed in, for display: read from the tokens' claims (the relay verifies them, not us). */
export function accountViewOf(tokens: StoredTokens): AccountView {
  const username = claimedIdentity(tokens)?.username ?? 'unnamed identity';
  const displayName = nameClaim(tokens.idToken);
  return {
    relayUrl: tokens.relayUrl,
    username,
    ...(displayName !== undefined && displayName !== username && { displayName }),
  };
}

function nameClaim(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  try {
    const { name } = decodeJwt(idToken);
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}
