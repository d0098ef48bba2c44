/**
 * Server-side administration: the CLI opens the relay's data directory itself and acts as an
 * operator through the same AdminService the API uses.
 */
import { userInfo } from 'node:os';
import type { Actor } from '../admin/actor.js';
import { AdminService } from '../admin/admin-service.js';
import { ENV_PREFIX } from '../config/environment.js';
import type { ClusterRegistry } from '../registry/registry.js';
import { openSqliteRegistry } from '../registry/sqlite-registry.js';
import { UsageError } from './cli-error.js';

export const DATA_DIR_ENV = `${ENV_PREFIX}DATA_DIR`;

export async function withOperatorSession<T>(
  dataDir: string | undefined,
  work: (admin: AdminService, operator: Actor, registry: ClusterRegistry) => Promise<T>,
): Promise<T> {
  const directory = dataDir ?? process.env[DATA_DIR_ENV];
  if (!directory) throw new UsageError(`--data DIR is required (or set ${DATA_DIR_ENV})`);
  const registry = await openSqliteRegistry(directory);
  try {
    // Operators have every right; the global-admin list only matters for API callers.
    return await work(
      new AdminService(registry, { users: [], groups: [] }),
      { kind: 'operator', name: operatorName() },
      registry,
    );
  } finally {
    await registry.close();
  }
}

function operatorName(): string {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    // No passwd entry for the uid, as in some containers.
    return `operator:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
