/**
 * A small Kubernetes client with the cluster admin's credential (the kubeconfig the agent uses):
 * what the chain needs to set up RBAC and test fixtures straight on the apiserver, past the tunnel.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parse } from 'yaml';

export interface KubeResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: Kubernetes JSON of any kind
  body: any;
}

/** What `apply` needs to know of an object. */
export interface KubeObjectLike {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

interface KubeconfigDocument {
  'current-context'?: string;
  clusters?: { name: string; cluster: Record<string, string | boolean | undefined> }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  users?: { name: string; user: Record<string, string | undefined> }[];
}

export class KubeAdminClient {
  readonly server: string;
  readonly #agent: Agent;
  readonly #token: string | undefined;

  /** `kubeconfig` is the YAML text (not a path); `--context` is the current context. */
  constructor(kubeconfig: string) {
    const doc = parse(kubeconfig) as KubeconfigDocument;
    const contextName = doc['current-context'] ?? doc.contexts?.[0]?.name;
    const context = doc.contexts?.find((c) => c.name === contextName)?.context;
    const cluster =
      doc.clusters?.find((c) => c.name === context?.cluster)?.cluster ?? doc.clusters?.[0]?.cluster;
    const user = doc.users?.find((u) => u.name === context?.user)?.user ?? doc.users?.[0]?.user ?? {};
    if (!cluster || typeof cluster.server !== 'string')
      throw new Error('the kubeconfig names no cluster server');
    this.server = cluster.server.replace(/\/+$/, '');
    const data = (inline: unknown, file: unknown): Buffer | undefined => {
      if (typeof inline === 'string') return Buffer.from(inline, 'base64');
      if (typeof file === 'string') return readFileSync(file);
      return undefined;
    };
    const ca = data(cluster['certificate-authority-data'], cluster['certificate-authority']);
    const cert = data(user['client-certificate-data'], user['client-certificate']);
    const key = data(user['client-key-data'], user['client-key']);
    this.#token = user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
    this.#agent = new Agent({
      keepAlive: true,
      ...(ca && { ca }),
      ...(cert && { cert }),
      ...(key && { key }),
      ...(cluster['insecure-skip-tls-verify'] === true && { rejectUnauthorized: false }),
    });
  }

  request(method: string, path: string, body?: unknown): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const url = new URL(`${this.server}${path}`);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.#agent,
          headers: {
            accept: 'application/json',
            ...(payload && { 'content-type': 'application/json', 'content-length': payload.length }),
            ...(this.#token && { authorization: `Bearer ${this.#token}` }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {}
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Creates the object, or replaces it when it exists (its resourceVersion is taken over). */
  async apply(object: KubeObjectLike, plural?: string): Promise<KubeResponse> {
    const collection = collectionPath(object, plural);
    const created = await this.request('POST', collection, object);
    if (created.status !== 409) return check(created, `create ${object.kind} ${object.metadata.name}`);
    const path = `${collection}/${object.metadata.name}`;
    const current = await this.request('GET', path);
    const replaced = await this.request('PUT', path, {
      ...object,
      metadata: { ...object.metadata, resourceVersion: current.body?.metadata?.resourceVersion },
    });
    return check(replaced, `replace ${object.kind} ${object.metadata.name}`);
  }

  /** Binds `user` to `clusterRole` cluster-wide (a ClusterRoleBinding named `<prefix>-<user>-<role>`). */
  async bindClusterRole(user: string, clusterRole: string, prefix: string): Promise<void> {
    await this.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${prefix}-${user}-${clusterRole}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    });
  }

  /** Deletes the object; a missing one is not an error. */
  async remove(object: KubeObjectLike, plural?: string): Promise<void> {
    const response = await this.request(
      'DELETE',
      `${collectionPath(object, plural)}/${object.metadata.name}`,
    );
    if (response.status !== 404) check(response, `delete ${object.kind} ${object.metadata.name}`);
  }

  close(): void {
    this.#agent.destroy();
  }
}

function check(response: KubeResponse, what: string): KubeResponse {
  if (response.status >= 200 && response.status < 300) return response;
  const message = response.body?.message ?? JSON.stringify(response.body);
  throw new Error(`${what}: HTTP ${response.status}: ${message}`);
}

/** `/api/v1/namespaces/ns/pods`, `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`, … */
export function collectionPath(object: KubeObjectLike, plural?: string): string {
  const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const resource = plural ?? pluralOf(object.kind);
  const namespace = object.metadata.namespace;
  return namespace ? `${base}/namespaces/${namespace}/${resource}` : `${base}/${resource}`;
}

function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
