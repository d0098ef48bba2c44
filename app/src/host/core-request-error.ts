import type { AppError, AppErrorCode, AppErrorKind } from '@switchboard/contract/app';
import { APP_ERROR_CODES, APP_ERROR_KINDS } from '@switchboard/contract/app';

/** A request the core refused, or could not answer; carries the contract's error kind and code. */
export class CoreRequestError extends Error implements AppError {
  override readonly name = 'CoreRequestError';
  readonly kind: AppErrorKind;
  readonly code: AppErrorCode | undefined;
  constructor(error: AppError) {
    super(error.message);
    this.kind = error.kind;
    this.code = error.code;
  }
}

function isAppErrorKind(value: unknown): value is AppErrorKind {
  return typeof value === 'string' && (APP_ERROR_KINDS as readonly string[]).includes(value);
}

function isAppErrorCode(value: unknown): value is AppErrorCode {
  return typeof value === 'string' && (APP_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Whatever a request rejected with, as an AppError the screens know how to word. Both hosts reject
 * with an object carrying `kind`, `message` and, when a peer named the cause, `code`; anything else
 * (a bug, an Electron IPC failure) is `internal` with the best message available.
 */
export function toAppError(reason: unknown): AppError {
  if (typeof reason === 'object' && reason !== null) {
    const { kind, message, code } = reason as { kind?: unknown; message?: unknown; code?: unknown };
    if (isAppErrorKind(kind) && typeof message === 'string') {
      return { kind, message, ...(isAppErrorCode(code) && { code }) };
    }
    if (reason instanceof Error) return { kind: 'internal', message: reason.message };
  }
  return { kind: 'internal', message: String(reason) };
}
