/**
 * The apiserver's Table output (meta.k8s.io/v1, what `kubectl get` prints) as the cluster
 * browser's columns and rows. Lists and watches ask for it with `includeObject=Metadata`, so each
 * row carries the printed cells and the object's metadata, never the whole object: the core
 * sends the UI a few strings per object, and 10,000 pods stay cheap.
 */
import type { ResourceCell, ResourceColumn, ResourceRow } from '@switchboard/contract/app';

/** Lists and watches ask for a Table first, as kubectl does, and take plain JSON from a server without one. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface ObjectMetadata {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  resourceVersion?: string;
}

/** A Table, or the plain list or object a server without Table output sends instead. */
export interface KubeTableOrObjects {
  kind?: string;
  metadata?: ObjectMetadata & { continue?: string };
  columnDefinitions?: Partial<ResourceColumn>[];
  rows?: { cells?: unknown[]; object?: { metadata?: ObjectMetadata } }[];
  items?: { metadata?: ObjectMetadata }[];
}

/** What kube-apiserver prints for a kind without a printer: kubectl's default columns. */
const FALLBACK_COLUMNS: ResourceColumn[] = [
  { name: 'Name', type: 'string', format: 'name', priority: 0, description: 'The name of the object.' },
  { name: 'Created At', type: 'date', format: '', priority: 0, description: 'When the object was created.' },
];

export function isTable(response: KubeTableOrObjects): boolean {
  return response.kind === 'Table';
}

/** The Table's columns (an empty list in a watch event after the first: the columns do not change). */
export function columnsOf(response: KubeTableOrObjects): ResourceColumn[] {
  if (!isTable(response)) return FALLBACK_COLUMNS;
  return (response.columnDefinitions ?? []).map((column) => ({
    name: String(column.name ?? ''),
    type: String(column.type ?? 'string'),
    format: String(column.format ?? ''),
    priority: typeof column.priority === 'number' ? column.priority : 0,
    description: String(column.description ?? ''),
  }));
}

/** Rows of a Table; for plain JSON, of a list's items or of the one object a watch event carries. */
export function rowsOf(response: KubeTableOrObjects): ResourceRow[] {
  if (isTable(response)) {
    return (response.rows ?? []).map((row) =>
      rowOf(row.object?.metadata ?? {}, (row.cells ?? []).map(cellOf)),
    );
  }
  const objects = response.items ?? (response.metadata ? [{ metadata: response.metadata }] : []);
  return objects.map(({ metadata = {} }) =>
    rowOf(metadata, [metadata.name ?? '', metadata.creationTimestamp ?? '']),
  );
}

function rowOf(metadata: ObjectMetadata, cells: ResourceCell[]): ResourceRow {
  return {
    uid: metadata.uid ?? `${metadata.namespace ?? ''}/${metadata.name ?? ''}`,
    name: metadata.name ?? '',
    ...(metadata.namespace !== undefined && { namespace: metadata.namespace }),
    createdAt: metadata.creationTimestamp ?? '',
    cells,
  };
}

/** A cell as printed; anything structured (a printer column pointing at an object) as its JSON. */
function cellOf(value: unknown): ResourceCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}
