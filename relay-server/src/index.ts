/** The relay as a library: start it in-process, and reuse its token verification and registry. */
export type { Actor } from './admin/actor.js';
export { AdminError } from './admin/admin-errors.js';
export { AdminService, type AdminServiceOptions, type GlobalAdmins } from './admin/admin-service.js';
export {
  AgentAssertionVerifier,
  AgentAuthError,
  ASSERTION_CLOCK_SKEW_SECONDS,
} from './agents/agent-assertion.js';
export { AGENT_CREDENTIAL_TTL_MS, AgentJoinService } from './agents/agent-join.js';
export {
  agentCommand,
  DEFAULT_JOIN_TOKEN_TTL_SECONDS,
  generateJoinToken,
  hashJoinToken,
  parseDuration,
} from './agents/join-token.js';
export type { SubApp } from './api/request-handler.js';
export { ConfigError } from './config/config-error.js';
export { type ConfigSources, ENV_VARIABLE_NAMES, loadRelayConfig, parseRelayConfig } from './config/load.js';
export type { RelayConfig, RelayConfigInput } from './config/schema.js';
export { DEV_IDP_CLIENT_ID, devIdpTrust, resolveTrust } from './config/trust.js';
export { IssuerUnavailableError, TokenRejectedError } from './identity/token-rejected-error.js';
export {
  ALLOWED_ALGORITHMS,
  OidcTokenVerifier,
  type OidcTokenVerifierOptions,
  type TokenVerifier,
} from './identity/token-verifier.js';
export type { TrustSettings } from './identity/trust-settings.js';
export { type OpenedRegistry, openRegistry } from './registry/open-registry.js';
export type { PostgresPoolSettings } from './registry/postgres-pool.js';
export { openPostgresRegistry, PostgresClusterRegistry } from './registry/postgres-registry.js';
export {
  type AgentCredential,
  ClusterExistsError,
  type ClusterRegistry,
  type JoinTokenFailure,
  type NewAgentCredential,
  type NewCluster,
  type NewGrant,
  type NewJoinToken,
  PUBLIC_URL_SETTING,
  type RedeemResult,
  RegistryUnavailableError,
  type Subject,
  type TicketKey,
  UnknownClusterError,
} from './registry/registry.js';
export { DATABASE_FILE, openSqliteRegistry, SqliteClusterRegistry } from './registry/sqlite-registry.js';
export { type Relay, type RelayOptions, startRelay, type TunnelRendezvous } from './relay.js';
export { TicketKeyRing, type TicketKeySchedule } from './tickets/ticket-key-ring.js';
export { TicketKeySealer, UnopenableTicketKeyError } from './tickets/ticket-key-sealer.js';
export {
  type AgentSessionEntry,
  InMemoryLiveSessions,
  type LiveSessionIndex,
} from './tunnel/live-sessions.js';
export { type RelayedStreamStats, TunnelServer, type TunnelServerOptions } from './tunnel/tunnel-server.js';
export { DEFAULT_TUNNEL_SETTINGS, type TunnelSettings } from './tunnel/tunnel-settings.js';
