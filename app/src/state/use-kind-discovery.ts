import type { AppError, ResourceKindGroup } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { toAppError } from '../host/core-request-error';
import { useCore } from './core-context';

export interface KindDiscovery {
  /** Undefined until the cluster's discovery has been read. */
  groups: readonly ResourceKindGroup[] | undefined;
  /** Why the last attempt failed; it is retried on its own, and cleared once one succeeds. */
  error: AppError | undefined;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;

/**
 * The kinds a cluster serves, grouped for the sidebar (`discoverKinds`), read once per cluster
 * opened; a failure (the session's tunnel not up yet, the agent blipping) is retried with backoff.
 */
export function useKindDiscovery(cluster: string): KindDiscovery {
  const api = useCore();
  const [discovery, setDiscovery] = useState<KindDiscovery>({ groups: undefined, error: undefined });
  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setDiscovery({ groups: undefined, error: undefined });
    const attempt = (delayMs: number) => {
      api.request('discoverKinds', { cluster }).then(
        ({ groups }) => current && setDiscovery({ groups, error: undefined }),
        (reason: unknown) => {
          if (!current) return;
          setDiscovery({ groups: undefined, error: toAppError(reason) });
          timer = setTimeout(() => attempt(Math.min(delayMs * 2, MAX_RETRY_MS)), delayMs);
        },
      );
    };
    attempt(FIRST_RETRY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, cluster]);
  return discovery;
}
