import type { BrowsableKind } from '@switchboard/contract/app';

/** How each kind is named on screen: tab label, and the word for one object (also the row test id). */
export const KINDS: Record<BrowsableKind, { label: string; one: string }> = {
  namespaces: { label: 'Namespaces', one: 'namespace' },
  pods: { label: 'Pods', one: 'pod' },
  deployments: { label: 'Deployments', one: 'deployment' },
  services: { label: 'Services', one: 'service' },
  nodes: { label: 'Nodes', one: 'node' },
  events: { label: 'Events', one: 'event' },
  configmaps: { label: 'ConfigMaps', one: 'configmap' },
};

/** Kinds that do not live in a namespace: the namespace selector does not apply to them. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<BrowsableKind> = new Set(['namespaces', 'nodes']);

/** Headers for the kind-specific columns of RESOURCE_COLUMNS. */
export const COLUMN_HEADERS: Record<string, string> = {
  status: 'Status',
  phase: 'Phase',
  ready: 'Ready',
  restarts: 'Restarts',
  node: 'Node',
  upToDate: 'Up to date',
  available: 'Available',
  type: 'Type',
  clusterIP: 'Cluster IP',
  ports: 'Ports',
  roles: 'Roles',
  version: 'Version',
  reason: 'Reason',
  object: 'Object',
  message: 'Message',
  count: 'Count',
  data: 'Data',
};
