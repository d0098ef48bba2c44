/**
 * User-token validation at the relay, and the `Identity` it yields (the cluster agent shares the
 * type; it learns identities from the relay's tickets, never from user tokens).
 */
export type { Identity } from './identity.js';
export { IssuerUnavailableError, TokenRejectedError } from './token-rejected-error.js';
export {
  CLOCK_TOLERANCE_SECONDS,
  OidcTokenVerifier,
  type OidcTokenVerifierOptions,
  type TokenVerifier,
} from './token-verifier.js';
export type { TokenTrust } from './trust-settings.js';
