import { createLogger, type Logger } from '@switchboard/cluster-agent';

export type LogLine = { msg: string; [field: string]: unknown };

/** An agent logger (the agent's own redaction included) whose JSON lines a test can read. */
export function capturingLogger(level: 'debug' | 'info' = 'info'): {
  logger: Logger;
  lines: () => LogLine[];
} {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, lines: () => lines.map((line) => JSON.parse(line)) };
}
