/**
 * Structured logs (pino) on standard error. The agent never logs request headers, tokens or keys;
 * the redaction list is the second line of defence should one ever reach a log call.
 */
import { type DestinationStream, type Level, type Logger, pino } from 'pino';

export type { Logger };

const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'joinToken',
  '*.joinToken',
  'serviceAccountToken',
  '*.serviceAccountToken',
  'privateKey',
  '*.privateKey',
];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      name: 'switchboard-agent',
      level: level as Level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
