/**
 * A pod's containers as the log and shell pickers list them: init containers first (a sidecar is
 * an init container with `restartPolicy: Always`, which keeps running beside the app), then the
 * app's containers, then ephemeral (debug) containers, each with the state its status reports.
 */
import type { ContainerRole, PodContainerView } from '@switchboard/contract/app';
import type { KubeObject } from './kube-object.js';

interface ContainerSpec {
  name?: string;
  image?: string;
  restartPolicy?: string;
  ports?: { containerPort?: number; name?: string; protocol?: string }[];
}

interface ContainerStatus {
  name?: string;
  restartCount?: number;
  state?: { running?: unknown; waiting?: unknown; terminated?: unknown };
  lastState?: { terminated?: unknown };
}

interface PodFields {
  spec?: {
    initContainers?: ContainerSpec[];
    containers?: ContainerSpec[];
    ephemeralContainers?: ContainerSpec[];
  };
  status?: {
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
    ephemeralContainerStatuses?: ContainerStatus[];
  };
}

export function podContainers(pod: KubeObject): PodContainerView[] {
  const { spec = {}, status = {} } = pod as PodFields;
  const views: PodContainerView[] = [];
  const add = (
    specs: ContainerSpec[] | undefined,
    statuses: ContainerStatus[] | undefined,
    role: (spec: ContainerSpec) => ContainerRole,
  ) => {
    for (const container of specs ?? []) {
      if (!container.name) continue;
      const found = statuses?.find((each) => each.name === container.name);
      views.push({
        name: container.name,
        role: role(container),
        image: container.image ?? '',
        state: stateOf(found),
        restartCount: found?.restartCount ?? 0,
        hasPrevious: found?.lastState?.terminated !== undefined,
        ports: (container.ports ?? []).flatMap((port) =>
          port.containerPort === undefined
            ? []
            : [
                {
                  port: port.containerPort,
                  ...(port.name !== undefined && { name: port.name }),
                  protocol: port.protocol ?? 'TCP',
                },
              ],
        ),
      });
    }
  };
  add(spec.initContainers, status.initContainerStatuses, (container) =>
    container.restartPolicy === 'Always' ? 'sidecar' : 'init',
  );
  add(spec.containers, status.containerStatuses, () => 'container');
  add(spec.ephemeralContainers, status.ephemeralContainerStatuses, () => 'ephemeral');
  return views;
}

/** `kubectl logs`/`exec` without `-c`: the first app container (init containers are skipped). */
export function defaultContainer(pod: KubeObject): string | undefined {
  return (pod as PodFields).spec?.containers?.[0]?.name;
}

function stateOf(status: ContainerStatus | undefined): PodContainerView['state'] {
  if (status?.state?.running !== undefined) return 'running';
  if (status?.state?.terminated !== undefined) return 'terminated';
  if (status?.state?.waiting !== undefined) return 'waiting';
  return 'unknown';
}
