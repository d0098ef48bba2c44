/**
 * Who may do what, through the whole chain: Kubernetes RBAC decides for the impersonated user,
 * the relay's grants decide who reaches the cluster at all, and refusals reach kubectl as clear errors.
 */
import { join } from 'node:path';
import { writeSwitchboardKubeconfig } from '@switchboard/main/core';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, type ChainClient, startChain } from '../../src/chain/index.js';
import { Kubectl, proxyClient } from './support.js';

describe.skipIf(!requireKubectl(33))('access through the whole chain', () => {
  let chain: Chain;
  let narrow: ChainClient;
  let root: ChainClient;
  let nogrant: ChainClient;
  let leaver: ChainClient;
  let kNarrow: Kubectl;
  const kubectls: Kubectl[] = [];

  beforeAll(async () => {
    chain = await startChain({
      users: [
        { name: 'narrow', groups: ['shop-readers'], relayRole: 'connect' },
        { name: 'root', groups: ['switchboard-admins'], relayRole: null },
        { name: 'nogrant', relayRole: null },
        { name: 'leaver', relayRole: 'connect', clusterAdmin: true },
      ],
    });
    // A Role on kube-sim: narrow may read pods in `shop` only.
    await chain.kubeAdmin.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pod-reader', namespace: 'shop' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    await chain.kubeAdmin.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'narrow-pod-reader', namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'narrow' }],
    });
    [narrow, root, nogrant, leaver] = await Promise.all([
      chain.connectAs('narrow'),
      chain.connectAs('root'),
      chain.connectAs('nogrant'),
      chain.connectAs('leaver'),
    ]);
    kNarrow = await Kubectl.create(33, narrow.kubeconfigPath);
    kubectls.push(kNarrow);
  });

  afterAll(async () => {
    await Promise.all(kubectls.map((k) => k.close()));
    await chain?.close();
  });

  /** A kubeconfig of `client` whose current context is `cluster` (which may not exist). */
  const kubectlFor = async (client: ChainClient, cluster: string) => {
    const path = join(chain.dataDir, 'users', client.user.name, `kubeconfig-${cluster}`);
    await writeSwitchboardKubeconfig(path, {
      clusters: [cluster],
      port: client.port,
      identity: client.identity,
    });
    const kubectl = await Kubectl.create(33, path);
    kubectls.push(kubectl);
    return kubectl;
  };

  it('a narrow Role allows what it grants', async () => {
    const out = await kNarrow.ok(['get', 'pods', '-n', 'shop', '-o', 'name']);
    expect(out).toContain('pod/frontend-');
    expect(JSON.parse(await kNarrow.ok(['auth', 'whoami', '-o', 'json'])).status.userInfo.username).toBe(
      'narrow',
    );
  });

  it('elsewhere the apiserver refuses with its own Forbidden text', async () => {
    const pods = await kNarrow.run(['get', 'pods', '-n', 'kube-system']);
    expect(pods.code).toBe(1);
    expect(pods.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "narrow" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    const secrets = await kNarrow.run(['get', 'secrets', '-n', 'shop']);
    expect(secrets.stderr).toContain(
      'Error from server (Forbidden): secrets is forbidden: User "narrow" cannot list resource "secrets" in API group "" in the namespace "shop"',
    );
    const create = await kNarrow.run(['create', 'configmap', 'x', '-n', 'shop']);
    expect(create.stderr).toContain('User "narrow" cannot create resource "configmaps"');
  });

  it('identity headers of its own do not lift a narrow user', async () => {
    const http = proxyClient(narrow);
    try {
      const frontProxy = { 'x-remote-user': 'kubernetes-admin', 'x-remote-group': 'system:masters' };
      const list = await http.fetch('/api/v1/namespaces/kube-system/pods', { headers: frontProxy });
      expect(list.status).toBe(403);
      expect(list.json().message).toContain('User "narrow" cannot list resource "pods"');
      const review = await http.fetch('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        method: 'POST',
        headers: frontProxy,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      });
      expect(review.json().status.userInfo).toMatchObject({ username: 'narrow' });
      expect(review.json().status.userInfo.groups).not.toContain('system:masters');
      const impersonating = await http.fetch('/api/v1/namespaces/kube-system/pods', {
        headers: { 'impersonate-user': 'demo', 'impersonate-group': 'system:masters' },
      });
      expect(impersonating.status).toBe(403);
      expect(impersonating.json().message).toContain('is not available through Switchboard');
    } finally {
      http.close();
    }
    const asAdmin = await kNarrow.run([
      'get',
      'pods',
      '-n',
      'kube-system',
      '--as=demo',
      '--as-group=system:masters',
    ]);
    expect(asAdmin.code).not.toBe(0);
    expect(asAdmin.stderr).not.toContain('No resources found');
  });

  it('a user without a grant on the relay is refused with a clear error', async () => {
    const kubectl = await kubectlFor(nogrant, chain.cluster);
    const result = await kubectl.run(['get', 'pods', '-A']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/forbidden|Forbidden/);
    expect(result.stderr).toContain('demo');
    const { stderr } = await kubectl.run(['get', 'pods', '-A', '-v=0']);
    expect(stderr).not.toContain('pods is forbidden: User "nogrant"'); // never reached the apiserver
  });

  it('an unknown cluster is refused with a clear error (a global admin learns it does not exist)', async () => {
    const asRoot = await kubectlFor(root, 'nowhere');
    const result = await asRoot.run(['get', 'pods']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nowhere');
    expect(result.stderr).toMatch(/unknown|not found|no cluster|does not exist/i);
    // Without a grant anywhere, an unknown cluster looks the same as a forbidden one.
    const asNarrow = await kubectlFor(narrow, 'nowhere');
    const hidden = await asNarrow.run(['get', 'pods']);
    expect(hidden.code).toBe(1);
    expect(hidden.stderr).toContain('nowhere');
  });

  it('a registered cluster whose agent never connected is refused as offline', async () => {
    await chain.relay.createCluster('lonely');
    await chain.relay.grant('narrow', 'connect', { cluster: 'lonely' });
    const kubectl = await kubectlFor(narrow, 'lonely');
    const result = await kubectl.run(['get', 'pods']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lonely');
    expect(result.stderr).toMatch(/offline|not connected|no agent/i);
  });

  it('revoking a grant ends the streams it opened: a running watch stops, the next request is refused', async () => {
    const kubectl = await kubectlFor(leaver, chain.cluster);
    const watch = kubectl.stream([
      'get',
      'configmaps',
      '-n',
      'shop',
      '-w',
      '--request-timeout=0',
      '-o',
      'name',
    ]);
    try {
      await watch.waitFor(/configmap\/kube-root-ca\.crt/);
      // An event through the watch: it is established (not still being opened) when the grant goes.
      await chain.kubeAdmin.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'before-revoke', namespace: 'shop' },
      });
      await watch.waitFor(/configmap\/before-revoke/);
      const exited = new Promise<number | null>((resolve) => watch.child.once('exit', resolve));
      await chain.relay.revoke('leaver');
      await exited;
      const after = await kubectl.run(['get', 'configmaps', '-n', 'shop']);
      expect(after.code).toBe(1);
      expect(after.stderr).toContain(`no access to cluster "${chain.cluster}"`);
    } finally {
      await watch.stop();
    }
  });
});
