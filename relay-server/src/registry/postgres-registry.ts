/**
 * The registry a fleet of relays shares: one Postgres database, through Kysely's Postgres dialect
 * and a bounded `pg` pool (`postgres-pool.ts`). Several processes write to it at once, so every
 * read-then-write runs SERIALIZABLE and is retried when Postgres reports a conflict.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type Expression, Kysely, Migrator, PostgresDialect, sql, type Transaction } from 'kysely';
import { ConfigError } from '../config/config-error.js';
import { redactedUrl } from '../config/url-password.js';
import type { Logger } from '../logging/logger.js';
import { KyselyClusterRegistry } from './kysely-registry.js';
import { registryMigrations } from './migrations.js';
import {
  createRegistryPool,
  DEFAULT_POSTGRES_POOL_SETTINGS,
  type PostgresPoolSettings,
} from './postgres-pool.js';
import { RegistryUnavailableError } from './registry.js';
import type { RegistryDatabase } from './registry-tables.js';

/** Attempts of a transaction that keeps meeting concurrent writers before its error goes to the caller. */
const SERIALIZABLE_ATTEMPTS = 8;
/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/**
 * Connects to the database at `url`, brings its schema up to date and returns the registry. The
 * schema is migrated once per fleet: Kysely's Migrator holds a Postgres advisory lock while it
 * migrates, so replicas starting together wait for the first, then find nothing left to do.
 */
export async function openPostgresRegistry(
  url: string,
  logger: Pick<Logger, 'warn'>,
  settings: Partial<PostgresPoolSettings> = {},
): Promise<PostgresClusterRegistry> {
  const location = checkedLocation(url);
  const poolSettings = { ...DEFAULT_POSTGRES_POOL_SETTINGS, ...settings };
  await migrate(url, location, poolSettings, logger);
  const db = new Kysely<RegistryDatabase>({
    dialect: new PostgresDialect({
      pool: createRegistryPool(url, 'switchboard-relay', poolSettings, logger),
    }),
  });
  return new PostgresClusterRegistry(db);
}

/**
 * On a connection of its own without a statement timeout: a replica waits for another's migration
 * for as long as it takes (Kysely's lock_timeout is an hour), and a long migration is not cut off.
 */
async function migrate(
  url: string,
  location: string,
  settings: PostgresPoolSettings,
  logger: Pick<Logger, 'warn'>,
): Promise<void> {
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: createRegistryPool(
        url,
        'switchboard-relay:migrate',
        { ...settings, maxConnections: 1, statementTimeoutMs: 0 },
        logger,
      ),
    }),
  });
  try {
    const { error } = await new Migrator({ db, provider: registryMigrations }).migrateToLatest();
    if (error instanceof RegistryUnavailableError) throw error;
    if (error) {
      throw new Error(`cannot migrate the registry in ${location}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  } finally {
    await db.destroy();
  }
}

/**
 * The URL as logs may show it. Anything but a postgres URL is refused here, before pg parses it:
 * pg's and Node's URL errors repeat the text, password included.
 */
function checkedLocation(url: string): string {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ConfigError(
      'database',
      'must be a URL such as postgres://relay@db.example.com:5432/switchboard',
    );
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new ConfigError('database', `must be a postgres:// or postgresql:// URL, not ${protocol}//`);
  }
  return redactedUrl(url);
}

export class PostgresClusterRegistry extends KyselyClusterRegistry {
  /**
   * SERIALIZABLE, retried: Postgres then makes each transaction act as if it ran alone, and rolls
   * one back (40001) when concurrent ones could not have run one after the other; the retry sees
   * what the other committed. Under the default READ COMMITTED a rotation inserting a successor
   * credential while revokeAgentAccess runs would leave the successor unrevoked (the revoking
   * UPDATE does not see a row committed after it started), and the loser of two concurrent
   * rotations would fail instead of being told "superseded". Single-statement writes need none of
   * this: INSERT … ON CONFLICT (createCluster, addTicketKey, setSetting) is atomic as it is.
   * Retrying is safe because `work` only touches the database.
   */
  protected override async transaction<T>(
    work: (trx: Transaction<RegistryDatabase>) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().setIsolationLevel('serializable').execute(work);
      } catch (error) {
        if (attempt >= SERIALIZABLE_ATTEMPTS || !isRetryable(error)) throw error;
        // Randomised, so the transactions that collided do not collide again in step.
        await delay(Math.random() * 10 * attempt);
      }
    }
  }

  // Postgres orders text by the database's collation (often a natural-language one, where "Bob"
  // sorts after "alice"); "C" is code point order, as SQLite lists.
  protected override inCodePointOrder(column: string): Expression<string> {
    return sql<string>`${sql.ref(column)} collate "C"`;
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}
