/**
 * Notices when another process (the operator CLI on the same data directory) changed the registry:
 * a deleted cluster, a revoked grant or a rejoin must close sessions and reach live status streams
 * within about a second, not at the next periodic check.
 */
import type { Logger } from '../logging/logger.js';

/** How often the relay asks the registry whether another process wrote to it. */
export const EXTERNAL_CHANGE_POLL_MS = 1_000;

export async function watchExternalChanges(
  externalChangeCount: () => Promise<number>,
  intervalMs: number,
  onChange: () => Promise<void>,
  logger: Logger,
): Promise<{ close(): void }> {
  // The baseline is read now, not at the first poll: a change made in between (an operator
  // revoking a grant right after the relay started) would otherwise become the baseline, unseen.
  let last = await externalChangeCount();
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const count = await externalChangeCount();
      if (count !== last) await onChange();
      last = count;
    } catch (error) {
      logger.warn({ err: error }, 'cannot check the registry for changes made by another process');
    } finally {
      busy = false;
    }
  }, intervalMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
