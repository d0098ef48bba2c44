/**
 * Three relay replicas on Postgres and Redis behind HAProxy (round-robin), two clusters, two users,
 * real kubectl: any replica serves any user for any cluster (streams reach the agent's replica by
 * forwarding), status is the same on every replica, a grant revoked through one replica ends a watch
 * served through another within a second (so does one by the operator CLI, announced over Redis),
 * and an agent joins and rotates through different replicas.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startAgent } from '@switchboard/cluster-agent';
import type { ClusterEvent } from '@switchboard/contract/relay-api';
import { startKubeSim } from '@switchboard/kube-sim';
import { openEventStream } from '@switchboard/test-support/cluster-event-stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type Fleet, type FleetReplica, startFleet } from '../../src/fleet/fleet.js';
import { RELAY_CLI } from '../support/entry-points.js';
import { eventually, kubectlFor, logEntries } from './support.js';

const run = promisify(execFile);

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet();
}, 120_000);
afterAll(() => fleet?.close());
afterEach((context) => {
  if (context.task.result?.state === 'fail') console.error(fleet.logTails());
});

const backends = () => fleet.replicas.map(({ id, port }) => ({ name: id, host: '127.0.0.1', port }));

/** Runs `work` with HAProxy sending new connections to `replica` only (as an operator draining the others). */
async function through<T>(replica: FleetReplica, work: () => Promise<T>): Promise<T> {
  await fleet.haproxy.reload([{ name: replica.id, host: '127.0.0.1', port: replica.port }]);
  try {
    return await work();
  } finally {
    await fleet.haproxy.reload(backends());
  }
}

function holderOf(cluster: string): FleetReplica {
  const holders = fleet.replicas.filter(
    (replica) =>
      logEntries(replica, 'agent connected', { cluster }).length >
      logEntries(replica, 'agent disconnected', { cluster }).length,
  );
  if (holders.length !== 1) throw new Error(`cluster ${cluster} is held by ${holders.length} replicas`);
  return holders[0]!;
}

describe('a fleet of three replicas behind a round-robin load balancer', () => {
  it('serves both users on both clusters, forwarding to the replica that holds the agent', async () => {
    const holder = holderOf('alpha');
    const elsewhere = fleet.replicas.find((replica) => replica !== holder)!;
    // Alice's tunnel lands on a replica without alpha's agent: her streams must be forwarded.
    const alice = await through(elsewhere, () => fleet.connectAs('alice'));
    const bob = await fleet.connectAs('bob');
    for (const client of [alice, bob]) {
      const kubectl = await kubectlFor(client);
      for (const cluster of ['alpha', 'beta']) {
        const pods = await kubectl.ok([
          '--context',
          client.context(cluster),
          'get',
          'pods',
          '-A',
          '-o',
          'name',
        ]);
        expect(pods, `${client.user} on ${cluster}`).toMatch(/^pod\//m);
      }
    }
    expect(logEntries(holder, 'peer replica session opened').length).toBeGreaterThan(0);
    expect(logEntries(elsewhere, 'peer replica connected', { replica: holder.id }).length).toBeGreaterThan(0);
  });

  it('answers GET /api/v1/clusters and the live status stream alike on every replica; Offline everywhere within 2 s', async () => {
    await fleet.waitForStatus('alpha', 'connected');
    await fleet.waitForStatus('beta', 'connected');
    const token = await fleet.tokenOf('alice');
    const streams = await Promise.all(fleet.replicas.map((replica) => openEventStream(replica.url, token)));
    for (const stream of streams) onTestFinished(() => stream.close());
    const betaIs = (status: string) => (event: ClusterEvent) =>
      event.event === 'cluster' && event.data.name === 'beta' && event.data.status === status;
    for (const stream of streams) {
      const snapshot = await stream.next((event) => event.event === 'snapshot');
      expect(
        snapshot.event === 'snapshot' && snapshot.data.items.map(({ name, status }) => `${name} ${status}`),
      ).toEqual(['alpha connected', 'beta connected']);
    }

    const beta = fleet.clusters.get('beta')!;
    await beta.stopAgent();
    const stoppedAt = Date.now();
    await Promise.all(streams.map((stream) => stream.next(betaIs('offline'), 0, 2_000)));
    await fleet.waitForStatus('beta', 'offline', 2_000);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    await beta.startAgent();
    await Promise.all(streams.map((stream) => stream.next(betaIs('connected'))));
    await fleet.waitForStatus('beta', 'connected');
  });

  it('ends a watch served through one replica within 1 s of a revocation made through another', async () => {
    const bob = await fleet.connectAs('bob');
    const kubectl = await kubectlFor(bob);
    const watch = kubectl.stream(['--context', bob.context('alpha'), 'get', 'pods', '-A', '-w']);
    onTestFinished(() => watch.stop());
    await watch.waitFor(/Running/);
    const bobsReplica = fleet.replicas.find(
      (replica) => logEntries(replica, 'user session opened', { user: 'bob' }).length > 0,
    );
    const revoker = fleet.replicas.find(
      (replica) => replica !== bobsReplica && replica !== holderOf('alpha'),
    )!;
    const exited = new Promise<number>((resolve) => watch.child.once('exit', () => resolve(Date.now())));
    const revoked = await fleet.adminRequest('/api/v1/clusters/alpha/grants/user/bob', {
      method: 'DELETE',
      via: revoker,
    });
    expect(revoked.status).toBe(204);
    const revokedAt = Date.now();
    expect((await exited) - revokedAt).toBeLessThan(1_000);
    const refused = await kubectl.run(['--context', bob.context('alpha'), 'get', 'pods']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/no access to cluster "alpha"/);

    const granted = await fleet.adminRequest('/api/v1/clusters/alpha/grants', {
      method: 'POST',
      body: JSON.stringify({ subjectKind: 'user', subject: 'bob', role: 'connect' }),
    });
    expect(granted.status).toBe(200);
    await kubectl.ok(['--context', bob.context('alpha'), 'get', 'pods']);
  });

  it("ends a watch within 1 s of the operator CLI's revocation, which it announces over Redis", async () => {
    const bob = await fleet.connectAs('bob');
    const kubectl = await kubectlFor(bob);
    const watch = kubectl.stream(['--context', bob.context('beta'), 'get', 'pods', '-A', '-w']);
    onTestFinished(() => watch.stop());
    await watch.waitFor(/Running/);
    const exited = new Promise<number>((resolve) => watch.child.once('exit', () => resolve(Date.now())));
    const operator = (...args: string[]) =>
      run(process.execPath, [RELAY_CLI, 'access', ...args, '--cluster', 'beta', '--user', 'bob'], {
        env: {
          PATH: process.env.PATH,
          SWITCHBOARD_RELAY_DATABASE: fleet.databaseUrl,
          SWITCHBOARD_RELAY_REDIS: fleet.redis.url,
        },
      });
    await operator('revoke');
    const revokedAt = Date.now();
    expect((await exited) - revokedAt).toBeLessThan(1_000);
    await operator('grant', '--role', 'connect');
    await kubectl.ok(['--context', bob.context('beta'), 'get', 'pods']);
  });

  it('lets an agent join through one replica and rotate its key through another, with a token made on a third', async () => {
    const [a, b, c] = fleet.replicas as [FleetReplica, FleetReplica, FleetReplica];
    const created = await fleet.adminRequest('/api/v1/clusters', {
      method: 'POST',
      body: JSON.stringify({ name: 'gamma' }),
      via: a,
    });
    expect(created.status).toBe(201);
    const issued = await fleet.adminRequest('/api/v1/clusters/gamma/join-tokens', { method: 'POST', via: a });
    const { joinToken: token } = (await issued.json()) as { joinToken: string };

    const sim = await startKubeSim({ scenario: 'demo' });
    onTestFinished(() => sim.close());
    const dir = await mkdtemp(join(tmpdir(), 'fleet-gamma-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'kubeconfig'), sim.adminKubeconfig, { mode: 0o600 });
    let clock = Date.now();
    const agent = await through(b, async () => {
      const started = await startAgent({
        relay: fleet.publicUrl,
        joinToken: token,
        kubeconfig: join(dir, 'kubeconfig'),
        stateDir: join(dir, 'state'),
        backoff: { baseMs: 50, capMs: 500 },
        credentialRotation: { now: () => clock, checkIntervalMs: 100 },
        logLevel: 'warn',
        logDestination: { write: () => {} },
      });
      await started.waitForSessions(undefined, 20_000);
      return started;
    });
    onTestFinished(() => agent.close({ graceMs: 100 }));
    expect(logEntries(b, 'agent joined', { cluster: 'gamma' }).length).toBe(1);
    const joinedAs = agent.credentialId;

    await through(c, async () => {
      clock += 60 * 24 * 3600 * 1000; // past the credential's half-life: the agent rotates
      await eventually(() => agent.credentialId !== joinedAs, 'the agent to rotate its credential');
    });
    expect(
      logEntries(c, 'agent credential rotated', { cluster: 'gamma', previousCredentialId: joinedAs }),
    ).toHaveLength(1);
    await fleet.waitForStatus('gamma', 'connected');
  });
});
