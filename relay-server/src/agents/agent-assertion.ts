/**
 * Authenticates an agent's tunnel upgrade: a JWT the agent signs with its private key (proof of
 * possession), verified against the public key stored at join. Every refusal carries a reason from
 * `AGENT_AUTH_FAILURES`; an expired credential is its own reason, so the agent and the relay log
 * can tell it from a bad assertion.
 */
import {
  AGENT_ASSERTION_CLAIMS,
  AGENT_ASSERTION_MAX_LIFETIME_SECONDS,
  type AgentAssertionClaims,
  agentAssertionClaimsSchema,
} from '@switchboard/contract/agent-assertion';
import { PROBLEM_TYPES } from '@switchboard/contract/problem-details';
import {
  type AgentAuthFailure,
  type AgentPublicKey,
  agentPublicKeySchema,
} from '@switchboard/contract/tunnel';
import { type CryptoKey, decodeJwt, importJWK, type JWK, jwtVerify } from 'jose';
import { HttpProblem } from '../api/http-problem.js';
import type { AgentCredential, ClusterRegistry } from '../registry/registry.js';
import { describeFirstIssue } from '../validation/first-issue.js';
import { LocalReplayGuard, type ReplayGuard } from './replay-guard.js';

/** Clock skew allowed between agent and relay for `exp` and `iat`. */
export const ASSERTION_CLOCK_SKEW_SECONDS = 30;

export class AgentAuthError extends Error {
  constructor(
    readonly reason: AgentAuthFailure,
    message: string,
    readonly cluster?: string,
    readonly credentialId?: string,
  ) {
    super(message);
    this.name = 'AgentAuthError';
  }

  get status(): 401 | 403 {
    return this.reason === 'credential-revoked' || this.reason === 'credential-superseded' ? 403 : 401;
  }

  /** The 401/403 problem (with `reason`) a refused agent gets, on the tunnel upgrade and the API alike. */
  toHttpProblem(): HttpProblem {
    const forbidden = this.status === 403;
    return new HttpProblem(
      this.status,
      forbidden ? PROBLEM_TYPES.forbidden : PROBLEM_TYPES.unauthorized,
      forbidden ? 'Forbidden' : 'Unauthorized',
      this.message,
      forbidden ? {} : { 'www-authenticate': 'Bearer realm="switchboard-agent", error="invalid_token"' },
      { reason: this.reason },
    );
  }
}

export interface AgentAssertionOptions {
  /** Accepted `aud` values: the relay's agent tunnel URL (http(s) and ws(s) forms). */
  audiences: string[];
  now?: () => number;
  /**
   * Where accepted assertions are remembered; by default this process's memory. A fleet passes
   * one shared by its replicas, made with `ASSERTION_CLOCK_SKEW_SECONDS`.
   */
  replays?: ReplayGuard;
}

export class AgentAssertionVerifier {
  readonly #replays: ReplayGuard;
  readonly #now: () => number;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly options: AgentAssertionOptions,
  ) {
    this.#now = options.now ?? Date.now;
    this.#replays = options.replays ?? new LocalReplayGuard(ASSERTION_CLOCK_SKEW_SECONDS);
  }

  /**
   * The credential the assertion proves possession of; throws AgentAuthError. A superseded
   * credential is refused unless `allowSuperseded` (rotation replays, which the registry then
   * answers only for the same new key).
   */
  async verify(assertion: string, { allowSuperseded = false } = {}): Promise<AgentCredential> {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(assertion).iss;
    } catch {
      throw new AgentAuthError('invalid-assertion', 'the bearer token is not a JWT');
    }
    if (!issuer) throw new AgentAuthError('invalid-assertion', 'the assertion has no iss (credential id)');
    const credential = await this.registry.getAgentCredential(issuer);
    if (!credential) {
      throw new AgentAuthError(
        'unknown-credential',
        'no such agent credential: join again with a new join token',
      );
    }
    const failure = (reason: AgentAuthFailure, message: string) =>
      new AgentAuthError(reason, message, credential.cluster, credential.id);

    const key = await publicKeyOf(credential);
    let claims: AgentAssertionClaims;
    try {
      claims = await verifyAgentSignedJwt(assertion, key, credential, {
        audiences: this.options.audiences,
        now: new Date(this.#now()),
      });
    } catch (error) {
      throw failure('invalid-assertion', `the assertion is invalid: ${(error as Error).message}`);
    }
    const nowSeconds = Math.floor(this.#now() / 1000);
    const { exp, iat, jti } = claims;
    if (iat > nowSeconds + ASSERTION_CLOCK_SKEW_SECONDS) {
      throw failure('invalid-assertion', 'the assertion was issued in the future (check the agent clock)');
    }
    // Only an agent holding the private key gets this far: these answers may be precise.
    if (credential.revokedAt) {
      throw failure(
        'credential-revoked',
        `the agent credential was revoked at ${credential.revokedAt.toISOString()}`,
      );
    }
    if (credential.expiresAt.getTime() <= this.#now()) {
      throw failure(
        'credential-expired',
        `the agent credential expired at ${credential.expiresAt.toISOString()}: join again with a new join token`,
      );
    }
    if (credential.supersededAt && !allowSuperseded) {
      throw failure(
        'credential-superseded',
        `the agent credential was replaced by a newer one at ${credential.supersededAt.toISOString()} ` +
          '(the agent rotated its key); this older key no longer connects',
      );
    }
    if (!(await this.#replays.remember(`${credential.id} ${jti}`, exp, nowSeconds))) {
      throw failure('replayed-assertion', 'the assertion was already used (jti seen before)');
    }
    return credential;
  }
}

/**
 * Checks a JWT signed with an agent key (an assertion, or a rotation's proof) against the
 * assertion claims for `credential`: signature, iss, sub, aud, exp, the claim set and the
 * lifetime bound. Throws an Error saying what is wrong.
 */
export async function verifyAgentSignedJwt(
  jwt: string,
  { key, algorithm }: ImportedAgentKey,
  credential: Pick<AgentCredential, 'id' | 'cluster'>,
  expected: { audiences: string[]; now: Date },
): Promise<AgentAssertionClaims> {
  const { payload } = await jwtVerify(jwt, key, {
    algorithms: [algorithm],
    issuer: credential.id,
    subject: credential.cluster,
    audience: expected.audiences,
    clockTolerance: ASSERTION_CLOCK_SKEW_SECONDS,
    requiredClaims: AGENT_ASSERTION_CLAIMS,
    currentDate: expected.now,
  });
  const parsed = agentAssertionClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const { path, message } = describeFirstIssue(parsed.error);
    throw new Error(`its claims are malformed (${path || 'claims'}: ${message})`);
  }
  const { exp, iat } = parsed.data;
  if (exp - iat > AGENT_ASSERTION_MAX_LIFETIME_SECONDS) {
    throw new Error(`it lives ${exp - iat} s; at most ${AGENT_ASSERTION_MAX_LIFETIME_SECONDS} s are allowed`);
  }
  return parsed.data;
}

function publicKeyOf(credential: AgentCredential): Promise<ImportedAgentKey> {
  return importAgentPublicKey(agentPublicKeySchema.parse(JSON.parse(credential.publicKey)));
}

export interface ImportedAgentKey {
  key: CryptoKey | Uint8Array;
  /** The one JWS algorithm this key's signatures are accepted with. */
  algorithm: string;
}

export async function importAgentPublicKey(jwk: AgentPublicKey): Promise<ImportedAgentKey> {
  const algorithm = jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
  return { key: await importJWK(jwk as JWK, algorithm), algorithm };
}
