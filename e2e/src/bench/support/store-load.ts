/**
 * How much work a Postgres database and a Redis server have done so far, read with their own
 * command-line clients (`psql`, `redis-cli`; passwords in the environment, never argv), so that
 * reading costs no connection of the relay's and no driver the benchmarks would have to declare.
 *
 * - Postgres: transactions of one database (`pg_stat_database` xact_commit + xact_rollback; each
 *   statement outside a transaction is one). `psql` connects to the `postgres` database, so its own
 *   transactions are not counted. Backends publish their counts at most once a second while busy and
 *   within 10 s once idle (PostgreSQL 15), so a rate is only exact over a window that spans whole
 *   periods of a periodic load.
 * - Redis: `total_commands_processed` (INFO stats), less the two commands each reading costs (AUTH
 *   and INFO); pub/sub deliveries are not commands.
 */
import { execFile } from 'node:child_process';

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** AUTH and INFO: what one `redis-cli INFO` adds to the count it reads, as the next reading sees. */
const COMMANDS_PER_REDIS_READING = 2;

function run(command: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 10_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

/** Transactions committed or rolled back in the database `databaseUrl` names, since the server started. */
export async function postgresTransactions(databaseUrl: string): Promise<number> {
  const url = new URL(databaseUrl);
  const database = url.pathname.slice(1);
  if (!DATABASE_NAME.test(database)) throw new Error(`"${database}" is not a plain database name`);
  const output = await run(
    'psql',
    [
      '--no-psqlrc',
      '--tuples-only',
      '--no-align',
      `--host=${url.hostname}`,
      `--port=${url.port || '5432'}`,
      `--username=${decodeURIComponent(url.username)}`,
      '--dbname=postgres',
      `--command=SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '${database}'`,
    ],
    { PGPASSWORD: decodeURIComponent(url.password) },
  );
  const count = Number(output.trim());
  if (!Number.isFinite(count) || output.trim() === '') {
    throw new Error(`psql: no statistics for database ${database}: ${output.trim()}`);
  }
  return count;
}

/** INFO of a section (`stats`, `memory` …) as field → value. */
async function redisInfo(redisUrl: string, section: string): Promise<Map<string, string>> {
  const url = new URL(redisUrl);
  const output = await run(
    'redis-cli',
    ['-h', url.hostname, '-p', url.port || '6379', '--no-auth-warning', 'INFO', section],
    url.password ? { REDISCLI_AUTH: decodeURIComponent(url.password) } : {},
  );
  return new Map(
    output
      .split(/\r?\n/)
      .filter((line) => line.includes(':') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as const),
  );
}

async function redisField(redisUrl: string, section: string, field: string): Promise<number> {
  const value = Number((await redisInfo(redisUrl, section)).get(field));
  if (!Number.isFinite(value)) throw new Error(`redis-cli: no ${field} in INFO ${section}`);
  return value;
}

/** Bytes Redis holds for its data (`used_memory`). */
export function redisMemory(redisUrl: string): Promise<number> {
  return redisField(redisUrl, 'memory', 'used_memory');
}

export interface StoreOperations {
  postgresTransactions: number;
  redisCommands: number;
  /** Epoch ms of the reading. */
  at: number;
}

export async function readStoreOperations(databaseUrl: string, redisUrl: string): Promise<StoreOperations> {
  const [postgres, redis] = await Promise.all([
    postgresTransactions(databaseUrl),
    redisField(redisUrl, 'stats', 'total_commands_processed'),
  ]);
  return { postgresTransactions: postgres, redisCommands: redis, at: Date.now() };
}

/** Operations per second between two readings (the second reading's own Redis commands not counted). */
export function operationRates(
  from: StoreOperations,
  to: StoreOperations,
): { postgres: number; redis: number; seconds: number } {
  const seconds = (to.at - from.at) / 1000;
  return {
    postgres: (to.postgresTransactions - from.postgresTransactions) / seconds,
    redis: (to.redisCommands - from.redisCommands - COMMANDS_PER_REDIS_READING) / seconds,
    seconds,
  };
}
