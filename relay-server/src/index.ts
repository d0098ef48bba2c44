/** The relay as a library: start it in-process, and reuse its token verification and registry. */
export type { Actor } from './admin/actor.js';
export { AdminError } from './admin/admin-errors.js';
export { AdminService, type GlobalAdmins } from './admin/admin-service.js';
export type { SubApp } from './api/request-handler.js';
export { ConfigError } from './config/config-error.js';
export { type ConfigSources, loadRelayConfig, parseRelayConfig } from './config/load.js';
export type { RelayConfig, RelayConfigInput } from './config/schema.js';
export { devIdpTrust, resolveTrust } from './config/trust.js';
export type { Identity } from './identity/identity.js';
export { IssuerUnavailableError, TokenRejectedError } from './identity/token-rejected-error.js';
export {
  ALLOWED_ALGORITHMS,
  CLOCK_TOLERANCE_SECONDS,
  OidcTokenVerifier,
  type OidcTokenVerifierOptions,
  type TokenVerifier,
} from './identity/token-verifier.js';
export type { TrustSettings } from './identity/trust-settings.js';
export {
  ClusterExistsError,
  type NewCluster,
  type NewGrant,
  type Registry,
  type Subject,
  UnknownClusterError,
} from './registry/registry.js';
export { openSqliteRegistry, SqliteRegistry } from './registry/sqlite-registry.js';
export { type Relay, type RelayOptions, startRelay } from './relay.js';
