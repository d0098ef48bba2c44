import { AdminError } from '../admin/admin-errors.js';
import { ConfigError } from '../config/config-error.js';

/** Exit codes, so scripts can tell "already there" or "not there" from a real failure. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
} as const;

/** Wrong flags or arguments: the message is printed with the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) return EXIT.usage;
  if (error instanceof AdminError) {
    if (error.kind === 'invalid') return EXIT.usage;
    if (error.kind === 'not-found') return EXIT.notFound;
    if (error.kind === 'conflict') return EXIT.conflict;
  }
  return EXIT.failed;
}
