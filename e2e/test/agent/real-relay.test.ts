/**
 * Against the real relay (`startRelay`): the agent joins with a join token the relay's admin
 * service issued, and its tunnel upgrade (assertion) is accepted: the relay sees it connected.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent } from '@switchboard/cluster-agent';
import { type Relay, startRelay } from '@switchboard/relay-server';
import { capturingLogger } from '@switchboard/test-support/capturing-logger';
import { startCluster, type TestCluster } from '@switchboard/test-support/test-cluster';
import { waitFor } from '@switchboard/test-support/wait-for';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUDIENCE, TestIssuer } from './support/test-issuer.js';

let cluster: TestCluster;
let issuer: TestIssuer;
let relay: Relay;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-real-relay-'));
  [cluster, issuer] = await Promise.all([startCluster(), TestIssuer.start()]);
  relay = await startRelay(
    {
      listen: '127.0.0.1:0',
      dataDir: join(dir, 'relay'),
      trust: { issuer: issuer.url, clientId: AUDIENCE },
      admins: { users: [], groups: [] },
      logLevel: 'warn',
    },
    { logDestination: { write: () => {} } },
  );
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([cluster?.close(), issuer?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('joins the real relay and holds a tunnel session it accepts', async () => {
  const operator = { kind: 'operator' as const, name: 'test' };
  await relay.admin.createCluster(operator, { name: 'prod', description: '', labels: {} });
  const { joinToken } = await relay.admin.issueJoinToken(operator, 'prod');
  const kubeconfig = join(dir, 'admin.kubeconfig');
  await writeFile(kubeconfig, cluster.sim.adminKubeconfig, { mode: 0o600 });
  const logs = capturingLogger();
  const agent = await startAgent({
    relay: relay.url,
    joinToken,
    kubeconfig,
    stateDir: join(dir, 'state'),
    logger: logs.logger,
  });
  try {
    expect(agent).toMatchObject({ cluster: 'prod', joined: true });
    await agent.waitForSessions(1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(agent.liveSessions).toBe(1);
    await waitFor(() => logs.lines().some((line) => line.msg === 'connected to the relay'), 'connected');
    expect(logs.lines().filter((line) => line.msg === 'disconnected from the relay')).toEqual([]);
  } finally {
    await agent.close({ graceMs: 100 });
  }
});
