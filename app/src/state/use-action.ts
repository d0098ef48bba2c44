import type { AppError } from '@switchboard/contract/app';
import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError } from '../host/core-request-error';

export interface Action {
  /** Runs `task`, tracking it as pending; resolves undefined (and sets `error`) when it fails. */
  run<T>(task: () => Promise<T>): Promise<T | undefined>;
  pending: boolean;
  error: AppError | undefined;
  clearError(): void;
}

/** One user action against the core (a button): its pending state and its last error. */
export function useAction(): Action {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async <T>(task: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(undefined);
    try {
      return await task();
    } catch (reason) {
      if (mounted.current) setError(toAppError(reason));
      return undefined;
    } finally {
      if (mounted.current) setPending(false);
    }
  }, []);
  const clearError = useCallback(() => setError(undefined), []);
  return { run, pending, error, clearError };
}
