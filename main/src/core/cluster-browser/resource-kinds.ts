/**
 * Where each browsable kind lives in the Kubernetes API, and how one object becomes a
 * `ResourceRow` (the columns of `RESOURCE_COLUMNS`). Summarising happens here, in the core, so the
 * UI receives a few strings per object instead of whole objects.
 */
import type { BrowsableKind, ResourceRow } from '@switchboard/contract/app';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface ResourceKind {
  /** `v1` or `apps/v1`. */
  apiVersion: string;
  /** The object kind, e.g. `Pod`. */
  kind: string;
  namespaced: boolean;
  cells(object: KubeObject): ResourceRow['cells'];
}

/** The collection path, namespaced when a namespace is given and the kind is namespaced. */
export function collectionPath(resource: BrowsableKind, namespace?: string): string {
  const { apiVersion, namespaced } = RESOURCE_KINDS[resource];
  const group = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespaced && namespace
    ? `${group}/namespaces/${encodeURIComponent(namespace)}/${resource}`
    : `${group}/${resource}`;
}

export function objectPath(resource: BrowsableKind, name: string, namespace?: string): string {
  return `${collectionPath(resource, RESOURCE_KINDS[resource].namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
}

export function rowOf(resource: BrowsableKind, object: KubeObject): ResourceRow {
  const metadata = object.metadata ?? {};
  return {
    uid: metadata.uid ?? `${metadata.namespace ?? ''}/${metadata.name ?? ''}`,
    name: metadata.name ?? '',
    ...(metadata.namespace !== undefined && { namespace: metadata.namespace }),
    createdAt: metadata.creationTimestamp ?? '',
    cells: RESOURCE_KINDS[resource].cells(object),
  };
}

type Fields = Record<string, unknown>;
const fields = (value: unknown): Fields =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};
const list = (value: unknown): Fields[] => (Array.isArray(value) ? value.map(fields) : []);
const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

export const RESOURCE_KINDS: Record<BrowsableKind, ResourceKind> = {
  namespaces: {
    apiVersion: 'v1',
    kind: 'Namespace',
    namespaced: false,
    cells: (object) => ({ status: text(fields(object.status).phase, 'Active') }),
  },
  pods: {
    apiVersion: 'v1',
    kind: 'Pod',
    namespaced: true,
    cells: (object) => {
      const status = fields(object.status);
      const containers = list(fields(object.spec).containers);
      const statuses = list(status.containerStatuses);
      const ready = statuses.filter((container) => container.ready === true).length;
      const restarts = statuses.reduce((sum, container) => sum + count(container.restartCount), 0);
      return {
        phase: podPhase(object),
        ready: `${ready}/${containers.length}`,
        restarts,
        node: text(fields(object.spec).nodeName),
      };
    },
  },
  deployments: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespaced: true,
    cells: (object) => {
      const status = fields(object.status);
      const desired = fields(object.spec).replicas;
      return {
        ready: `${count(status.readyReplicas)}/${typeof desired === 'number' ? desired : 1}`,
        upToDate: count(status.updatedReplicas),
        available: count(status.availableReplicas),
      };
    },
  },
  services: {
    apiVersion: 'v1',
    kind: 'Service',
    namespaced: true,
    cells: (object) => {
      const spec = fields(object.spec);
      const ports = list(spec.ports).map((port) => {
        const node = typeof port.nodePort === 'number' ? `:${port.nodePort}` : '';
        return `${count(port.port)}${node}/${text(port.protocol, 'TCP')}`;
      });
      return {
        type: text(spec.type, 'ClusterIP'),
        clusterIP: text(spec.clusterIP, '<none>'),
        ports: ports.join(',') || '<none>',
      };
    },
  },
  nodes: {
    apiVersion: 'v1',
    kind: 'Node',
    namespaced: false,
    cells: (object) => {
      const status = fields(object.status);
      const ready = list(status.conditions).find((condition) => condition.type === 'Ready');
      const roles = Object.keys(object.metadata?.labels ?? {})
        .filter((label) => label.startsWith('node-role.kubernetes.io/'))
        .map((label) => label.slice('node-role.kubernetes.io/'.length))
        .filter(Boolean);
      const unschedulable = fields(object.spec).unschedulable === true;
      const readiness = ready?.status === 'True' ? 'Ready' : 'NotReady';
      return {
        status: unschedulable ? `${readiness},SchedulingDisabled` : readiness,
        roles: roles.sort().join(',') || '<none>',
        version: text(fields(status.nodeInfo).kubeletVersion),
      };
    },
  },
  events: {
    apiVersion: 'v1',
    kind: 'Event',
    namespaced: true,
    cells: (object) => {
      const involved = fields(object.involvedObject);
      return {
        type: text(object.type),
        reason: text(object.reason),
        object: `${text(involved.kind).toLowerCase()}/${text(involved.name)}`,
        message: text(object.message),
        count: typeof object.count === 'number' ? object.count : 1,
        // When it last happened (ISO), as kubectl's LAST SEEN: what "newest first" sorts on.
        lastSeen: text(
          object.lastTimestamp ?? fields(object.series).lastObservedTime ?? object.eventTime,
          text(object.metadata?.creationTimestamp),
        ),
      };
    },
  },
  configmaps: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespaced: true,
    cells: (object) => ({
      data: Object.keys(fields(object.data)).length + Object.keys(fields(object.binaryData)).length,
    }),
  },
};

/** What kubectl shows in STATUS: a terminating pod or a waiting container says more than the phase. */
function podPhase(object: KubeObject): string {
  if (fields(object.metadata).deletionTimestamp) return 'Terminating';
  const status = fields(object.status);
  for (const container of list(status.containerStatuses)) {
    const waiting = fields(fields(container.state).waiting);
    if (typeof waiting.reason === 'string' && waiting.reason) return waiting.reason;
  }
  return text(status.phase, 'Pending');
}
