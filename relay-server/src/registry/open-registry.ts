/** Opens the registry the configuration names: Postgres when `database` is set, SQLite in `dataDir` otherwise. */
import type { RelayConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { ClusterRegistry } from './registry.js';
import { DATABASE_FILE, openSqliteRegistry } from './sqlite-registry.js';

export interface OpenedRegistry {
  registry: ClusterRegistry;
  /** How an operator deletes the ticket keys by hand in this store (the unopenable-key error says it). */
  deleteTicketKeysHint: string;
}

export async function openRegistry(
  config: Pick<RelayConfig, 'dataDir' | 'database'>,
  logger: Pick<Logger, 'warn'>,
): Promise<OpenedRegistry> {
  if (config.database !== undefined) {
    throw new Error('the Postgres registry is not built yet');
  }
  const dataDir = config.dataDir!;
  return {
    registry: await openSqliteRegistry(dataDir, logger),
    deleteTicketKeysHint: `sqlite3 ${dataDir}/${DATABASE_FILE} 'DELETE FROM ticket_keys'`,
  };
}
