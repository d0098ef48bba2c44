/**
 * Agent state in a Kubernetes Secret (in cluster), read and written through the apiserver with
 * the agent's own ServiceAccount. It needs get/create/update on that one Secret.
 */
import type { ApiServer } from '../kube/apiserver.js';
import { type AgentState, parseState, StateError, type StateStore } from './state.js';

export const DEFAULT_SECRET_NAME = 'switchboard-agent-credential';
const KEY = 'state.json';

interface SecretObject {
  metadata?: { resourceVersion?: string };
  data?: Record<string, string>;
}

export class SecretStateStore implements StateStore {
  #resourceVersion: string | undefined;

  constructor(
    private readonly apiServer: ApiServer,
    readonly namespace: string,
    readonly name: string = DEFAULT_SECRET_NAME,
  ) {}

  get description(): string {
    return `Secret ${this.namespace}/${this.name}`;
  }

  get #path(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets/${encodeURIComponent(this.name)}`;
  }

  async load(): Promise<AgentState | undefined> {
    const { status, body } = await this.apiServer.json('GET', this.#path);
    if (status === 404) return undefined;
    if (status !== 200) throw this.#failure('read', status, body);
    const secret = body as SecretObject;
    this.#resourceVersion = secret.metadata?.resourceVersion;
    const data = secret.data?.[KEY];
    if (data === undefined) return undefined;
    return parseState(Buffer.from(data, 'base64').toString('utf8'), this.description);
  }

  async save(state: AgentState): Promise<void> {
    const secret = (resourceVersion?: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'switchboard-agent' },
        ...(resourceVersion && { resourceVersion }),
      },
      data: { [KEY]: Buffer.from(JSON.stringify(state)).toString('base64') },
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.#resourceVersion === undefined) {
        const created = await this.apiServer.json(
          'POST',
          `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets`,
          secret(),
        );
        if (created.status === 201 || created.status === 200) {
          this.#resourceVersion = (created.body as SecretObject).metadata?.resourceVersion;
          return;
        }
        if (created.status !== 409) throw this.#failure('create', created.status, created.body);
      } else {
        const updated = await this.apiServer.json('PUT', this.#path, secret(this.#resourceVersion));
        if (updated.status === 200) {
          this.#resourceVersion = (updated.body as SecretObject).metadata?.resourceVersion;
          return;
        }
        if (updated.status !== 409 && updated.status !== 404) {
          throw this.#failure('update', updated.status, updated.body);
        }
      }
      // Conflict: someone else wrote it (or it vanished); learn the current version and try again.
      const current = await this.apiServer.json('GET', this.#path);
      this.#resourceVersion =
        current.status === 200 ? (current.body as SecretObject).metadata?.resourceVersion : undefined;
    }
    throw new StateError(`could not write ${this.description}: it keeps changing underneath the agent`);
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
