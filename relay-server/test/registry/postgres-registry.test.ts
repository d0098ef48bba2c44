import { createServer, type Socket } from 'node:net';
import { type PostgresServer, startPostgresServer } from '@switchboard/test-support/postgres-server';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { createLogger } from '../../src/logging/logger.js';
import { openRegistry } from '../../src/registry/open-registry.js';
import { openPostgresRegistry } from '../../src/registry/postgres-registry.js';
import { type ClusterRegistry, RegistryUnavailableError } from '../../src/registry/registry.js';
import { registryContract } from './registry-contract.js';
import { callFromProcesses } from './registry-processes.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(() => server?.close());

/** The advisory lock Kysely takes while it migrates (`LOCK_ID` in its dialect/postgres/postgres-adapter.js). */
const KYSELY_MIGRATION_LOCK_ID = '3853314791062309107';
const MIGRATIONS = 6;

async function sqlClient(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  // A server stopped by a test drops this connection too; the test says what it expects itself.
  client.on('error', () => {});
  await client.connect();
  onTestFinished(() => client.end().catch(() => {}));
  return client;
}

/** The relay's logger, its lines kept as text. */
function capturedLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', { write: (line: string) => void lines.push(line) }) };
}

/**
 * Starts a registry call that waits for a table lock another session holds, and resolves once it
 * waits: its connection stays checked out of the pool while a test takes the server away.
 * `outcome` settles with what the call threw.
 */
async function callWaitingOnALock(
  registry: ClusterRegistry,
  database: string,
): Promise<{ outcome: Promise<unknown> }> {
  const blocker = await sqlClient(database);
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE clusters IN ACCESS EXCLUSIVE MODE');
  const call = registry.listClusters().catch((caught: unknown) => caught);
  await expect
    .poll(async () => {
      const { rows } = await blocker.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE application_name = 'switchboard-relay' AND wait_event_type = 'Lock'`,
      );
      return rows[0]!.waiting;
    })
    .toBe(1);
  return { outcome: call };
}

registryContract('Postgres', async () => {
  const database = await server.createDatabase();
  return {
    location: { database },
    revokeCredentialOnly: async (id, at) => {
      const client = await sqlClient(database);
      await client.query('UPDATE agent_credentials SET revoked_at = $1 WHERE id = $2', [
        at.toISOString(),
        id,
      ]);
    },
  };
});

describe('Postgres registry', () => {
  it('is migrated once when several processes open a fresh database at the same time', async () => {
    const database = await server.createDatabase();
    const outcomes = await callFromProcesses({ database }, Array(4).fill(['listClusters']));
    expect(outcomes).toEqual(Array(4).fill({ ok: true, value: [] }));
    const client = await sqlClient(database);
    const { rows } = await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
    expect(rows).toHaveLength(MIGRATIONS);
    expect(new Set(rows.map((row) => row.name)).size).toBe(MIGRATIONS);
  });

  it('migrates under Kysely’s advisory lock: a second migrator waits for the first', async () => {
    const database = await server.createDatabase();
    const holder = await sqlClient(database);
    await holder.query(`SELECT pg_advisory_lock(${KYSELY_MIGRATION_LOCK_ID})`);

    let opened = false;
    const opening = openPostgresRegistry(database, createLogger('silent')).then((registry) => {
      opened = true;
      onTestFinished(() => registry.close());
      return registry;
    });
    const waiting = async () => {
      const { rows } = await holder.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = 'switchboard-relay:migrate'`,
      );
      return rows[0]!.waiting;
    };
    await expect.poll(waiting).toBe(1);
    expect(opened).toBe(false);
    const tables = await holder.query(`SELECT 1 FROM pg_tables WHERE tablename = 'clusters'`);
    expect(tables.rowCount).toBe(0);

    await holder.query(`SELECT pg_advisory_unlock(${KYSELY_MIGRATION_LOCK_ID})`);
    const registry = await opening;
    expect(await registry.listClusters()).toEqual([]);
  });

  it('several pools opening one fresh database at once all succeed', async () => {
    const database = await server.createDatabase();
    const registries = await Promise.all(
      Array.from({ length: 5 }, () => openPostgresRegistry(database, createLogger('silent'))),
    );
    onTestFinished(() => Promise.all(registries.map((registry) => registry.close())).then(() => {}));
    await registries[0]!.createCluster({ name: 'a', description: '', labels: {}, createdBy: 'test' });
    for (const registry of registries)
      expect((await registry.listClusters()).map((c) => c.name)).toEqual(['a']);
    const client = await sqlClient(database);
    expect((await client.query('SELECT name FROM kysely_migration')).rowCount).toBe(MIGRATIONS);
  });

  it('lets one of two processes rotating a credential at once win; the other is told it was superseded', async () => {
    const database = await server.createDatabase();
    const registry = await openPostgresRegistry(database, createLogger('silent'));
    onTestFinished(() => registry.close());
    await registry.createCluster({ name: 'a', description: '', labels: {}, createdBy: 'test' });
    const expiresAt = new Date(Date.now() + 3_600_000);
    await registry.createJoinToken({ tokenHash: 't', cluster: 'a', createdBy: 'test', expiresAt });
    const next = (id: string) => ({
      id,
      publicKey: '{}',
      thumbprint: `thumbprint-${id}`,
      agentVersion: 't',
      expiresAt,
    });
    await registry.redeemJoinToken('t', next('first'), new Date());

    const outcomes = await callFromProcesses({ database }, [
      ['rotateAgentCredential', 'first', next('left'), new Date()],
      ['rotateAgentCredential', 'first', next('right'), new Date()],
    ]);
    const answers = outcomes.map((outcome) => (outcome.ok ? outcome.value : outcome)) as {
      ok: boolean;
      failure?: string;
      credential?: { id: string };
    }[];
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.find((answer) => !answer.ok)).toEqual({ ok: false, failure: 'superseded' });
    const winner = answers.find((answer) => answer.ok)!.credential!.id;
    expect((await registry.getAgentCredential('first'))?.supersededBy).toBe(winner);
    expect(await registry.getAgentCredential(winner === 'left' ? 'right' : 'left')).toBeUndefined();
  });

  it('leaves no credential of a cluster unrevoked when a rotation races its revocation', async () => {
    const database = await server.createDatabase();
    const registry = await openPostgresRegistry(database, createLogger('silent'));
    onTestFinished(() => registry.close());
    await registry.createCluster({ name: 'a', description: '', labels: {}, createdBy: 'test' });
    const expiresAt = new Date(Date.now() + 3_600_000);
    await registry.createJoinToken({ tokenHash: 't', cluster: 'a', createdBy: 'test', expiresAt });
    const credential = (id: string) => ({
      id,
      publicKey: '{}',
      thumbprint: id,
      agentVersion: 't',
      expiresAt,
    });
    await registry.redeemJoinToken('t', credential('first'), new Date());

    const [rotation, revocation] = await callFromProcesses({ database }, [
      ['rotateAgentCredential', 'first', credential('second'), new Date()],
      ['revokeAgentAccess', 'a', new Date()],
    ]);
    // The rotation may come first (its successor is then revoked too) or find the credential revoked.
    expect(rotation).toMatchObject({ ok: true });
    expect(revocation).toMatchObject({ ok: true });
    for (const id of ['first', 'second']) {
      const stored = await registry.getAgentCredential(id);
      if (stored) expect(stored.revokedAt, `credential ${id}`).toBeInstanceOf(Date);
    }
  });
});

describe('Postgres registry when the database is away', () => {
  it('refuses a URL that is not a postgres URL without repeating it', async () => {
    const attempts = ['postgres://relay:hunter2@[::1', 'mysql://relay:hunter2@db.example.com/relay'];
    for (const url of attempts) {
      const error = await openPostgresRegistry(url, createLogger('silent')).catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('says a wrong password is wrong without repeating it', async () => {
    const database = await server.createDatabase();
    const wrong = database.replace(server.password, 'not-the-password');
    const error = await openPostgresRegistry(wrong, createLogger('silent')).catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(/password authentication failed/);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('not-the-password');
  });

  it('gives up connecting to a server that never answers after the connection timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const { port } = silent.address() as { port: number };
    const started = Date.now();
    const error = await openPostgresRegistry(
      `postgres://relay:hunter2@127.0.0.1:${port}/relay`,
      createLogger('silent'),
      { connectionTimeoutMs: 300 },
    ).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('cuts a statement the database does not finish within the statement timeout', async () => {
    const database = await server.createDatabase();
    const registry = await openPostgresRegistry(database, createLogger('silent'), {
      statementTimeoutMs: 300,
    });
    onTestFinished(() => registry.close());
    const blocker = await sqlClient(database);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE clusters IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    await expect(registry.listClusters()).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
    await blocker.query('ROLLBACK');
    expect(await registry.listClusters()).toEqual([]);
  });

  it('answers RegistryUnavailableError while Postgres is down, and recovers by itself when it is back', async () => {
    const database = await server.createDatabase();
    const { lines, logger } = capturedLogger();
    const { registry, location, deleteTicketKeysHint } = await openRegistry({ database }, logger);
    onTestFinished(() => registry.close());
    expect(location).not.toContain(server.password);
    expect(deleteTicketKeysHint).toBe(`psql '${location}' -c 'DELETE FROM ticket_keys'`);
    await registry.createCluster({ name: 'kept', description: '', labels: {}, createdBy: 'test' });

    const inFlight = await callWaitingOnALock(registry, database);
    await server.stop();
    expect(await inFlight.outcome).toBeInstanceOf(RegistryUnavailableError);

    for (const call of [
      () => registry.listClusters(),
      () => registry.createCluster({ name: 'new', description: '', labels: {}, createdBy: 'test' }),
      () => registry.ping(),
    ]) {
      const error = await call().catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(RegistryUnavailableError);
      expect((error as Error).message).toMatch(/^the registry database is unreachable: /);
    }

    await server.restart();
    await registry.ping();
    expect((await registry.listClusters()).map((c) => c.name)).toEqual(['kept']);
    expect(lines.join('\n')).not.toContain(server.password);
  });

  it('keeps every committed write when Postgres is killed, and serves again after its restart', async () => {
    const database = await server.createDatabase();
    const registry = await openPostgresRegistry(database, createLogger('silent'));
    onTestFinished(() => registry.close());
    for (const name of ['one', 'two', 'three']) {
      await registry.createCluster({ name, description: '', labels: {}, createdBy: 'test' });
    }
    const inFlight = await callWaitingOnALock(registry, database);
    await server.kill();
    expect(await inFlight.outcome).toBeInstanceOf(RegistryUnavailableError);
    await expect(registry.listClusters()).rejects.toBeInstanceOf(RegistryUnavailableError);
    await server.restart();
    await expect
      .poll(async () => (await registry.listClusters().catch(() => [])).map((c) => c.name))
      .toEqual(['one', 'three', 'two']);
  });
});
