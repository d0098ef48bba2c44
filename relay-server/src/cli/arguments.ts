/** Helpers the commands share to read their arguments and print results. */
import { ENV_PREFIX } from '../config/environment.js';
import { carriesPassword } from '../config/url-password.js';
import { UsageError } from './cli-error.js';

/** Runs node's parseArgs, reporting its errors (unknown flag, missing value) as usage errors. */
export function usageErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Any local user can read a process's argv (ps, /proc): a URL flag carrying a password is refused
 * before anything connects with it, and the error does not repeat it.
 */
export function withoutPassword(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value; // the configuration schema says what is wrong with it
  }
  if (carriesPassword(url)) {
    throw new UsageError(
      `${flag} must not hold a password: any local user can read a command line. Put the URL in ` +
        `the environment (${ENV_PREFIX}${flag.slice(2).toUpperCase()}) or the --config file instead`,
    );
  }
  return value;
}

export function outputFormat(value: string | undefined): 'table' | 'json' {
  if (value === undefined || value === 'table' || value === 'json') return value ?? 'table';
  throw new UsageError(`--output must be table or json, got "${value}"`);
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}
