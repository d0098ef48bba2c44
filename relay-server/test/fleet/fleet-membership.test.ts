/**
 * Replicas sharing who holds which agent through a real Redis: holdings reach the others as events,
 * a replica that stops leaves at once, one whose lease runs out (killed) stops counting and is
 * reaped, registry changes fan out to everyone but their origin, and a Redis restart loses nothing
 * the replicas cannot rebuild.
 */
import { randomBytes } from 'node:crypto';
import { startRedis } from '@switchboard/test-support/redis-server';
import { waitFor } from '@switchboard/test-support/wait-for';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Fleet, type FleetOptions } from '../../src/fleet/fleet.js';
import type { RegistryChange } from '../../src/fleet/fleet-events.js';
import { redisKeys } from '../../src/fleet/redis-keys.js';
import { createLogger } from '../../src/logging/logger.js';
import { TicketKeySealer } from '../../src/tickets/ticket-key-sealer.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

interface TestReplica {
  fleet: Fleet;
  holdings: Map<string, number>;
  sessionEvents: string[];
  registryChanges: [RegistryChange, string][];
  reconnects: number;
}

const sealer = new TicketKeySealer(randomBytes(32), 'test');

function replica(replicaId: string, overrides: Partial<FleetOptions> = {}): TestReplica {
  const holdings = new Map<string, number>();
  const state: TestReplica = {
    fleet: undefined as unknown as Fleet,
    holdings,
    sessionEvents: [],
    registryChanges: [],
    reconnects: 0,
  };
  state.fleet = new Fleet({
    redisUrl: redis.url,
    replicaId,
    peerUrl: `http://127.0.0.1:1/${replicaId}`,
    sealer,
    peerSession: {},
    localHoldings: () => holdings,
    onRegistryChange: (change, cluster) => state.registryChanges.push([change, cluster]),
    onReconnected: () => state.reconnects++,
    onSessions: (cluster) => state.sessionEvents.push(cluster),
    logger: createLogger('silent'),
    settings: { leaseMs: 600, refreshMs: 100 },
    ...overrides,
  });
  onTestFinished(() => state.fleet.close());
  return state;
}

function hold(replica: TestReplica, cluster: string, sessions: number): void {
  replica.holdings.set(cluster, sessions);
  replica.fleet.holdingChanged(cluster, sessions);
}

function unique(name: string): string {
  return `${name}-${randomBytes(3).toString('hex')}`;
}

describe('a fleet of replicas on Redis', () => {
  it("sees another replica's agent sessions, and forgets them when it stops", async () => {
    const a = replica(unique('a'));
    const b = replica(unique('b'));
    await waitFor(() => a.reconnects > 0 && b.reconnects > 0, 'a.reconnects > 0 && b.reconnects > 0');
    hold(a, 'prod', 2);
    await waitFor(() => b.fleet.sessionsElsewhere('prod') === 2, 'b.fleet.sessionsElsewhere("prod") === 2');
    expect(b.fleet.forwarder.holders('prod')).toEqual([
      { replicaId: a.fleet.replicaId, peerUrl: expect.any(String) },
    ]);
    expect(a.fleet.sessionsElsewhere('prod')).toBe(0);

    hold(a, 'prod', 0);
    await waitFor(() => b.fleet.sessionsElsewhere('prod') === 0, 'b.fleet.sessionsElsewhere("prod") === 0');
    hold(a, 'prod', 1);
    await waitFor(() => b.fleet.sessionsElsewhere('prod') === 1, 'b.fleet.sessionsElsewhere("prod") === 1');
    const before = b.sessionEvents.length;
    await a.fleet.close();
    await waitFor(() => b.fleet.sessionsElsewhere('prod') === 0, 'b.fleet.sessionsElsewhere("prod") === 0');
    expect(b.sessionEvents.slice(before)).toContain('prod');
  });

  it('learns holdings written before it joined', async () => {
    const a = replica(unique('a'));
    hold(a, 'staging', 3);
    await waitFor(() => a.reconnects > 0, 'a.reconnects > 0');
    const b = replica(unique('b'));
    await waitFor(
      () => b.fleet.sessionsElsewhere('staging') === 3,
      'b.fleet.sessionsElsewhere("staging") === 3',
    );
  });

  it('stops counting a replica whose lease ran out (killed), and reaps its keys', async () => {
    const b = replica(unique('b'));
    const client = new Redis(redis.url);
    onTestFinished(() => void client.quit());
    const ghost = unique('ghost');
    // What a killed replica leaves behind: a lease nobody refreshes and its holdings.
    await client
      .multi()
      .zadd(redisKeys.replicas, Date.now() + 400, ghost)
      .hset(redisKeys.replica(ghost), { peerUrl: 'http://127.0.0.1:1' })
      .hset(redisKeys.holdings(ghost), { dev: '1' })
      .exec();
    await waitFor(() => b.fleet.sessionsElsewhere('dev') === 1, 'b.fleet.sessionsElsewhere("dev") === 1');
    const killedAt = Date.now();
    await waitFor(() => b.fleet.sessionsElsewhere('dev') === 0, 'b.fleet.sessionsElsewhere("dev") === 0');
    expect(Date.now() - killedAt).toBeLessThan(1_500);
    expect(b.sessionEvents).toContain('dev');
    await waitFor(
      async () => (await client.exists(redisKeys.holdings(ghost))) === 0,
      '(await client.exists(redisKeys.holdings(ghost))) === 0',
    );
    expect(await client.zscore(redisKeys.replicas, ghost)).toBeNull();
  });

  it('tells every other replica about a registry change, not the one that made it', async () => {
    const a = replica(unique('a'));
    const b = replica(unique('b'));
    const c = replica(unique('c'));
    await waitFor(
      () => a.reconnects > 0 && b.reconnects > 0 && c.reconnects > 0,
      'a.reconnects > 0 && b.reconnects > 0 && c.reconnects > 0',
    );
    await a.fleet.publishRegistryChange('deleted', 'prod');
    await waitFor(
      () => b.registryChanges.length > 0 && c.registryChanges.length > 0,
      'b.registryChanges.length > 0 && c.registryChanges.length > 0',
    );
    expect(b.registryChanges).toEqual([['deleted', 'prod']]);
    expect(c.registryChanges).toEqual([['deleted', 'prod']]);
    expect(a.registryChanges).toEqual([]);
  });

  it('is not ready while Redis is away, and rebuilds everything when it is back', async () => {
    const own = await startRedis();
    onTestFinished(() => own.stop());
    const a = replica(unique('a'), { redisUrl: own.url });
    const b = replica(unique('b'), { redisUrl: own.url });
    await waitFor(() => a.reconnects > 0 && b.reconnects > 0, 'a.reconnects > 0 && b.reconnects > 0');
    // Connected is not yet ready: a lease refresh tried before the connection was up has failed,
    // and readiness comes back with the next refresh that reaches Redis (every 500 ms).
    await waitFor(() => a.fleet.notReadyBecause() === undefined, 'a.fleet.notReadyBecause() === undefined');
    hold(a, 'prod', 1);
    await waitFor(() => b.fleet.sessionsElsewhere('prod') === 1, 'b.fleet.sessionsElsewhere("prod") === 1');

    await own.kill();
    await waitFor(() => a.fleet.notReadyBecause() !== undefined, 'a.fleet.notReadyBecause() !== undefined');
    expect(a.fleet.notReadyBecause()).toMatch(/Redis is unreachable/);
    // Meanwhile the replicas cannot refresh their leases: each stops counting the other.
    await waitFor(() => b.fleet.sessionsElsewhere('prod') === 0, 'b.fleet.sessionsElsewhere("prod") === 0');
    hold(a, 'prod', 2); // cannot be written now: written when Redis is back

    const reconnectsBefore = a.reconnects;
    await own.restart(); // empty: Redis keeps nothing across the restart here
    await waitFor(
      () => a.reconnects > reconnectsBefore && a.fleet.notReadyBecause() === undefined,
      'a.reconnects > reconnectsBefore && a.fleet.notReadyBecause() === undefined',
    );
    await waitFor(() => b.fleet.sessionsElsewhere('prod') === 2, 'b.fleet.sessionsElsewhere("prod") === 2');
  });

  it('is not ready while Redis holds the connection but answers nothing, and ready once it answers', async () => {
    const own = await startRedis();
    onTestFinished(() => own.stop());
    const a = replica(unique('a'), { redisUrl: own.url });
    await waitFor(
      () => a.reconnects > 0 && a.fleet.notReadyBecause() === undefined,
      'the replica to be ready',
    );
    await own.pause();
    await waitFor(
      () => a.fleet.notReadyBecause() !== undefined,
      'the replica to notice that Redis stopped answering',
    );
    expect(a.fleet.notReadyBecause()).toMatch(
      /cannot refresh its fleet lease in Redis \(Command timed out\)/,
    );
    await own.resume();
    await waitFor(() => a.fleet.notReadyBecause() === undefined, 'the replica to be ready again');
  });
});
