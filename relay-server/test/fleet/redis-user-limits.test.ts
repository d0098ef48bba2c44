/**
 * A user's limits across the fleet, against a real Redis: replicas share the concurrent streams,
 * sessions and OPEN rate of each user; a replica whose lease ran out stops counting; with Redis
 * away (stopped, or frozen) each replica decides alone, at once, and once Redis is back the counts
 * there are exactly what the replicas hold: no release lost, none counted twice.
 */
import { randomBytes } from 'node:crypto';
import { type RedisServer, startRedis } from '@switchboard/test-support/redis-server';
import { waitFor } from '@switchboard/test-support/wait-for';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/fleet/redis-keys.js';
import { RedisUserLimits } from '../../src/fleet/redis-user-limits.js';
import type { Admission, Admitted, UserLimitSettings } from '../../src/tunnel/user-limits.js';
import { connectReplica, type TestReplica, untilDisconnected, untilReady } from './replicas.js';

const SETTINGS: UserLimitSettings = {
  maxStreamsPerUser: 3,
  maxSessionsPerUser: 2,
  userOpenRatePerSecond: 1_000,
  userOpenBurst: 1_000,
};
const LEASE_MS = 60_000;
const FALLING_BACK = "Redis cannot answer: users' limits are counted on this replica only";
const RECOVERED = "Redis answers again: users' limits are counted across the fleet";

function admitted(admission: Admission): Admitted {
  if (!admission.admitted) throw new Error(`refused: ${admission.message}`);
  return admission;
}

/** Makes replicas live (a lease ending in a minute) or dead (one that ended), as the lease module would. */
async function lease(redis: Redis, replicas: TestReplica[], live = true): Promise<void> {
  const until = live ? Date.now() + LEASE_MS : Date.now() - 1;
  for (const replica of replicas) await redis.zadd(redisKeys.replicas, until, replica.id);
}

describe('RedisUserLimits', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  /** Two live replicas, each with its limits, counting across the fleet; and a user of their own. */
  async function fleet(settings: UserLimitSettings = SETTINGS, answerTimeoutMs?: number) {
    const replicas = [await connectReplica(redis.url), await connectReplica(redis.url)] as const;
    await lease(replicas[0].redis.commands, [...replicas]);
    const limits = replicas.map(
      (replica) =>
        new RedisUserLimits({
          redis: replica.redis.commands,
          replicaId: replica.id,
          settings,
          logger: replica.logger,
          ...(answerTimeoutMs !== undefined && { answerTimeoutMs }),
        }),
    ) as [RedisUserLimits, RedisUserLimits];
    await waitFor(() => limits.every((limit) => limit.fleetWide), 'both replicas counting across the fleet');
    const user = `user-${randomBytes(4).toString('hex')}`;
    const admin = replicas[0].redis.commands;
    /** What Redis holds for each replica: the user's streams there. */
    const streamsInRedis = async () =>
      Promise.all(
        replicas.map(async ({ id }) => Number((await admin.hget(redisKeys.userStreams(id), user)) ?? 0)),
      );
    return { replicas, limits, user, admin, streamsInRedis };
  }

  it("two replicas share a user's concurrent streams; a release on one frees a place for the other", async () => {
    const { limits, user, streamsInRedis } = await fleet();
    const [a, b] = limits;
    const held = [admitted(await a.admitStream(user)), admitted(await a.admitStream(user))];
    admitted(await b.admitStream(user));
    expect(await b.admitStream(user)).toEqual({
      admitted: false,
      limit: 'concurrent-streams',
      message: 'too many concurrent streams: at most 3 per user',
      held: 3,
    });
    expect(await a.admitStream(user)).toMatchObject({ limit: 'concurrent-streams', held: 3 });
    admitted(await a.admitStream(`${user}-other`)).release();
    expect(await streamsInRedis()).toEqual([2, 1]);

    held[0]!.release();
    held[0]!.release(); // once only
    await waitFor(async () => (await streamsInRedis())[0] === 1, "a's release in Redis");
    admitted(await b.admitStream(user));
    expect(await a.admitStream(user)).toMatchObject({ admitted: false });
    expect(await streamsInRedis()).toEqual([1, 2]);
  });

  it("two replicas share a user's OPEN rate: one bucket for the fleet", async () => {
    // Slow enough that no token refills while the test runs.
    const { limits, user } = await fleet({ ...SETTINGS, userOpenRatePerSecond: 0.1, userOpenBurst: 3 });
    const [a, b] = limits;
    admitted(await a.admitStream(user)).release();
    admitted(await b.admitStream(user)).release();
    admitted(await a.admitStream(user)).release();
    const refused = {
      admitted: false,
      limit: 'open-rate',
      message: 'too many streams opened: at most 0.1 per second',
    };
    expect(await b.admitStream(user)).toEqual(refused);
    expect(await a.admitStream(user)).toEqual(refused);
    expect(await b.admitStream(`${user}-other`)).toMatchObject({ admitted: true });
  });

  it("two replicas share a user's sessions; the refusal says how many the user holds in the fleet", async () => {
    const { limits, user } = await fleet();
    const [a, b] = limits;
    const session = admitted(await a.admitSession(user));
    admitted(await b.admitSession(user));
    expect(await a.admitSession(user)).toEqual({
      admitted: false,
      limit: 'sessions',
      message:
        'you hold 2 tunnel sessions, the most the relay allows per user; stop another Switchboard proxy or app, or wait for its session to end',
      held: 2,
    });
    session.release();
    await waitFor(() => b.admitSession(user).then((admission) => admission.admitted), 'a freed session');
  });

  it('a replica whose lease ran out stops counting; live again, it counts again', async () => {
    const { replicas, limits, user, admin } = await fleet();
    const [a, b] = limits;
    admitted(await a.admitStream(user));
    admitted(await a.admitStream(user));
    admitted(await b.admitStream(user));
    expect(await b.admitStream(user)).toMatchObject({ admitted: false, held: 3 });

    await lease(admin, [replicas[0]], false);
    admitted(await b.admitStream(user));
    admitted(await b.admitStream(user));
    // b's own three, whatever its lease says.
    expect(await b.admitStream(user)).toMatchObject({ admitted: false, held: 3 });

    await lease(admin, [replicas[0]]);
    expect(await b.admitStream(user)).toMatchObject({ admitted: false, held: 5 });
    // Never leased at all: not counted either.
    await admin.zrem(redisKeys.replicas, replicas[0].id);
    expect(await b.admitStream(user)).toMatchObject({ admitted: false, held: 3 });
  });

  it('an OPEN costs one round trip to Redis: the script', async () => {
    const { limits, user, admin } = await fleet();
    admitted(await limits[0].admitStream(user)); // loads the script if Redis did not have it
    const monitor = await admin.monitor();
    try {
      const sent: string[] = [];
      let done: () => void;
      const sentinelSeen = new Promise<void>((resolve) => {
        done = resolve;
      });
      // Commands a script runs come from "lua"; each one a client sent is a round trip.
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        if (args[0]?.toLowerCase() === 'echo' && args[1] === 'sentinel') done();
        else if (source !== 'lua') sent.push(args[0]!.toLowerCase());
      });
      admitted(await limits[0].admitStream(user));
      await admin.echo('sentinel');
      await sentinelSeen;
      expect(sent).toEqual(['evalsha']);
    } finally {
      monitor.disconnect();
    }
  });

  it('Redis frozen: admissions are decided locally within the deadline; once it answers, its counts are what the replica holds', async () => {
    const { replicas, limits, user, streamsInRedis } = await fleet(SETTINGS, 100);
    const [a] = limits;
    const first = admitted(await a.admitStream(user));
    redis.pause();
    let second: Admitted;
    try {
      const started = performance.now();
      // The script goes out and will run once Redis wakes; meanwhile the replica decides alone.
      second = admitted(await a.admitStream(user));
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(a.fleetWide).toBe(false);
      first.release();
    } finally {
      redis.resume();
    }
    await waitFor(() => a.fleetWide, 'a counting across the fleet again');
    // The late script's +1, the local admission's +1 and the release's -1 are all replaced by the truth.
    expect(await streamsInRedis()).toEqual([1, 0]);
    second.release();
    await waitFor(async () => (await streamsInRedis())[0] === 0, 'the last release in Redis');
    expect(replicas[0].logs()).toContainEqual(
      expect.objectContaining({ msg: FALLING_BACK, reason: 'Redis did not answer within 100 ms' }),
    );
    expect(replicas[0].logs()).toContainEqual(expect.objectContaining({ msg: RECOVERED }));
  });

  it('Redis stopped: each replica applies the limits to what it holds; restarted empty, Redis gets back exactly what the replicas hold', async () => {
    const { replicas, limits, user, admin, streamsInRedis } = await fleet();
    const [a, b] = limits;
    const [a1, a2] = [admitted(await a.admitStream(user)), admitted(await a.admitStream(user))];
    const b1 = admitted(await b.admitStream(user));

    await redis.stop();
    await Promise.all(replicas.map((replica) => untilDisconnected(replica.redis.commands)));
    // a holds 2 of 3, b 1 of 3: each may open up to its own limit, no further, and never waits.
    const a3 = admitted(await a.admitStream(user));
    expect(await a.admitStream(user)).toMatchObject({ limit: 'concurrent-streams', held: 3 });
    const [b2, b3] = [admitted(await b.admitStream(user)), admitted(await b.admitStream(user))];
    expect(await b.admitStream(user)).toMatchObject({ limit: 'concurrent-streams', held: 3 });
    // Releases while Redis is away.
    a1.release();
    b1.release();
    for (const replica of replicas) {
      expect(replica.logs().filter((line) => line.msg === FALLING_BACK)).toHaveLength(1);
    }

    await redis.restart();
    await waitFor(() => a.fleetWide && b.fleetWide, 'both replicas counting across the fleet again');
    expect(await streamsInRedis()).toEqual([2, 2]);
    // The lease module would renew the leases that the restart lost.
    await lease(admin, [...replicas]);
    expect(await a.admitStream(user)).toMatchObject({ limit: 'concurrent-streams', held: 4 });
    expect(await b.admitStream(user)).toMatchObject({ limit: 'concurrent-streams', held: 4 });

    // Streams admitted during the outage give their places back to the fleet as well.
    a2.release();
    a3.release();
    b2.release();
    await waitFor(async () => (await streamsInRedis()).join() === '0,1', 'the releases in Redis');
    admitted(await a.admitStream(user));
    admitted(await b.admitStream(user));
    expect(await a.admitStream(user)).toMatchObject({ limit: 'concurrent-streams', held: 3 });
    expect(await streamsInRedis()).toEqual([1, 2]);
    b3.release();
    for (const replica of replicas) {
      expect(replica.logs()).toContainEqual(expect.objectContaining({ msg: RECOVERED }));
    }
  });

  it('Redis killed and restarted empty while the replicas are idle: their counts come back by themselves', async () => {
    const { replicas, limits, user, streamsInRedis } = await fleet();
    const held = [admitted(await limits[0].admitStream(user)), admitted(await limits[0].admitStream(user))];
    admitted(await limits[1].admitSession(user));
    await redis.kill();
    await Promise.all(replicas.map((replica) => untilDisconnected(replica.redis.commands)));
    await redis.restart();
    await untilReady(replicas[0].redis.commands);
    await waitFor(async () => (await streamsInRedis()).join() === '2,0', 'the streams back in Redis');
    expect(await replicas[0].redis.commands.hgetall(redisKeys.userSessions(replicas[1].id))).toEqual({
      [user]: '1',
    });
    for (const stream of held) stream.release();
    await waitFor(async () => (await streamsInRedis()).join() === '0,0', 'the releases in Redis');
  });
});
