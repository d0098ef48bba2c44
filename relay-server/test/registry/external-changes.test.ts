/**
 * The relay notices writes another process (the operator CLI) makes to its registry, including one
 * made right after it started, before its first poll.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { EXTERNAL_CHANGE_POLL_MS, watchExternalChanges } from '../../src/registry/external-changes.js';
import { openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('external registry changes', () => {
  it('a write by another connection just after the watch started is reported at the first poll', async () => {
    const dataDir = await tempDir();
    const relay = await openSqliteRegistry(dataDir);
    const operator = await openSqliteRegistry(dataDir);
    onTestFinished(async () => {
      await Promise.all([relay.close(), operator.close()]);
    });
    let reportChange: () => void;
    const changed = new Promise<void>((resolve) => {
      reportChange = resolve;
    });
    const started = Date.now();
    const watch = await watchExternalChanges(
      () => relay.externalChangeCount(),
      EXTERNAL_CHANGE_POLL_MS,
      async () => reportChange(),
      createLogger('silent'),
    );
    onTestFinished(() => watch.close());
    // Well before the first poll, as an operator who revokes a grant as soon as the relay is up.
    await operator.createCluster({ name: 'late', description: '', labels: {}, createdBy: 'operator' });
    expect(Date.now() - started).toBeLessThan(EXTERNAL_CHANGE_POLL_MS);

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('the change was never reported')),
        EXTERNAL_CHANGE_POLL_MS * 3,
      );
    });
    await Promise.race([changed, deadline]).finally(() => clearTimeout(timer));
    expect(Date.now() - started).toBeLessThan(EXTERNAL_CHANGE_POLL_MS * 2);
  });
});
