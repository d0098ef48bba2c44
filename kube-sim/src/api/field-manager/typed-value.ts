/**
 * The operations structured-merge-diff performs on typed values (sigs.k8s.io/structured-merge-diff
 * typed/): the field set a value sets, the comparison of two values, the merge of an applied
 * configuration into a live object, and the removal of a set of paths. Values are JSON; their
 * TypeNode says how each part merges.
 */
import { clone, isPlainObject } from '../objects.js';
import { FieldSet, type Path, type PathElement, pathText } from './field-set.js';
import { DEDUCED, deducedKind, entryNode, isAtomic, type TypeNode } from './schema.js';

/** A value that does not fit its schema, reported as structured-merge-diff words it. */
export class SchemaError extends Error {}

/**
 * The defaults the published OpenAPI gives list-map keys: an item that leaves out such a key is
 * identified by the default (a container port without `protocol` is the TCP one).
 */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

type ListNode = TypeNode & { kind: 'list' };

function isMapShaped(node: TypeNode, value: unknown): boolean {
  if (node.kind === 'struct' || node.kind === 'map') return true;
  return node.kind === 'deduced' && deducedKind(value) === 'map';
}

/** The element naming a list item: its keys for a map list, its value for a set. */
function itemElement(list: ListNode, item: unknown, index: number): PathElement {
  if (list.listType === 'set') return { value: item };
  if (list.listType === 'atomic') return { index };
  if (!isPlainObject(item))
    throw new SchemaError(`element ${index}: expected map, got ${JSON.stringify(item)}`);
  const key: [string, unknown][] = [];
  for (const name of list.keys) {
    if (item[name] !== undefined && item[name] !== null) key.push([name, item[name]]);
    else if (name in KEY_DEFAULTS) key.push([name, KEY_DEFAULTS[name]]);
    else {
      throw new SchemaError(
        `element ${index}: associative list with keys has an element that omits key field "${name}" (and doesn't have default value)`,
      );
    }
  }
  key.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { key };
}

function itemsOf(list: ListNode, value: unknown): [PathElement, unknown][] {
  if (!Array.isArray(value)) return [];
  return value.map((item, index) => [itemElement(list, item, index), item]);
}

function elementId(element: PathElement): string {
  return JSON.stringify(element);
}

function childNode(node: TypeNode, key: string, path: Path, strict: boolean): TypeNode {
  const child = entryNode(node, key);
  if (child) return child;
  if (strict) throw new SchemaError(`${pathText([...path, { field: key }])}: field not declared in schema`);
  return DEDUCED;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/**
 * ToFieldSet: every scalar and atomic value, every list item, every map entry that is not a
 * declared struct field, and every struct field that is null or an empty object. `strict` rejects
 * fields the schema does not declare, as converting an applied configuration does.
 */
export function toFieldSet(value: unknown, node: TypeNode, strict = false): FieldSet {
  const set = new FieldSet();
  collect(value, node, [], set, strict);
  return set;
}

function collect(value: unknown, node: TypeNode, path: Path, set: FieldSet, strict: boolean): void {
  if (value === null || value === undefined) return;
  if (isAtomic(node, value)) {
    set.insert(path);
    return;
  }
  if (node.kind === 'list') {
    if (!Array.isArray(value))
      throw new SchemaError(`${pathText(path)}: expected list, got ${JSON.stringify(value)}`);
    const seen = new Set<string>();
    for (const [element, item] of itemsOf(node, value)) {
      const id = elementId(element);
      if (strict && seen.has(id)) {
        throw new SchemaError(`${pathText(path)}: duplicate entries for key ${pathText([element])}`);
      }
      seen.add(id);
      const itemPath = [...path, element];
      collect(item, node.of, itemPath, set, strict);
      set.insert(itemPath);
    }
    return;
  }
  if (!isPlainObject(value)) {
    if (strict) throw new SchemaError(`${pathText(path)}: expected map, got ${JSON.stringify(value)}`);
    set.insert(path);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const child = childNode(node, key, path, strict);
    const childPath = [...path, { field: key }];
    collect(item, child, childPath, set, strict);
    const declaredField = node.kind === 'struct';
    if (item === null || (isPlainObject(item) && Object.keys(item).length === 0) || !declaredField) {
      set.insert(childPath);
    }
  }
}

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/** Compare: what changed from `lhs` to `rhs`, leaf by leaf, plus whole containers that appeared or went. */
export function compare(lhs: unknown, rhs: unknown, node: TypeNode): Comparison {
  const result = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  compareAt(lhs, rhs, node, [], result);
  return result;
}

function compareAt(lhs: unknown, rhs: unknown, node: TypeNode, path: Path, out: Comparison): void {
  if (lhs === undefined && rhs === undefined) return;
  const shape = rhs !== undefined ? rhs : lhs;
  const mismatch =
    lhs !== undefined &&
    rhs !== undefined &&
    lhs !== null &&
    rhs !== null &&
    deducedKind(lhs) !== deducedKind(rhs);
  const containerLeaf = (node.kind !== 'scalar' && isEmpty(lhs) && isEmpty(rhs)) || mismatch;
  if (isAtomic(node, shape) || containerLeaf) {
    if (lhs === undefined) out.added.insert(path);
    else if (rhs === undefined) out.removed.insert(path);
    else if (JSON.stringify(canonical(lhs)) !== JSON.stringify(canonical(rhs))) out.modified.insert(path);
    return;
  }
  if (node.kind === 'list') {
    const left = new Map(itemsOf(node, lhs).map(([e, v]) => [elementId(e), [e, v] as const]));
    const right = new Map(itemsOf(node, rhs).map(([e, v]) => [elementId(e), [e, v] as const]));
    for (const id of new Set([...left.keys(), ...right.keys()])) {
      const element = (left.get(id) ?? right.get(id))![0];
      compareAt(left.get(id)?.[1], right.get(id)?.[1], node.of, [...path, element], out);
    }
  } else if (isMapShaped(node, shape)) {
    const left = isPlainObject(lhs) ? lhs : {};
    const right = isPlainObject(rhs) ? rhs : {};
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      compareAt(left[key], right[key], childNode(node, key, path, false), [...path, { field: key }], out);
    }
  }
  if (lhs === undefined) out.added.insert(path);
  else if (rhs === undefined) out.removed.insert(path);
}

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical(value[key])]),
  );
}

/**
 * Merge with the applied side winning: structs and granular maps merge entry by entry, map and set
 * lists item by item (in structured-merge-diff's order: the applied order, with live-only items
 * kept where they were), atomic values and scalars are replaced.
 */
export function merge(lhs: unknown, rhs: unknown, node: TypeNode): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined || lhs === null) return clone(rhs);
  if (rhs === null) return isAtomic(node, lhs) ? null : lhs;
  if (isAtomic(node, rhs) || deducedKind(lhs) !== deducedKind(rhs)) return clone(rhs);
  if (node.kind === 'list') return mergeList(lhs as unknown[], rhs as unknown[], node);
  const left = lhs as Record<string, unknown>;
  const right = rhs as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const merged = merge(left[key], right[key], entryNode(node, key) ?? DEDUCED);
    if (merged !== undefined) out[key] = merged;
  }
  return out;
}

function mergeList(lhs: unknown[], rhs: unknown[], node: ListNode): unknown[] {
  const left = dedupe(itemsOf(node, lhs));
  const right = dedupe(itemsOf(node, rhs));
  const leftById = new Map(left.map(([e, v]) => [elementId(e), v]));
  const rightById = new Map(right.map(([e, v]) => [elementId(e), v]));
  const shared = right.map(([e]) => elementId(e)).filter((id) => leftById.has(id));
  let nextShared = shared.shift();
  const out: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length || r < right.length) {
    if (l < left.length && r < right.length) {
      const id = elementId(left[l]![0]);
      if (id === elementId(right[r]![0])) {
        out.push(merge(leftById.get(id), rightById.get(id), node.of));
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      if (rightById.has(id) && nextShared !== undefined && nextShared !== id) {
        l++;
        continue;
      }
    }
    if (l < left.length && !rightById.has(elementId(left[l]![0]))) {
      out.push(left[l]![1]);
      l++;
      continue;
    }
    if (r < right.length) {
      const id = elementId(right[r]![0]);
      out.push(merge(leftById.get(id), rightById.get(id), node.of));
      r++;
      if (nextShared === id) nextShared = shared.shift();
    } else {
      l++;
    }
  }
  return out;
}

function dedupe(items: [PathElement, unknown][]): [PathElement, unknown][] {
  const seen = new Set<string>();
  return items.filter(([element]) => {
    const id = elementId(element);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** RemoveItems: drops every member of `set` (with everything beneath it); emptied maps and lists go too. */
export function removeItems(value: unknown, set: FieldSet, node: TypeNode): unknown {
  if (set.isEmpty() || value === null || value === undefined || isAtomic(node, value)) return value;
  if (node.kind === 'list') {
    if (!Array.isArray(value)) return value;
    const items: unknown[] = [];
    for (const [element, item] of itemsOf(node, value)) {
      if (set.hasMember(element)) continue;
      items.push(removeItems(item, set.withPrefix(element), node.of));
    }
    return items.length ? items : undefined;
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const element = { field: key };
    if (set.hasMember(element)) continue;
    const kept = removeItems(item, set.withPrefix(element), entryNode(node, key) ?? DEDUCED);
    if (kept !== undefined) out[key] = kept;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * EnsureNamedFieldsAreMembers: struct fields with owned paths beneath them count as owned
 * themselves, so pruning never removes a struct someone still has a field in.
 */
export function withNamedFieldsAsMembers(set: FieldSet, node: TypeNode): FieldSet {
  const result = set.copy();
  for (const [element, children] of set.childEntries()) {
    const child =
      'field' in element ? entryNode(node, element.field) : node.kind === 'list' ? node.of : undefined;
    const nested = withNamedFieldsAsMembers(children, child ?? DEDUCED);
    const path = [element];
    if ('field' in element && node.kind === 'struct' && child) result.insert(path);
    for (const sub of nested.paths()) result.insert([element, ...sub]);
  }
  return result;
}
