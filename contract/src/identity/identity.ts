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
