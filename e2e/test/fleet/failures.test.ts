/**
 * Losing parts of a running fleet while real kubectl keeps working through it: every replica
 * drained (SIGTERM) and killed (SIGKILL) in turn while requests and a watch run, Redis killed and
 * restarted, Postgres restarted. Requests either succeed or fail with a clear error and succeed when
 * retried; nothing hangs; everything recovers by itself.
 */
import type { Kubectl } from '@switchboard/test-support/kubectl';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { KubeAdminClient } from '../../src/chain/kube-admin.js';
import { type Fleet, type FleetClient, type FleetReplica, startFleet } from '../../src/fleet/fleet.js';
import { eventually, kubectlFor, logEntries } from './support.js';

let fleet: Fleet;
let alice: FleetClient;
let kubectl: Kubectl;
beforeAll(async () => {
  fleet = await startFleet();
  alice = await fleet.connectAs('alice');
  kubectl = await kubectlFor(alice);
}, 120_000);
afterAll(() => fleet?.close());
afterEach((context) => {
  if (context.task.result?.state === 'fail') console.error(fleet.logTails());
});

const CLUSTERS = ['alpha', 'beta'];
/** A user (or script) reruns a failed kubectl after a moment, a few times. */
const RETRIES = 5;
const RETRY_PAUSE_MS = 1_000;

/** What kubectl may say when a request met a replica going away: each is retried. */
const CLEAR_ERROR =
  /is offline|did not answer|the tunnel to cluster "\w+" failed|relay is (unreachable|unavailable|not reachable)|try again|retry|Service Unavailable|unable to connect|connection reset|EOF|the server is currently unable/i;

interface RequestLoop {
  /** Requests made, and those that failed (stderr) before a retry succeeded. */
  readonly done: number;
  readonly failures: string[];
  stop(): Promise<void>;
}

/** `kubectl get pods` on each cluster in turn, rerunning a failed request until it succeeds. */
function requestLoop(): RequestLoop {
  let stopped = false;
  let done = 0;
  const failures: string[] = [];
  const loop = (async () => {
    for (let turn = 0; !stopped; turn++) {
      const cluster = CLUSTERS[turn % CLUSTERS.length]!;
      for (let attempt = 1; ; attempt++) {
        const result = await kubectl.run(
          ['--context', alice.context(cluster), '--request-timeout=20s', 'get', 'pods', '-o', 'name'],
          { timeoutMs: 30_000 },
        );
        if (result.code === 0) break;
        failures.push(`${cluster}: ${result.stderr.trim()}`);
        if (attempt === RETRIES)
          throw new Error(`kubectl kept failing on ${cluster}:\n${failures.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
      done++;
    }
  })();
  return {
    get done() {
      return done;
    },
    failures,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** `kubectl get pods -A -w` on alpha, started again whenever the watch ends (what a script's retry does). */
function watchLoop() {
  let stopped = false;
  let current = kubectl.stream(['--context', alice.context('alpha'), 'get', 'pods', '-A', '-w']);
  let restarts = 0;
  const loop = (async () => {
    while (!stopped) {
      await new Promise((resolve) => current.child.once('exit', resolve));
      if (stopped) break;
      restarts++;
      current = kubectl.stream(['--context', alice.context('alpha'), 'get', 'pods', '-A', '-w']);
    }
  })();
  return {
    get restarts() {
      return restarts;
    },
    get current() {
      return current;
    },
    async stop() {
      stopped = true;
      await current.stop();
      await loop;
    },
  };
}

function holdersOf(cluster: string): FleetReplica[] {
  return fleet.replicas.filter(
    (replica) =>
      replica.running &&
      logEntries(replica, 'agent connected', { cluster }).length >
        logEntries(replica, 'agent disconnected', { cluster }).length,
  );
}

async function createConfigMap(cluster: string, name: string): Promise<void> {
  const admin = new KubeAdminClient(fleet.clusters.get(cluster)!.sim.adminKubeconfig);
  try {
    await admin.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
  } finally {
    admin.close();
  }
}

async function readiness(replica: FleetReplica): Promise<{ status: number; detail?: string }> {
  const response = await fetch(`${replica.url}/readyz`);
  const body = (await response.json()) as { detail?: string };
  return { status: response.status, ...(body.detail !== undefined && { detail: body.detail }) };
}

describe('a fleet losing its parts', () => {
  it('drains each replica in turn (SIGTERM) without failing a single kubectl request', async () => {
    const requests = requestLoop();
    onTestFinished(() => requests.stop());
    for (const replica of fleet.replicas) {
      const before = requests.done;
      await replica.stop();
      await eventually(() => requests.done > before + 2, `requests to go on after ${replica.id} drained`);
      await replica.start();
    }
    await requests.stop();
    expect(requests.failures).toEqual([]);
    for (const cluster of CLUSTERS) await fleet.waitForStatus(cluster, 'connected');
  }, 120_000);

  it('survives each replica killed in turn while requests and a watch run; agents are back within 10 s', async () => {
    const requests = requestLoop();
    const watch = watchLoop();
    onTestFinished(async () => {
      await Promise.all([requests.stop(), watch.stop()]);
    });
    await watch.current.waitFor(/Running/);
    const backAfter: string[] = [];
    for (const replica of fleet.replicas) {
      const orphaned = CLUSTERS.filter((cluster) => holdersOf(cluster).includes(replica));
      const before = requests.done;
      await replica.kill();
      const killedAt = Date.now();
      for (const cluster of orphaned) {
        await eventually(
          () => holdersOf(cluster).length > 0,
          `cluster ${cluster}'s agent to be back through another replica`,
          10_000,
        );
      }
      for (const cluster of orphaned)
        await fleet.waitForStatus(cluster, 'connected', 10_000 - (Date.now() - killedAt));
      backAfter.push(
        `${replica.id}: ${orphaned.join(', ') || 'no agent'} back after ${Date.now() - killedAt} ms`,
      );
      await eventually(
        () => requests.done > before + 2,
        `requests to go on after ${replica.id} was killed`,
        20_000,
      );
      await replica.start();
    }
    await requests.stop();
    for (const failure of requests.failures) expect(failure).toMatch(CLEAR_ERROR);
    console.info(
      `replicas killed in turn: ${backAfter.join('; ')}; ${requests.done} requests, failed before a rerun:`,
      requests.failures,
    );
    // The watch was started again after each end, and runs now.
    await watch.current.waitFor(/Running/);
  }, 180_000);

  it("leaves no ghost: a killed replica's cluster whose agent is gone too is Offline everywhere within 2 s", async () => {
    const [holder] = holdersOf('beta');
    expect(holder).toBeDefined();
    const beta = fleet.clusters.get('beta')!;
    // The agent and its replica die together (a zone outage): nobody says goodbye.
    await Promise.all([beta.stopAgent(), holder!.kill()]);
    const killedAt = Date.now();
    await fleet.waitForStatus('beta', 'offline', 2_000);
    expect(Date.now() - killedAt).toBeLessThan(2_000);
    await holder!.start();
    await beta.startAgent();
    await fleet.waitForStatus('beta', 'connected');
  });

  it('keeps streams flowing with Redis gone, says so on /readyz, and recovers when it returns', async () => {
    const watch = kubectl.stream([
      '--context',
      alice.context('alpha'),
      'get',
      'configmaps',
      '-n',
      'default',
      '-w',
    ]);
    onTestFinished(() => watch.stop());
    await watch.waitFor(/kube-root-ca\.crt/);
    await fleet.redis.kill();
    onTestFinished(() => fleet.redis.restart().catch(() => {}));
    for (const replica of fleet.replicas) {
      await eventually(
        async () => (await readiness(replica)).status === 503,
        `${replica.id} to be not ready`,
      );
      expect((await readiness(replica)).detail).toMatch(/Redis is unreachable/);
    }
    // The running watch still gets events (the change is made at the apiserver, past the fleet).
    await createConfigMap('alpha', 'during-redis-outage');
    await watch.waitFor(/during-redis-outage/);

    await fleet.redis.restart();
    for (const replica of fleet.replicas) {
      await eventually(
        async () => (await readiness(replica)).status === 200,
        `${replica.id} to be ready again`,
      );
    }
    for (const cluster of CLUSTERS) {
      await fleet.waitForStatus(cluster, 'connected');
      await kubectl.ok(['--context', alice.context(cluster), 'get', 'pods']);
    }
  }, 120_000);

  it('keeps streams flowing with Postgres gone, answers writes with a clear 503, and recovers', async () => {
    const watch = kubectl.stream([
      '--context',
      alice.context('beta'),
      'get',
      'configmaps',
      '-n',
      'default',
      '-w',
    ]);
    onTestFinished(() => watch.stop());
    await watch.waitFor(/kube-root-ca\.crt/);
    await fleet.postgres.stop();
    onTestFinished(() => fleet.postgres.restart().catch(() => {}));

    const write = await fleet.adminRequest('/api/v1/clusters', {
      method: 'POST',
      body: JSON.stringify({ name: 'during-outage' }),
    });
    expect(write.status).toBe(503);
    expect(await write.text()).toMatch(/registry database is unreachable/);
    for (const replica of fleet.replicas) {
      await eventually(
        async () => (await readiness(replica)).status === 503,
        `${replica.id} to be not ready`,
      );
    }

    await fleet.postgres.restart();
    for (const replica of fleet.replicas) {
      await eventually(
        async () => (await readiness(replica)).status === 200,
        `${replica.id} to be ready again`,
        20_000,
      );
    }
    // The watch served throughout.
    await createConfigMap('beta', 'after-postgres-restart');
    await watch.waitFor(/after-postgres-restart/);
    const created = await fleet.adminRequest('/api/v1/clusters', {
      method: 'POST',
      body: JSON.stringify({ name: 'after-outage' }),
    });
    expect(created.status).toBe(201);
  }, 120_000);
});
