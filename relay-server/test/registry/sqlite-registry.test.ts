import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ClusterExistsError, UnknownClusterError } from '../../src/registry/registry.js';
import { DATABASE_FILE, openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { tempDir } from '../helpers/temp-dir.js';

async function registryIn(dataDir: string) {
  const registry = await openSqliteRegistry(dataDir);
  onTestFinished(() => registry.close());
  return registry;
}

const cluster = (name: string) => ({ name, description: '', labels: {}, createdBy: 'test' });
const grant = (
  clusterName: string,
  subjectKind: 'user' | 'group',
  subject: string,
  role: 'connect' | 'admin',
) => ({
  cluster: clusterName,
  subjectKind,
  subject,
  role,
  createdBy: 'test',
});

describe('SQLite registry', () => {
  it('stores clusters and refuses duplicates', async () => {
    const registry = await registryIn(await tempDir());
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
    const registry = await registryIn(await tempDir());
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
  });

  it('lists the clusters a subject can reach', async () => {
    const registry = await registryIn(await tempDir());
    for (const name of ['a', 'b', 'c']) await registry.createCluster(cluster(name));
    await registry.grant(grant('a', 'user', 'alice', 'connect'));
    await registry.grant(grant('b', 'group', 'devs', 'connect'));
    await registry.grant(grant('b', 'user', 'alice', 'connect'));
    expect((await registry.clustersFor({ username: 'alice', groups: ['devs'] })).map((c) => c.name)).toEqual([
      'a',
      'b',
    ]);
    expect((await registry.clustersFor({ username: 'bob', groups: [] })).map((c) => c.name)).toEqual([]);
  });

  it('deletes a cluster’s grants with it', async () => {
    const registry = await registryIn(await tempDir());
    await registry.createCluster(cluster('a'));
    await registry.grant(grant('a', 'user', 'alice', 'connect'));
    expect(await registry.deleteCluster('a')).toBe(true);
    expect(await registry.deleteCluster('a')).toBe(false);
    await registry.createCluster(cluster('a'));
    expect(await registry.listGrants('a')).toEqual([]);
    expect(await registry.roleOf({ username: 'alice', groups: [] }, 'a')).toBeUndefined();
  });

  it('keeps its data across restarts, in WAL mode', async () => {
    const dataDir = await tempDir();
    const first = await openSqliteRegistry(dataDir);
    await first.createCluster(cluster('kept'));
    await first.grant(grant('kept', 'group', 'ops', 'admin'));
    await first.close();

    const second = await registryIn(dataDir);
    expect((await second.listClusters()).map((c) => c.name)).toEqual(['kept']);
    expect(await second.roleOf({ username: 'x', groups: ['ops'] }, 'kept')).toBe('admin');

    const raw = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    onTestFinished(() => {
      raw.close();
    });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('answers a replayed rotation with revoked once its successor was revoked', async () => {
    const dataDir = await tempDir();
    const registry = await registryIn(dataDir);
    await registry.createCluster(cluster('a'));
    const expiresAt = new Date(Date.now() + 3_600_000);
    await registry.createJoinToken({ tokenHash: 'token', cluster: 'a', createdBy: 'test', expiresAt });
    const credential = (id: string) => ({
      id,
      publicKey: '{}',
      thumbprint: `thumbprint-${id}`,
      agentVersion: 'test',
      expiresAt,
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

    // Only the successor is revoked (the registry itself revokes whole clusters; this is the edge).
    const raw = new Database(join(dataDir, DATABASE_FILE));
    onTestFinished(() => {
      raw.close();
    });
    raw
      .prepare(`UPDATE agent_credentials SET revoked_at = ? WHERE id = 'second'`)
      .run(new Date().toISOString());
    expect(await registry.rotateAgentCredential('first', next, new Date())).toEqual({
      ok: false,
      failure: 'revoked',
    });
  });
});
