import type { AppError, ResourceKindGroup } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { toAppError } from '../host/core-request-error';
import { useCore } from './core-context';

export interface KindDiscovery {
  /** Undefined until the cluster's discovery has been read. */
  groups: readonly ResourceKindGroup[] | undefined;
  error: AppError | undefined;
}

/** The kinds a cluster serves, grouped for the sidebar (`discoverKinds`), read once per cluster opened. */
export function useKindDiscovery(cluster: string): KindDiscovery {
  const api = useCore();
  const [discovery, setDiscovery] = useState<KindDiscovery>({ groups: undefined, error: undefined });
  useEffect(() => {
    let current = true;
    setDiscovery({ groups: undefined, error: undefined });
    api.request('discoverKinds', { cluster }).then(
      ({ groups }) => current && setDiscovery({ groups, error: undefined }),
      (reason: unknown) => current && setDiscovery({ groups: undefined, error: toAppError(reason) }),
    );
    return () => {
      current = false;
    };
  }, [api, cluster]);
  return discovery;
}
