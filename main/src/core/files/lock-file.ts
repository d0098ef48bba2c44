import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Another process held the lock for longer than anything legitimate takes. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
}

/** Longer than a renewal can take (discovery + token request, each capped well below this). */
const STALE_AFTER_MS = 120_000;
const WAIT_AT_MOST_MS = 90_000;

/**
 * Runs `critical` while holding an exclusive lock file, so that separate processes (several
 * `switchboard token` runs started by parallel kubectl calls) take turns. The file is created
 * with O_EXCL; a holder that died (its pid is gone, or the file is older than any renewal
 * takes) no longer blocks anyone.
 */
export async function withLockFile<T>(path: string, critical: () => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + WAIT_AT_MOST_MS;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isAbandoned(path)) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new LockTimeoutError(
        `another switchboard process holds ${path}; if none is running, delete that file`,
      );
    }
    await sleep(20 + Math.random() * 30);
  }
  try {
    return await critical();
  } finally {
    await rm(path, { force: true });
  }
}

async function isAbandoned(path: string): Promise<boolean> {
  try {
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    if (Date.now() - info.mtimeMs > STALE_AFTER_MS) return true;
    const pid = Number.parseInt(content, 10);
    // Written but not yet filled in by its creator: not abandoned.
    if (!Number.isSafeInteger(pid) || pid <= 0) return false;
    return !isRunning(pid);
  } catch {
    return false; // released meanwhile: the next attempt will tell
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
