/** Who a caller is, as the relay's trusted issuer vouches for it. */
export interface Identity {
  /** The stable name grants and impersonation use (configured username claim, prefix applied). */
  username: string;
  /** Group names (configured groups claim, prefix applied); empty when the token carries none. */
  groups: string[];
  /** A human-readable name for display only; never used for authorization. */
  displayName?: string;
  /** When the token stops being valid; long-lived streams end then. */
  expiresAt: Date;
}

/**
 * Clocks of issuer and relay differ a little: the relay accepts a user's token this long past its
 * `exp`, and the agent lets a connection opened with it take requests as long.
 */
export const TOKEN_CLOCK_TOLERANCE_SECONDS = 30;

/** How the agent presents the user to the apiserver: impersonating them, or with their own token. */
export const TUNNEL_MODES = ['impersonate', 'service-account-token'] as const;
export type TunnelMode = (typeof TUNNEL_MODES)[number];
