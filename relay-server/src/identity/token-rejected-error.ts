/**
 * A token the relay does not accept. `reason` is safe to send back to the caller and to log: it
 * never quotes the token.
 */
export class TokenRejectedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejectedError';
  }
}

/** The issuer's discovery document or keys could not be fetched: the token may well be fine. */
export class IssuerUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IssuerUnavailableError';
  }
}
