import type { AppError, PodContainerView } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { toAppError } from '../host/core-request-error';
import { useCore } from './core-context';

export interface PodContainers {
  containers: PodContainerView[] | undefined;
  error: AppError | undefined;
}

/** A pod's containers (init and sidecars included), read once per pod. */
export function usePodContainers(cluster: string, namespace: string, pod: string): PodContainers {
  const api = useCore();
  const [result, setResult] = useState<PodContainers>({ containers: undefined, error: undefined });
  useEffect(() => {
    let current = true;
    setResult({ containers: undefined, error: undefined });
    api.request('getPodContainers', { cluster, namespace, pod }).then(
      ({ containers }) => current && setResult({ containers, error: undefined }),
      (error: unknown) => current && setResult({ containers: undefined, error: toAppError(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, cluster, namespace, pod]);
  return result;
}

const ROLE_LABELS: Record<PodContainerView['role'], string> = {
  init: ' (init)',
  sidecar: ' (sidecar)',
  container: '',
  ephemeral: ' (debug)',
};

/** How a container is named in a picker: its name, and its role when it is not an app container. */
export function containerLabel(container: PodContainerView): string {
  return `${container.name}${ROLE_LABELS[container.role]}`;
}

/** `kubectl logs`/`exec` without `-c`: the first app container. */
export function defaultContainerOf(containers: PodContainerView[]): PodContainerView | undefined {
  return containers.find((container) => container.role === 'container') ?? containers[0];
}
