/**
 * Defaulting as the apiserver applies it on create and update (the defaults.go of each API group), for
 * the fields clients read back: a Pod created with only name and image comes back complete.
 */
import { isPlainObject, type KubeObject } from './objects.js';

type Json = Record<string, unknown>;

function setDefault(object: Json, key: string, value: unknown): void {
  if (object[key] === undefined) object[key] = value;
}

function defaultContainer(container: Json): void {
  const image = String(container.image ?? '');
  const tag = image.includes('@') ? 'digest' : (image.split('/').pop() ?? '').split(':')[1];
  setDefault(container, 'imagePullPolicy', !tag || tag === 'latest' ? 'Always' : 'IfNotPresent');
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'resources', {});
  for (const port of (container.ports as Json[] | undefined) ?? []) setDefault(port, 'protocol', 'TCP');
}

export function defaultPodSpec(spec: Json): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  setDefault(spec, 'priority', 0);
  if (spec.serviceAccountName === undefined && spec.serviceAccount !== undefined) {
    spec.serviceAccountName = spec.serviceAccount;
  }
  for (const list of ['containers', 'initContainers']) {
    for (const c of (spec[list] as Json[] | undefined) ?? []) if (isPlainObject(c)) defaultContainer(c);
  }
}

function defaultPodTemplate(template: Json | undefined): void {
  if (!isPlainObject(template)) return;
  setDefault(template, 'metadata', {});
  if (isPlainObject(template.spec)) defaultPodSpec(template.spec);
}

const DEFAULTERS: Record<string, (object: Json) => void> = {
  Pod(pod) {
    if (!isPlainObject(pod.spec)) return;
    defaultPodSpec(pod.spec);
    // Admission (ServiceAccount plugin) fills these in; clients see them on the created pod.
    setDefault(pod.spec, 'serviceAccountName', 'default');
    setDefault(pod.spec, 'serviceAccount', pod.spec.serviceAccountName);
    setDefault(pod.spec, 'tolerations', [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
  },
  Deployment(deployment) {
    const spec = isPlainObject(deployment.spec) ? deployment.spec : {};
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    setDefault(spec, 'strategy', { type: 'RollingUpdate' });
    const strategy = spec.strategy as Json;
    if (strategy.type === 'RollingUpdate')
      setDefault(strategy, 'rollingUpdate', { maxUnavailable: '25%', maxSurge: '25%' });
    defaultPodTemplate(spec.template as Json);
  },
  ReplicaSet(replicaSet) {
    const spec = isPlainObject(replicaSet.spec) ? replicaSet.spec : {};
    setDefault(spec, 'replicas', 1);
    defaultPodTemplate(spec.template as Json);
  },
  Service(service) {
    if (!isPlainObject(service.spec)) return;
    const spec = service.spec;
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    for (const port of (spec.ports as Json[] | undefined) ?? []) {
      setDefault(port, 'protocol', 'TCP');
      setDefault(port, 'targetPort', port.port);
    }
    setDefault(service, 'status', { loadBalancer: {} });
  },
  Namespace(namespace) {
    setDefault(namespace, 'spec', { finalizers: ['kubernetes'] });
    namespace.status = { phase: 'Active', ...(isPlainObject(namespace.status) ? namespace.status : {}) };
    const metadata = namespace.metadata as Json;
    metadata.labels = { ...(metadata.labels as Json), 'kubernetes.io/metadata.name': metadata.name };
  },
  Secret(secret) {
    setDefault(secret, 'type', 'Opaque');
    // stringData is write-only: merged into data, never stored or returned.
    if (isPlainObject(secret.stringData)) {
      const data: Json = isPlainObject(secret.data) ? { ...secret.data } : {};
      for (const [k, v] of Object.entries(secret.stringData))
        data[k] = Buffer.from(String(v)).toString('base64');
      secret.data = data;
    }
    delete secret.stringData;
  },
  Node(node) {
    setDefault(node, 'spec', {});
  },
};

/** Fills defaults in place on a freshly decoded object (the caller owns it). */
export function applyDefaults(object: KubeObject): void {
  DEFAULTERS[object.kind]?.(object);
}
