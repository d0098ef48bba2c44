import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Every field name under which a credential could end up in a log line. Redaction is the second
 * line of defence: code never logs token values on purpose, but an error object or a response
 * body logged whole would otherwise carry them out.
 */
const SECRET_FIELDS = [
  'accessToken',
  'refreshToken',
  'idToken',
  'access_token',
  'refresh_token',
  'id_token',
  'device_code',
  'code',
  'code_verifier',
  'clientSecret',
  'client_secret',
  'authorization',
  'Authorization',
  'key',
];
const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
];

/**
 * Diagnostics go to stderr so that stdout stays clean for command output (`switchboard token`
 * is piped into other programs). Quiet by default; `SWITCHBOARD_LOG_LEVEL=debug` for detail.
 */
export function createLogger(
  level = process.env.SWITCHBOARD_LOG_LEVEL ?? 'warn',
  destination: DestinationStream = pino.destination({ fd: 2, sync: true }),
): Logger {
  return pino(
    { name: 'switchboard', level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination,
  );
}
