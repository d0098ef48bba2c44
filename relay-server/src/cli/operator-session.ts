/**
 * Server-side administration: the CLI opens the relay's registry itself (its data directory, or
 * the fleet's Postgres database) and acts as an operator through the same AdminService the API uses.
 */
import { userInfo } from 'node:os';
import type { Actor } from '../admin/actor.js';
import { AdminService } from '../admin/admin-service.js';
import { ENV_PREFIX } from '../config/environment.js';
import { publishFleetEvents, type RegistryChangeEvent } from '../fleet/fleet-events.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { openRegistry } from '../registry/open-registry.js';
import type { ClusterRegistry } from '../registry/registry.js';
import { withoutPassword } from './arguments.js';
import { UsageError } from './cli-error.js';

export const DATA_DIR_ENV = `${ENV_PREFIX}DATA_DIR`;
export const DATABASE_ENV = `${ENV_PREFIX}DATABASE`;
const REDIS_ENV = `${ENV_PREFIX}REDIS`;

/** Where the registry is, as the operator's flags say (`--data DIR`, `--database URL`). */
export interface RegistryFlags {
  data?: string | undefined;
  database?: string | undefined;
}

/** The options every administration command takes to find the registry. */
export const REGISTRY_OPTIONS = {
  data: { type: 'string' },
  database: { type: 'string' },
} as const;

/** What REGISTRY stands for in the usage texts. */
export const REGISTRY_USAGE = `  REGISTRY is the relay's: --data DIR (its SQLite data directory) or --database URL (a fleet's
  Postgres, postgres://USER@HOST:PORT/DB; the password goes in ${DATABASE_ENV},
  PGPASSWORD or ~/.pgpass, not on the command line). Without either flag, ${DATABASE_ENV}
  or ${DATA_DIR_ENV} says where it is.`;

export async function withOperatorSession<T>(
  flags: RegistryFlags,
  work: (admin: AdminService, operator: Actor, registry: ClusterRegistry) => Promise<T>,
): Promise<T> {
  const logger = createLogger('warn');
  const { registry } = await openRegistry(registryLocation(flags), logger);
  const changes: RegistryChangeEvent[] = [];
  const changed = (change: RegistryChangeEvent['change']) => (cluster: string) =>
    void changes.push({ type: 'registry', change, cluster });
  try {
    // Operators have every right; the global-admin list only matters for API callers.
    return await work(
      new AdminService(
        registry,
        { users: [], groups: [] },
        {
          onClusterChanged: changed('changed'),
          onClusterDeleted: changed('deleted'),
          onAgentCredentialsRevoked: changed('credentials-revoked'),
        },
      ),
      { kind: 'operator', name: operatorName() },
      registry,
    );
  } finally {
    await registry.close();
    await tellTheFleet(changes, logger);
  }
}

/**
 * The replicas of a fleet hear of changes over Redis (a relay on SQLite notices them itself). With
 * SWITCHBOARD_RELAY_REDIS set, as it is in a replica's pod, the changes are published there: every
 * replica ends the streams they forbid at once. Without it they do so at their next periodic check.
 */
async function tellTheFleet(changes: RegistryChangeEvent[], logger: Logger): Promise<void> {
  const redisUrl = process.env[REDIS_ENV];
  if (changes.length === 0 || !redisUrl) return;
  if (!(await publishFleetEvents(redisUrl, changes))) {
    logger.warn(
      `the change is stored, but Redis (${REDIS_ENV}) could not be told: the relay replicas apply it at their next periodic check`,
    );
  }
}

/**
 * Flags over the environment, as for `serve`; of either, a database names the registry rather
 * than a data directory, since that is what a relay given both uses.
 */
function registryLocation(flags: RegistryFlags): { dataDir?: string; database?: string } {
  if (flags.data !== undefined && flags.database !== undefined) {
    throw new UsageError('give --data DIR or --database URL, not both');
  }
  const database = withoutPassword('--database', flags.database);
  if (database !== undefined) return { database };
  if (flags.data !== undefined) return { dataDir: flags.data };
  const fromEnv = process.env[DATABASE_ENV];
  if (fromEnv) return { database: fromEnv };
  const dataDir = process.env[DATA_DIR_ENV];
  if (dataDir) return { dataDir };
  throw new UsageError(
    `--data DIR or --database URL is required (or set ${DATA_DIR_ENV} or ${DATABASE_ENV})`,
  );
}

function operatorName(): string {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    // No passwd entry for the uid, as in some containers.
    return `operator:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
