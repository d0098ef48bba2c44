/**
 * Agent state in a Kubernetes Secret (in cluster), read and written through the apiserver with
 * the agent's own ServiceAccount. It needs get/create/update on that one Secret.
 *
 * Several replicas share the Secret (the install manifests and chart create it with the join
 * token in it). Every write is a read-modify-write with the Secret's resourceVersion, so a
 * replica never overwrites what another wrote without having seen it, and keys it does not own
 * (the join token, Helm's labels) are kept. Having seen it, a save still keeps another replica's
 * newer credential or begun rotation (`stateToKeep`). A join token works once, so replicas without a
 * credential first claim the join (an annotation, written the same way): one joins and stores
 * the credential, the others wait for it.
 */
import type { ApiServer } from '../kube/apiserver.js';
import { type AgentState, parseState, StateError, type StateStore, stateToKeep } from './state.js';

export const DEFAULT_SECRET_NAME = 'switchboard-agent-credential';
/** The key of the agent's state in the Secret. */
export const STATE_KEY = 'state.json';
/** The key the install manifests and chart put the join token under (read by the Deployment's env). */
export const JOIN_TOKEN_KEY = 'joinToken';
/** Which replica is joining, and since when: `{"holder": "...", "since": "<ISO time>"}`. */
export const JOIN_CLAIM_ANNOTATION = 'switchboard.dev/join-claim';
/** A claim older than this is abandoned (its replica died mid-join) and may be taken over. */
export const JOIN_CLAIM_STALE_MS = 120_000;

interface SecretObject {
  metadata?: {
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  data?: Record<string, string>;
  [field: string]: unknown;
}

/** Attempts of one read-modify-write before giving up on a Secret that keeps changing. */
const MAX_ATTEMPTS = 5;

export class SecretStateStore implements StateStore {
  /** The Secret as last read or written; undefined when it does not exist (as far as we know). */
  #current: SecretObject | undefined;

  constructor(
    private readonly apiServer: ApiServer,
    readonly namespace: string,
    readonly name: string = DEFAULT_SECRET_NAME,
    private readonly now: () => number = Date.now,
  ) {}

  get description(): string {
    return `Secret ${this.namespace}/${this.name}`;
  }

  get #path(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets/${encodeURIComponent(this.name)}`;
  }

  async load(): Promise<AgentState | undefined> {
    await this.#refresh();
    const data = this.#current?.data?.[STATE_KEY];
    if (data === undefined) return undefined;
    return parseState(Buffer.from(data, 'base64').toString('utf8'), this.description);
  }

  /**
   * Writes `state` unless the Secret, as read right before the write (again after a conflict),
   * holds a state `stateToKeep` prefers: another replica's newer credential or its pending rotation.
   */
  async save(state: AgentState): Promise<AgentState> {
    let kept = state;
    await this.#modify('write', (secret) => {
      kept = stateToKeep(this.#stateIn(secret), state);
      if (kept !== state) return false;
      secret.data = { ...secret.data, [STATE_KEY]: Buffer.from(JSON.stringify(state)).toString('base64') };
      // The join is done: the claim has served its purpose.
      const { [JOIN_CLAIM_ANNOTATION]: _claim, ...annotations } = secret.metadata?.annotations ?? {};
      secret.metadata = { ...secret.metadata, annotations };
      return true;
    });
    return kept;
  }

  /** The state in `secret`; undefined when there is none or it is unreadable (a valid one may replace it). */
  #stateIn(secret: SecretObject): AgentState | undefined {
    const data = secret.data?.[STATE_KEY];
    if (data === undefined) return undefined;
    try {
      return parseState(Buffer.from(data, 'base64').toString('utf8'), this.description);
    } catch {
      return undefined;
    }
  }

  /**
   * Claims the join for `holder`: true when this replica may join now (no claim, its own, or an
   * abandoned one), false while another replica's claim is fresh.
   */
  async claimJoin(holder: string): Promise<boolean> {
    await this.#refresh();
    return this.#modify('claim', (secret) => {
      const claim = parseClaim(secret.metadata?.annotations?.[JOIN_CLAIM_ANNOTATION]);
      const fresh = claim !== undefined && this.now() - Date.parse(claim.since) < JOIN_CLAIM_STALE_MS;
      if (claim && fresh && claim.holder !== holder) return false;
      const annotations = {
        ...secret.metadata?.annotations,
        [JOIN_CLAIM_ANNOTATION]: JSON.stringify({ holder, since: new Date(this.now()).toISOString() }),
      };
      secret.metadata = { ...secret.metadata, annotations };
      return true;
    });
  }

  /**
   * Applies `change` to a copy of the Secret as last seen and writes it with that resourceVersion
   * (or creates the Secret). On a conflict it reads the Secret again and re-applies `change` to
   * what is there now. `change` returns false to write nothing; that answer is returned.
   */
  async #modify(action: string, change: (secret: SecretObject) => boolean): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = this.#current;
      const secret: SecretObject = structuredClone(
        existing ?? {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'Opaque',
          metadata: {
            name: this.name,
            namespace: this.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'switchboard-agent' },
          },
        },
      );
      if (!change(secret)) return false;
      const written = existing
        ? await this.apiServer.json('PUT', this.#path, secret)
        : await this.apiServer.json(
            'POST',
            `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets`,
            secret,
          );
      if (written.status === 200 || written.status === 201) {
        this.#current = written.body as SecretObject;
        return true;
      }
      // 409: someone else wrote it (or created it first); 404: it vanished. Look again.
      if (written.status !== 409 && written.status !== 404) {
        throw this.#failure(
          existing ? `${action} (update)` : `${action} (create)`,
          written.status,
          written.body,
        );
      }
      await this.#refresh();
    }
    throw new StateError(`could not ${action} ${this.description}: it keeps changing underneath the agent`);
  }

  async #refresh(): Promise<void> {
    const { status, body } = await this.apiServer.json('GET', this.#path);
    if (status === 404) this.#current = undefined;
    else if (status === 200) this.#current = body as SecretObject;
    else throw this.#failure('read', status, body);
  }

  #failure(action: string, status: number, body: unknown): StateError {
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : `HTTP ${status}`;
    const hint =
      status === 403
        ? ` (the agent's ServiceAccount needs get, create and update on secrets "${this.name}" in namespace "${this.namespace}")`
        : '';
    return new StateError(`cannot ${action} ${this.description}: ${message}${hint}`);
  }
}

function parseClaim(text: string | undefined): { holder: string; since: string } | undefined {
  if (text === undefined) return undefined;
  try {
    const claim = JSON.parse(text) as { holder?: unknown; since?: unknown };
    if (
      typeof claim.holder === 'string' &&
      typeof claim.since === 'string' &&
      !Number.isNaN(Date.parse(claim.since))
    ) {
      return { holder: claim.holder, since: claim.since };
    }
  } catch {}
  // Unreadable claims are treated as absent: a hand-edited annotation must not block the join forever.
  return undefined;
}
