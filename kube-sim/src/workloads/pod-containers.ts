/**
 * What logs, exec and attach share about a pod's containers: picking the container a request
 * means (the apiserver's validateContainer), the container's environment as the kubelet builds
 * it, and the instance the runtime has for it.
 */
import { badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/objects.js';
import { type Container, type ContainerRuntime, type ContainerSpec, DEFAULT_PATH } from './runtime.js';

interface PodSpec {
  nodeName?: string;
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  ephemeralContainers?: ContainerSpec[];
  serviceAccountName?: string;
}

export interface ContainerStatus {
  name: string;
  state?: {
    waiting?: { reason?: string };
    running?: { startedAt?: string };
    terminated?: { containerID?: string };
  };
  lastState?: { terminated?: { containerID?: string } };
  containerID?: string;
}

export function podSpec(pod: KubeObject): PodSpec {
  return (pod.spec ?? {}) as PodSpec;
}

/** All containers the apiserver accepts by name: init, regular and ephemeral. */
function allContainers(pod: KubeObject): ContainerSpec[] {
  const spec = podSpec(pod);
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

/**
 * The container a logs/exec/attach request names, or the only one. Like the apiserver, this does
 * not look at the `kubectl.kubernetes.io/default-container` annotation: kubectl resolves that
 * itself and always sends `container`.
 */
export function validateContainer(pod: KubeObject, requested: string | null): ContainerSpec {
  const name = pod.metadata.name;
  const all = allContainers(pod);
  if (!requested) {
    const regular = podSpec(pod).containers ?? [];
    if (regular.length === 1) return regular[0]!;
    if (regular.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${all.map((c) => c.name).join(' ')}]`,
    );
  }
  const found = all.find((c) => c.name === requested);
  if (!found) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return found;
}

export function containerStatusOf(pod: KubeObject, name: string): ContainerStatus | undefined {
  const status = (pod.status ?? {}) as Record<string, ContainerStatus[] | undefined>;
  for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const found = status[key]?.find((s) => s.name === name);
    if (found) return found;
  }
  return undefined;
}

export type ObjectLookup = (
  kind: 'configmap' | 'secret',
  namespace: string,
  name: string,
) => KubeObject | undefined;

/**
 * The environment of a container: a container image's usual PATH, what the kubelet adds
 * (HOSTNAME, the kubernetes service), then envFrom and env with `$(VAR)` expansion. HOME is the
 * pod's scratch directory, the only place the process may write.
 */
export function containerEnv(
  pod: KubeObject,
  spec: ContainerSpec,
  podDir: string,
  lookup?: ObjectLookup,
): Record<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const status = (pod.status ?? {}) as { podIP?: string; hostIP?: string };
  const env: Record<string, string> = {
    PATH: DEFAULT_PATH,
    HOSTNAME: pod.metadata.name ?? '',
    HOME: podDir,
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
  };
  const dataOf = (kind: 'configmap' | 'secret', name: string): Record<string, string> => {
    const obj = lookup?.(kind, namespace, name);
    const data = (obj?.data as Record<string, string> | undefined) ?? {};
    if (kind === 'configmap') return data;
    return Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
  };
  type EnvFrom = { prefix?: string; configMapRef?: { name: string }; secretRef?: { name: string } };
  for (const from of (spec as { envFrom?: EnvFrom[] }).envFrom ?? []) {
    const data = from.configMapRef
      ? dataOf('configmap', from.configMapRef.name)
      : from.secretRef
        ? dataOf('secret', from.secretRef.name)
        : {};
    for (const [k, v] of Object.entries(data)) env[`${from.prefix ?? ''}${k}`] = v;
  }
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': podSpec(pod).nodeName,
    'spec.serviceAccountName': podSpec(pod).serviceAccountName ?? 'default',
    'status.podIP': status.podIP,
    'status.hostIP': status.hostIP,
  };
  for (const v of spec.env ?? []) {
    let value: string | undefined;
    if (v.value !== undefined)
      value = v.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, ref) => env[ref] ?? m);
    else if (v.valueFrom?.configMapKeyRef) {
      value = dataOf('configmap', v.valueFrom.configMapKeyRef.name)[v.valueFrom.configMapKeyRef.key];
    } else if (v.valueFrom?.secretKeyRef) {
      value = dataOf('secret', v.valueFrom.secretKeyRef.name)[v.valueFrom.secretKeyRef.key];
    } else if (v.valueFrom?.fieldRef) value = fields[v.valueFrom.fieldRef.fieldPath];
    else value = '';
    if (value !== undefined) env[v.name] = value;
  }
  return env;
}

/**
 * The runtime's instance of a container the pod status reports running. Pods written straight
 * into the store as Running (scenarios) have none until someone looks: they get a simulated one
 * then, started when the status says it started.
 */
export function runningInstance(
  runtime: ContainerRuntime,
  pod: KubeObject,
  spec: ContainerSpec,
): Container | undefined {
  const uid = pod.metadata.uid!;
  const current = runtime.current(uid, spec.name);
  if (current) return current;
  const startedAt = containerStatusOf(pod, spec.name)?.state?.running?.startedAt;
  if (!startedAt) return undefined;
  const podIP = (pod.status as { podIP?: string } | undefined)?.podIP ?? '10.244.0.2';
  return runtime.adopt(pod, spec, containerEnv(pod, spec, runtime.podDir(uid)), podIP, new Date(startedAt));
}
