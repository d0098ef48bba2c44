import type { AppError, ResourceKindGroup } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { toAppError } from '../host/core-request-error';
import { useCore } from './core-context';
import { retryDelayMs } from './retry-delay';

export interface KindDiscovery {
  /** Undefined until the cluster's discovery has been read. */
  groups: readonly ResourceKindGroup[] | undefined;
  /** Why the last attempt failed; it is retried on its own, and cleared once one succeeds. */
  error: AppError | undefined;
}

/** How often the kinds are read again while the cluster is on screen. */
const REFRESH_MS = 30_000;

/**
 * The kinds a cluster serves, grouped for the sidebar (`discoverKinds`), read when the cluster is
 * shown and every 30 s while it is (access and CRDs change under an open cluster); a failure (the
 * session's tunnel not up yet, the agent blipping) is retried with backoff.
 */
export function useKindDiscovery(cluster: string, shown: boolean): KindDiscovery {
  const api = useCore();
  const [discovery, setDiscovery] = useState<KindDiscovery>({ groups: undefined, error: undefined });
  // Read again each time the cluster comes back on screen, and every so often while it is: a grant
  // or a new CustomResourceDefinition shows up without closing the cluster.
  const [reading, setReading] = useState(0);
  useEffect(() => {
    if (!shown) return;
    setReading((count) => count + 1);
    const timer = setInterval(() => setReading((count) => count + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, [shown]);
  // A new cluster starts from nothing; a refresh keeps what is shown until the new answer arrives.
  const [readFor, setReadFor] = useState(cluster);
  if (readFor !== cluster) {
    setReadFor(cluster);
    setDiscovery({ groups: undefined, error: undefined });
  }

  useEffect(() => {
    if (reading === 0) return;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = (failures: number) => {
      api.request('discoverKinds', { cluster }).then(
        ({ groups }) => current && setDiscovery({ groups, error: undefined }),
        (reason: unknown) => {
          if (!current) return;
          setDiscovery((known) => ({ groups: known.groups, error: toAppError(reason) }));
          timer = setTimeout(() => attempt(failures + 1), retryDelayMs(failures));
        },
      );
    };
    attempt(0);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, cluster, reading]);
  return discovery;
}
