/**
 * The relay's data directory and database are the owner's alone: the database holds join-token
 * hashes, agent public keys, grants and the dev IdP's refresh-token hashes. SQLite creates its
 * `-wal` and `-shm` files with the database file's mode, so creating that file owner-only first is
 * what keeps all three private; files left looser by an older relay (or a copy) are tightened.
 */
import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import type { Logger } from '../logging/logger.js';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `file` owner-only if it does not exist (without truncating it if it does). */
export function createOwnerOnly(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

/**
 * Takes group and other permissions off `path` if it has any (and exists), with a warning that
 * says which file it was and what its mode had been. A path the relay's user does not own (a
 * volume root prepared by the platform, say) cannot be changed: that is a warning too, not a
 * refusal to start.
 */
export function tightenToOwner(path: string, mode: number, logger: Pick<Logger, 'warn'>): void {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((current & 0o077) === 0) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    logger.warn(
      { path, mode: octal(current) },
      'the relay data is readable by other users and not owned by the relay user, so it cannot be made owner-only: restrict it (chmod or chown) yourself',
    );
    return;
  }
  logger.warn(
    { path, was: octal(current), now: octal(mode) },
    'the relay data was readable by other users; made it owner-only',
  );
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
