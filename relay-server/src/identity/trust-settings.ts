/**
 * Which tokens of an OpenID issuer are accepted and how they are read. Only the relay reads user
 * tokens; agents get its identity tickets instead (`../tickets/`).
 */
export interface TokenTrust {
  issuer: string;
  /** A token's `aud` must contain at least one of these. */
  audiences: string[];
  usernameClaim: string;
  usernamePrefix: string;
  /** Claims tried in order for a display name. */
  displayNameClaims: string[];
  groupsClaim: string;
  groupsPrefix: string;
  /**
   * `reject` when the issuer may leave groups out of a token that has too many (Entra ID's "groups
   * overage"): such a token would otherwise pass with no groups and silently lose group grants.
   */
  groupsOverage: 'reject' | 'ignore';
}

/** How the relay trusts an OpenID issuer, and what it tells clients so they can sign in. */
export interface TrustSettings extends TokenTrust {
  /** What the relay publishes at /.well-known/switchboard-configuration for clients to sign in. */
  client: {
    clientId: string;
    scopes: string[];
    resource?: string;
    bearerToken: 'access_token' | 'id_token';
  };
}
