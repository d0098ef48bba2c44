import { ErrorCode as Codes, type ErrorCode } from './constants.js';

/** The peer broke the protocol. Always ends the session it happened on. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A stream ended abnormally: reset by either side, refused or rejected when opened, or torn down
 * with its session. `code` is the RST code (or the session's close code); `reason` is the text the
 * resetting side gave.
 */
export class StreamResetError extends Error {
  override readonly name = 'StreamResetError';
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    readonly remote: boolean,
  ) {
    super(`stream ${remote ? 'reset by peer' : 'reset'}: ${codeName(code)}${reason ? ` (${reason})` : ''}`);
  }
}

export function codeName(code: ErrorCode): string {
  for (const [name, value] of Object.entries(Codes)) if (value === code) return name;
  return `code ${code}`;
}
