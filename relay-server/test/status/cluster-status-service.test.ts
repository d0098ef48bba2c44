/**
 * The status service once closed: the relay closes the registry right after it, while a fleet
 * replica still hears the other replicas' holdings change until it has left the fleet.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { ClusterStatusService } from '../../src/status/cluster-status-service.js';
import { InMemoryLiveSessions } from '../../src/tunnel/live-sessions.js';

it('after close, changes heard about clusters are dropped instead of reaching the closed registry', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-status-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const logger = createLogger(
    'warn',
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const registry = await openSqliteRegistry(dir, logger);
  await registry.createCluster({ name: 'alpha', description: '', labels: {}, createdBy: 'test' });
  const status = new ClusterStatusService({
    registry,
    liveSessions: new InMemoryLiveSessions(),
    recommendedAgentVersion: '1.0.0',
    now: Date.now,
    logger,
    reconcileIntervalMs: 3_600_000,
  });
  await status.start();
  await status.close();
  await registry.close();

  status.sessionsChanged('alpha');
  status.clusterChanged('alpha');
  status.clusterDeleted('alpha');
  await status.close();

  expect(lines.filter((line) => line.includes('cluster status update failed'))).toEqual([]);
});
