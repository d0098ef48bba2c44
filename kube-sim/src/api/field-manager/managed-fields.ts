/**
 * `metadata.managedFields` as the apiserver reads and writes it (k8s.io/apimachinery/pkg/util/
 * managedfields/internal): one entry per manager identity — manager name, operation, subresource
 * and, for Update, the apiVersion — holding the FieldsV1 set of what that manager owns. Entries
 * are written sorted (Apply before Update, then by time, manager, apiVersion, subresource), and
 * an apply conflict becomes the 409 Status kubectl prints with its --force-conflicts hint.
 */
import { ApiError } from '../errors.js';
import { isPlainObject } from '../objects.js';
import { FieldSet, type Path, pathText } from './field-set.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource: string;
  time: string | undefined;
  fields: FieldSet;
}

/** Entries by identity (BuildManagerIdentifier's JSON), which is also how conflicts sort. */
export type Managed = Map<string, ManagerEntry>;

export function managerIdentity(
  entry: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  return JSON.stringify({
    manager: entry.manager || undefined,
    operation: entry.operation,
    // An applier is the same manager whatever version it applies with.
    apiVersion: entry.operation === 'Apply' ? undefined : entry.apiVersion || undefined,
    subresource: entry.subresource || undefined,
  });
}

/** DecodeManagedFields; undefined when the list is not a valid one, as the Go decoder would fail. */
export function decodeManagedFields(entries: unknown): Managed | undefined {
  const managed: Managed = new Map();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) return undefined;
  for (const raw of entries) {
    if (!isPlainObject(raw)) return undefined;
    if (raw.operation !== 'Apply' && raw.operation !== 'Update') return undefined;
    if (raw.fieldsType !== 'FieldsV1') return undefined;
    let fields: FieldSet;
    try {
      fields = FieldSet.fromFieldsV1(raw.fieldsV1 ?? {});
    } catch {
      return undefined;
    }
    const entry: ManagerEntry = {
      manager: typeof raw.manager === 'string' ? raw.manager : '',
      operation: raw.operation,
      apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : '',
      subresource: typeof raw.subresource === 'string' ? raw.subresource : '',
      time: typeof raw.time === 'string' ? raw.time : undefined,
      fields,
    };
    const identity = managerIdentity(entry);
    if (managed.has(identity)) return undefined;
    managed.set(identity, entry);
  }
  return managed;
}

/** `managedFields: []` or `[{}]` on a write asks for the tracking to be reset. */
export function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && isPlainObject(entries[0]) && Object.keys(entries[0]).length === 0;
}

/** The entries as stored, in sortEncodedManagedFields' order; undefined when nobody owns anything. */
export function encodeManagedFields(managed: Managed): Record<string, unknown>[] | undefined {
  const entries = [...managed.values()].filter((entry) => !entry.fields.isEmpty());
  if (entries.length === 0) return undefined;
  const seconds = (time: string | undefined) => (time ? Date.parse(time) : 0);
  entries.sort(
    (a, b) =>
      compareText(a.operation, b.operation) ||
      seconds(a.time) - seconds(b.time) ||
      compareText(a.manager, b.manager) ||
      compareText(a.apiVersion, b.apiVersion) ||
      compareText(a.subresource, b.subresource),
  );
  return entries.map((entry) => ({
    manager: entry.manager || undefined,
    operation: entry.operation,
    apiVersion: entry.apiVersion || undefined,
    time: entry.time,
    fieldsType: 'FieldsV1',
    fieldsV1: entry.fields.toFieldsV1(),
    subresource: entry.subresource || undefined,
  }));
}

function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

export interface Conflict {
  identity: string;
  entry: ManagerEntry;
  path: Path;
}

/** printManager: `"kubectl"`, `"kube-controller-manager" with subresource "status" using apps/v1`. */
function printManager(entry: ManagerEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  return entry.operation === 'Update' ? `${text} using ${entry.apiVersion}` : text;
}

/** NewConflictError: 409 Conflict with one FieldManagerConflict cause per conflicting field. */
export function conflictError(conflicts: Conflict[]): ApiError {
  const sorted = [...conflicts].sort((a, b) => compareText(a.identity, b.identity));
  let message: string;
  if (sorted.length === 1) {
    const only = sorted[0]!;
    message = `Apply failed with 1 conflict: conflict with ${printManager(only.entry)}: ${pathText(only.path)}`;
  } else {
    const lines: string[] = [];
    let previous: string | undefined;
    for (const conflict of sorted) {
      if (conflict.identity !== previous) lines.push(`conflicts with ${printManager(conflict.entry)}:`);
      previous = conflict.identity;
      lines.push(`- ${pathText(conflict.path)}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: sorted.map((conflict) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(conflict.entry)}`,
      field: pathText(conflict.path),
    })),
  });
}
