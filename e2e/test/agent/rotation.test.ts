/**
 * Credential lifecycle of the real agent against the real relay (`startRelay`) and kube-sim:
 * rotation at half-life (an injected clock decides when it is due), a stolen copy of an old state
 * refused as superseded, a crash between saving the pending key and saving the answer (file and
 * Secret stores), and an expired credential that says what to do and comes back with a rejoin.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AgentOptions,
  type AgentState,
  FileStateStore,
  generatePrivateKey,
  importPrivateKey,
  publicKeyOf,
  type RunningAgent,
  rotationDueAt,
  SecretStateStore,
  type StateStore,
  signAssertion,
  startAgent,
} from '@switchboard/cluster-agent';
import { tunnelPaths } from '@switchboard/contract/tunnel';
import { type Relay, startRelay } from '@switchboard/relay-server';
import { capturingLogger } from '@switchboard/test-support/capturing-logger';
import { startCluster, type TestCluster } from '@switchboard/test-support/test-cluster';
import { waitFor } from '@switchboard/test-support/wait-for';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AUDIENCE, TestIssuer } from './support/test-issuer.js';

const OPERATOR = { kind: 'operator' as const, name: 'test' };

let cluster: TestCluster;
let issuer: TestIssuer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-rotation-'));
  [cluster, issuer] = await Promise.all([startCluster(), TestIssuer.start()]);
  kubeconfig = join(dir, 'admin.kubeconfig');
  await writeFile(kubeconfig, cluster.sim.adminKubeconfig, { mode: 0o600 });
});

afterAll(async () => {
  await Promise.all([cluster?.close(), issuer?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

let relays = 0;
async function relayWith(
  options: { agentCredentialTtlMs?: number; now?: () => number } = {},
): Promise<{ relay: Relay; logs: () => LogLine[] }> {
  const lines: string[] = [];
  const relay = await startRelay(
    {
      listen: '127.0.0.1:0',
      dataDir: join(dir, `relay-${++relays}`),
      trust: { issuer: issuer.url, clientId: AUDIENCE },
      admins: { users: [], groups: [] },
      logLevel: 'info',
    },
    {
      logDestination: { write: (line: string) => void lines.push(line) },
      ...options,
    },
  );
  onTestFinished(() => relay.close());
  return { relay, logs: () => lines.map((line) => JSON.parse(line) as LogLine) };
}

type LogLine = { msg: string; [field: string]: unknown };

async function newCluster(relay: Relay, name: string): Promise<string> {
  await relay.admin.createCluster(OPERATOR, { name, description: '', labels: {} });
  return (await relay.admin.issueJoinToken(OPERATOR, name)).joinToken;
}

/** An agent whose rotation clock the test sets (`clock.at`); undefined means the real time. */
async function agentWith(options: Partial<AgentOptions> & { relay: string }, clock?: { at?: number }) {
  const agent = await startAgent({
    kubeconfig,
    logLevel: 'silent',
    backoff: { baseMs: 20, capMs: 200 },
    ...(clock && { credentialRotation: { now: () => clock.at ?? Date.now(), checkIntervalMs: 25 } }),
    ...options,
  });
  onTestFinished(() => agent.close({ graceMs: 50 }));
  return agent;
}

async function stateIn(store: StateStore): Promise<AgentState> {
  const state = await store.load();
  if (!state) throw new Error(`no state in ${store.description}`);
  return state;
}

/** Moves the agent's clock past the half-life of its stored credential and waits for the rotation. */
async function rotateOnce(agent: RunningAgent, store: StateStore, clock: { at?: number }): Promise<string> {
  const before = agent.credentialId;
  // Just past the half-life: the successor is issued later than this credential, so its own
  // half-life lies beyond this moment and one step of the clock makes exactly one rotation.
  clock.at = rotationDueAt(await stateIn(store)) + 1;
  await waitFor(
    async () => agent.credentialId !== before && (await stateIn(store)).credentialId === agent.credentialId,
    'the rotation',
  );
  return agent.credentialId;
}

describe('rotation at half-life', () => {
  it('rotates several times while connected; a stolen copy of an old state is refused as superseded', async () => {
    const { relay, logs } = await relayWith();
    const joinToken = await newCluster(relay, 'rot');
    const stateDir = join(dir, 'rot-state');
    const store = new FileStateStore(stateDir);
    const clock: { at?: number } = {};
    const agent = await agentWith({ relay: relay.url, joinToken, stateDir }, clock);
    await agent.waitForSessions(1, 10_000);
    const joined = await stateIn(store);
    // Half-life of the relay's 90 days, from the relay's issue time.
    expect(rotationDueAt(joined) - Date.parse(joined.issuedAt!)).toBe(45 * 24 * 3600 * 1000);

    // The thief copies the state as it is now.
    const stolenDir = join(dir, 'rot-stolen');
    await cp(stateDir, stolenDir, { recursive: true });

    const ids = [joined.credentialId];
    for (let round = 0; round < 3; round++) {
      ids.push(await rotateOnce(agent, store, clock));
      const state = await stateIn(store);
      expect(state.pendingRotation).toBeUndefined();
      expect(state.joinTokenSha256).toBe(joined.joinTokenSha256);
      expect(state.privateKey.d).not.toBe(joined.privateKey.d);
      const previous = await relay.registry.getAgentCredential(ids.at(-2)!);
      expect(previous?.supersededBy).toBe(state.credentialId);
    }
    expect(new Set(ids).size).toBe(4);
    expect(logs().filter((line) => line.msg === 'agent credential rotated')).toHaveLength(3);
    // Still connected, and a restart connects with the newest credential.
    expect(agent.liveSessions).toBe(1);
    await agent.close({ graceMs: 50 });
    const restarted = await agentWith({ relay: relay.url, joinToken, stateDir });
    expect(restarted).toMatchObject({ joined: false, credentialId: ids.at(-1) });
    await restarted.waitForSessions(1, 10_000);

    const thiefLogs = capturingLogger();
    const thief = await agentWith({ relay: relay.url, stateDir: stolenDir, logger: thiefLogs.logger });
    await waitFor(
      () => thiefLogs.lines().some((line) => line.reason === 'credential-superseded'),
      'the stolen credential to be refused',
    );
    expect(thief.liveSessions).toBe(0);
    const refusal = thiefLogs.lines().find((line) => line.reason === 'credential-superseded')!;
    expect(refusal.msg).toMatch(/newer credential.*switchboard-relay clusters rejoin rot/);
  });

  it('completes a rotation a crash interrupted: answered but not saved, and saved but not asked', async () => {
    const { relay, logs } = await relayWith();
    const joinToken = await newCluster(relay, 'crash');
    const stateDir = join(dir, 'crash-state');
    const store = new FileStateStore(stateDir);
    const first = await agentWith({ relay: relay.url, joinToken, stateDir });
    await first.waitForSessions(1, 10_000);
    await first.close({ graceMs: 50 });

    // Crash 1: the pending key was saved and the relay answered, but the answer never reached the state.
    const answered = await crashAfterAsking(relay, store);
    const afterAnswer = await agentWith({ relay: relay.url, stateDir });
    await afterAnswer.waitForSessions(1, 10_000);
    await waitFor(async () => (await stateIn(store)).pendingRotation === undefined, 'the replay to be saved');
    expect(afterAnswer.credentialId).toBe(answered);
    expect((await stateIn(store)).credentialId).toBe(answered);
    expect(logs().some((line) => line.msg === 'agent credential rotation replayed (same new key)')).toBe(
      true,
    );
    await afterAnswer.close({ graceMs: 50 });

    // Crash 2: the pending key was saved, the relay never asked.
    const pendingKey = await savePending(store);
    const afterSave = await agentWith({ relay: relay.url, stateDir });
    await waitFor(async () => (await stateIn(store)).pendingRotation === undefined, 'the rotation to finish');
    const finished = await stateIn(store);
    expect(finished.privateKey).toEqual(pendingKey);
    expect(finished.credentialId).not.toBe(answered);
    await afterSave.waitForSessions(1, 10_000);
    expect((await relay.registry.getAgentCredential(answered))?.supersededBy).toBe(finished.credentialId);
  });

  it('rotates, and completes an interrupted rotation, with the state in a Secret', async () => {
    const { relay } = await relayWith();
    const joinToken = await newCluster(relay, 'secret');
    const stateSecret = { namespace: 'team', name: 'rotation-credential' };
    const store = new SecretStateStore(cluster.admin, stateSecret.namespace, stateSecret.name);
    const clock: { at?: number } = {};
    const agent = await agentWith({ relay: relay.url, joinToken, stateSecret }, clock);
    await agent.waitForSessions(1, 10_000);
    const rotated = await rotateOnce(agent, store, clock);
    await agent.close({ graceMs: 50 });

    const restarted = await agentWith({ relay: relay.url, joinToken, stateSecret });
    expect(restarted.credentialId).toBe(rotated);
    await restarted.waitForSessions(1, 10_000);
    await restarted.close({ graceMs: 50 });

    const answered = await crashAfterAsking(relay, store);
    const recovered = await agentWith({ relay: relay.url, joinToken, stateSecret });
    await recovered.waitForSessions(1, 10_000);
    await waitFor(
      async () => (await stateIn(store)).credentialId === answered,
      'the replayed credential in the Secret',
    );
    expect(recovered.credentialId).toBe(answered);
  });
});

describe('expiry and rejoin', () => {
  it('says what happened and what to do, keeps retrying, and comes back with a rejoin token', async () => {
    // The relay's clock jumps past the credential's lifetime once the agent has joined and
    // connected (which take what they take); the jump stays inside an assertion's lifetime.
    const lifetimeMs = 30_000;
    let clockAheadMs = 0;
    const { relay } = await relayWith({
      agentCredentialTtlMs: lifetimeMs,
      now: () => Date.now() + clockAheadMs,
    });
    const joinToken = await newCluster(relay, 'late');
    const stateDir = join(dir, 'late-state');
    const store = new FileStateStore(stateDir);
    // Its rotation clock never reaches the half-life: the credential simply runs out.
    const never = { at: 0 };
    const first = await agentWith({ relay: relay.url, joinToken, stateDir }, never);
    await first.waitForSessions(1, 10_000);
    await first.close({ graceMs: 50 });
    const expired = await stateIn(store);
    clockAheadMs = lifetimeMs;

    const logs = capturingLogger();
    const stale = await agentWith({ relay: relay.url, joinToken, stateDir, logger: logs.logger }, never);
    const refusals = () => logs.lines().filter((line) => line.reason === 'credential-expired');
    // Refused, and refused again later: it keeps running and retrying.
    await waitFor(() => refusals().length >= 2, 'two refusals');
    expect(stale.liveSessions).toBe(0);
    expect(refusals()[0]!.msg).toBe(
      `the agent credential expired at ${expired.expiresAt}: ask the relay admin to run ` +
        '`switchboard-relay clusters rejoin late` and restart the agent with the new join token',
    );
    await stale.close({ graceMs: 50 });

    const { joinToken: rejoinToken } = await relay.admin.rejoin(OPERATOR, 'late');
    const revived = await agentWith({ relay: relay.url, joinToken: rejoinToken, stateDir }, never);
    expect(revived).toMatchObject({ joined: true, cluster: 'late' });
    expect(revived.credentialId).not.toBe(expired.credentialId);
    await revived.waitForSessions(1, 10_000);
    expect(relay.tunnel.liveSessions.list('late')).toHaveLength(1);
  });
});

/** Saves a pending key in the state, as the agent does before asking the relay; returns the key. */
async function savePending(store: StateStore): Promise<AgentState['privateKey']> {
  const state = await stateIn(store);
  const privateKey = await generatePrivateKey();
  await store.save({ ...state, pendingRotation: { privateKey, startedAt: new Date().toISOString() } });
  return privateKey;
}

/** Saves a pending key, asks the relay to rotate to it, and "crashes" before saving the answer. */
async function crashAfterAsking(relay: Relay, store: StateStore): Promise<string> {
  const pendingKey = await savePending(store);
  const state = await stateIn(store);
  const audience = relay.tunnel.agentAudience;
  const response = await fetch(`${relay.url}${tunnelPaths.agentRotate}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await signAssertion(await importPrivateKey(state), state, audience)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      publicKey: publicKeyOf(pendingKey),
      proof: await signAssertion(await importPrivateKey(pendingKey), state, audience),
      agentVersion: 'crashing-agent',
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { credentialId: string }).credentialId;
}
