/**
 * What every registry store promises (`ClusterRegistry`), as one suite that the SQLite and the
 * Postgres test files each run against a fresh store per test.
 */
import type { ClusterMetadata } from '@switchboard/contract/relay-api';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { openRegistry } from '../../src/registry/open-registry.js';
import {
  ClusterExistsError,
  type ClusterRegistry,
  type NewAgentCredential,
  type TicketKey,
  UnknownClusterError,
} from '../../src/registry/registry.js';
import { callFromProcesses, type RegistryLocation } from './registry-processes.js';

export interface RegistryStore {
  location: RegistryLocation;
  /** Revokes this one credential behind the registry's back (its own API revokes whole clusters). */
  revokeCredentialOnly(id: string, at: Date): Promise<void>;
}

const cluster = (name: string) => ({ name, description: '', labels: {}, createdBy: 'test' });
const grant = (
  clusterName: string,
  subjectKind: 'user' | 'group',
  subject: string,
  role: 'connect' | 'admin',
) => ({ cluster: clusterName, subjectKind, subject, role, createdBy: 'test' });
const inOneHour = () => new Date(Date.now() + 3_600_000);
const credential = (id: string, expiresAt = inOneHour()): NewAgentCredential => ({
  id,
  publicKey: '{}',
  thumbprint: `thumbprint-${id}`,
  agentVersion: 'test',
  expiresAt,
});
const ticketKey = (generation: number, kid: string, heldUntil: Date): TicketKey => ({
  generation,
  kid,
  sealedPrivateKey: `sealed-${kid}`,
  createdAt: new Date('2030-01-01T00:00:00.000Z'),
  activatesAt: new Date('2030-01-01T00:00:00.000Z'),
  retiresAt: new Date('2030-01-02T00:00:00.000Z'),
  announcedUntil: new Date('2030-01-03T00:00:00.000Z'),
  heldUntil,
});

export function registryContract(storeName: string, newStore: () => Promise<RegistryStore>): void {
  /** A registry on the store, closed when the test finishes. */
  const open = async (store: RegistryStore): Promise<ClusterRegistry> => {
    const { registry } = await openRegistry(store.location, createLogger('silent'));
    onTestFinished(() => registry.close());
    return registry;
  };
  const fresh = async () => {
    const store = await newStore();
    return { store, registry: await open(store) };
  };

  describe(`${storeName} registry`, () => {
    it('stores clusters and refuses duplicates', async () => {
      const { registry } = await fresh();
      const created = await registry.createCluster({
        ...cluster('a'),
        description: 'first',
        labels: { env: 'prod' },
      });
      expect(created).toMatchObject({
        name: 'a',
        description: 'first',
        labels: { env: 'prod' },
        createdBy: 'test',
      });
      await expect(registry.createCluster(cluster('a'))).rejects.toBeInstanceOf(ClusterExistsError);
      expect(await registry.getCluster('a')).toEqual(created);
      expect(await registry.getCluster('b')).toBeUndefined();
    });

    it('keeps one grant per subject and cluster, and takes the highest role across user and groups', async () => {
      const { registry } = await fresh();
      await registry.createCluster(cluster('a'));
      await registry.grant(grant('a', 'user', 'alice', 'connect'));
      await registry.grant(grant('a', 'group', 'ops', 'admin'));
      const alice = { username: 'alice', groups: [] };
      expect(await registry.roleOf(alice, 'a')).toBe('connect');
      expect(await registry.roleOf({ ...alice, groups: ['ops'] }, 'a')).toBe('admin');
      // A user grant and a group grant with the same name are different subjects.
      expect(await registry.roleOf({ username: 'ops', groups: [] }, 'a')).toBeUndefined();

      await registry.grant(grant('a', 'user', 'alice', 'admin'));
      expect((await registry.listGrants('a')).filter((g) => g.subject === 'alice')).toHaveLength(1);
      expect(await registry.roleOf(alice, 'a')).toBe('admin');
      await expect(registry.grant(grant('zz', 'user', 'alice', 'admin'))).rejects.toBeInstanceOf(
        UnknownClusterError,
      );
      expect(await registry.revoke('a', 'user', 'alice')).toBe(true);
      expect(await registry.revoke('a', 'user', 'alice')).toBe(false);
      expect(await registry.roleOf(alice, 'a')).toBeUndefined();
    });

    it('lists the clusters a subject can reach', async () => {
      const { registry } = await fresh();
      for (const name of ['a', 'b', 'c']) await registry.createCluster(cluster(name));
      await registry.grant(grant('a', 'user', 'alice', 'connect'));
      await registry.grant(grant('b', 'group', 'devs', 'connect'));
      await registry.grant(grant('b', 'user', 'alice', 'connect'));
      expect(
        (await registry.clustersFor({ username: 'alice', groups: ['devs'] })).map((c) => c.name),
      ).toEqual(['a', 'b']);
      expect((await registry.clustersFor({ username: 'bob', groups: [] })).map((c) => c.name)).toEqual([]);
    });

    it('lists in code point order, whatever the database collation', async () => {
      const { registry } = await fresh();
      for (const name of ['b', 'a-b', 'ab', 'a1', 'a']) await registry.createCluster(cluster(name));
      const order = ['a', 'a-b', 'a1', 'ab', 'b'];
      expect((await registry.listClusters()).map((c) => c.name)).toEqual(order);
      expect((await registry.listPresence()).map((p) => p.cluster.name)).toEqual(order);
      for (const name of order) await registry.grant(grant(name, 'group', 'all', 'connect'));
      expect((await registry.clustersFor({ username: 'x', groups: ['all'] })).map((c) => c.name)).toEqual(
        order,
      );
      // Upper case before lower case, as bytes compare; a natural-language collation mixes them.
      for (const subject of ['carol', 'Bob', 'alice', 'Zed']) {
        await registry.grant(grant('a', 'user', subject, 'connect'));
      }
      expect(
        (await registry.listGrants('a')).filter((g) => g.subjectKind === 'user').map((g) => g.subject),
      ).toEqual(['Bob', 'Zed', 'alice', 'carol']);
    });

    it('deletes a cluster’s grants and join tokens with it, and revokes its agent credentials', async () => {
      const { registry } = await fresh();
      await registry.createCluster(cluster('a'));
      await registry.grant(grant('a', 'user', 'alice', 'connect'));
      await registry.createJoinToken({
        tokenHash: 'used',
        cluster: 'a',
        createdBy: 'test',
        expiresAt: inOneHour(),
      });
      await registry.createJoinToken({
        tokenHash: 'unused',
        cluster: 'a',
        createdBy: 'test',
        expiresAt: inOneHour(),
      });
      expect(await registry.redeemJoinToken('used', credential('agent'), new Date())).toMatchObject({
        ok: true,
      });
      expect(await registry.deleteCluster('a')).toBe(true);
      expect(await registry.deleteCluster('a')).toBe(false);
      expect((await registry.getAgentCredential('agent'))?.revokedAt).toBeInstanceOf(Date);

      await registry.createCluster(cluster('a'));
      expect(await registry.listGrants('a')).toEqual([]);
      expect(await registry.roleOf({ username: 'alice', groups: [] }, 'a')).toBeUndefined();
      expect(await registry.redeemJoinToken('unused', credential('late'), new Date())).toEqual({
        ok: false,
        failure: 'unknown',
      });
      await expect(
        registry.createJoinToken({
          tokenHash: 't',
          cluster: 'zz',
          createdBy: 'test',
          expiresAt: inOneHour(),
        }),
      ).rejects.toBeInstanceOf(UnknownClusterError);
    });

    it('keeps its data across a reopen', async () => {
      const { store, registry } = await fresh();
      await registry.createCluster(cluster('kept'));
      await registry.grant(grant('kept', 'group', 'ops', 'admin'));
      await registry.setSetting('public_url', 'https://relay.example.com');
      await registry.close();

      const second = await open(store);
      expect((await second.listClusters()).map((c) => c.name)).toEqual(['kept']);
      expect(await second.roleOf({ username: 'x', groups: ['ops'] }, 'kept')).toBe('admin');
      expect(await second.getSetting('public_url')).toBe('https://relay.example.com');
      await second.setSetting('public_url', 'https://other.example.com');
      expect(await second.getSetting('public_url')).toBe('https://other.example.com');
      expect(await second.getSetting('unset')).toBeUndefined();
    });

    it('redeems a join token once, and tells used, expired and unknown tokens apart', async () => {
      const { registry } = await fresh();
      await registry.createCluster(cluster('a'));
      const now = new Date();
      await registry.createJoinToken({
        tokenHash: 'good',
        cluster: 'a',
        createdBy: 'test',
        expiresAt: inOneHour(),
      });
      await registry.createJoinToken({
        tokenHash: 'stale',
        cluster: 'a',
        createdBy: 'test',
        expiresAt: new Date(now.getTime() - 1),
      });
      const redeemed = await registry.redeemJoinToken('good', credential('first'), now);
      expect(redeemed).toMatchObject({ ok: true, credential: { id: 'first', cluster: 'a', issuedAt: now } });
      expect(await registry.getAgentCredential('first')).toEqual(redeemed.ok && redeemed.credential);
      expect(await registry.redeemJoinToken('good', credential('second'), now)).toEqual({
        ok: false,
        failure: 'used',
        cluster: 'a',
      });
      expect(await registry.redeemJoinToken('stale', credential('third'), now)).toEqual({
        ok: false,
        failure: 'expired',
        cluster: 'a',
      });
      expect(await registry.redeemJoinToken('nope', credential('fourth'), now)).toEqual({
        ok: false,
        failure: 'unknown',
      });
      expect(await registry.getAgentCredential('second')).toBeUndefined();
    });

    it('revokes a cluster’s agent access: its credentials and its unredeemed join tokens', async () => {
      const { registry } = await fresh();
      await registry.createCluster(cluster('a'));
      await registry.createCluster(cluster('b'));
      for (const [hash, name] of [
        ['a1', 'a'],
        ['a2', 'a'],
        ['b1', 'b'],
      ] as const) {
        await registry.createJoinToken({
          tokenHash: hash,
          cluster: name,
          createdBy: 'test',
          expiresAt: inOneHour(),
        });
      }
      await registry.redeemJoinToken('a1', credential('agent-a'), new Date());
      await registry.redeemJoinToken('b1', credential('agent-b'), new Date());
      const revokedAt = new Date();
      await registry.revokeAgentAccess('a', revokedAt);
      expect((await registry.getAgentCredential('agent-a'))?.revokedAt).toEqual(revokedAt);
      expect((await registry.getAgentCredential('agent-b'))?.revokedAt).toBeUndefined();
      expect(await registry.redeemJoinToken('a2', credential('late'), new Date())).toMatchObject({
        ok: false,
        failure: 'expired',
      });
      await registry.createJoinToken({
        tokenHash: 'a3',
        cluster: 'a',
        createdBy: 'test',
        expiresAt: inOneHour(),
      });
      expect(await registry.redeemJoinToken('a3', credential('again'), new Date())).toMatchObject({
        ok: true,
      });
    });

    it('rotates a credential once, answers a replay with the same successor, and refuses another key', async () => {
      const { registry } = await fresh();
      await registry.createCluster(cluster('a'));
      await registry.createJoinToken({
        tokenHash: 'token',
        cluster: 'a',
        createdBy: 'test',
        expiresAt: inOneHour(),
      });
      await registry.redeemJoinToken('token', credential('first'), new Date());
      const rotatedAt = new Date();
      const rotated = await registry.rotateAgentCredential('first', credential('second'), rotatedAt);
      expect(rotated).toMatchObject({
        ok: true,
        replayed: false,
        credential: { id: 'second', cluster: 'a' },
      });
      expect(await registry.getAgentCredential('first')).toMatchObject({
        supersededAt: rotatedAt,
        supersededBy: 'second',
      });
      expect(await registry.rotateAgentCredential('first', credential('second-again'), new Date())).toEqual({
        ok: false,
        failure: 'superseded',
      });
      const replay = await registry.rotateAgentCredential(
        'first',
        { ...credential('ignored'), thumbprint: 'thumbprint-second' },
        new Date(),
      );
      expect(replay).toMatchObject({ ok: true, replayed: true, credential: { id: 'second' } });
      expect(await registry.rotateAgentCredential('nope', credential('x'), new Date())).toEqual({
        ok: false,
        failure: 'unknown',
      });
      await registry.revokeAgentAccess('a', new Date());
      expect(await registry.rotateAgentCredential('second', credential('third'), new Date())).toEqual({
        ok: false,
        failure: 'revoked',
      });
    });

    it('answers a replayed rotation with revoked once its successor was revoked', async () => {
      const { store, registry } = await fresh();
      await registry.createCluster(cluster('a'));
      await registry.createJoinToken({
        tokenHash: 'token',
        cluster: 'a',
        createdBy: 'test',
        expiresAt: inOneHour(),
      });
      expect(await registry.redeemJoinToken('token', credential('first'), new Date())).toMatchObject({
        ok: true,
      });
      const next = credential('second');
      expect(await registry.rotateAgentCredential('first', next, new Date())).toMatchObject({ ok: true });
      expect(await registry.rotateAgentCredential('first', next, new Date())).toMatchObject({
        ok: true,
        replayed: true,
      });

      await store.revokeCredentialOnly('second', new Date());
      expect(await registry.rotateAgentCredential('first', next, new Date())).toEqual({
        ok: false,
        failure: 'revoked',
      });
    });

    it('records presence with the last metadata, and the newest credential’s expiry', async () => {
      const { registry } = await fresh();
      await registry.createCluster(cluster('a'));
      await registry.createCluster(cluster('quiet'));
      const metadata: ClusterMetadata = {
        kubernetesVersion: 'v1.31.0',
        agentVersion: '1.0.0',
        reportedAt: '2030-01-01T00:00:00.000Z',
      };
      const first = new Date('2030-01-01T00:00:00.000Z');
      await registry.recordPresence('a', first, metadata);
      const later = new Date('2030-01-01T00:01:00.000Z');
      await registry.recordPresence('a', later);
      await registry.recordPresence('gone', later);
      const expiresAt = new Date('2030-03-01T00:00:00.000Z');
      await registry.createJoinToken({
        tokenHash: 't',
        cluster: 'a',
        createdBy: 'test',
        expiresAt: inOneHour(),
      });
      await registry.redeemJoinToken('t', credential('agent', expiresAt), new Date());

      expect(await registry.getPresence('a')).toMatchObject({
        cluster: { name: 'a' },
        lastSeenAt: later,
        metadata,
        credentialExpiresAt: expiresAt,
      });
      expect(await registry.getPresence('quiet')).toEqual({ cluster: await registry.getCluster('quiet') });
      expect(await registry.getPresence('gone')).toBeUndefined();
      expect((await registry.listPresence()).map((p) => [p.cluster.name, p.lastSeenAt])).toEqual([
        ['a', later],
        ['quiet', undefined],
      ]);
    });

    it('keeps ticket keys by generation, one per generation, until they are no longer held', async () => {
      const { registry } = await fresh();
      const early = new Date('2030-01-04T00:00:00.000Z');
      const late = new Date('2030-01-05T00:00:00.000Z');
      expect(await registry.addTicketKey(ticketKey(2, 'kid-2', late))).toBe(true);
      expect(await registry.addTicketKey(ticketKey(1, 'kid-1', early))).toBe(true);
      expect(await registry.addTicketKey(ticketKey(2, 'kid-2-other', late))).toBe(false);
      expect(await registry.listTicketKeys()).toEqual([
        ticketKey(1, 'kid-1', early),
        ticketKey(2, 'kid-2', late),
      ]);
      await registry.deleteTicketKeysHeldUntil(early);
      expect((await registry.listTicketKeys()).map((key) => key.kid)).toEqual(['kid-2']);
    });

    it('keeps the dev identity provider’s records until they expire, are consumed or deleted', async () => {
      const { registry } = await fresh();
      const now = new Date();
      const record = (id: string, grantId: string | undefined, expiresAt: Date | undefined) => ({
        model: 'RefreshToken',
        id,
        grantId,
        payload: JSON.stringify({ id }),
        expiresAt,
      });
      await registry.putDevIdpRecord(record('r1', 'g1', inOneHour()));
      await registry.putDevIdpRecord(record('r2', 'g1', undefined));
      await registry.putDevIdpRecord(record('r3', 'g2', new Date(now.getTime() - 1)));
      expect(await registry.getDevIdpRecord('RefreshToken', 'r1', now)).toMatchObject({
        grantId: 'g1',
        consumedAt: undefined,
      });
      expect(await registry.getDevIdpRecord('RefreshToken', 'r3', now)).toBeUndefined();
      await registry.consumeDevIdpRecord('RefreshToken', 'r1', now);
      expect((await registry.getDevIdpRecord('RefreshToken', 'r1', now))?.consumedAt).toEqual(now);
      // Storing it again starts it afresh.
      await registry.putDevIdpRecord(record('r1', 'g1', inOneHour()));
      expect((await registry.getDevIdpRecord('RefreshToken', 'r1', now))?.consumedAt).toBeUndefined();
      await registry.deleteDevIdpRecord('RefreshToken', 'r2');
      expect(await registry.getDevIdpRecord('RefreshToken', 'r2', now)).toBeUndefined();
      await registry.deleteDevIdpRecordsOfGrant('RefreshToken', 'g1');
      expect(await registry.getDevIdpRecord('RefreshToken', 'r1', now)).toBeUndefined();
    });

    it('lets exactly one of several processes redeem a join token at the same moment', async () => {
      const { store, registry } = await fresh();
      await registry.createCluster(cluster('a'));
      await registry.createJoinToken({
        tokenHash: 'contested',
        cluster: 'a',
        createdBy: 'test',
        expiresAt: inOneHour(),
      });
      const redeemers = ['p1', 'p2', 'p3', 'p4'];
      const outcomes = await callFromProcesses(
        store.location,
        redeemers.map((id) => ['redeemJoinToken', 'contested', credential(id), new Date()]),
      );
      const answers = outcomes.map((outcome) => {
        if (!outcome.ok) throw new Error(`a redeemer failed: ${outcome.name}: ${outcome.message}`);
        return outcome.value as { ok: boolean; failure?: string };
      });
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect(answers.filter((answer) => !answer.ok).map((answer) => answer.failure)).toEqual([
        'used',
        'used',
        'used',
      ]);
      const winner = redeemers[answers.findIndex((answer) => answer.ok)]!;
      for (const id of redeemers) {
        expect(await registry.getAgentCredential(id)).toEqual(
          id === winner ? expect.objectContaining({ id, cluster: 'a' }) : undefined,
        );
      }
    });

    it('lets exactly one of several processes add the ticket key of a generation', async () => {
      const { store, registry } = await fresh();
      const heldUntil = new Date('2030-01-05T00:00:00.000Z');
      const kids = ['kid-p1', 'kid-p2', 'kid-p3'];
      const outcomes = await callFromProcesses(
        store.location,
        kids.map((kid) => ['addTicketKey', ticketKey(7, kid, heldUntil)]),
      );
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      const added = outcomes.map((outcome) => outcome.ok && outcome.value);
      expect(added.filter((value) => value === true)).toHaveLength(1);
      expect(await registry.listTicketKeys()).toEqual([ticketKey(7, kids[added.indexOf(true)]!, heldUntil)]);
    });
  });
}
