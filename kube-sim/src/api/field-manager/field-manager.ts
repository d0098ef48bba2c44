/**
 * The apiserver's field manager (k8s.io/apiserver handlers/fieldmanager and the managers chained
 * in NewDefaultFieldManager), for kube-sim's built-in kinds:
 *
 * - Every create, update and non-apply patch is recorded as an `Update` by its manager: the fields
 *   it changed become its own and stop being anyone else's. An object written without any
 *   managedFields (or with `managedFields: []` to reset them) stays untracked until the next apply.
 * - Server-side apply merges the applied configuration into the live object, removes what the
 *   applier owned before and no longer applies unless another manager owns it, and fails with a
 *   409 when it would change a field another manager owns, unless forced. `kubectl`'s applies
 *   also honour and keep up the client-side apply annotation, so moving from `kubectl apply` to
 *   `kubectl apply --server-side` does not conflict with what client-side apply set.
 *
 * Fields the kind's strategy resets (status on the main resource, everything else on /status)
 * and the metadata the server owns (name, uid, resourceVersion, ...) are never owned.
 */
import { ApiError, badRequest } from '../errors.js';
import { clone, isPlainObject, type KubeObject } from '../objects.js';
import { schemaNameOf } from '../openapi.js';
import { SCALAR_SCHEMAS, TYPE_DEFS } from '../openapi-schemas.js';
import { apiVersionOf, type ResourceType } from '../resources.js';
import { FieldSet } from './field-set.js';
import {
  type Conflict,
  conflictError,
  decodeManagedFields,
  encodeManagedFields,
  isReset,
  type Managed,
  type ManagerEntry,
  managerIdentity,
} from './managed-fields.js';
import { type TypeNode, typeNode } from './schema.js';
import {
  compare,
  merge,
  removeItems,
  SchemaError,
  toFieldSet,
  withNamedFieldsAsMembers,
} from './typed-value.js';

const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager whose server-side applies keep the client-side apply annotation in step. */
const KUBECTL = 'kubectl';

/** Where a write lands: the kind, the subresource (`''` or `status`) and the time it is recorded at. */
export interface WriteScope {
  type: ResourceType;
  subresource: string;
  /** metav1.Time text of the write. */
  now: string;
}

/** stripMetaManager's set: fields no manager owns because the server sets them. */
const SERVER_OWNED = (() => {
  const set = new FieldSet();
  set.insert([{ field: 'apiVersion' }]);
  set.insert([{ field: 'kind' }]);
  set.insert([{ field: 'metadata' }]);
  for (const field of [
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
  ]) {
    set.insert([{ field: 'metadata' }, { field }]);
  }
  return set;
})();

/**
 * Struct fields Go always serializes (value structs, and slices without omitempty as null): a new
 * object of the kind has them, so creating an object does not "add" them as containers.
 */
const GO_VALUE_FIELDS: Record<string, string[]> = {
  'io.k8s.api.apps.v1.DeploymentSpec': ['template', 'strategy'],
  'io.k8s.api.apps.v1.ReplicaSetSpec': ['template'],
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': ['creationTimestamp'],
  'io.k8s.api.core.v1.PodTemplateSpec': ['metadata', 'spec'],
  'io.k8s.api.core.v1.PodSpec': ['containers'],
  'io.k8s.api.core.v1.ServiceStatus': ['loadBalancer'],
  'io.k8s.api.core.v1.NodeStatus': ['daemonEndpoints', 'nodeInfo'],
  'io.k8s.api.core.v1.NodeDaemonEndpoints': ['kubeletEndpoint'],
  'io.k8s.api.core.v1.Event': ['involvedObject', 'source'],
  'io.k8s.api.networking.v1.NetworkPolicySpec': ['podSelector'],
  'io.k8s.api.rbac.v1.RoleBinding': ['roleRef'],
  'io.k8s.api.rbac.v1.ClusterRoleBinding': ['roleRef'],
};

const KIND_VALUE_FIELDS = ['metadata', 'spec', 'status'];

function rootNode(type: ResourceType): TypeNode {
  return typeNode(`#${schemaNameOf(type)}`);
}

/** What a freshly allocated Go object of the struct serializes to. */
function zeroValue(schemaName: string, fields: string[]): Record<string, unknown> {
  const properties = TYPE_DEFS[schemaName]?.properties ?? {};
  const value: Record<string, unknown> = {};
  for (const field of fields) {
    const property = properties[field];
    if (!property) continue;
    const [propertyType] = property;
    const name = propertyType.slice(1);
    // Slices and metav1.Time serialize their zero value as null.
    if (propertyType.startsWith('[]') || SCALAR_SCHEMAS[name]) value[field] = null;
    else if (propertyType.startsWith('#')) value[field] = zeroValue(name, GO_VALUE_FIELDS[name] ?? []);
  }
  return value;
}

function newObject(type: ResourceType): Record<string, unknown> {
  const name = schemaNameOf(type);
  return {
    apiVersion: apiVersionOf(type),
    kind: type.kind,
    ...zeroValue(name, [...KIND_VALUE_FIELDS, ...(GO_VALUE_FIELDS[name] ?? [])]),
  };
}

/** The reset fields of the kind's strategy for this endpoint. */
function ignoredFields(scope: WriteScope): FieldSet {
  const set = new FieldSet();
  if (!scope.type.subresources.some((s) => s.name === 'status')) return set;
  if (scope.subresource === 'status') {
    set.insert([{ field: 'metadata' }]);
    set.insert([{ field: 'spec' }]);
  } else {
    set.insert([{ field: 'status' }]);
  }
  return set;
}

function withoutManagedFields(object: KubeObject): Record<string, unknown> {
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** decodeLiveOrNew: what the write starts from — a subresource never sets managedFields itself. */
function startingManaged(live: KubeObject | undefined, next: KubeObject, subresource: string): Managed {
  const fromLive = () => decodeManagedFields(live?.metadata.managedFields) ?? new Map();
  if (subresource) return fromLive();
  const requested = next.metadata.managedFields;
  if (isReset(requested)) return new Map();
  const fromNext = decodeManagedFields(requested);
  return fromNext && fromNext.size > 0 ? fromNext : fromLive();
}

function setManagedFields(object: KubeObject | Record<string, unknown>, managed: Managed): void {
  const metadata = object.metadata as Record<string, unknown>;
  const entries = encodeManagedFields(managed);
  if (entries) metadata.managedFields = entries;
  else delete metadata.managedFields;
}

/**
 * Records a create (`live` undefined), update or non-apply patch by `manager` in
 * `next.metadata.managedFields`.
 */
export function recordUpdate(
  scope: WriteScope,
  live: KubeObject | undefined,
  next: KubeObject,
  manager: string,
): void {
  const managed = startingManaged(live, next, scope.subresource);
  delete next.metadata.managedFields;
  // An existing object nobody tracks stays untracked (skipNonAppliedManager).
  if (managed.size === 0 && live) return;
  const ignored = ignoredFields(scope);
  const before = live ? withoutManagedFields(live) : newObject(scope.type);
  const comparison = compare(before, withoutManagedFields(next), rootNode(scope.type));
  const changed = comparison.modified.union(comparison.added).recursiveDifference(ignored);
  const removed = comparison.removed.recursiveDifference(ignored);
  for (const entry of managed.values()) entry.fields = entry.fields.difference(changed).difference(removed);

  const own = changed.difference(SERVER_OWNED);
  if (!own.isEmpty()) {
    const entry: ManagerEntry = {
      manager,
      operation: 'Update',
      apiVersion: apiVersionOf(scope.type),
      subresource: scope.subresource,
      time: scope.now,
      fields: own,
    };
    const identity = managerIdentity(entry);
    const previous = managed.get(identity);
    if (previous) entry.fields = previous.fields.union(own);
    managed.set(identity, entry);
  }
  setManagedFields(next, managed);
}

export interface ApplyRequest {
  /** The applied configuration, decoded from the request's YAML or JSON. */
  configuration: Record<string, unknown>;
  manager: string;
  force: boolean;
}

/**
 * Server-side apply of `request.configuration` onto `live` (undefined: the apply creates the
 * object); returns the object to store, managedFields included.
 */
export function apply(scope: WriteScope, live: KubeObject | undefined, request: ApplyRequest): KubeObject {
  const { type } = scope;
  const { configuration, manager } = request;
  if (configuration.apiVersion !== apiVersionOf(type) || configuration.kind !== type.kind) {
    throw badRequest(`invalid object type: ${gvkText(configuration.apiVersion, configuration.kind)}`);
  }
  const metadata = isPlainObject(configuration.metadata) ? configuration.metadata : {};
  if (metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');

  const root = rootNode(type);
  let applied: FieldSet;
  try {
    applied = toFieldSet(configuration, root, true);
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    // A plain Go error: answered 500 without a reason.
    const target = `${String(metadata.namespace ?? '')}/${String(metadata.name ?? '')}`;
    throw new ApiError(
      500,
      '',
      `failed to create typed patch object (${target}; ${gvkText(configuration.apiVersion, configuration.kind)}): ${error.message}`,
    );
  }

  const liveValue = live
    ? withoutManagedFields(live)
    : { apiVersion: apiVersionOf(type), kind: type.kind, metadata: {} };
  const managed = (live && decodeManagedFields(live.metadata.managedFields)) || new Map();
  const ignored = ignoredFields(scope);
  const applier: ManagerEntry = {
    manager,
    operation: 'Apply',
    apiVersion: apiVersionOf(type),
    subresource: scope.subresource,
    time: scope.now,
    fields: applied.recursiveDifference(ignored),
  };
  const identity = managerIdentity(applier);
  const lastApplied = managed.get(identity)?.fields;
  managed.set(identity, applier);

  let merged = merge(liveValue, configuration, root) as Record<string, unknown>;
  if (lastApplied && !lastApplied.isEmpty()) merged = prune(merged, managed, lastApplied, root);

  const comparison = compare(liveValue, merged, root);
  const changed = comparison.modified.union(comparison.added).recursiveDifference(ignored);
  const removed = comparison.removed.recursiveDifference(ignored);
  let conflicts: Conflict[] = [];
  for (const [other, entry] of managed) {
    if (other === identity) continue;
    for (const path of entry.fields.intersection(changed).paths())
      conflicts.push({ identity: other, entry, path });
  }
  if (conflicts.length > 0 && !request.force) {
    const allowed = manager === KUBECTL && live ? fieldsClientSideApplySet(live, liveValue, root) : undefined;
    if (allowed) conflicts = conflicts.filter((conflict) => !allowed.has(conflict.path));
    if (conflicts.length > 0) throw conflictError(conflicts);
  }
  for (const [other, entry] of managed) {
    if (other !== identity) entry.fields = entry.fields.difference(changed).difference(removed);
  }
  applier.fields = applier.fields.difference(SERVER_OWNED);

  const result = withoutNulls(merged) as KubeObject;
  result.metadata ??= {};
  setManagedFields(result, managed);
  if (manager === KUBECTL && result.metadata.annotations?.[LAST_APPLIED_ANNOTATION]) {
    result.metadata.annotations[LAST_APPLIED_ANNOTATION] = lastAppliedText(configuration);
  }
  return result;
}

/** GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function gvkText(apiVersion: unknown, kind: unknown): string {
  const text = typeof apiVersion === 'string' ? apiVersion : '';
  const [group, version] = text.includes('/') ? text.split('/', 2) : ['', text];
  return `${group}/${version}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

/**
 * The prune step of structured-merge-diff's Apply: what the applier owned last time and owns no
 * longer goes, unless some manager (the applier's new configuration included) still owns it.
 */
function prune(
  merged: Record<string, unknown>,
  managed: Managed,
  lastApplied: FieldSet,
  root: TypeNode,
): Record<string, unknown> {
  let owned = new FieldSet();
  for (const entry of managed.values()) owned = owned.union(entry.fields);
  const toRemove = withNamedFieldsAsMembers(lastApplied, root).difference(
    withNamedFieldsAsMembers(owned, root),
  );
  return (removeItems(merged, toRemove, root) ?? {}) as Record<string, unknown>;
}

/**
 * lastAppliedManager: the fields client-side apply set (per the live object's annotation) and
 * that still hold the applied values may be taken over by `kubectl`'s first server-side apply.
 */
function fieldsClientSideApplySet(
  live: KubeObject,
  liveValue: Record<string, unknown>,
  root: TypeNode,
): FieldSet | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  try {
    const comparison = compare(lastApplied, liveValue, root);
    return toFieldSet(lastApplied, root)
      .difference(comparison.modified)
      .difference(comparison.added)
      .difference(comparison.removed);
  } catch (error) {
    if (error instanceof SchemaError) return undefined;
    throw error;
  }
}

/** buildLastApplied: the applied configuration without the annotation, as Go's encoder writes it. */
function lastAppliedText(configuration: Record<string, unknown>): string {
  const copy = clone(configuration);
  const metadata = copy.metadata as Record<string, unknown>;
  const annotations = { ...(metadata.annotations as Record<string, string>) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const json = JSON.stringify(sortedKeys(copy))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  return `${json}\n`;
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}

/** Decoding into Go structs drops nulls: a field applied as null ends up unset. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) out[key] = withoutNulls(item);
  return out;
}

/**
 * IgnoreManagedFieldsTimestampsTransformer: a write that changes nothing but managedFields times
 * keeps the stored times, so a repeated apply is a no-op that bumps no resourceVersion.
 */
export function onlyTimesChanged(before: unknown, after: unknown): boolean {
  if (!Array.isArray(before) || !Array.isArray(after) || before.length !== after.length) return false;
  const untimed = (entries: unknown[]) =>
    entries
      .map((entry) => JSON.stringify(sortedKeys({ ...(entry as object), time: undefined })))
      .sort()
      .join('\n');
  return untimed(before) === untimed(after);
}
