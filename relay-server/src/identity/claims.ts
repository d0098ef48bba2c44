/** Reads who the caller is from a verified token's claims, as the trust settings say. */
import type { Identity } from '@switchboard/contract/identity';
import type { JWTPayload } from 'jose';
import { TokenRejectedError } from './token-rejected-error.js';
import type { TokenTrust } from './trust-settings.js';

export function identityFromClaims(claims: JWTPayload, trust: TokenTrust): Identity {
  const username = claims[trust.usernameClaim];
  if (typeof username !== 'string' || username === '') {
    throw new TokenRejectedError(
      `the token has no "${trust.usernameClaim}" claim (the configured username claim)`,
    );
  }
  const identity: Identity = {
    username: trust.usernamePrefix + username,
    groups: groupsFromClaims(claims, trust).map((group) => trust.groupsPrefix + group),
    expiresAt: new Date((claims.exp ?? 0) * 1000),
  };
  const displayName = trust.displayNameClaims.map((claim) => claims[claim]).find(isNonEmptyString);
  if (displayName !== undefined) identity.displayName = displayName;
  return identity;
}

function groupsFromClaims(claims: JWTPayload, trust: TokenTrust): string[] {
  if (trust.groupsOverage === 'reject' && hasGroupsOverage(claims, trust.groupsClaim)) {
    throw new TokenRejectedError(
      'the token leaves out the groups because the user is in too many (groups overage); an administrator ' +
        'should assign fewer groups, or emit only groups assigned to the application, or use app roles',
    );
  }
  const value = claims[trust.groupsClaim];
  if (value === undefined) return [];
  // Some issuers send a single group as a plain string.
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every(isNonEmptyString)) return value;
  throw new TokenRejectedError(`the token's "${trust.groupsClaim}" claim is not a list of group names`);
}

/**
 * Entra ID leaves the groups out of a JWT when a user is in more than it will list, and points to
 * Microsoft Graph instead (`_claim_names.groups`), or only says `hasgroups: true` (implicit flow).
 */
function hasGroupsOverage(claims: JWTPayload, groupsClaim: string): boolean {
  const claimNames = claims._claim_names;
  const pointsElsewhere =
    typeof claimNames === 'object' && claimNames !== null && groupsClaim in (claimNames as object);
  return pointsElsewhere || claims.hasgroups === true || claims.hasgroups === 'true';
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
