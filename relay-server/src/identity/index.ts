/**
 * User-token validation, shared by the relay and the cluster agent (which validates every user
 * token itself rather than trusting the relay for identity).
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
