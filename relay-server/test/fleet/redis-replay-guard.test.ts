/**
 * The fleet's agent assertion replay cache against a real Redis: an assertion used on one replica
 * is refused on another; with Redis away each replica still refuses its own replays, and once Redis
 * is back the replicas share again.
 */
import { randomUUID } from 'node:crypto';
import { type RedisServer, startRedis } from '@switchboard/test-support/redis-server';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentAssertionVerifier,
  AgentAuthError,
  ASSERTION_CLOCK_SKEW_SECONDS,
} from '../../src/agents/agent-assertion.js';
import { RedisReplayGuard } from '../../src/fleet/redis-replay-guard.js';
import { openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { tempDir } from '../helpers/temp-dir.js';
import { connectReplica, type TestReplica, untilDisconnected, untilReady } from './replicas.js';

const AUDIENCE = 'https://relay.test/api/v1/agent/tunnel';

describe('RedisReplayGuard', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  /** A joined agent, and a verifier per replica, each remembering assertions through its own Redis guard. */
  async function fleet() {
    const registry = await openSqliteRegistry(await tempDir());
    await registry.createCluster({ name: 'prod', description: '', labels: {}, createdBy: 'test' });
    const expiresAt = new Date(Date.now() + 3_600_000);
    await registry.createJoinToken({ tokenHash: 'join', cluster: 'prod', createdBy: 'test', expiresAt });
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const credentialId = `agc_${randomUUID()}`;
    const redeemed = await registry.redeemJoinToken(
      'join',
      {
        id: credentialId,
        publicKey: JSON.stringify(await exportJWK(publicKey)),
        thumbprint: credentialId,
        agentVersion: 'test',
        expiresAt,
      },
      new Date(),
    );
    expect(redeemed.ok).toBe(true);
    const replicas = [await connectReplica(redis.url), await connectReplica(redis.url)];
    const verifiers = replicas.map(
      (replica) =>
        new AgentAssertionVerifier(registry, {
          audiences: [AUDIENCE],
          replays: new RedisReplayGuard({
            redis: replica.redis.commands,
            clockSkewSeconds: ASSERTION_CLOCK_SKEW_SECONDS,
            logger: replica.logger,
          }),
        }),
    );
    const assertion = () => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(credentialId)
        .setSubject('prod')
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + 120)
        .setJti(randomUUID())
        .sign(privateKey);
    };
    return { replicas: replicas as [TestReplica, TestReplica], verifiers, assertion, credentialId };
  }

  /** 'accepted', or the reason the verifier refused. */
  const outcome = (verifier: AgentAssertionVerifier, jwt: string) =>
    verifier.verify(jwt).then(
      () => 'accepted',
      (error: unknown) => {
        if (error instanceof AgentAuthError) return error.reason;
        throw error;
      },
    );

  it('an assertion used on one replica is refused on another, and on the first again', async () => {
    const { verifiers, assertion } = await fleet();
    const [a, b] = verifiers as [AgentAssertionVerifier, AgentAssertionVerifier];
    const jwt = await assertion();
    expect(await outcome(a, jwt)).toBe('accepted');
    expect(await outcome(b, jwt)).toBe('replayed-assertion');
    expect(await outcome(a, jwt)).toBe('replayed-assertion');
    // Another assertion of the same agent is its own.
    expect(await outcome(b, await assertion())).toBe('accepted');
  });

  it('remembers an assertion in Redis under a hash of its key, until it could no longer be accepted', async () => {
    const { replicas, verifiers, assertion } = await fleet();
    const admin = replicas[0].redis.commands;
    const before = new Set(await admin.keys('sb:replay:*'));
    const jwt = await assertion();
    expect(await outcome(verifiers[0]!, jwt)).toBe('accepted');
    const added = (await admin.keys('sb:replay:*')).filter((key) => !before.has(key));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^sb:replay:[\w-]{43}$/);
    const { exp } = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { exp: number };
    expect(await admin.expiretime(added[0]!)).toBe(exp + ASSERTION_CLOCK_SKEW_SECONDS);
  });

  it('with Redis away each replica refuses its own replays and says so once; when Redis returns they share again', async () => {
    const { replicas, verifiers, assertion } = await fleet();
    const [a, b] = verifiers as [AgentAssertionVerifier, AgentAssertionVerifier];
    const seenBeforeOutage = await assertion();
    expect(await outcome(a, seenBeforeOutage)).toBe('accepted');

    await redis.stop();
    await Promise.all(replicas.map((replica) => untilDisconnected(replica.redis.commands)));
    const jwt = await assertion();
    expect(await outcome(a, jwt)).toBe('accepted');
    expect(await outcome(a, jwt)).toBe('replayed-assertion');
    expect(await outcome(a, seenBeforeOutage)).toBe('replayed-assertion');
    // The trade-off: another replica cannot know.
    expect(await outcome(b, jwt)).toBe('accepted');
    for (let i = 0; i < 3; i++) expect(await outcome(a, await assertion())).toBe('accepted');
    const warnings = replicas[0]
      .logs()
      .filter(
        (line) =>
          line.msg === 'Redis cannot answer: agent assertion replays are refused on this replica only',
      );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, reason: expect.stringContaining('not connected') });

    await redis.restart();
    await Promise.all(replicas.map((replica) => untilReady(replica.redis.commands)));
    const after = await assertion();
    expect(await outcome(b, after)).toBe('accepted');
    expect(await outcome(a, after)).toBe('replayed-assertion');
    expect(replicas[1].logs()).toContainEqual(
      expect.objectContaining({
        msg: 'Redis answers again: agent assertion replays are refused on every replica',
      }),
    );
  });

  it('a Redis that does not answer delays verification by the deadline only', async () => {
    const { replicas } = await fleet();
    const guard = new RedisReplayGuard({
      redis: replicas[0].redis.commands,
      clockSkewSeconds: ASSERTION_CLOCK_SKEW_SECONDS,
      logger: replicas[0].logger,
      answerTimeoutMs: 100,
    });
    const now = Math.floor(Date.now() / 1000);
    redis.pause();
    try {
      const started = performance.now();
      expect(await guard.remember('frozen', now + 60, now)).toBe(true);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(await guard.remember('frozen', now + 60, now)).toBe(false);
    } finally {
      redis.resume();
    }
    expect(replicas[0].logs()).toContainEqual(
      expect.objectContaining({ reason: 'Redis did not answer within 100 ms' }),
    );
  });
});
