import type { BearerToken } from './bearer-token.js';

const MINIMUM_MARGIN_MS = 60_000;
const LIFETIME_FRACTION = 0.1;

/**
 * Renew ahead of expiry, so a token handed out is still valid when it reaches the relay (clock
 * skew, a slow request, a long kubectl watch starting): when less than 60 s or 10 % of its
 * lifetime remains, whichever margin is larger. The margin is capped at half the lifetime so
 * that very short-lived tokens are still used for a while instead of being renewed on every call.
 */
export function needsRenewal(token: BearerToken, obtainedAt: number, now: number): boolean {
  if (token.expiresAt === undefined) return false;
  const lifetime = Math.max(0, token.expiresAt - obtainedAt);
  const margin = Math.min(Math.max(MINIMUM_MARGIN_MS, lifetime * LIFETIME_FRACTION), lifetime / 2);
  return token.expiresAt - now <= margin;
}

export function isExpired(token: BearerToken, now: number): boolean {
  return token.expiresAt !== undefined && token.expiresAt <= now;
}
