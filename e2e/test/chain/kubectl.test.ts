/**
 * Real kubectl (1.33, and 1.28 for SPDY exec) through the whole chain:
 * local proxy ══> relay (dev-idp, SQLite) ══> agent (impersonating) ─> kube-sim.
 */

import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { Kubectl, proxyClient } from './support.js';

const PODS_NS = 'chain-kubectl';

const podYaml = (name: string, script: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${PODS_NS}
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", ${JSON.stringify(script)}]
`;

const kubectls = [requireKubectl(33), requireKubectl(28)];

describe.skipIf(kubectls.includes(undefined))('kubectl through the whole chain', () => {
  let chain: Chain;
  let k133: Kubectl;
  let k128: Kubectl;

  beforeAll(async () => {
    chain = await startChain({ kubeSim: { podStartDelayMs: 50 } });
    [k133, k128] = await Promise.all([
      Kubectl.create(33, chain.kubeconfigPath),
      Kubectl.create(28, chain.kubeconfigPath),
    ]);
    await k133.ok(['create', 'namespace', PODS_NS]);
    // One long-running pod for exec, one that writes lines for logs -f.
    await k133.ok(['apply', '-f', '-'], { input: podYaml('shell', 'sleep 3600') });
    await k133.ok(['apply', '-f', '-'], {
      input: podYaml('ticker', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done'),
    });
    await k133.ok([
      'wait',
      '-n',
      PODS_NS,
      '--for=condition=Ready',
      'pod/shell',
      'pod/ticker',
      '--timeout=20s',
    ]);
  });

  afterAll(async () => {
    await Promise.all([k133?.close(), k128?.close()]);
    await chain?.close();
  });

  it('the kubeconfig has the switchboard context current and points at the local proxy', async () => {
    expect((await k133.ok(['config', 'current-context'])).trim()).toBe('switchboard-demo');
    const server = await k133.ok([
      'config',
      'view',
      '--minify',
      '-o',
      'jsonpath={.clusters[0].cluster.server}',
    ]);
    expect(server).toBe(chain.proxyUrl);
  });

  it('get pods -A lists the demo scenario', async () => {
    const out = await k133.ok(['get', 'pods', '-A']);
    expect(out).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    expect(out).toMatch(/kube-system\s+coredns-\S+\s+1\/1\s+Running/);
    expect(out).toMatch(/shop\s+frontend-\S+\s+1\/1\s+Running/);
    const nodes = await k128.ok(['get', 'nodes', '-o', 'name']);
    expect(nodes).toContain('node/');
  });

  it('auth whoami shows the impersonated user, not the agent', async () => {
    const out = await k133.ok(['auth', 'whoami', '-o', 'json']);
    const review = JSON.parse(out);
    expect(review.status.userInfo.username).toBe('demo');
    expect(review.status.userInfo.groups).toContain('demo-users');
    expect(out).not.toContain('kubernetes-admin');
    expect(out).not.toContain('system:masters');
  });

  it('apply creates and updates, delete removes', async () => {
    const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${PODS_NS}
data:
  color: ${value}
`;
    expect(await k133.ok(['apply', '-f', '-'], { input: configMap('blue') })).toBe(
      'configmap/settings created\n',
    );
    expect(await k133.ok(['apply', '-f', '-'], { input: configMap('green') })).toBe(
      'configmap/settings configured\n',
    );
    expect(
      await k128.ok(['get', 'configmap', 'settings', '-n', PODS_NS, '-o', 'jsonpath={.data.color}']),
    ).toBe('green');
    expect(await k133.ok(['delete', 'configmap', 'settings', '-n', PODS_NS])).toBe(
      'configmap "settings" deleted\n',
    );
    const gone = await k133.run(['get', 'configmap', 'settings', '-n', PODS_NS]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Error from server (NotFound): configmaps "settings" not found');
  });

  it('get -w sees ADDED, MODIFIED and DELETED events as they happen', async () => {
    const watch = k133.stream([
      'get',
      'configmaps',
      '-n',
      PODS_NS,
      '-w',
      '--output-watch-events',
      '--no-headers',
    ]);
    try {
      await watch.waitFor(/kube-root-ca\.crt/);
      await k133.ok(['create', 'configmap', 'watched', '-n', PODS_NS, '--from-literal=n=1']);
      await watch.waitFor(/ADDED\s+watched/);
      await k133.ok(['patch', 'configmap', 'watched', '-n', PODS_NS, '-p', '{"data":{"n":"2"}}']);
      await watch.waitFor(/MODIFIED\s+watched/);
      await k133.ok(['label', 'configmap', 'watched', '-n', PODS_NS, 'step=3']);
      await watch.waitFor(/MODIFIED\s+watched[\s\S]*MODIFIED\s+watched/);
      await k133.ok(['delete', 'configmap', 'watched', '-n', PODS_NS]);
      await watch.waitFor(/DELETED\s+watched/);
      const events = watch
        .stdout()
        .split('\n')
        .filter((line) => /\swatched\s/.test(line))
        .map((line) => line.split(/\s+/)[0]);
      expect(events).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    } finally {
      await watch.stop();
    }
  });

  it('logs -f streams lines as the container writes them', async () => {
    const logs = k133.stream(['logs', '-f', '-n', PODS_NS, 'ticker']);
    try {
      await logs.waitFor(/tick 1\n/);
      const seen = Number(/tick (\d+)\n$/.exec(logs.stdout())?.[1]);
      // Lines written after kubectl started following arrive too.
      await logs.waitFor(new RegExp(`tick ${seen + 3}\\n`));
    } finally {
      await logs.stop();
    }
  });

  for (const [minor, transport] of [
    [33, 'WebSocket'],
    [28, 'SPDY'],
  ] as const) {
    it(`exec -i passes stdin, stdout, stderr and the exit code (kubectl 1.${minor}, ${transport})`, async () => {
      const kubectl = minor === 33 ? k133 : k128;
      const input = `hello from 1.${minor}\n${'x'.repeat(100_000)}\n`;
      const result = await kubectl.run(
        ['exec', '-i', '-n', PODS_NS, 'shell', '--', 'sh', '-c', 'cat; echo oops >&2; exit 7'],
        { input },
      );
      // Lengths first: a mismatch should not print 100 kB.
      expect({ code: result.code, length: result.stdout.length }).toEqual({ code: 7, length: input.length });
      expect(result.stdout === input).toBe(true);
      expect(result.stderr).toContain('oops');
      const ok = await kubectl.run(['exec', '-n', PODS_NS, 'shell', '--', 'sh', '-c', 'echo fine']);
      expect(ok).toMatchObject({ code: 0, stdout: 'fine\n' });
    });
  }

  it('identity headers a client sends gain nothing: the agent impersonates the signed-in user', async () => {
    const http = proxyClient(chain.client);
    try {
      const review = await http.fetch('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        method: 'POST',
        headers: { 'x-remote-user': 'admin', 'x-remote-group': 'system:masters' },
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      });
      expect(review.status).toBe(201);
      const userInfo = review.json().status.userInfo;
      expect(userInfo.username).toBe('demo');
      expect(userInfo.groups).not.toContain('system:masters');
      expect(userInfo.extra ?? {}).toEqual({});
      // Impersonation headers are refused outright rather than dropped.
      const impersonating = await http.fetch('/api/v1/namespaces', {
        headers: { 'impersonate-user': 'admin', 'impersonate-group': 'system:masters' },
      });
      expect(impersonating.status).toBe(403);
      expect(impersonating.json().message).toContain('is not available through Switchboard');
    } finally {
      http.close();
    }
    // kubectl --as sends Impersonate-User: refused with the reason, not run as the signed-in user.
    const asAdmin = await k133.run(['get', 'pods', '--as=admin', '--as-group=system:masters']);
    expect(asAdmin.code).not.toBe(0);
    expect(asAdmin.stderr).toContain('impersonation (kubectl --as, --as-group');
    // A token of its own replaces the local credential: the proxy refuses, nothing reaches the cluster.
    const withToken = await k133.run(['get', 'pods', '--token=anything-the-client-likes']);
    expect(withToken.code).not.toBe(0);
    expect(withToken.stderr).toMatch(/Unauthorized|must be logged in/);
  });
});
