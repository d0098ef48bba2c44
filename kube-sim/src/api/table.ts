/**
 * Server-side printing (meta.k8s.io/v1 Table), after pkg/printers/internalversion/printers.go. The
 * apiserver always prints with Wide=true, so every column has a cell and kubectl hides priority>0
 * columns unless `-o wide`.
 */
import { evaluateJsonPath, parseJsonPath } from './json-path.js';
import { isPlainObject, type KubeObject } from './objects.js';
import type { PrinterColumn, ResourceType } from './resources.js';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  includeObject: IncludeObject;
  listMeta?: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  /** Reference time for Age columns; defaults to the current time. */
  now?: Date;
}

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATED_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

function column(
  name: string,
  type: string,
  description: string,
  priority = 0,
  format = '',
): TableColumnDefinition {
  return { name, type, format, description, priority };
}

const NAME = column('Name', 'string', NAME_DOC, 0, 'name');
const AGE = column('Age', 'string', CREATED_DOC);
const CONTAINERS = column('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = column('Images', 'string', 'Images referenced by each container in the template.', 1);
const SELECTOR = (doc: string) => column('Selector', 'string', doc, 1);

type Obj = Record<string, unknown>;
type Cell = string | number | boolean | null;
type Printer = (object: KubeObject, now: Date) => Cell[];

function obj(value: unknown): Obj {
  return isPlainObject(value) ? value : {};
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.trunc(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

function since(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || !timestamp) return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(timestamp));
}

function age(object: KubeObject, now: Date): string {
  return since(object.metadata.creationTimestamp, now);
}

function formatLabels(labels: unknown): string {
  const entries = Object.entries(obj(labels)).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(',') : '<none>';
}

/** labels.Selector.String() of a metav1.LabelSelector: requirements sorted by key. */
function formatSelector(selector: unknown): string {
  if (!isPlainObject(selector)) return '<none>';
  const requirements: [string, string][] = Object.entries(obj(selector.matchLabels)).map(([k, v]) => [
    k,
    `${k}=${String(v)}`,
  ]);
  for (const e of list(selector.matchExpressions)) {
    const key = str(e.key);
    const values = (Array.isArray(e.values) ? e.values.map(String) : []).sort().join(',');
    const text =
      e.operator === 'In'
        ? `${key} in (${values})`
        : e.operator === 'NotIn'
          ? `${key} notin (${values})`
          : e.operator === 'Exists'
            ? key
            : `!${key}`;
    requirements.push([key, text]);
  }
  requirements.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return requirements.map(([, text]) => text).join(',');
}

function containerCells(template: unknown): [string, string] {
  const containers = list(obj(obj(template).spec).containers);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

// ---------------------------------------------------------------------------------------------
// Pods

function lastTerminated(status: Obj): string | undefined {
  const finishedAt = obj(obj(status.lastState).terminated).finishedAt;
  return typeof finishedAt === 'string' ? finishedAt : undefined;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function terminatedReason(terminated: Obj, prefix: string): string {
  if (str(terminated.reason)) return `${prefix}${str(terminated.reason)}`;
  if (num(terminated.signal) !== 0) return `${prefix}Signal:${num(terminated.signal)}`;
  return `${prefix}ExitCode:${num(terminated.exitCode)}`;
}

interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** printPod's Ready / Status / Restarts logic. */
function summarizePod(pod: KubeObject, now: Date): PodSummary {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  const conditions = list(status.conditions);
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated'))
    reason = 'SchedulingGated';

  const initSpecs = new Map(list(spec.initContainers).map((c) => [str(c.name), c]));
  const restartable = (name: string) => initSpecs.get(name)?.restartPolicy === 'Always';
  const total =
    list(spec.containers).length + [...initSpecs.values()].filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let restartableRestarts = 0;
  let lastRestart: string | undefined;
  let lastRestartableRestart: string | undefined;

  let initializing = false;
  const initStatuses = list(status.initContainerStatuses);
  for (const [i, container] of initStatuses.entries()) {
    const name = str(container.name);
    restarts += num(container.restartCount);
    lastRestart = later(lastRestart, lastTerminated(container));
    if (restartable(name)) {
      restartableRestarts += num(container.restartCount);
      lastRestartableRestart = later(lastRestartableRestart, lastTerminated(container));
    }
    const state = obj(container.state);
    const terminated = isPlainObject(state.terminated) ? state.terminated : undefined;
    const waitingReason = str(obj(state.waiting).reason);
    if (terminated && num(terminated.exitCode) === 0) continue;
    if (restartable(name) && container.started === true) {
      if (container.ready === true) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waitingReason && waitingReason !== 'PodInitializing') reason = `Init:${waitingReason}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    initializing = true;
    break;
  }

  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = list(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i] as Obj;
      restarts += num(container.restartCount);
      lastRestart = later(lastRestart, lastTerminated(container));
      const state = obj(container.state);
      const waitingReason = str(obj(state.waiting).reason);
      if (waitingReason) reason = waitingReason;
      else if (isPlainObject(state.terminated)) reason = terminatedReason(state.terminated, '');
      else if (container.ready === true && isPlainObject(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed')
    reason = 'Terminating';

  const restartText =
    restarts !== 0 && lastRestart ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

function printPod(pod: KubeObject, now: Date): Cell[] {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const { ready, status: phase, restarts } = summarizePod(pod, now);
  const podIP = str(list(status.podIPs)[0]?.ip) || str(status.podIP) || '<none>';
  const gates = list(spec.readinessGates);
  let readinessGates = '<none>';
  if (gates.length) {
    const conditions = list(status.conditions);
    const satisfied = gates.filter(
      (g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True',
    );
    readinessGates = `${satisfied.length}/${gates.length}`;
  }
  return [
    pod.metadata.name ?? '',
    ready,
    phase,
    restarts,
    age(pod, now),
    podIP,
    str(spec.nodeName) || '<none>',
    str(status.nominatedNodeName) || '<none>',
    readinessGates,
  ];
}

/** Succeeded and failed pods carry a row condition that kubectl uses to hide them with --show-all=false. */
function podRowConditions(pod: KubeObject): Obj[] | undefined {
  const phase = obj(pod.status).phase;
  if (phase === 'Succeeded') {
    return [
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ];
  }
  if (phase === 'Failed')
    return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Other kinds

function serviceExternalIP(spec: Obj, status: Obj): string {
  const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = list(obj(status.loadBalancer).ingress).map((i) => str(i.ip) || str(i.hostname));
      const all = [...ingress.filter(Boolean), ...externalIPs];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

function printService(svc: KubeObject, now: Date): Cell[] {
  const spec = obj(svc.spec);
  const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : [];
  const clusterIP = clusterIPs[0] ?? (str(spec.clusterIP) || '<none>');
  const ports = list(spec.ports)
    .map((p) =>
      num(p.nodePort) > 0
        ? `${num(p.port)}:${num(p.nodePort)}/${str(p.protocol) || 'TCP'}`
        : `${num(p.port)}/${str(p.protocol) || 'TCP'}`,
    )
    .join(',');
  return [
    svc.metadata.name ?? '',
    str(spec.type) || 'ClusterIP',
    clusterIP,
    serviceExternalIP(spec, obj(svc.status)),
    ports || '<none>',
    age(svc, now),
    formatLabels(spec.selector),
  ];
}

/** The hosts of an Ingress's rules, as kubectl lists them: `*` for a rule without one, three at most. */
function ingressHosts(spec: Obj): string {
  const hosts = list(spec.rules).map((rule) => str(rule.host) || '*');
  if (hosts.length === 0) return '*';
  const shown = hosts.slice(0, 3).join(',');
  return hosts.length > 3 ? `${shown} + ${hosts.length - 3} more...` : shown;
}

function printIngress(ingress: KubeObject, now: Date): Cell[] {
  const spec = obj(ingress.spec);
  const addresses = list(obj(obj(ingress.status).loadBalancer).ingress)
    .map((entry) => str(entry.ip) || str(entry.hostname))
    .filter(Boolean);
  return [
    ingress.metadata.name ?? '',
    str(spec.ingressClassName) || '<none>',
    ingressHosts(spec),
    addresses.join(','),
    list(spec.tls).length > 0 ? '80, 443' : '80',
    age(ingress, now),
  ];
}

function printPodDisruptionBudget(pdb: KubeObject, now: Date): Cell[] {
  const spec = obj(pdb.spec);
  const shown = (value: unknown) => (value === undefined || value === null ? 'N/A' : String(value));
  return [
    pdb.metadata.name ?? '',
    shown(spec.minAvailable),
    shown(spec.maxUnavailable),
    num(obj(pdb.status).disruptionsAllowed),
    age(pdb, now),
  ];
}

function nodeStatus(node: KubeObject): string {
  const spec = obj(node.spec);
  const ready = list(obj(node.status).conditions).find((c) => c.type === 'Ready');
  const states = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (spec.unschedulable === true) states.push('SchedulingDisabled');
  return states.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function printNode(node: KubeObject, now: Date): Cell[] {
  const status = obj(node.status);
  const info = obj(status.nodeInfo);
  const address = (type: string) =>
    str(list(status.addresses).find((a) => a.type === type)?.address) || '<none>';
  return [
    node.metadata.name ?? '',
    nodeStatus(node),
    nodeRoles(node),
    age(node, now),
    str(info.kubeletVersion),
    address('InternalIP'),
    address('ExternalIP'),
    str(info.osImage) || '<unknown>',
    str(info.kernelVersion) || '<unknown>',
    str(info.containerRuntimeVersion) || '<unknown>',
  ];
}

function printEvent(event: KubeObject, now: Date): Cell[] {
  const involved = obj(event.involvedObject);
  const firstTimestamp = event.firstTimestamp
    ? since(event.firstTimestamp, now)
    : since(event.eventTime, now);
  let lastTimestamp = event.lastTimestamp ? since(event.lastTimestamp, now) : firstTimestamp;
  let count = num(event.count);
  if (isPlainObject(event.series)) {
    lastTimestamp = since(event.series.lastObservedTime, now);
    count = num(event.series.count);
  } else if (count === 0) {
    count = 1;
  }
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
  const source = obj(event.source);
  const component = str(source.component) || str(event.reportingComponent);
  const host = str(source.host) || str(event.reportingInstance);
  return [
    lastTimestamp,
    str(event.type),
    str(event.reason),
    target,
    str(involved.fieldPath),
    host ? `${component}, ${host}` : component,
    str(event.message).trim(),
    firstTimestamp,
    count,
    event.metadata.name ?? '',
  ];
}

function printDeployment(d: KubeObject, now: Date): Cell[] {
  const spec = obj(d.spec);
  const status = obj(d.status);
  const [containers, images] = containerCells(spec.template);
  return [
    d.metadata.name ?? '',
    `${num(status.readyReplicas)}/${num(spec.replicas)}`,
    num(status.updatedReplicas),
    num(status.availableReplicas),
    age(d, now),
    containers,
    images,
    formatSelector(spec.selector),
  ];
}

function printReplicaSet(rs: KubeObject, now: Date): Cell[] {
  const spec = obj(rs.spec);
  const status = obj(rs.status);
  const [containers, images] = containerCells(spec.template);
  return [
    rs.metadata.name ?? '',
    num(spec.replicas),
    num(status.replicas),
    num(status.readyReplicas),
    age(rs, now),
    containers,
    images,
    formatSelector(spec.selector),
  ];
}

function printBinding(binding: KubeObject, now: Date): Cell[] {
  const roleRef = obj(binding.roleRef);
  const subjects = list(binding.subjects);
  const names = (kind: string) =>
    subjects
      .filter((s) => s.kind === kind)
      .map((s) => (kind === 'ServiceAccount' ? `${str(s.namespace)}/${str(s.name)}` : str(s.name)))
      .join(', ');
  return [
    binding.metadata.name ?? '',
    `${str(roleRef.kind)}/${str(roleRef.name)}`,
    age(binding, now),
    names('User'),
    names('Group'),
    names('ServiceAccount'),
  ];
}

function createdAt(object: KubeObject): string {
  const created = object.metadata.creationTimestamp;
  return created ? `${new Date(created).toISOString().slice(0, 19)}Z` : '';
}

interface Printing {
  columns: TableColumnDefinition[];
  print: Printer;
}

const TEMPLATE_SELECTOR_DOC =
  "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.";

const PRINTERS: Record<string, Printing> = {
  Pod: {
    columns: [
      NAME,
      column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      column('Status', 'string', 'The aggregate status of the containers in this pod.'),
      column(
        'Restarts',
        'string',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      AGE,
      column(
        'IP',
        'string',
        'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
        1,
      ),
      column(
        'Node',
        'string',
        'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
        1,
      ),
      column(
        'Nominated Node',
        'string',
        'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
        1,
      ),
      column(
        'Readiness Gates',
        'string',
        'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
        1,
      ),
    ],
    print: printPod,
  },
  Service: {
    columns: [
      NAME,
      column('Type', 'string', 'type determines how the Service is exposed.'),
      column('Cluster-IP', 'string', 'clusterIP is the IP address of the service.'),
      column(
        'External-IP',
        'string',
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
      ),
      column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
      AGE,
      SELECTOR(
        'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/',
      ),
    ],
    print: printService,
  },
  ConfigMap: {
    columns: [NAME, column('Data', 'string', 'Data contains the configuration data.'), AGE],
    print: (cm, now) => [
      cm.metadata.name ?? '',
      Object.keys(obj(cm.data)).length + Object.keys(obj(cm.binaryData)).length,
      age(cm, now),
    ],
  },
  Ingress: {
    columns: [
      NAME,
      column('Class', 'string', 'The name of the IngressClass resource that should be used for ingress'),
      column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
      column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
      column('Ports', 'string', 'Ports of TLS configurations that open'),
      AGE,
    ],
    print: printIngress,
  },
  PodDisruptionBudget: {
    columns: [
      NAME,
      column('Min Available', 'string', 'The minimum number of pods that must be available.'),
      column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
      column(
        'Allowed Disruptions',
        'integer',
        'Calculated number of pods that may be disrupted at this time.',
      ),
      AGE,
    ],
    print: printPodDisruptionBudget,
  },
  Secret: {
    columns: [
      NAME,
      column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
      column('Data', 'string', 'Data contains the secret data.'),
      AGE,
    ],
    print: (s, now) => [s.metadata.name ?? '', str(s.type), Object.keys(obj(s.data)).length, age(s, now)],
  },
  Event: {
    columns: [
      column(
        'Last Seen',
        'string',
        'The time at which the most recent occurrence of this event was recorded.',
      ),
      column(
        'Type',
        'string',
        'Type of this event (Normal, Warning), new types could be added in the future',
      ),
      column(
        'Reason',
        'string',
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ),
      column('Object', 'string', 'The object that this event is about.'),
      column(
        'Subobject',
        'string',
        'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
        1,
      ),
      column(
        'Source',
        'string',
        'The component reporting this event. Should be a short machine understandable string.',
        1,
      ),
      column('Message', 'string', 'A human-readable description of the status of this operation.'),
      column(
        'First Seen',
        'string',
        'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
        1,
      ),
      column('Count', 'string', 'The number of times this event has occurred.', 1),
      { ...NAME, priority: 1 },
    ],
    print: printEvent,
  },
  Node: {
    columns: [
      NAME,
      column('Status', 'string', 'The status of the node'),
      column('Roles', 'string', 'The roles of the node'),
      AGE,
      column('Version', 'string', 'Kubelet Version reported by the node.'),
      column('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
      column('External-IP', 'string', 'List of addresses reachable to the node.', 1),
      column(
        'OS-Image',
        'string',
        'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
        1,
      ),
      column(
        'Kernel-Version',
        'string',
        "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
        1,
      ),
      column(
        'Container-Runtime',
        'string',
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
        1,
      ),
    ],
    print: printNode,
  },
  Namespace: {
    columns: [NAME, column('Status', 'string', 'The status of the namespace'), AGE],
    print: (ns, now) => [ns.metadata.name ?? '', str(obj(ns.status).phase), age(ns, now)],
  },
  ServiceAccount: {
    columns: [
      NAME,
      column(
        'Secrets',
        'string',
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      ),
      AGE,
    ],
    print: (sa, now) => [sa.metadata.name ?? '', list(sa.secrets).length, age(sa, now)],
  },
  Deployment: {
    columns: [
      NAME,
      column('Ready', 'string', 'Number of the pod with ready state'),
      column(
        'Up-to-date',
        'string',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ),
      column(
        'Available',
        'string',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR(TEMPLATE_SELECTOR_DOC),
    ],
    print: printDeployment,
  },
  ReplicaSet: {
    columns: [
      NAME,
      column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
      column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
      column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR(
        "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels.",
      ),
    ],
    print: printReplicaSet,
  },
  RoleBinding: {
    columns: [
      NAME,
      column(
        'Role',
        'string',
        'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
      ),
      AGE,
      column('Users', 'string', 'Users in the roleBinding', 1),
      column('Groups', 'string', 'Groups in the roleBinding', 1),
      column('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', 1),
    ],
    print: printBinding,
  },
};

PRINTERS.ClusterRoleBinding = {
  columns: (PRINTERS.RoleBinding as Printing).columns.map((c) =>
    c.name === 'Role'
      ? { ...c, description: 'RoleRef can only reference a ClusterRole in the global namespace.' }
      : { ...c, description: c.description.replace('roleBinding', 'clusterRoleBinding') },
  ),
  print: printBinding,
};

/** Roles, cluster roles and kinds without a printer get the default Name / Created At table. */
const DEFAULT_PRINTING: Printing = {
  columns: [NAME, column('Created At', 'date', CREATED_DOC)],
  print: (o) => [o.metadata.name ?? '', createdAt(o)],
};

/** Kinds without printer columns get Age, as the apiextensions server's table convertor adds it. */
const CUSTOM_AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: CREATED_DOC,
};

/**
 * A custom resource's table: Name, then the version's additionalPrinterColumns. A column finds
 * its cell with JSONPath; a date cell is shown as an age, several values are joined with commas,
 * none is null (kubectl prints `<none>`).
 */
function customPrinting(columns: readonly PrinterColumn[]): Printing {
  const printed = columns.length > 0 ? columns : [CUSTOM_AGE];
  const paths = printed.map((c) => parseJsonPath(c.jsonPath));
  return {
    columns: [
      NAME,
      ...printed.map((c) =>
        column(
          c.name,
          c.type,
          c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
          c.priority ?? 0,
          c.format ?? '',
        ),
      ),
    ],
    print: (object, now) => [
      object.metadata.name ?? '',
      ...printed.map((c, i) => customCell(c, evaluateJsonPath(paths[i]!, object), now)),
    ],
  };
}

function customCell(column: PrinterColumn, values: unknown[], now: Date): Cell {
  if (values.length === 0) return null;
  if (values.length === 1) {
    const value = values[0];
    if (column.type === 'date' && typeof value === 'string') return since(value, now);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  }
  return values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(',');
}

/** Parsed once per served version, not once per row. */
const customPrintings = new WeakMap<ResourceType, Printing>();

function printing(type: ResourceType): Printing {
  if (type.custom) {
    let custom = customPrintings.get(type);
    if (!custom) {
      custom = customPrinting(type.custom.printerColumns);
      customPrintings.set(type, custom);
    }
    return custom;
  }
  return PRINTERS[type.kind] ?? DEFAULT_PRINTING;
}

export function columnDefinitions(type: ResourceType): TableColumnDefinition[] {
  return printing(type).columns.map((c) => ({ ...c }));
}

export function tableRow(
  type: ResourceType,
  object: KubeObject,
  includeObject: IncludeObject,
  now = new Date(),
) {
  const row: Obj = { cells: printing(type).print(object, now) };
  const conditions = type.kind === 'Pod' ? podRowConditions(object) : undefined;
  if (conditions) row.conditions = conditions;
  if (includeObject === 'Object') row.object = object;
  else if (includeObject === 'Metadata') {
    row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
  }
  return row;
}

export function toTable(type: ResourceType, objects: KubeObject[], options: TableOptions): KubeObject {
  const now = options.now ?? new Date();
  const listMeta = options.listMeta;
  const metadata: Obj = {};
  if (listMeta?.resourceVersion) metadata.resourceVersion = listMeta.resourceVersion;
  if (listMeta?.continue) metadata.continue = listMeta.continue;
  if (listMeta?.remainingItemCount !== undefined) metadata.remainingItemCount = listMeta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columnDefinitions(type),
    rows: objects.map((o) => tableRow(type, o, options.includeObject, now)),
  };
}
