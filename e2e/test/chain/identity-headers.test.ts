/**
 * The identity the agent puts on the wire, through the whole chain (kubectl, local proxy, relay,
 * agent, kube-sim reading header bytes as UTF-8 like kube-apiserver): non-ASCII names arrive
 * exactly as signed in, and kubectl --as / --as-group are refused with a reason instead of being
 * dropped (which would run the command with the caller's full rights).
 */

import { capturingLogger } from '@switchboard/test-support/capturing-logger';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type Chain, type ChainClient, startChain } from '../../src/chain/index.js';
import { Kubectl, proxyClient } from './support.js';

const JOSE = 'josé@x';
const DEVELOPERS = 'développeurs';

describe.skipIf(!requireKubectl(33))('identity headers through the whole chain', () => {
  let chain: Chain;
  let jose: ChainClient;
  let kJose: Kubectl;
  /** The agent's log: each request it forwarded to the apiserver, and each it refused itself. */
  const agentLog = capturingLogger('debug');
  /** What the agent forwarded to the apiserver after the first `from` log lines. */
  const forwardedSince = (from: number) =>
    agentLog
      .lines()
      .slice(from)
      .filter((line) => line.msg === 'request' || line.msg === 'upgrade');

  beforeAll(async () => {
    chain = await startChain({
      users: [{ name: JOSE, groups: [DEVELOPERS], relayRole: 'connect' }],
      agent: { logger: agentLog.logger },
    });
    // RBAC bound to exactly those names: the user reads pods in `shop`, the group configmaps.
    for (const [resource, kind, name] of [
      ['pods', 'User', JOSE],
      ['configmaps', 'Group', DEVELOPERS],
    ] as const) {
      await chain.kubeAdmin.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: `${resource}-reader`, namespace: 'shop' },
        rules: [{ apiGroups: [''], resources: [resource], verbs: ['get', 'list', 'watch'] }],
      });
      await chain.kubeAdmin.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `${resource}-reader`, namespace: 'shop' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${resource}-reader` },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind, name }],
      });
    }
    jose = await chain.connectAs(JOSE);
    kJose = await Kubectl.create(33, jose.kubeconfigPath);
  });

  afterAll(async () => {
    await kJose?.close();
    await chain?.close();
  });

  it('a user and group with non-ASCII names reach the apiserver as UTF-8, and RBAC for those names applies', async () => {
    const whoami = await kJose.ok(['auth', 'whoami', '-o', 'json']);
    const { userInfo } = JSON.parse(whoami).status;
    expect(userInfo.username).toBe(JOSE);
    expect(userInfo.groups).toContain(DEVELOPERS);
    expect(await kJose.ok(['get', 'pods', '-n', 'shop', '-o', 'name'])).toContain('pod/');
    expect(await kJose.ok(['get', 'configmaps', '-n', 'shop', '-o', 'name'])).toContain('configmap/');
    const elsewhere = await kJose.run(['get', 'secrets', '-n', 'shop']);
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toContain(`User "${JOSE}" cannot list resource "secrets"`);
  });

  it('kubectl --as and --as-group are refused with a 403 that says why, and never reach the apiserver', async () => {
    // Everyday kubectl has its discovery cache filled; a refused discovery request only shows
    // client-go's "Forbidden: unknown".
    await kJose.ok(['get', 'pods', '-n', 'shop']);
    const beforeKubectl = agentLog.lines().length;
    for (const as of [
      ['--as', 'admin'],
      ['--as', JOSE, '--as-group', 'system:masters'],
    ]) {
      const result = await kJose.run(['get', 'pods', '-n', 'shop', ...as]);
      expect(result.code, as.join(' ')).not.toBe(0);
      expect(result.stderr).toContain('Error from server (Forbidden)');
      expect(result.stderr).toContain('impersonation (kubectl --as, --as-group');
      expect(result.stderr).toContain('is not available through Switchboard');
    }
    expect(forwardedSince(beforeKubectl)).toEqual([]);
    // The same for an exec upgrade carrying Impersonate-User.
    const [pod] = (await kJose.ok(['get', 'pods', '-n', 'shop', '-o', 'name'])).trim().split('\n');
    const beforeExec = agentLog.lines().length;
    const http = proxyClient(jose);
    try {
      const url = new URL(
        `${jose.serverUrl}/api/v1/namespaces/shop/${pod!.replace('pod/', 'pods/')}/exec?command=id&stdout=true`,
      );
      const ws = new WebSocket(url.href.replace('https:', 'wss:'), ['v5.channel.k8s.io'], {
        ca: jose.identity.caCertPem,
        headers: { authorization: `Bearer ${jose.identity.credential}`, 'Impersonate-User': 'admin' },
      });
      const refusal = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
        ws.once('open', () => reject(new Error('the exec was upgraded')));
        ws.once('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode, body }));
        });
      });
      expect(refusal.status).toBe(403);
      expect(JSON.parse(refusal.body)).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
      expect(JSON.parse(refusal.body).message).toContain('is not available through Switchboard');
      expect(forwardedSince(beforeExec)).toEqual([]);
      // The agent answered all three itself.
      expect(
        agentLog
          .lines()
          .slice(beforeKubectl)
          .filter((line) => line.msg === 'refused a request asking for impersonation'),
      ).toHaveLength(3);
    } finally {
      http.agent.destroy();
    }
  });
});
