/**
 * The account has no usable tokens any more (never signed in, signed out, or its refresh token
 * expired or was revoked). Only the user can fix this, by signing in again: the session never
 * opens a browser by itself and never retries, so a dead session costs one failed request, not a
 * storm of browser windows or token requests.
 */
export class SignInRequiredError extends Error {
  override readonly name = 'SignInRequiredError';
  constructor(
    readonly relayUrl: string,
    readonly reason: string,
  ) {
    super(`Sign-in required for ${relayUrl}: ${reason}. Run \`switchboard login --relay ${relayUrl}\`.`);
  }
}
