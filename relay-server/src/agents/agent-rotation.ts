/**
 * `POST /api/v1/agent/rotate`: a connected agent swaps its key pair for a new one before its
 * credential runs out. The bearer assertion proves possession of the current key, the `proof` JWT
 * proves possession of the new one. The old credential is superseded at once; asking again with
 * the same new key (a crash before the agent saved the answer) returns the same new credential.
 */
import { PROBLEM_TYPES } from '@switchboard/contract/problem-details';
import {
  type AgentRotateResponse,
  agentRotateRequestSchema,
  type TicketKeys,
} from '@switchboard/contract/tunnel';
import { HttpProblem } from '../api/http-problem.js';
import type { Logger } from '../logging/logger.js';
import type { ClusterRegistry } from '../registry/registry.js';
import { describeFirstIssue } from '../validation/first-issue.js';
import {
  type AgentAssertionVerifier,
  AgentAuthError,
  importAgentPublicKey,
  verifyAgentSignedJwt,
} from './agent-assertion.js';
import { AGENT_CREDENTIAL_TTL_MS, newAgentCredential } from './agent-join.js';

export interface AgentRotationOptions {
  /** Accepted `aud` values of the proof: the same as for agent assertions. */
  audiences: string[];
  credentialTtlMs?: number;
  now?: () => Date;
}

export class AgentRotationService {
  readonly #credentialTtlMs: number;
  readonly #now: () => Date;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly assertions: AgentAssertionVerifier,
    private readonly ticketKeys: () => TicketKeys,
    private readonly logger: Logger,
    private readonly options: AgentRotationOptions,
  ) {
    this.#credentialTtlMs = options.credentialTtlMs ?? AGENT_CREDENTIAL_TTL_MS;
    this.#now = options.now ?? (() => new Date());
  }

  /** `authorization` is the request's Authorization header; throws HttpProblem. */
  async rotate(authorization: string | undefined, body: unknown): Promise<AgentRotateResponse> {
    try {
      return await this.#rotate(authorization, body);
    } catch (error) {
      if (!(error instanceof AgentAuthError)) throw error;
      this.logger.warn(
        {
          reason: error.reason,
          cluster: error.cluster,
          credentialId: error.credentialId,
          detail: error.message,
        },
        `agent credential rotation refused: ${error.reason}`,
      );
      throw error.toHttpProblem();
    }
  }

  async #rotate(authorization: string | undefined, body: unknown): Promise<AgentRotateResponse> {
    const assertion = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    if (!assertion) {
      throw new AgentAuthError(
        'invalid-assertion',
        'rotation needs "Authorization: Bearer <assertion>" signed with the current key',
      );
    }
    // A superseded credential gets this far only to replay its rotation; the registry decides.
    const current = await this.assertions.verify(assertion, { allowSuperseded: true });
    const parsed = agentRotateRequestSchema.safeParse(body);
    if (!parsed.success) {
      const { path, message } = describeFirstIssue(parsed.error);
      throw new HttpProblem(400, PROBLEM_TYPES.invalidRequest, 'Invalid request', `${path}: ${message}`);
    }
    const { publicKey, proof, agentVersion } = parsed.data;
    const authFailure = (reason: AgentAuthError['reason'], message: string) =>
      new AgentAuthError(reason, message, current.cluster, current.id);

    const newKey = await importAgentPublicKey(publicKey);
    const now = this.#now();
    try {
      await verifyAgentSignedJwt(proof, newKey, current, { audiences: this.options.audiences, now });
    } catch (error) {
      throw authFailure(
        'invalid-assertion',
        `the proof is not a valid JWT signed with the new key: ${(error as Error).message}`,
      );
    }

    const next = await newAgentCredential(publicKey, agentVersion, now, this.#credentialTtlMs);
    const result = await this.registry.rotateAgentCredential(current.id, next, now);
    if (!result.ok) {
      if (result.failure === 'superseded') {
        throw authFailure(
          'credential-superseded',
          'this credential was already rotated to a different key; only that key connects now',
        );
      }
      if (result.failure === 'revoked')
        throw authFailure('credential-revoked', 'the agent credential was revoked');
      throw authFailure('unknown-credential', 'no such agent credential: join again with a new join token');
    }
    const { credential, replayed } = result;
    this.logger.info(
      {
        cluster: credential.cluster,
        previousCredentialId: current.id,
        credentialId: credential.id,
        thumbprint: credential.thumbprint,
        expiresAt: credential.expiresAt.toISOString(),
        replayed,
      },
      replayed ? 'agent credential rotation replayed (same new key)' : 'agent credential rotated',
    );
    return {
      cluster: credential.cluster,
      credentialId: credential.id,
      issuedAt: credential.issuedAt.toISOString(),
      expiresAt: credential.expiresAt.toISOString(),
      ticketKeys: this.ticketKeys(),
    };
  }
}
