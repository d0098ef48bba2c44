/**
 * The agent's proof of possession: a JWT it signs with its private key on every connection to the
 * relay (and, signed with its new key, as the `proof` of a rotation). The agent builds the claims
 * with `agentAssertionClaims`; the relay checks the signature against the public key stored at
 * join, then the claims against `agentAssertionClaimsSchema` and the lifetime bound.
 */
import { z } from 'zod';
import { clusterNameSchema } from '../relay-api/relay-api.js';
import { tunnelPaths } from '../tunnel/tunnel.js';

/** At most this long between `iat` and `exp`. */
export const AGENT_ASSERTION_MAX_LIFETIME_SECONDS = 300;

/**
 * The `aud` of agent assertions: the relay's public URL (as `/.well-known/switchboard-configuration`
 * is served from it, http(s) scheme, no trailing slash) plus the agent tunnel path. The relay also
 * accepts the same URL with the ws(s) scheme.
 */
export function agentAssertionAudience(relayUrl: string): string {
  return `${relayUrl.replace(/\/+$/, '')}${tunnelPaths.agentTunnel}`;
}

export const agentAssertionClaimsSchema = z.object({
  /** The credential the relay issued at join (or rotation): `credentialId`. */
  iss: z.string().min(1),
  /** The cluster the credential belongs to. */
  sub: clusterNameSchema,
  /** `agentAssertionAudience(relay)`. */
  aud: z.union([z.string(), z.array(z.string())]),
  iat: z.number(),
  exp: z.number(),
  /** Unique per assertion: the relay refuses one it has seen before. */
  jti: z.string().min(1).max(256),
});
export type AgentAssertionClaims = z.infer<typeof agentAssertionClaimsSchema>;

/** Every claim above is required: a JWT lacking one is refused before its claims are read. */
export const AGENT_ASSERTION_CLAIMS = Object.keys(agentAssertionClaimsSchema.shape) as Array<
  keyof AgentAssertionClaims
>;

export interface AgentAssertionSubject {
  credentialId: string;
  cluster: string;
}

/** The claims of an assertion issued at `issuedAt` (seconds since the epoch). */
export function agentAssertionClaims(
  subject: AgentAssertionSubject,
  audience: string,
  issued: { issuedAt: number; lifetimeSeconds: number; jti: string },
): AgentAssertionClaims {
  return {
    iss: subject.credentialId,
    sub: subject.cluster,
    aud: audience,
    iat: issued.issuedAt,
    exp: issued.issuedAt + issued.lifetimeSeconds,
    jti: issued.jti,
  };
}
