/** kube-sim as the cluster's apiserver, with a namespace and a narrow Role for alice. */
import http from 'node:http';
import { ApiServer, parseKubeconfig } from '@switchboard/cluster-agent';
import { type KubeSim, type KubeSimOptions, startKubeSim } from '@switchboard/kube-sim';

export interface TestCluster {
  sim: KubeSim;
  /** Admin access (client certificate, system:masters) for setting things up. */
  admin: ApiServer;
  close(): Promise<void>;
}

/** `options` go to kube-sim (its HTTP/2 settings, say). */
export async function startCluster(options: KubeSimOptions = {}): Promise<TestCluster> {
  const sim = await startKubeSim({ podStartDelayMs: 10, ...options });
  const admin = new ApiServer(parseKubeconfig(sim.adminKubeconfig));
  const create = async (path: string, body: unknown) => {
    const { status, body: answer } = await admin.json('POST', path, body);
    if (status !== 201 && status !== 200)
      throw new Error(`POST ${path}: ${status} ${JSON.stringify(answer)}`);
  };
  await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  await create('/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'reader', namespace: 'team' },
    rules: [
      { apiGroups: [''], resources: ['pods', 'pods/log', 'configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['create', 'get'] },
    ],
  });
  await create('/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'alice-reader', namespace: 'team' },
    subjects: [{ kind: 'User', name: 'oidc:alice', apiGroup: 'rbac.authorization.k8s.io' }],
    roleRef: { kind: 'Role', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' },
  });
  return {
    sim,
    admin,
    async close() {
      admin.close();
      await sim.close();
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field in tests
  json: () => any;
}

/** One request on a fresh connection to `base` (a forwarder into the tunnel). */
export function request(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string | string[]>; body?: unknown } = {},
): Promise<HttpAnswer> {
  const payload = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), {
      method: init.method ?? 'GET',
      agent: false,
      headers: {
        accept: 'application/json',
        ...(payload && { 'content-type': 'application/json', 'content-length': String(payload.length) }),
        ...init.headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.end(payload);
  });
}
