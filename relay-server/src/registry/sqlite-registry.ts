/** The embedded registry: one SQLite file in the relay's data directory, in WAL mode. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Expression, Kysely, Migrator, SqliteDialect, sql, type Transaction } from 'kysely';
import { createLogger, type Logger } from '../logging/logger.js';
import { KyselyClusterRegistry } from './kysely-registry.js';
import { registryMigrations } from './migrations.js';
import { createOwnerOnly, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenToOwner } from './owner-only.js';
import type { RegistryDatabase } from './registry-tables.js';

export const DATABASE_FILE = 'relay.db';

/**
 * Opens (creating if needed) the registry in `dataDir` and brings its schema up to date. The
 * directory is made 0700 and the database files 0600; any that were looser are logged (by default
 * on standard error, as for the operator CLI).
 */
export async function openSqliteRegistry(
  dataDir: string,
  logger: Pick<Logger, 'warn'> = createLogger('warn'),
): Promise<SqliteClusterRegistry> {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tightenToOwner(dataDir, PRIVATE_DIR_MODE, logger);
  const file = join(dataDir, DATABASE_FILE);
  createOwnerOnly(file);
  for (const path of [file, `${file}-wal`, `${file}-shm`]) tightenToOwner(path, PRIVATE_FILE_MODE, logger);
  const database = new Database(file);
  // WAL lets the admin CLI write while the server reads; the busy timeout lets either wait for the other.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  // SQLite enforces foreign keys (and so the cascade from clusters to grants) only when asked.
  database.pragma('foreign_keys = ON');
  const db = new Kysely<RegistryDatabase>({ dialect: new SqliteDialect({ database }) });
  const { error } = await new Migrator({ db, provider: registryMigrations }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw new Error(`cannot migrate the registry in ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return new SqliteClusterRegistry(db);
}

export class SqliteClusterRegistry extends KyselyClusterRegistry {
  /**
   * A number that changes whenever ANOTHER process (the operator CLI) committed to the file, so the
   * relay can notice deletes, grants and revocations made behind its back without re-reading
   * everything on a timer. Its own writes do not change it.
   */
  async externalChangeCount(): Promise<number> {
    // SQLite bumps data_version when another connection commits (https://sqlite.org/pragma.html#pragma_data_version).
    const { rows } = await sql<{ data_version: number }>`PRAGMA data_version`.execute(this.db);
    return rows[0]?.data_version ?? 0;
  }

  // One connection, and SQLite lets one writer at a time into the file: its transactions are
  // serializable as they are (another process's conflicting commit makes a write fail, not interleave).
  protected override transaction<T>(work: (trx: Transaction<RegistryDatabase>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  protected override inCodePointOrder(column: string): Expression<string> {
    return sql.ref<string>(column);
  }
}
