/**
 * The relay's connections to Postgres. Every wait is bounded (for a connection, for each
 * statement), so a database that is down or hung turns requests into quick RegistryUnavailableErrors
 * instead of pinning them; a connection the server drops (a restart, a failover) is logged and
 * replaced, never an unhandled 'error' that ends the process; the pool recovers by itself once the
 * database is back.
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { Pool, type PoolClient } from 'pg';
import type { Logger } from '../logging/logger.js';
import { RegistryUnavailableError } from './registry.js';

export interface PostgresPoolSettings {
  /** Connections one relay holds at most; requests beyond them wait for one. */
  maxConnections: number;
  /** How long a request waits for a connection (a new one, or a free one of the pool). */
  connectionTimeoutMs: number;
  /** How long one statement may run; 0 for none (migrations, which wait for each other's lock). */
  statementTimeoutMs: number;
}

export const DEFAULT_POSTGRES_POOL_SETTINGS: PostgresPoolSettings = {
  maxConnections: 10,
  connectionTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
};

/** A statement the server does not answer within its own timeout is given this much more by the client. */
const CLIENT_READ_GRACE_MS = 5_000;
/** At most one warning per this long about dropped connections while the database stays away. */
const ERROR_LOG_INTERVAL_MS = 10_000;

/** Socket errors that mean the server cannot be reached, not that a statement was wrong. */
const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server going away or refusing work for now; class 08 (connection exception) is
 * matched by prefix. https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_SQLSTATES: Record<string, string> = {
  '57P01': 'the server is shutting down (admin shutdown)',
  '57P02': 'the server crashed (crash shutdown)',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'the server has no connection slots left',
  // The relay cancels nothing itself: a cancelled statement is one that hit statement_timeout.
  '57014': 'a statement did not finish within its time limit',
};

/** pg's own errors for a connection that could not be made or was lost (they carry no code). */
const UNREACHABLE_CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
];

/**
 * Why the error means the database cannot be reached (to say in a RegistryUnavailableError), or
 * undefined when it is an answer from a reachable database (a constraint, a syntax error …).
 */
export function unavailableReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNREACHABLE_SOCKET_CODES.has(code)) return error.message;
    const known = UNAVAILABLE_SQLSTATES[code];
    if (known) return known;
    if (code.startsWith('08')) return error.message;
  }
  if (UNREACHABLE_CLIENT_MESSAGES.some((message) => error.message.includes(message))) return error.message;
  return undefined;
}

function unavailableOr(error: unknown): unknown {
  if (error instanceof RegistryUnavailableError) return error;
  const reason = unavailableReason(error);
  return reason === undefined ? error : new RegistryUnavailableError(reason, { cause: error });
}

/**
 * A pg Pool for `url`, as Kysely's PostgresDialect takes it, whose failures to reach the database
 * are RegistryUnavailableErrors. `name` shows in pg_stat_activity (application_name), so an
 * operator can tell the relay's sessions apart. Kysely's `destroy()` ends it.
 */
export function createRegistryPool(
  url: string,
  name: string,
  settings: PostgresPoolSettings,
  logger: Pick<Logger, 'warn'>,
): PostgresPool {
  const pool = new Pool({
    connectionString: url,
    application_name: name,
    max: settings.maxConnections,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    ...(settings.statementTimeoutMs > 0 && {
      statement_timeout: settings.statementTimeoutMs,
      // The server enforces statement_timeout only while it can; a network that silently drops
      // packets is caught by the client.
      query_timeout: settings.statementTimeoutMs + CLIENT_READ_GRACE_MS,
    }),
    // A half-open connection (the server's machine vanished) is found without waiting for a query.
    keepAlive: true,
    idleTimeoutMillis: 30_000,
  });

  let quietUntil = 0;
  const reportDropped = (error: Error) => {
    const now = Date.now();
    if (now < quietUntil) return;
    quietUntil = now + ERROR_LOG_INTERVAL_MS;
    logger.warn(
      { reason: unavailableReason(error) ?? error.message },
      'a registry database connection was lost; the pool replaces it',
    );
  };
  // Idle clients report here. A checked-out client reports on itself only, and pg-pool listens
  // there only while the client is idle: without a listener of its own for the client's whole
  // life, a connection lost mid-transaction would be an unhandled 'error' that ends the process.
  pool.on('error', reportDropped);
  pool.on('connect', (client) => client.on('error', reportDropped));

  return {
    connect: async () => {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw unavailableOr(error);
      }
      return unavailableOnLoss(client);
    },
    end: () => pool.end(),
  };
}

/**
 * The client as Kysely uses it, with a lost connection reported as RegistryUnavailableError; such
 * a client goes back to the pool as broken, so the pool closes it instead of lending it again.
 */
function unavailableOnLoss(client: PoolClient): PostgresPoolClient {
  let lost: Error | undefined;
  const query = async (sql: string, parameters: readonly unknown[]) => {
    try {
      return await client.query(sql, [...parameters]);
    } catch (error) {
      const mapped = unavailableOr(error);
      if (mapped instanceof RegistryUnavailableError) lost = mapped;
      throw mapped;
    }
  };
  return {
    // Kysely calls the cursor overload only when given a cursor class, which the registry never is.
    query: query as unknown as PostgresPoolClient['query'],
    release: () => client.release(lost),
  };
}
