/**
 * The structured-merge-diff view of kube-sim's OpenAPI schemas: how each value merges and how its
 * fields are named in a field set. kube-openapi's schemaconv rules: `x-kubernetes-list-type` decides
 * a list's kind (atomic, set, or map keyed by `x-kubernetes-list-map-keys`); without it a
 * `merge` patch strategy makes the list a map keyed by its patch merge key (a set when it has none),
 * anything else is atomic. `x-kubernetes-map-type: atomic` makes a struct or map one leaf.
 * Free-form objects are "deduced": their maps merge key by key, their lists are atomic.
 */
import { SCALAR_SCHEMAS, TYPE_DEFS } from '../openapi-schemas.js';

export type TypeNode =
  | { kind: 'scalar' }
  | { kind: 'struct'; name: string; atomic: boolean }
  | { kind: 'map'; of: TypeNode; atomic: boolean }
  | { kind: 'list'; of: TypeNode; listType: 'atomic' | 'set' | 'map'; keys: string[] }
  | { kind: 'deduced' };

const SCALAR: TypeNode = { kind: 'scalar' };
export const DEDUCED: TypeNode = { kind: 'deduced' };

/** The node of a property declared as `type` (the generated schemas' notation) with its extensions. */
export function typeNode(type: string, extensions?: Record<string, unknown>): TypeNode {
  if (type.startsWith('[]')) {
    const listType = extensions?.['x-kubernetes-list-type'];
    const of = typeNode(type.slice(2));
    if (listType === 'map') {
      return {
        kind: 'list',
        of,
        listType: 'map',
        keys: extensions?.['x-kubernetes-list-map-keys'] as string[],
      };
    }
    if (listType === 'set' || listType === 'atomic') return { kind: 'list', of, listType, keys: [] };
    const strategy = String(extensions?.['x-kubernetes-patch-strategy'] ?? '').split(',')[0];
    const mergeKey = extensions?.['x-kubernetes-patch-merge-key'];
    if (strategy === 'merge' && typeof mergeKey === 'string') {
      return { kind: 'list', of, listType: 'map', keys: [mergeKey] };
    }
    if (strategy === 'merge') return { kind: 'list', of, listType: 'set', keys: [] };
    return { kind: 'list', of, listType: 'atomic', keys: [] };
  }
  if (type.startsWith('{}')) {
    return {
      kind: 'map',
      of: typeNode(type.slice(2)),
      atomic: extensions?.['x-kubernetes-map-type'] === 'atomic',
    };
  }
  if (type.startsWith('#')) {
    const name = type.slice(1);
    if (SCALAR_SCHEMAS[name]) return name.endsWith('RawExtension') ? DEDUCED : SCALAR;
    const def = TYPE_DEFS[name];
    if (!def) return DEDUCED;
    return { kind: 'struct', name, atomic: def.extensions?.['x-kubernetes-map-type'] === 'atomic' };
  }
  return type === 'object' ? DEDUCED : SCALAR;
}

/** The node of a struct's field; undefined when the struct does not declare it. */
function fieldNode(struct: TypeNode & { kind: 'struct' }, field: string): TypeNode | undefined {
  const property = TYPE_DEFS[struct.name]?.properties;
  if (!property || !Object.hasOwn(property, field)) return undefined;
  const [type, , extensions] = property[field]!;
  return typeNode(type, extensions);
}

/** The node a map-shaped value gives its entry `key`: a declared field, a map's element, or deduced. */
export function entryNode(node: TypeNode, key: string): TypeNode | undefined {
  if (node.kind === 'struct') return fieldNode(node, key);
  if (node.kind === 'map') return node.of;
  return DEDUCED;
}

/** A value deduced from its JSON shape, as structured-merge-diff does for free-form fields. */
export function deducedKind(value: unknown): 'map' | 'list' | 'scalar' {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object' && value !== null) return 'map';
  return 'scalar';
}

/** Whether a node is one leaf for ownership: scalars, atomic structs, maps and lists. */
export function isAtomic(node: TypeNode, value: unknown): boolean {
  switch (node.kind) {
    case 'scalar':
      return true;
    case 'struct':
    case 'map':
      return node.atomic;
    case 'list':
      return node.listType === 'atomic';
    case 'deduced':
      return deducedKind(value) !== 'map';
  }
}
