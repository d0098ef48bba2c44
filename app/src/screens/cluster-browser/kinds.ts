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
  lastSeen: 'Last seen',
};

/**
 * How a column is laid out and sorted: its width (px), which columns give way first as the window
 * narrows (higher drops first; 0 never, like the columns kubectl shows without `-o wide`), and how
 * its values compare. Columns not listed here get `DEFAULT_COLUMN_LAYOUT`.
 */
export interface ColumnLayout {
  /** Fixed width (px); without it the column shares the room left, never below `minWidth`. */
  width?: number;
  minWidth?: number;
  priority: number;
  /** `time`: an ISO timestamp, shown as an age. */
  type: 'text' | 'number' | 'time';
}

export const DEFAULT_COLUMN_LAYOUT: ColumnLayout = { width: 120, priority: 2, type: 'text' };

export const COLUMN_LAYOUT: Record<string, ColumnLayout> = {
  status: { width: 140, priority: 0, type: 'text' },
  phase: { width: 130, priority: 0, type: 'text' },
  ready: { width: 72, priority: 2, type: 'text' },
  restarts: { width: 88, priority: 3, type: 'number' },
  node: { width: 170, priority: 4, type: 'text' },
  upToDate: { width: 96, priority: 3, type: 'number' },
  available: { width: 88, priority: 2, type: 'number' },
  type: { width: 112, priority: 0, type: 'text' },
  clusterIP: { width: 120, priority: 3, type: 'text' },
  ports: { width: 140, priority: 2, type: 'text' },
  roles: { width: 130, priority: 3, type: 'text' },
  version: { width: 110, priority: 2, type: 'text' },
  reason: { width: 140, priority: 2, type: 'text' },
  object: { width: 190, priority: 3, type: 'text' },
  message: { minWidth: 150, priority: 1, type: 'text' },
  count: { width: 70, priority: 4, type: 'number' },
  lastSeen: { width: 96, priority: 0, type: 'time' },
  data: { width: 70, priority: 2, type: 'number' },
};

/** The name column's least width: a typical generated pod name (`frontend-7d4b9c8f6-x2k9p`) fits. */
export const NAME_MIN_WIDTH = 220;
export const NAMESPACE_WIDTH = 140;
export const AGE_WIDTH = 64;

/** The order a kind's list has before anyone sorts it: events newest first (as people read them). */
export const DEFAULT_SORT: Partial<Record<BrowsableKind, { columnId: string; direction: 'descending' }>> = {
  events: { columnId: 'lastSeen', direction: 'descending' },
};
