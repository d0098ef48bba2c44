/**
 * Where a port-forward goes, decided the way `kubectl port-forward` decides it: a pod's port is
 * used as given; a service port becomes its `targetPort` (a number, or a name looked up in the
 * pod's container ports) on one ready pod of the service's selector, chosen once at start.
 */
import type { ForwardablePort, PortForwardTarget } from '@switchboard/contract/app';
import { AppRequestError } from '../app/app-error.js';
import type { KubeObject } from './kube-object.js';
import { podContainers } from './pod-containers.js';

interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
  protocol?: string;
}

interface PodFields {
  metadata?: { name?: string; deletionTimestamp?: string };
  spec?: { containers?: { ports?: { containerPort?: number; name?: string }[] }[] };
  status?: { phase?: string; conditions?: { type?: string; status?: string }[] };
}

/** The service port a forward names: by its port number (what the UI lists and kubectl takes). */
export function servicePortOf(service: KubeObject, port: number): ServicePort {
  const ports = ((service.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []).filter(
    (each) => (each.protocol ?? 'TCP') === 'TCP',
  );
  const found = ports.find((each) => each.port === port);
  if (!found) {
    const offered = ports.map((each) => each.port).join(', ') || 'none';
    throw new AppRequestError(
      'invalid-request',
      `service ${service.metadata?.name} has no TCP port ${port} (its ports: ${offered})`,
    );
  }
  return found;
}

/** A pod that serves traffic now: running, Ready, not being deleted. */
export function isReady(pod: KubeObject): boolean {
  const { metadata, status } = pod as PodFields;
  return (
    !metadata?.deletionTimestamp &&
    status?.phase === 'Running' &&
    (status.conditions ?? []).some((each) => each.type === 'Ready' && each.status === 'True')
  );
}

/** The pod and container port a service port reaches; the first ready pod by name, as a stable choice. */
export function resolveServicePort(
  service: KubeObject,
  port: number,
  pods: KubeObject[],
): { pod: string; podPort: number } {
  const servicePort = servicePortOf(service, port);
  const ready = pods
    .filter(isReady)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const pod = ready[0];
  if (!pod) {
    throw new AppRequestError(
      'not-found',
      `service ${service.metadata?.name} has no ready pod to forward to; check its pods, or forward to a pod directly`,
    );
  }
  const target = servicePort.targetPort ?? servicePort.port!;
  if (typeof target === 'number') return { pod: pod.metadata!.name!, podPort: target };
  const named = (pod as PodFields).spec?.containers
    ?.flatMap((container) => container.ports ?? [])
    .find((each) => each.name === target)?.containerPort;
  if (named === undefined) {
    throw new AppRequestError(
      'not-found',
      `pod ${pod.metadata?.name} has no container port named ${target} (service ${service.metadata?.name}'s targetPort)`,
    );
  }
  return { pod: pod.metadata!.name!, podPort: named };
}

/** The TCP ports a forward to this pod or service can name, as `kubectl describe` lists them. */
export function forwardablePorts(kind: PortForwardTarget, object: KubeObject): ForwardablePort[] {
  if (kind === 'pods') {
    return podContainers(object).flatMap((container) =>
      container.ports
        .filter((port) => port.protocol === 'TCP')
        .map((port) => ({
          port: port.port,
          ...(port.name !== undefined && { name: port.name }),
          detail: `container ${container.name}`,
        })),
    );
  }
  const ports = (object.spec as { ports?: ServicePort[] } | undefined)?.ports ?? [];
  return ports
    .filter((port) => (port.protocol ?? 'TCP') === 'TCP' && port.port !== undefined)
    .map((port) => ({
      port: port.port!,
      ...(port.name !== undefined && { name: port.name }),
      detail: `→ ${port.targetPort ?? port.port}`,
    }));
}
