/**
 * `POST /api/v1/agent/join`: an agent trades a single-use join token and the public half of the key
 * pair it generated for a credential (90 days) and the relay's ticket keys to pin. Unknown, used and expired tokens get one and the
 * same 401 answer; only the relay log tells them apart.
 */
import { randomBytes } from 'node:crypto';
import { PROBLEM_TYPES } from '@switchboard/contract/problem-details';
import {
  type AgentJoinResponse,
  type AgentPublicKey,
  agentJoinRequestSchema,
  type TicketKeys,
} from '@switchboard/contract/tunnel';
import { calculateJwkThumbprint } from 'jose';
import { HttpProblem } from '../api/http-problem.js';
import type { Logger } from '../logging/logger.js';
import type { ClusterRegistry, NewAgentCredential } from '../registry/registry.js';
import { describeFirstIssue } from '../validation/first-issue.js';
import { hashJoinToken } from './join-token.js';

export const AGENT_CREDENTIAL_TTL_MS = 90 * 24 * 3600 * 1000;

export interface AgentJoinOptions {
  credentialTtlMs?: number;
  now?: () => Date;
}

export class AgentJoinService {
  readonly #credentialTtlMs: number;
  readonly #now: () => Date;

  constructor(
    private readonly registry: ClusterRegistry,
    /** The relay's announced ticket keys, which the agent pins. */
    private readonly ticketKeys: () => TicketKeys,
    private readonly logger: Logger,
    options: AgentJoinOptions = {},
  ) {
    this.#credentialTtlMs = options.credentialTtlMs ?? AGENT_CREDENTIAL_TTL_MS;
    this.#now = options.now ?? (() => new Date());
  }

  async join(body: unknown): Promise<AgentJoinResponse> {
    const parsed = agentJoinRequestSchema.safeParse(body);
    if (!parsed.success) {
      // A token that is not even shaped like one is just another invalid token.
      if (parsed.error.issues.some((issue) => issue.path[0] === 'joinToken')) {
        this.logger.warn({ failure: 'malformed' }, 'agent join refused: the join token is malformed');
        throw invalidJoinToken();
      }
      const { path, message } = describeFirstIssue(parsed.error);
      throw new HttpProblem(400, PROBLEM_TYPES.invalidRequest, 'Invalid request', `${path}: ${message}`);
    }
    const { joinToken, publicKey, agentVersion } = parsed.data;
    const now = this.#now();
    const credential = await newAgentCredential(publicKey, agentVersion, now, this.#credentialTtlMs);
    const result = await this.registry.redeemJoinToken(hashJoinToken(joinToken), credential, now);
    if (!result.ok) {
      this.logger.warn(
        { failure: result.failure, cluster: result.cluster },
        `agent join refused: the join token is ${result.failure}`,
      );
      throw invalidJoinToken();
    }
    this.logger.info(
      {
        cluster: result.credential.cluster,
        credentialId: credential.id,
        thumbprint: credential.thumbprint,
        agentVersion,
        expiresAt: credential.expiresAt.toISOString(),
      },
      'agent joined',
    );
    return {
      cluster: result.credential.cluster,
      credentialId: credential.id,
      issuedAt: result.credential.issuedAt.toISOString(),
      expiresAt: credential.expiresAt.toISOString(),
      ticketKeys: this.ticketKeys(),
    };
  }
}

/** A fresh credential for the agent's public key, valid `ttlMs` from `now` (join and rotation). */
export async function newAgentCredential(
  publicKey: AgentPublicKey,
  agentVersion: string,
  now: Date,
  ttlMs: number,
): Promise<NewAgentCredential> {
  return {
    id: `agc_${randomBytes(16).toString('base64url')}`,
    publicKey: JSON.stringify(publicKey),
    thumbprint: await calculateJwkThumbprint(publicKey, 'sha256'),
    agentVersion,
    expiresAt: new Date(now.getTime() + ttlMs),
  };
}

function invalidJoinToken(): HttpProblem {
  return new HttpProblem(
    401,
    PROBLEM_TYPES.unauthorized,
    'Unauthorized',
    'the join token is invalid, already used or expired: ask an administrator for a new one',
    {},
    { reason: 'invalid-join-token' },
  );
}
