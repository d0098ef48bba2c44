/**
 * The agent credential's whole life through the real chain (kubectl → local proxy → relay →
 * agent → kube-sim), with short credentials: the connected agent rotates at half-life and users
 * keep working; a stopped agent's credential runs out and the restarted agent says what to do;
 * `POST /api/v1/clusters/:name/rejoin` revives the same cluster entry, and users reach the
 * cluster again with the grants they had.
 */
import { type RunningAgent, startAgent } from '@switchboard/cluster-agent';
import { apiPaths, issuedJoinTokenSchema } from '@switchboard/contract/relay-api';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { Kubectl } from '../chain/support.js';

/** Half-life 6 s: a rotation is due soon after the chain is up, and an expiry is a short wait. */
const CREDENTIAL_TTL_MS = 12_000;

describe.skipIf(!requireKubectl(33))('the agent credential’s life through the whole chain', () => {
  let chain: Chain;
  let kubectl: Kubectl;
  const agents: RunningAgent[] = [];

  beforeAll(async () => {
    chain = await startChain({
      agentCredentialTtlMs: CREDENTIAL_TTL_MS,
      users: [{ name: 'root', groups: ['switchboard-admins'], relayRole: null }],
      agent: { credentialRotation: { checkIntervalMs: 100 } },
    });
    kubectl = await Kubectl.create(33, chain.kubeconfigPath);
  }, 60_000);

  afterAll(async () => {
    for (const agent of agents) await agent.close({ graceMs: 100 });
    await kubectl?.close();
    await chain?.close();
  });

  async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('rotates while connected, expires while stopped, and comes back with rejoin and the same grants', async () => {
    const namespaces = /^namespace\/kube-system$/m;
    expect(await kubectl.ok(['get', 'namespaces', '-o', 'name'])).toMatch(namespaces);

    // Rotation at half-life, on the agent's real clock: the user notices nothing.
    const running = chain.agent.current!;
    const joinedWith = running.credentialId;
    await until(() => running.credentialId !== joinedWith, 'the rotation at half-life');
    expect(await kubectl.ok(['get', 'namespaces', '-o', 'name'])).toMatch(namespaces);

    // Stopped long enough for the credential to run out.
    await chain.agent.stop();
    const stoppedAt = Date.now();
    await until(
      () => Date.now() > stoppedAt + CREDENTIAL_TTL_MS,
      'the credential to expire',
      CREDENTIAL_TTL_MS * 2,
    );

    const lines: Array<Record<string, unknown>> = [];
    const agentOptions = {
      relay: chain.relayUrl,
      kubeconfig: chain.agent.kubeconfigPath,
      stateDir: chain.agent.stateDir,
      backoff: { baseMs: 50, capMs: 500 },
      logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    };
    const stale = await startAgent(agentOptions);
    agents.push(stale);
    const refused = () => lines.find((line) => line.reason === 'credential-expired');
    await until(() => refused() !== undefined, 'the refusal');
    const refusal = refused()!;
    expect(refusal.msg).toMatch(
      new RegExp(
        `^the agent credential expired at \\S+: ask the relay admin to run \`switchboard-relay clusters rejoin ${chain.cluster}\` and restart the agent with the new join token$`,
      ),
    );
    expect(stale.liveSessions).toBe(0);
    const offline = await kubectl.run(['get', 'namespaces', '-o', 'name']);
    expect(offline.code).not.toBe(0);

    // A global admin rejoins the cluster through the API; the agent restarts with the new token.
    const root = await chain.connectAs('root');
    const response = await fetch(`${chain.relayUrl}${apiPaths.rejoin(chain.cluster)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await root.bearerToken()}` },
    });
    expect(response.status).toBe(201);
    const issued = issuedJoinTokenSchema.parse(await response.json());
    expect(issued.agentCommand).toContain(issued.joinToken);
    await stale.close({ graceMs: 100 });

    const revived = await startAgent({ ...agentOptions, joinToken: issued.joinToken });
    agents.push(revived);
    expect(revived).toMatchObject({ joined: true, cluster: chain.cluster });
    await revived.waitForSessions(1, 20_000);
    // The same grants: the chain's user (connect grant from before) reaches the cluster again.
    expect(await kubectl.ok(['get', 'namespaces', '-o', 'name'])).toMatch(namespaces);
  }, 90_000);
});
