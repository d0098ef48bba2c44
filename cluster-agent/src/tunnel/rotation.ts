/**
 * Credential rotation at half-life. The agent makes a new key pair, saves it as pending in its
 * state (atomically) BEFORE asking the relay, then saves the new credential. A restart in between
 * finds the pending key and asks again with it: the relay answers a replay with the same
 * credential, so nothing is lost and no second credential is made.
 *
 * Checked when a session connects and on a timer while connected; a pending rotation is completed
 * whenever it is found (also when the relay refuses the old key as superseded).
 */
import type http from 'node:http';
import { agentAssertionAudience } from '@switchboard/contract/agent-assertion';
import { type AgentAuthFailure, agentRotateResponseSchema } from '@switchboard/contract/tunnel';
import type { Logger } from '../logger.js';
import { type AgentState, issuedAtOf, type StateStore } from '../state/state.js';
import { AGENT_VERSION } from '../version.js';
import { importPrivateKey, signAssertion } from './assertion.js';
import type { Credential } from './connector.js';
import { generatePrivateKey, postJson, problemDetail, publicKeyOf } from './join.js';
import { rotateUrl } from './relay-urls.js';

/** How often a connected agent checks whether its credential is due (the half-life is 45 days). */
export const DEFAULT_ROTATION_CHECK_INTERVAL_MS = 3_600_000;

/** The moment half of the credential's lifetime has passed (ms since the epoch). */
export function rotationDueAt(state: Pick<AgentState, 'issuedAt' | 'joinedAt' | 'expiresAt'>): number {
  const issuedAt = Date.parse(state.issuedAt ?? state.joinedAt);
  const expiresAt = Date.parse(state.expiresAt);
  return issuedAt + (expiresAt - issuedAt) / 2;
}

export interface CredentialRotatorOptions {
  relay: URL;
  store: StateStore;
  /** Connection factory for the relay (proxy, custom CA). */
  agent: () => http.Agent;
  /** The credential in use now. */
  credential: () => Credential;
  /** Every saved change of the state (pending key recorded, new credential in place). */
  onCredential: (credential: Credential) => void;
  /** Whether a session to the relay is open: the timer rotates only while connected. */
  connected: () => boolean;
  /** The clock that decides when rotation is due (tests move it); assertions use the real one. */
  now?: () => number;
  checkIntervalMs?: number;
  timeoutMs?: number;
  logger: Logger;
}

/** Refusals after which asking again with this credential cannot succeed. */
const FINAL_REFUSALS: ReadonlySet<string> = new Set<AgentAuthFailure>([
  'unknown-credential',
  'credential-expired',
  'credential-revoked',
  'credential-superseded',
]);

export class CredentialRotator {
  readonly #options: CredentialRotatorOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<boolean> | undefined;
  #closed = false;

  constructor(options: CredentialRotatorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Starts the timer (unref'd; `close` stops it). */
  start(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setInterval(() => {
      if (this.#options.connected()) void this.check();
    }, this.#options.checkIntervalMs ?? DEFAULT_ROTATION_CHECK_INTERVAL_MS);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
  }

  /** Whether a rotation was begun and not finished (a restart in between, or the relay unreachable). */
  get pending(): boolean {
    return this.#options.credential().state.pendingRotation !== undefined;
  }

  /**
   * Rotates when due, or completes a pending rotation. Resolves true when a new credential is in
   * place; never rejects (failures are logged and retried on the next check). One at a time.
   */
  check(): Promise<boolean> {
    this.#running ??= this.#check().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #check(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      if (await this.#adoptStored()) return true;
      const { state } = this.#options.credential();
      // An expired credential cannot prove anything any more: only a rejoin helps (the connector says so).
      if (Date.parse(state.expiresAt) <= this.#now()) return false;
      if (!state.pendingRotation && this.#now() < rotationDueAt(state)) return false;
      return await this.#rotate(state);
    } catch (error) {
      this.#options.logger.warn(
        { err: (error as Error).message, credentialId: this.#options.credential().state.credentialId },
        'credential rotation failed; trying again at the next check',
      );
      return false;
    }
  }

  /**
   * Replicas share one Secret, so the store may hold what another replica did: a newer credential
   * (it rotated or joined: adopted, true) or a rotation it began (its pending key is completed,
   * not a second one started). An older credential there means a replica wrote a stale state over
   * a newer one: the newer one is written back so the others can adopt it.
   */
  async #adoptStored(): Promise<boolean> {
    const { store, logger } = this.#options;
    const stored = await store.load();
    const current = this.#options.credential();
    if (!stored) return false;
    if (stored.credentialId === current.state.credentialId) {
      this.#options.onCredential({ state: stored, key: current.key });
      return false;
    }
    if (issuedAtOf(stored) < issuedAtOf(current.state)) {
      const kept = await this.save(current.state, current.key);
      if (kept.credentialId !== current.state.credentialId) return true;
      logger.warn(
        { stored: stored.credentialId, credentialId: current.state.credentialId, state: store.description },
        'the state store held an older agent credential; wrote the current one back',
      );
      return false;
    }
    this.#options.onCredential({ state: stored, key: await importPrivateKey(stored) });
    logger.info(
      { previousCredentialId: current.state.credentialId, credentialId: stored.credentialId },
      'using the newer agent credential found in the state store',
    );
    return true;
  }

  /**
   * Saves `state` (whose credential's private key is `key`) and puts what the store then holds in
   * use: `state`, or what another replica stored first and the store kept (see `stateToKeep`).
   * Also how the agent saves anything else it learns into its state (the pinned ticket keys).
   */
  async save(state: AgentState, key: Credential['key']): Promise<AgentState> {
    const kept = await this.#options.store.save(state);
    const keptKey = kept.credentialId === state.credentialId ? key : await importPrivateKey(kept);
    this.#options.onCredential({ state: kept, key: keptKey });
    return kept;
  }

  async #rotate(current: AgentState): Promise<boolean> {
    const { relay, store, logger } = this.#options;
    let state = current;
    if (!state.pendingRotation) {
      const started: AgentState = {
        ...state,
        pendingRotation: { privateKey: await generatePrivateKey(), startedAt: new Date().toISOString() },
      };
      // Saved before asking: a crash after the relay's answer then asks again with this same key.
      state = await this.save(started, this.#options.credential().key);
      // Another replica rotated meanwhile: its credential is in use now.
      if (state.credentialId !== current.credentialId) return true;
      logger.info(
        { credentialId: state.credentialId, expiresAt: state.expiresAt, state: store.description },
        state === started
          ? 'credential rotation started (half of its lifetime has passed)'
          : 'completing the credential rotation another agent replica began',
      );
    }
    const pending = state.pendingRotation!;
    const audience = agentAssertionAudience(relay.href);
    const newKey = await importPrivateKey(pending.privateKey);
    const { status, body } = await postJson(
      rotateUrl(relay),
      {
        publicKey: publicKeyOf(pending.privateKey),
        proof: await signAssertion(newKey, state, audience),
        agentVersion: `switchboard-agent/${AGENT_VERSION}`.slice(0, 64),
      },
      this.#options.agent(),
      this.#options.timeoutMs ?? 30_000,
      {
        authorization: `Bearer ${await signAssertion(this.#options.credential().key, state, audience)}`,
      },
    );
    if (status !== 200) {
      const detail = problemDetail(body) ?? `HTTP ${status}`;
      const reason = typeof body === 'object' && body !== null && 'reason' in body ? String(body.reason) : '';
      if (FINAL_REFUSALS.has(reason)) {
        if (reason === 'credential-superseded') {
          // Rotated to another key (a replica that shares this state, or a copy): this pending
          // key can never be accepted. The newer credential is adopted if it is stored.
          const { pendingRotation: _abandoned, ...withoutPending } = state;
          const kept = await this.save(withoutPending, this.#options.credential().key);
          if (kept.credentialId !== state.credentialId) return true;
        }
        // The connector reports what to do when the relay refuses this credential on connect.
        logger.warn(
          { refusal: reason, detail, credentialId: state.credentialId },
          'the relay refused to rotate the agent credential',
        );
        return false;
      }
      throw new Error(`the relay answered the rotation with ${detail}`);
    }
    const parsed = agentRotateResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new Error(`the relay's rotation answer is not what the agent expects: ${parsed.error.message}`);
    }
    const response = parsed.data;
    const { pendingRotation: _done, ...rest } = state;
    const rotated: AgentState = {
      ...rest,
      cluster: response.cluster,
      credentialId: response.credentialId,
      issuedAt: response.issuedAt ?? new Date().toISOString(),
      expiresAt: response.expiresAt,
      ticketKeys: response.ticketKeys,
      privateKey: pending.privateKey,
    };
    await this.save(rotated, newKey);
    logger.info(
      {
        previousCredentialId: state.credentialId,
        credentialId: rotated.credentialId,
        expiresAt: rotated.expiresAt,
        state: store.description,
      },
      'agent credential rotated',
    );
    return true;
  }
}
