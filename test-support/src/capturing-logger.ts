export type LogLine = { msg: string; [field: string]: unknown };

import { createLogger, type Logger } from '../../src/logger.js';

/** A logger whose JSON lines a test can read. */
export function capturingLogger(level: 'debug' | 'info' = 'info'): {
  logger: Logger;
  lines: () => LogLine[];
} {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, lines: () => lines.map((line) => JSON.parse(line)) };
}
