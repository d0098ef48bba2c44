/** Opens the registry the configuration names: Postgres when `database` is set, SQLite in `dataDir` otherwise. */
import type { RelayConfig } from '../config/schema.js';
import { redactedUrl } from '../config/url-password.js';
import type { Logger } from '../logging/logger.js';
import type { ClusterRegistry } from './registry.js';
import { DATABASE_FILE, openSqliteRegistry } from './sqlite-registry.js';

export interface OpenedRegistry {
  registry: ClusterRegistry;
  /** Where the registry is, for logs: the data directory, or the database URL without its password. */
  location: string;
  /** How an operator deletes the ticket keys by hand in this store (the unopenable-key error says it). */
  deleteTicketKeysHint: string;
  /**
   * SQLite only: a number that changes whenever another process (the operator CLI) committed to
   * the file, so the relay notices deletes, grants and revocations made behind its back. A fleet on
   * Postgres learns of other processes' writes from its change fan-out instead.
   */
  externalChangeCount?: () => Promise<number>;
}

export async function openRegistry(
  config: Pick<RelayConfig, 'dataDir' | 'database'>,
  logger: Pick<Logger, 'warn'>,
): Promise<OpenedRegistry> {
  // Loaded only when used: a single relay, and the operator CLI beside it, never need pg.
  if (config.database !== undefined) {
    const { openPostgresRegistry } = await import('./postgres-registry.js');
    const location = redactedUrl(config.database);
    return {
      registry: await openPostgresRegistry(config.database, logger),
      location,
      deleteTicketKeysHint: `psql ${shellQuoted(location)} -c 'DELETE FROM ticket_keys'`,
    };
  }
  const dataDir = config.dataDir!;
  const registry = await openSqliteRegistry(dataDir, logger);
  return {
    registry,
    location: dataDir,
    deleteTicketKeysHint: `sqlite3 ${dataDir}/${DATABASE_FILE} 'DELETE FROM ticket_keys'`,
    externalChangeCount: () => registry.externalChangeCount(),
  };
}

function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
