/**
 * What the in-cluster install relies on, with kube-sim as the apiserver and the stand-in relay:
 * heartbeats on every session (and a relay that refuses them changes nothing), the probe endpoint,
 * and two replicas sharing one state Secret with one single-use join token.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentHeartbeat, agentHeartbeatSchema } from '@switchboard/contract/tunnel';
import { node } from '@switchboard/kube-sim/scenario-builders';
import type { IncomingStream } from '@switchboard/protocol';
import { StandInRelay } from '@switchboard/test-support/agent-stand-in-relay';
import { capturingLogger } from '@switchboard/test-support/capturing-logger';
import { startCluster, type TestCluster } from '@switchboard/test-support/test-cluster';
import { TestTickets } from '@switchboard/test-support/test-tickets';
import { waitFor } from '@switchboard/test-support/wait-for';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type AgentOptions, startAgent } from '../src/index.js';
import {
  JOIN_CLAIM_ANNOTATION,
  JOIN_TOKEN_KEY,
  SecretStateStore,
  STATE_KEY,
} from '../src/state/secret-store.js';
import type { AgentState } from '../src/state/state.js';
import { generatePrivateKey } from '../src/tunnel/join.js';

let cluster: TestCluster;
let tickets: TestTickets;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-install-'));
  [cluster, tickets] = await Promise.all([startCluster(), TestTickets.create()]);
  kubeconfig = join(dir, 'admin.kubeconfig');
  await writeFile(kubeconfig, cluster.sim.adminKubeconfig, { mode: 0o600 });
  for (const [index, name] of ['kind-control-plane', 'kind-worker'].entries()) {
    const created = await cluster.admin.json('POST', '/api/v1/nodes', {
      ...node(name, index, index === 0 ? 'control-plane' : undefined),
      status: undefined,
    });
    expect(created.status).toBe(201);
    // Capacity is status: written through the status subresource, as the kubelet does.
    const current = created.body as Record<string, unknown>;
    const status = node(name, index).status as { capacity: Record<string, string> };
    status.capacity.cpu = index === 0 ? '4' : '3500m';
    const updated = await cluster.admin.json('PUT', `/api/v1/nodes/${name}/status`, { ...current, status });
    expect(updated.status).toBe(200);
  }
});

afterAll(async () => {
  await cluster?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function relayFor() {
  const relay = await StandInRelay.start({ ticketKeys: tickets.keys });
  onTestFinished(() => relay.close());
  return relay;
}

async function agentWith(options: Partial<AgentOptions> & { relay: string }) {
  const agent = await startAgent({
    kubeconfig,
    logLevel: 'silent',
    stateDir: join(dir, `s${Math.random()}`),
    ...options,
  });
  onTestFinished(() => agent.close({ graceMs: 50 }));
  return agent;
}

/** Takes the heartbeats the agent opens on every relay session from now on. */
function collectHeartbeats(relay: StandInRelay): AgentHeartbeat[] {
  const heartbeats: AgentHeartbeat[] = [];
  const watched = new Set<unknown>();
  const timer = setInterval(() => {
    for (const session of relay.sessions) {
      if (watched.has(session)) continue;
      watched.add(session);
      session.on('stream', (incoming: IncomingStream) => {
        heartbeats.push(agentHeartbeatSchema.parse(JSON.parse(incoming.metadata.toString('utf8'))));
        const stream = incoming.accept();
        stream.resume();
        stream.end();
      });
    }
  }, 5);
  onTestFinished(() => clearInterval(timer));
  return heartbeats;
}

describe('heartbeats', () => {
  it('reports the cluster metadata on every session, repeatedly', async () => {
    const relay = await relayFor();
    const heartbeats = collectHeartbeats(relay);
    const agent = await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      sessions: 2,
      heartbeatIntervalMs: 100,
    });
    await agent.waitForSessions(2);
    await waitFor(() => heartbeats.length >= 4, 'four heartbeats');
    const heartbeat = heartbeats.at(-1)!;
    expect(heartbeat).toMatchObject({
      type: 'heartbeat',
      agentVersion: '0.1.0',
      kubernetesVersion: 'v1.31.4',
      // kube-sim's own node (4 CPUs) and the two added above.
      nodeCount: 3,
      vcpuTotal: 11.5,
      distribution: 'kind',
      infrastructure: 'docker',
    });
    expect(heartbeat.agentMemoryBytes).toBeGreaterThan(1_000_000);
    expect(heartbeat.agentCpuCores).toBeGreaterThanOrEqual(0);
  });

  it('keeps serving when the relay refuses agent-opened streams', async () => {
    const relay = await relayFor();
    const logs = capturingLogger('debug');
    const agent = await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      heartbeatIntervalMs: 50,
      logger: logs.logger,
    });
    await agent.waitForSessions(1);
    const refused = () => logs.lines().filter((line) => line.msg === 'the relay did not take the heartbeat');
    await waitFor(() => refused().length >= 3, 'three refused heartbeats');
    expect(relay.openSessions).toHaveLength(1);
    expect(relay.sessions).toHaveLength(1);
    expect(agent.liveSessions).toBe(1);
  });
});

describe('health probes', () => {
  const get = (address: string, path: string) =>
    new Promise<number>((resolve, reject) => {
      http
        .get(`http://${address}${path}`, { agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });

  it('answers /healthz while alive and /readyz only with a relay session', async () => {
    const relay = await relayFor();
    const agent = await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      healthListen: '127.0.0.1:0',
      backoff: { baseMs: 10_000, capMs: 10_000 },
    });
    const address = agent.healthAddress!;
    await agent.waitForSessions(1);
    expect(await get(address, '/healthz')).toBe(200);
    expect(await get(address, '/readyz')).toBe(200);
    expect(await get(address, '/metrics')).toBe(404);
    for (const session of relay.openSessions) session.close('test: relay gone');
    await waitFor(() => agent.liveSessions === 0, 'the session to end');
    expect(await get(address, '/readyz')).toBe(503);
    expect(await get(address, '/healthz')).toBe(200);
  });

  it('refuses a malformed listen address with a clear message', async () => {
    const relay = await relayFor();
    await expect(
      startAgent({
        relay: relay.url,
        joinToken: relay.issueJoinToken(),
        kubeconfig,
        stateDir: join(dir, 'bad-health'),
        healthListen: '8080',
        logLevel: 'silent',
      }),
    ).rejects.toThrow(/--health-listen must be HOST:PORT/);
  });
});

describe('replicas sharing one state Secret', () => {
  const secretPath = (name: string) => `/api/v1/namespaces/team/secrets/${name}`;
  async function installSecret(name: string, joinToken: string) {
    const created = await cluster.admin.json('POST', '/api/v1/namespaces/team/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'team', labels: { 'app.kubernetes.io/managed-by': 'Helm' } },
      stringData: { [JOIN_TOKEN_KEY]: joinToken },
    });
    expect(created.status).toBe(201);
  }

  it('lets exactly one replica claim the join', async () => {
    await installSecret('claims', 'sbj_unused');
    const stores = Array.from({ length: 4 }, () => new SecretStateStore(cluster.admin, 'team', 'claims'));
    const claims = await Promise.all(stores.map((store, index) => store.claimJoin(`replica-${index}`)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // The holder may claim again (a retry); the others still may not.
    const winner = claims.indexOf(true);
    expect(await stores[winner]!.claimJoin(`replica-${winner}`)).toBe(true);
    expect(await stores[(winner + 1) % 4]!.claimJoin(`replica-${(winner + 1) % 4}`)).toBe(false);
  });

  it('takes over a claim its holder abandoned', async () => {
    await installSecret('abandoned', 'sbj_unused');
    let now = Date.now();
    const clock = () => now;
    const first = new SecretStateStore(cluster.admin, 'team', 'abandoned', clock);
    const second = new SecretStateStore(cluster.admin, 'team', 'abandoned', clock);
    expect(await first.claimJoin('replica-a')).toBe(true);
    expect(await second.claimJoin('replica-b')).toBe(false);
    now += 121_000;
    expect(await second.claimJoin('replica-b')).toBe(true);
  });

  it('joins once for two replicas, which then share the credential; the join token and labels stay', async () => {
    const relay = await relayFor();
    await installSecret('shared', relay.issueJoinToken());
    const joinToken = [...relay.joinTokens][0]!;
    const replica = (name: string) =>
      agentWith({
        relay: relay.url,
        joinToken,
        env: { POD_NAME: name },
        stateStore: new SecretStateStore(cluster.admin, 'team', 'shared'),
      });
    const [a, b] = await Promise.all([replica('agent-a'), replica('agent-b')]);
    expect(relay.joins).toBe(1);
    expect(a.credentialId).toBe(b.credentialId);
    expect([a.joined, b.joined].sort()).toEqual([false, true]);
    await Promise.all([a.waitForSessions(1), b.waitForSessions(1)]);
    const { body } = await cluster.admin.json('GET', secretPath('shared'));
    const secret = body as {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      data: Record<string, string>;
    };
    expect(Object.keys(secret.data).sort()).toEqual([JOIN_TOKEN_KEY, STATE_KEY]);
    expect(secret.metadata.labels['app.kubernetes.io/managed-by']).toBe('Helm');
    expect(secret.metadata.annotations?.[JOIN_CLAIM_ANNOTATION]).toBeUndefined();
  });

  it('never overwrites a write it has not seen', async () => {
    const relay = await relayFor();
    await installSecret('conflict', 'sbj_unused');
    const agent = await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      stateStore: new SecretStateStore(cluster.admin, 'team', 'conflict'),
    });
    const mine = new SecretStateStore(cluster.admin, 'team', 'conflict');
    const stored = (await mine.load())!;
    expect(stored.credentialId).toBe(agent.credentialId);
    // Someone else changes the Secret after `mine` read it: the write re-reads and keeps their key.
    const { body } = await cluster.admin.json('GET', secretPath('conflict'));
    const current = body as { data: Record<string, string> };
    current.data.other = Buffer.from('theirs').toString('base64');
    expect((await cluster.admin.json('PUT', secretPath('conflict'), current)).status).toBe(200);
    await mine.save({ ...stored, expiresAt: '2099-01-01T00:00:00.000Z' });
    const after = (await cluster.admin.json('GET', secretPath('conflict'))).body as {
      data: Record<string, string>;
    };
    expect(Buffer.from(after.data.other!, 'base64').toString()).toBe('theirs');
    expect((await mine.load())?.expiresAt).toBe('2099-01-01T00:00:00.000Z');
  });

  it('keeps the rotation and the newer credential another replica stored, also after a conflict', async () => {
    const relay = await relayFor();
    await installSecret('newer', 'sbj_unused');
    await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      stateStore: new SecretStateStore(cluster.admin, 'team', 'newer'),
    });
    // Both replicas have read the same state; each write of `mine` below first meets a conflict.
    const mine = new SecretStateStore(cluster.admin, 'team', 'newer');
    const theirs = new SecretStateStore(cluster.admin, 'team', 'newer');
    const joined = (await mine.load())!;
    await theirs.load();
    const withPending = async (state: AgentState): Promise<AgentState> => ({
      ...state,
      pendingRotation: { privateKey: await generatePrivateKey(), startedAt: new Date().toISOString() },
    });

    // They began a rotation first: mine completes theirs instead of starting a second one.
    const theirRotation = await withPending(joined);
    expect(await theirs.save(theirRotation)).toBe(theirRotation);
    const myRotation = await withPending(joined);
    expect(await mine.save(myRotation)).toEqual(theirRotation);
    expect((await theirs.load())?.pendingRotation).toEqual(theirRotation.pendingRotation);

    // They finished it; mine, refused as superseded, drops its pending key without writing the
    // old credential over the only one the relay accepts now.
    const rotated: AgentState = {
      ...joined,
      credentialId: 'rotated-by-the-other-replica',
      issuedAt: new Date(Date.parse(joined.issuedAt!) + 60_000).toISOString(),
      privateKey: theirRotation.pendingRotation!.privateKey,
    };
    expect(await theirs.save(rotated)).toBe(rotated);
    const { pendingRotation: _abandoned, ...abandoned } = myRotation;
    expect(await mine.save(abandoned)).toEqual(rotated);
    expect(await theirs.load()).toEqual(rotated);

    // A newer credential (a rejoin) is written as before.
    const rejoined: AgentState = {
      ...joined,
      credentialId: 'rejoined',
      issuedAt: new Date(Date.parse(rotated.issuedAt!) + 60_000).toISOString(),
    };
    expect(await mine.save(rejoined)).toBe(rejoined);
    expect(await theirs.load()).toEqual(rejoined);
  });
});
