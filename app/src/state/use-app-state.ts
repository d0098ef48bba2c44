import type { AppError, AppState } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { toAppError } from '../host/core-request-error';
import { useCore } from './core-context';

/**
 * The core's AppState: fetched once, then replaced by every `state` event. A `state` event that
 * arrives before the first answer wins over it (it is newer).
 */
export function useAppState(): { state: AppState | undefined; loadError: AppError | undefined } {
  const api = useCore();
  const [state, setState] = useState<AppState>();
  const [loadError, setLoadError] = useState<AppError>();
  useEffect(() => {
    let pushed = false;
    let active = true;
    const unsubscribe = api.on('state', (next) => {
      pushed = true;
      setState(next);
    });
    api.request('getState', undefined).then(
      (initial) => {
        if (active && !pushed) setState(initial);
      },
      (reason: unknown) => {
        if (active) setLoadError(toAppError(reason));
      },
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, [api]);
  return { state, loadError };
}
