/**
 * The tunnel contract between the three parties of the request path: the local proxy (user side),
 * the relay, and the cluster agent. Paths, the agent join exchange, the agent's proof of
 * possession, and the OPEN metadata each side puts on a `@switchboard/protocol` stream.
 *
 *   local proxy ──WSS /api/v1/tunnel──────> relay <──WSS /api/v1/agent/tunnel── agent (dials out)
 *      OPEN {cluster, token, mode}            │ validates token + grant + identity, then
 *                                             └─ OPEN {type: request, ticket, …} on an agent session
 *
 * Identity: the agent trusts the relay for who the user is. The user's token never leaves the
 * relay; the relay signs a short-lived identity ticket for exactly one stream on one cluster
 * (`identityTicketClaimsSchema`) with its own ticket key, which the agent pinned at join and
 * follows through signed key announcements. The agent always did depend on the relay (the relay
 * saw every token and chose which agent got it); what changed is that an agent now receives
 * nothing it could use as the user anywhere else: a ticket is bound to its cluster and stream,
 * is refused by every other agent, and is worthless at the relay's API.
 *
 * Every OPEN payload is UTF-8 JSON validated with the schemas below at the receiving edge.
 */
import { z } from 'zod';
import { TUNNEL_MODES } from '../identity/identity.js';
import { MAX_IDENTITY_GROUPS, MAX_IDENTITY_VALUE_LENGTH } from '../identity/kubernetes-identity.js';
import { problemSchema } from '../problem-details/problem.js';
import { clusterNameSchema } from '../relay-api/relay-api.js';

export const tunnelPaths = {
  /** POST: exchange a join token and a public key for an agent credential. */
  agentJoin: '/api/v1/agent/join',
  /** GET + WebSocket upgrade: an agent session (`Authorization: Bearer <agent assertion>`). */
  agentTunnel: '/api/v1/agent/tunnel',
  /** GET + WebSocket upgrade: a user session (`Authorization: Bearer <user token>`). */
  userTunnel: '/api/v1/tunnel',
  /**
   * POST (`Authorization: Bearer <agent assertion>` signed with the current key): register a new
   * key pair for this cluster's agent; see `agentRotateRequestSchema`.
   */
  agentRotate: '/api/v1/agent/rotate',
} as const;

export const tunnelModeSchema = z.enum(TUNNEL_MODES);

/** Join tokens: `sbj_` + 43 base64url characters (256 random bits). */
export const joinTokenSchema = z.string().regex(/^sbj_[A-Za-z0-9_-]{43}$/, 'not a Switchboard join token');

/** The agent's public key as a JWK (ES256 or Ed25519); it keeps the private key to itself. */
export const agentPublicKeySchema = z.union([
  z.strictObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() }),
  z.strictObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string() }),
]);
export type AgentPublicKey = z.infer<typeof agentPublicKeySchema>;

export const agentJoinRequestSchema = z.strictObject({
  joinToken: joinTokenSchema,
  publicKey: agentPublicKeySchema,
  /** Free-form, for the admin: agent version, hostname. */
  agentVersion: z.string().max(64),
});
export type AgentJoinRequest = z.infer<typeof agentJoinRequestSchema>;

/**
 * Ticket keys: the public halves of the relay's identity-ticket signing keys (Ed25519, `EdDSA`).
 * A JWKS plus the `issuer` the tickets carry (`iss`). The agent pins them at join and replaces them
 * only through a key announcement signed by a key it already pins (`ticketKeyAnnouncementSchema`).
 */
export const TICKET_ALGORITHM = 'EdDSA';
export const ticketPublicKeySchema = z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an Ed25519 public key'),
  kid: z.string().min(1).max(64),
  alg: z.literal(TICKET_ALGORITHM),
  use: z.literal('sig'),
});
export type TicketPublicKey = z.infer<typeof ticketPublicKeySchema>;
export const ticketKeysSchema = z.strictObject({
  issuer: z.string().min(1).max(2048),
  keys: z.array(ticketPublicKeySchema).min(1).max(16),
});
export type TicketKeys = z.infer<typeof ticketKeysSchema>;

export const agentJoinResponseSchema = z.object({
  cluster: clusterNameSchema,
  /** Identifies the credential (the `iss` of the agent's assertions). */
  credentialId: z.string().min(1),
  /**
   * When the relay issued the credential; the agent rotates at the half-life between this and
   * `expiresAt`. Optional: from a relay that does not send it, the agent takes its own receipt time.
   */
  issuedAt: z.string().optional(),
  expiresAt: z.string(),
  /** The relay's ticket keys, to pin (replaces the issuer trust older relays sent: see the header). */
  ticketKeys: ticketKeysSchema,
});
export type AgentJoinResponse = z.infer<typeof agentJoinResponseSchema>;

/**
 * Why the relay refused an agent's join or tunnel upgrade: the `reason` member of the 401/403
 * problem body (RFC 9457 extension member). Join failures are deliberately one reason
 * (`invalid-join-token`) whether the token is unknown, used or expired; the relay log says which.
 */
export const AGENT_AUTH_FAILURES = [
  'invalid-join-token', // 401: unknown, already used or expired: ask the admin for a new one
  'invalid-assertion', // 401: missing, malformed, bad signature, wrong aud/sub, lifetime > 300 s, expired
  'replayed-assertion', // 401: jti seen before
  'unknown-credential', // 401: no such credential (never issued, or its cluster was deleted and re-created)
  'credential-expired', // 401: 90 days passed: join again with a new join token
  'credential-revoked', // 403: revoked (cluster deleted, or `clusters rejoin` ran)
  'credential-superseded', // 403: the agent rotated to a newer key; this older one no longer works
] as const;
export const agentAuthFailureSchema = z.enum(AGENT_AUTH_FAILURES);
export type AgentAuthFailure = z.infer<typeof agentAuthFailureSchema>;

/** The problem body of a refused join or agent tunnel upgrade. */
export const agentAuthProblemSchema = problemSchema.extend({ reason: agentAuthFailureSchema });
export type AgentAuthProblem = z.infer<typeof agentAuthProblemSchema>;

/** OPEN from the local proxy to the relay: which cluster, as whom. */
export const userOpenSchema = z.strictObject({
  cluster: clusterNameSchema,
  /** The user's bearer token (the kind the relay's configuration asks for). */
  token: z.string().min(1).max(16_384),
  mode: tunnelModeSchema,
  /** Service-account-token mode: the Kubernetes bearer token the agent forwards instead of impersonating. */
  serviceAccountToken: z.string().min(1).max(16_384).optional(),
});
export type UserOpen = z.infer<typeof userOpenSchema>;

/**
 * The identity ticket: a JWT (EdDSA, header `typ: switchboard-ticket+jwt`, `kid` of a ticket key)
 * the relay signs for one stream, after it validated the user's token, grant and identity
 * (`validateKubernetesIdentity`). The agent verifies signature, `typ`, `iss`, `aud` (its own
 * cluster), `exp` (30 s clock tolerance), that `requestId` is the OPEN's, and that `jti` is new.
 *
 * Strict: there is no uid and no extra, and the agent never sends `Impersonate-Uid` or
 * `Impersonate-Extra-*`. `exp` bounds only when the ticket may be presented (at most
 * `TICKET_MAX_LIFETIME_SECONDS` after `iat`, never after `tokenExp`); `tokenExp` is the user
 * token's own expiry: the stream's connection takes no new request after it, while what it serves
 * already (watch, logs -f, exec) runs on.
 */
export const IDENTITY_TICKET_TYPE = 'switchboard-ticket+jwt';
export const TICKET_MAX_LIFETIME_SECONDS = 300;
export const identityTicketClaimsSchema = z.strictObject({
  iss: z.string().min(1),
  aud: clusterNameSchema,
  sub: z.string().min(1).max(MAX_IDENTITY_VALUE_LENGTH),
  groups: z.array(z.string().min(1).max(MAX_IDENTITY_VALUE_LENGTH)).max(MAX_IDENTITY_GROUPS),
  requestId: z.string().min(1).max(64),
  mode: tunnelModeSchema,
  iat: z.number().int(),
  exp: z.number().int(),
  tokenExp: z.number().int(),
  jti: z.string().min(16).max(64),
});
export type IdentityTicketClaims = z.infer<typeof identityTicketClaimsSchema>;

/** OPEN from the relay to the agent for a user's request: the ticket, never the user's token. */
export const agentRequestOpenSchema = z.strictObject({
  type: z.literal('request'),
  ticket: z.string().min(1).max(12_288),
  /** Service-account-token mode: the Kubernetes token the user supplies for this cluster. */
  serviceAccountToken: z.string().min(1).max(16_384).optional(),
  /** Correlates relay and agent logs (never a secret); the ticket's `requestId` must equal it. */
  requestId: z.string().min(1).max(64),
});
export type AgentRequestOpen = z.infer<typeof agentRequestOpenSchema>;

/**
 * A key announcement as a JWS in General JSON Serialization (RFC 7515 §7.2.1), one EdDSA
 * signature per key the relay still holds, over `ticketKeyAnnouncementPayloadSchema`. The relay
 * opens one on every agent session when it opens and whenever its key set changes; the agent
 * accepts it (FIN, no payload) only when a signature verifies with a key it pins and `iat` is not
 * older than what it pinned, then pins the new set. An agent that pins none yet (joined before
 * ticket keys existed) takes the first one on its own authenticated session, as it took its join
 * answer: on the strength of TLS to the relay.
 */
export const ticketKeyAnnouncementSchema = z.strictObject({
  payload: z.string().min(1).max(8_192),
  signatures: z
    .array(z.strictObject({ protected: z.string().min(1).max(512), signature: z.string().min(1).max(512) }))
    .min(1)
    .max(16),
});
export type TicketKeyAnnouncement = z.infer<typeof ticketKeyAnnouncementSchema>;
export const ticketKeyAnnouncementPayloadSchema = z.strictObject({
  ticketKeys: ticketKeysSchema,
  /** Seconds since the epoch; an announcement older than the pinned one is refused (no rollback). */
  iat: z.number().int(),
});
export type TicketKeyAnnouncementPayload = z.infer<typeof ticketKeyAnnouncementPayloadSchema>;

export const agentKeyAnnouncementOpenSchema = z.strictObject({
  type: z.literal('ticket-keys'),
  announcement: ticketKeyAnnouncementSchema,
});
export type AgentKeyAnnouncementOpen = z.infer<typeof agentKeyAnnouncementOpenSchema>;

/** OPEN from the relay to the agent: a user's request, or a key announcement. Nothing else. */
export const agentOpenSchema = z.discriminatedUnion('type', [
  agentRequestOpenSchema,
  agentKeyAnnouncementOpenSchema,
]);
export type AgentOpen = z.infer<typeof agentOpenSchema>;

/**
 * Why a stream OPEN was refused: the RST reason (JSON) the relay or agent sends with code
 * REJECTED, so the local proxy can answer kubectl with a clear status.
 */
export const OPEN_REFUSALS = [
  'unauthenticated', // token (or, at the agent, ticket) invalid or expired → 401 "run switchboard login"
  'forbidden', // no grant on the cluster, or an identity Kubernetes must not see (reserved, malformed) → 403
  'unknown-cluster', // → 404
  'cluster-offline', // no live agent session → 503
  'bad-request', // malformed OPEN metadata
  'rate-limited', // the user has too many concurrent streams or opens too fast → 429
] as const;
export const openRefusalSchema = z.object({
  reason: z.enum(OPEN_REFUSALS),
  message: z.string().max(400),
});
export type OpenRefusal = z.infer<typeof openRefusalSchema>;

/**
 * Credential rotation. The agent rotates at half-life (45 of 90 days) while connected: it makes a
 * new key pair, saves it as pending in its state *before* asking, then POSTs this body with an
 * assertion of its current credential. `proof` is a JWT signed with the NEW private key, with an
 * assertion's claims for the current credential (`../agent-assertion`), so the relay knows the
 * agent holds both keys.
 *
 * Idempotent, so a crash between the relay's answer and the agent's save loses nothing: asking
 * again with the same new public key and the (now superseded) old credential returns the same new
 * credential. Any other key on a superseded credential is refused. On success the old credential
 * is superseded at once: new connections must use the new key (live sessions stay up).
 */
export const agentRotateRequestSchema = z.strictObject({
  publicKey: agentPublicKeySchema,
  proof: z.string().min(1).max(4096),
  agentVersion: z.string().max(64),
});
export type AgentRotateRequest = z.infer<typeof agentRotateRequestSchema>;

/** The new credential; `ticketKeys` is returned again (the agent pins the set, as at join). */
export const agentRotateResponseSchema = agentJoinResponseSchema;
export type AgentRotateResponse = AgentJoinResponse;

/**
 * Streams the AGENT opens on its own session carry a report for the relay instead of a request;
 * their OPEN metadata is one of these (UTF-8 JSON). The relay reads the metadata, records it, and
 * closes the stream (FIN) without payload; it refuses (RST REJECTED, `bad-request`) anything else.
 *
 * Heartbeat: sent when a session opens and then every `heartbeatIntervalMs` (default 60 s).
 */
export const agentHeartbeatSchema = z.strictObject({
  type: z.literal('heartbeat'),
  agentVersion: z.string().min(1).max(64),
  kubernetesVersion: z.string().max(64).optional(),
  nodeCount: z.number().int().nonnegative().max(1_000_000).optional(),
  vcpuTotal: z.number().nonnegative().max(100_000_000).optional(),
  distribution: z.string().max(64).optional(),
  infrastructure: z.string().max(64).optional(),
  agentCpuCores: z.number().nonnegative().max(10_000).optional(),
  agentMemoryBytes: z.number().int().nonnegative().optional(),
});
export type AgentHeartbeat = z.infer<typeof agentHeartbeatSchema>;

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 60_000;
