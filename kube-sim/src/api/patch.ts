/**
 * PATCH semantics as the apiserver applies them (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
 * RFC 6902 JSON patch, RFC 7386 merge patch, and strategic merge patch with the merge keys and
 * strategies that the Go struct tags of the built-in types declare (apimachinery/pkg/util/strategicpatch).
 * Server-side apply, the fourth patch type, is the field manager's (./field-manager/).
 */
import jsonpatch from 'fast-json-patch';
import { ApiError } from './errors.js';
import { clone, isPlainObject, type KubeObject } from './objects.js';
import type { ResourceType } from './resources.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** The patches that transform the live object themselves, as opposed to server-side apply. */
export type MergingPatchType = Exclude<PatchType, 'apply'>;

/** In the order the apiserver lists them as accepted for built-in types. */
const CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

const ACCEPTED_PATCH_TYPES = Object.keys(CONTENT_TYPES);

export function patchTypeFromContentType(contentType: string | undefined): PatchType {
  const bare = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const type = CONTENT_TYPES[bare];
  if (type) return type;
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${ACCEPTED_PATCH_TYPES.join(', ')}`,
  );
}

export function applyPatch(
  type: ResourceType,
  original: KubeObject,
  patchType: MergingPatchType,
  patch: unknown,
): KubeObject {
  switch (patchType) {
    case 'json':
      return applyJsonPatch(original, patch);
    case 'merge':
      if (!isPlainObject(patch)) throw new ApiError(400, 'BadRequest', 'Invalid JSON Patch');
      return jsonMergePatch(original, patch) as KubeObject;
    case 'strategic':
      if (!isPlainObject(patch)) throw new ApiError(400, 'BadRequest', 'invalid JSON document');
      return strategicMergePatch(original, patch, SCHEMAS[type.kind] ?? OBJECT) as KubeObject;
  }
}

/**
 * A failed operation (test mismatch, missing path, unknown op) is answered with a generic 422 whose
 * details are empty: apiserver builds it with NewGenericServerResponse and drops the cause.
 */
function applyJsonPatch(original: KubeObject, patch: unknown): KubeObject {
  if (patch === null) return clone(original);
  if (!Array.isArray(patch)) {
    const goType = isPlainObject(patch) ? 'object' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    throw new ApiError(
      400,
      'BadRequest',
      `json: cannot unmarshal ${goType} into Go value of type jsonpatch.Patch`,
    );
  }
  if (patch.length > 10_000) {
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `The allowed maximum operations in a JSON patch is 10000, got ${patch.length}`,
    );
  }
  try {
    const ops = clone(patch) as jsonpatch.Operation[];
    return jsonpatch.applyPatch(clone(original), ops, true, true).newDocument;
  } catch {
    throw unprocessable();
  }
}

/** RFC 7386: objects merge recursively, `null` deletes, anything else replaces. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = jsonMergePatch(result[key], value);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch

/** Patch metadata of one field, mirroring `patchStrategy` / `patchMergeKey` struct tags. */
interface Field {
  /** `merge` lists merge element-wise (by `key` for objects, as a set for primitives); `replace` lists and maps are atomic. */
  strategy?: 'merge' | 'replace';
  key?: string;
  /** Schema of the nested struct, or of a list's elements. */
  of?: Schema;
}

type Schema = { readonly [field: string]: Field };

const OBJECT: Schema = {};
const CONDITIONS: Field = { strategy: 'merge', key: 'type' };

const OBJECT_META: Schema = {
  finalizers: { strategy: 'merge' },
  ownerReferences: { strategy: 'merge', key: 'uid' },
};

const CONTAINER: Schema = {
  ports: { strategy: 'merge', key: 'containerPort' },
  env: { strategy: 'merge', key: 'name' },
  volumeMounts: { strategy: 'merge', key: 'mountPath' },
  volumeDevices: { strategy: 'merge', key: 'devicePath' },
};

const POD_SPEC: Schema = {
  volumes: { strategy: 'merge', key: 'name' },
  initContainers: { strategy: 'merge', key: 'name', of: CONTAINER },
  containers: { strategy: 'merge', key: 'name', of: CONTAINER },
  ephemeralContainers: { strategy: 'merge', key: 'name', of: CONTAINER },
  imagePullSecrets: { strategy: 'merge', key: 'name' },
  hostAliases: { strategy: 'merge', key: 'ip' },
  topologySpreadConstraints: { strategy: 'merge', key: 'topologyKey' },
  resourceClaims: { strategy: 'merge', key: 'name' },
  schedulingGates: { strategy: 'merge', key: 'name' },
};

const POD_STATUS: Schema = {
  conditions: CONDITIONS,
  podIPs: { strategy: 'merge', key: 'ip' },
  hostIPs: { strategy: 'merge', key: 'ip' },
  resourceClaimStatuses: { strategy: 'merge', key: 'name' },
};

const POD_TEMPLATE: Schema = { metadata: { of: OBJECT_META }, spec: { of: POD_SPEC } };

const WORKLOAD_STATUS: Schema = { conditions: CONDITIONS };

function kindSchema(spec: Schema, status: Schema = OBJECT): Schema {
  return { metadata: { of: OBJECT_META }, spec: { of: spec }, status: { of: status } };
}

/** Per kind; fields not listed (tolerations, envFrom, rules, subjects, containerStatuses, ...) are atomic. */
const SCHEMAS: Record<string, Schema> = {
  Pod: kindSchema(POD_SPEC, POD_STATUS),
  Service: kindSchema({ ports: { strategy: 'merge', key: 'port' } }, WORKLOAD_STATUS),
  Node: kindSchema(
    { podCIDRs: { strategy: 'merge' } },
    { conditions: CONDITIONS, addresses: { strategy: 'merge', key: 'type' } },
  ),
  Namespace: kindSchema(OBJECT, WORKLOAD_STATUS),
  ServiceAccount: { metadata: { of: OBJECT_META }, secrets: { strategy: 'merge', key: 'name' } },
  Deployment: kindSchema({ template: { of: POD_TEMPLATE } }, WORKLOAD_STATUS),
  ReplicaSet: kindSchema({ template: { of: POD_TEMPLATE } }, WORKLOAD_STATUS),
};

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PREFIX = '$deleteFromPrimitiveList/';
const ORDER_PREFIX = '$setElementOrder/';

/** mergepatch errors the apiserver maps to 400 / 422; anything else surfaces as a plain 500. */
function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** NewGenericServerResponse(422): the cause text is dropped, only the generic message remains. */
function unprocessable(): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** A non-Status Go error: apiserver answers 500 with an empty (omitted) reason. */
function plainError(message: string): ApiError {
  return new ApiError(500, '', message);
}

function strategicMergePatch(original: unknown, patch: Record<string, unknown>, schema: Schema): unknown {
  return mergeMap(isPlainObject(original) ? clone(original) : {}, clone(patch), schema);
}

function mergeMap(
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
  schema: Schema,
): Record<string, unknown> {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return stripDirectives(patch) as Record<string, unknown>;
    }
    if (directive === 'delete') return {};
    throw plainError(`unknown patch type: ${String(directive)} in map: ${goMap(patch)}`);
  }

  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);

  for (const [rawKey, patchValue] of Object.entries(patch)) {
    let key = rawKey;
    let deleteList = false;
    if (rawKey.startsWith(DELETE_PREFIX)) {
      key = rawKey.slice(DELETE_PREFIX.length);
      deleteList = true;
      if (!key) throw badRequest('invalid patch format of primitive list');
    } else if (rawKey.startsWith('$deleteFromPrimitiveList')) {
      throw badRequest('invalid patch format of primitive list');
    }
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const field = schema[key] ?? {};
    const current = original[key];
    if (current === undefined) {
      if (deleteList) continue;
      // Merging into nothing still resolves directives the patch carries.
      if (Array.isArray(patchValue)) original[key] = mergeListField([], patchValue, field, deleteList);
      else if (isPlainObject(patchValue)) original[key] = mergeMapField({}, patchValue, field);
      else original[key] = patchValue;
      continue;
    }
    if (Array.isArray(current) && Array.isArray(patchValue)) {
      original[key] = mergeListField(current, patchValue, field, deleteList);
    } else if (isPlainObject(current) && isPlainObject(patchValue)) {
      original[key] = mergeMapField(current, patchValue, field);
    } else {
      original[key] = stripDirectives(patchValue);
    }
  }
  return original;
}

function mergeMapField(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
  field: Field,
): Record<string, unknown> {
  if (field.strategy === 'replace') return stripDirectives(patch) as Record<string, unknown>;
  return mergeMap(current, patch, field.of ?? OBJECT);
}

function mergeListField(current: unknown[], patch: unknown[], field: Field, deleteList: boolean): unknown[] {
  if (field.strategy !== 'merge') return stripDirectives(patch) as unknown[];
  return mergeList(current, patch, field, deleteList);
}

/** `$retainKeys` drops every key of the original that the list does not name. */
function applyRetainKeys(original: Record<string, unknown>, patch: Record<string, unknown>): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badRequest('invalid patch format of retainKeys');
  const keep = new Set(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_PREFIX) || key.startsWith(ORDER_PREFIX)) continue;
    if (!keep.has(key)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const key of Object.keys(original)) {
    if (!keep.has(key)) delete original[key];
  }
}

/**
 * `$setElementOrder/<list>` (sent by kubectl apply) merges the named list and then orders it:
 * items named in the directive in its order, server-only items kept around them.
 */
function applySetElementOrder(
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
  schema: Schema,
) {
  for (const [directiveKey, order] of Object.entries(patch)) {
    if (!directiveKey.startsWith(ORDER_PREFIX)) continue;
    delete patch[directiveKey];
    const key = directiveKey.slice(ORDER_PREFIX.length);
    if (!key || !Array.isArray(order)) throw badRequest('invalid patch format of setElementOrder list');
    const field = schema[key] ?? {};
    const mergeKey = field.key ?? '';
    const currentValue = original[key];
    const patchValue = patch[key];
    if (currentValue !== undefined && !Array.isArray(currentValue))
      throw plainError(badArgType(currentValue));
    if (patchValue !== undefined && patchValue !== null && !Array.isArray(patchValue)) {
      throw badRequest('invalid patch format of setElementOrder list');
    }
    const current = currentValue as unknown[] | undefined;
    const patchList = (patchValue ?? undefined) as unknown[] | undefined;
    validateSetOrder(patchList ?? [], order, mergeKey);

    let merged: unknown[];
    if (current && patchList) merged = mergeListField(current, patchList, field, false);
    else if (patchList) merged = mergeListField([], patchList, field, false);
    else if (current) merged = current;
    else continue;

    const [patchItems, serverOnly] = partition(merged, order, mergeKey);
    original[key] = normalizeOrder(patchItems, serverOnly, order, current ?? [], mergeKey);
    delete patch[key];
  }
}

function validateSetOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (patchList.length === 0 || order.length === 0) return;
  const items = mergeKey ? patchList.filter((item) => !isDeleteDirective(item)) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isPlainObject(items[p]) && DIRECTIVE in (items[p] as object)) {
      p++;
      continue;
    }
    if (identity(items[p], mergeKey) === identity(order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw plainError(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match $setElementOrder list:\n${goValue(order)}\n`,
    );
  }
}

function mergeList(current: unknown[], patch: unknown[], field: Field, deleteList: boolean): unknown[] {
  if (current.length === 0 && patch.length === 0) return current;
  const mergeKey = field.key ?? '';
  const kind = elementKind([...current, ...patch]);
  let original = current;
  let items = patch;
  let merged: unknown[];
  if (kind !== 'map') {
    if (deleteList) {
      const remove = new Set(patch);
      return current.filter((value) => !remove.has(value));
    }
    merged = dedupe([...current, ...patch]);
  } else {
    if (!mergeKey) throw plainError('cannot merge lists without merge key for type struct');
    [original, items] = applyListDirectives(current, patch as Record<string, unknown>[], mergeKey);
    merged = [...original];
    for (const item of items as Record<string, unknown>[]) {
      if (!(mergeKey in item)) throw plainError(noMergeKey(item, mergeKey));
      const index = merged.findIndex((o) => isPlainObject(o) && o[mergeKey] === item[mergeKey]);
      if (index >= 0)
        merged[index] = mergeMap(merged[index] as Record<string, unknown>, item, field.of ?? OBJECT);
      else merged.push(mergeMap({}, item, field.of ?? OBJECT));
    }
  }
  const [patchItems, serverOnly] = partition(merged, items, mergeKey);
  return normalizeOrder(patchItems, serverOnly, items, original, mergeKey);
}

/** `{$patch: delete, <key>: v}` removes matching items; `{$patch: replace}` makes the rest of the list authoritative. */
function applyListDirectives(
  original: unknown[],
  patch: Record<string, unknown>[],
  mergeKey: string,
): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  let remaining = original;
  for (const item of patch) {
    if (!(DIRECTIVE in item)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!(mergeKey in item)) throw plainError(noMergeKey(item, mergeKey));
      remaining = remaining.filter((o) => !(isPlainObject(o) && o[mergeKey] === item[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw plainError('merging lists cannot yet be specified in the patch');
    } else {
      throw plainError(`unknown patch type: ${String(directive)} in map: ${goMap(item)}`);
    }
  }
  if (replace) return [plain.map((item) => mergeMap({}, item as Record<string, unknown>, OBJECT)), []];
  return [remaining, plain];
}

function isDeleteDirective(item: unknown): boolean {
  return isPlainObject(item) && item[DIRECTIVE] === 'delete';
}

function identity(item: unknown, mergeKey: string): unknown {
  return mergeKey && isPlainObject(item) ? item[mergeKey] : item;
}

function indexIn(list: unknown[], item: unknown, mergeKey: string): number {
  const id = identity(item, mergeKey);
  return list.findIndex((candidate) => identity(candidate, mergeKey) === id);
}

function partition(merged: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) (indexIn(by, item, mergeKey) >= 0 ? inPatch : serverOnly).push(item);
  return [inPatch, serverOnly];
}

function sortBy(items: unknown[], order: unknown[], mergeKey: string): unknown[] {
  return items
    .map((item, position) => ({ item, position, rank: indexIn(order, item, mergeKey) }))
    .sort((a, b) => (a.rank >= 0 && b.rank >= 0 ? a.rank - b.rank : 0) || a.position - b.position)
    .map((entry) => entry.item);
}

/**
 * Patch items take the patch's order, server-only items keep the live order, and the two are
 * interleaved by live position; items new to the live list therefore come first, as in Go.
 */
function normalizeOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
): unknown[] {
  const right = sortBy(patchItems, patchOrder, mergeKey);
  const left = sortBy(serverOnly, serverOrder, mergeKey);
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) result.push(right[j++]);
    else if (j >= right.length) result.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) result.push(left[i++]);
      else result.push(right[j++]);
    }
  }
  return result;
}

function elementKind(values: unknown[]): 'map' | 'scalar' | 'empty' {
  let kind: 'map' | 'scalar' | 'list' | 'empty' = 'empty';
  for (const value of values) {
    const next = Array.isArray(value) ? 'list' : isPlainObject(value) ? 'map' : 'scalar';
    if (next === 'list') throw unprocessable();
    if (kind !== 'empty' && kind !== next)
      throw plainError(`list element types are not identical: ${goValue(values)}`);
    kind = next;
  }
  return kind as 'map' | 'scalar' | 'empty';
}

function dedupe(values: unknown[]): unknown[] {
  return [...new Set(values)];
}

/** Directives never reach storage: a typed decode would drop them, so values taken verbatim are cleaned. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((item) => !(isPlainObject(item) && DIRECTIVE in item)).map(stripDirectives);
  }
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$') || item === null) continue;
    result[key] = stripDirectives(item);
  }
  return result;
}

function noMergeKey(item: Record<string, unknown>, mergeKey: string): string {
  return `map: ${goMap(item)} does not contain declared merge key: ${mergeKey}`;
}

function badArgType(value: unknown): string {
  return `expected a []interface {}, but received a ${goTypeName(value)}`;
}

function goTypeName(value: unknown): string {
  if (isPlainObject(value)) return 'map[string]interface {}';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return '<nil>';
}

/** Go's `%v` rendering of decoded JSON, used in error texts. */
function goValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (isPlainObject(value)) return goMap(value);
  if (value === null || value === undefined) return '<nil>';
  return String(value);
}

function goMap(value: Record<string, unknown>): string {
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${key}:${goValue(value[key])}`);
  return `map[${entries.join(' ')}]`;
}
