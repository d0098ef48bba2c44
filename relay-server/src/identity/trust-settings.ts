/** How the relay trusts an OpenID issuer: which tokens it accepts and how it reads them. */
export interface TrustSettings {
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
  /** What the relay publishes at /.well-known/switchboard-configuration for clients to sign in. */
  client: {
    clientId: string;
    scopes: string[];
    resource?: string;
    bearerToken: 'access_token' | 'id_token';
  };
}
