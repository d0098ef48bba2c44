/**
 * Structured logs (pino). The relay never logs request headers or bodies; the redaction list is
 * the second line of defence, should a token ever reach a log call.
 */
import { type DestinationStream, type Level, type Logger, pino } from 'pino';

export type { Logger };

const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'idToken',
  '*.idToken',
  'id_token',
  '*.id_token',
  'refreshToken',
  '*.refreshToken',
  'refresh_token',
  '*.refresh_token',
];

export function createLogger(level: Level | 'silent', destination?: DestinationStream): Logger {
  const options = {
    name: 'switchboard-relay',
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  // Standard error, so that standard output carries only what scripts read (the `ready` line).
  return destination ? pino(options, destination) : pino(options, pino.destination(2));
}
