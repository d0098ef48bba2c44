/**
 * Sets of field paths, as sigs.k8s.io/structured-merge-diff's fieldpath.Set: a trie whose nodes
 * are path elements — a struct field or map key (`f:name`), a map-list item by its keys
 * (`k:{"name":"app"}`), a set-list item by its value (`v:"x"`), a list item by index (`i:0`).
 * A node can be a member (the path itself is in the set) and have children at once; FieldsV1
 * writes such a node's own membership as `".": {}`. Elements sort as Go sorts them, so the
 * FieldsV1 JSON and conflict listings come out in the apiserver's order.
 */

export type PathElement =
  | { field: string }
  | { key: [name: string, value: unknown][] }
  | { value: unknown }
  | { index: number };

export type Path = PathElement[];

interface Node {
  element: PathElement;
  member: boolean;
  children: FieldSet;
}

/** value.Compare's total order: numbers, strings, booleans, lists, maps, null. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) =>
    typeof v === 'number'
      ? 0
      : typeof v === 'string'
        ? 1
        : typeof v === 'boolean'
          ? 2
          : Array.isArray(v)
            ? 3
            : v !== null && typeof v === 'object'
              ? 4
              : 5;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  if (ra === 1) return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  if (ra === 2) return Number(a) - Number(b);
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja === jb ? 0 : ja < jb ? -1 : 1;
}

function elementRank(e: PathElement): number {
  return 'field' in e ? 0 : 'key' in e ? 1 : 'value' in e ? 2 : 3;
}

function compareElements(a: PathElement, b: PathElement): number {
  const rank = elementRank(a) - elementRank(b);
  if (rank !== 0) return rank;
  if ('field' in a && 'field' in b) return a.field === b.field ? 0 : a.field < b.field ? -1 : 1;
  if ('key' in a && 'key' in b) {
    for (let i = 0; ; i++) {
      if (i >= a.key.length && i >= b.key.length) return 0;
      if (i >= a.key.length) return -1;
      if (i >= b.key.length) return 1;
      const [an, av] = a.key[i]!;
      const [bn, bv] = b.key[i]!;
      if (an !== bn) return an < bn ? -1 : 1;
      const c = compareValues(av, bv);
      if (c !== 0) return c;
    }
  }
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  return (a as { index: number }).index - (b as { index: number }).index;
}

/** The FieldsV1 key of an element: `f:name`, `k:{...}` (keys sorted by name), `v:<json>`, `i:<n>`. */
function elementKey(e: PathElement): string {
  if ('field' in e) return `f:${e.field}`;
  if ('key' in e) return `k:${JSON.stringify(Object.fromEntries(e.key))}`;
  if ('value' in e) return `v:${JSON.stringify(e.value)}`;
  return `i:${e.index}`;
}

function parseElementKey(text: string): PathElement {
  const body = text.slice(2);
  switch (text.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'k:': {
      const fields = JSON.parse(body) as Record<string, unknown>;
      return { key: Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
    }
    case 'v:':
      return { value: JSON.parse(body) };
    case 'i:':
      return { index: Number(body) };
    default:
      throw new Error(`unexpected key in FieldsV1: ${JSON.stringify(text)}`);
  }
}

/** value.ToString: how a key or set value prints in a field path. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(valueText).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as object)
      .map(([k, v]) => `${k}=${valueText(v)}`)
      .join(',')}}`;
  }
  return String(value);
}

/** fieldpath.Path.String(): `.spec.containers[name="app"].image`. */
export function pathText(path: Path): string {
  return path
    .map((e) => {
      if ('field' in e) return `.${e.field}`;
      if ('key' in e) return `[${e.key.map(([n, v]) => `${n}=${valueText(v)}`).join(',')}]`;
      if ('value' in e) return `[=${valueText(e.value)}]`;
      return `[${e.index}]`;
    })
    .join('');
}

export class FieldSet {
  private readonly nodes = new Map<string, Node>();

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    if (typeof fields !== 'object' || fields === null) return set;
    for (const [text, child] of Object.entries(fields)) {
      if (text === '.') continue;
      const element = parseElementKey(text);
      const childObject = (child ?? {}) as Record<string, unknown>;
      const children = FieldSet.fromFieldsV1(childObject);
      const member = '.' in childObject || Object.keys(childObject).length === 0;
      set.nodes.set(text, { element, member, children });
    }
    return set;
  }

  isEmpty(): boolean {
    return this.nodes.size === 0;
  }

  insert(path: Path): void {
    if (path.length === 0) return;
    const [head, ...rest] = path;
    const node = this.nodeFor(head!);
    if (rest.length === 0) node.member = true;
    else node.children.insert(rest);
  }

  has(path: Path): boolean {
    const node = this.nodes.get(elementKey(path[0]!));
    if (!node) return false;
    return path.length === 1 ? node.member : node.children.has(path.slice(1));
  }

  /** The paths under `element`, relative to it. */
  withPrefix(element: PathElement): FieldSet {
    return this.nodes.get(elementKey(element))?.children ?? new FieldSet();
  }

  /** Whether `element` is a member of this level. */
  hasMember(element: PathElement): boolean {
    return this.nodes.get(elementKey(element))?.member ?? false;
  }

  /** The elements of this level that have children, with them. */
  childEntries(): [PathElement, FieldSet][] {
    return this.sorted()
      .filter((node) => !node.children.isEmpty())
      .map((node) => [node.element, node.children]);
  }

  union(other: FieldSet): FieldSet {
    const result = this.copy();
    for (const [key, node] of other.nodes) {
      const mine = result.nodes.get(key);
      if (!mine) result.nodes.set(key, copyNode(node));
      else {
        mine.member ||= node.member;
        mine.children = mine.children.union(node.children);
      }
    }
    return result;
  }

  /** Members of this set that `other` lacks; children compared level by level. */
  difference(other: FieldSet): FieldSet {
    const result = new FieldSet();
    for (const [key, node] of this.nodes) {
      const theirs = other.nodes.get(key);
      const member = node.member && !theirs?.member;
      const children = theirs ? node.children.difference(theirs.children) : node.children.copy();
      if (member || !children.isEmpty()) result.nodes.set(key, { element: node.element, member, children });
    }
    return result;
  }

  intersection(other: FieldSet): FieldSet {
    const result = new FieldSet();
    for (const [key, node] of this.nodes) {
      const theirs = other.nodes.get(key);
      if (!theirs) continue;
      const children = node.children.intersection(theirs.children);
      const member = node.member && theirs.member;
      if (member || !children.isEmpty()) result.nodes.set(key, { element: node.element, member, children });
    }
    return result;
  }

  /** This set without anything `other` has as a member, nor anything beneath such a member. */
  recursiveDifference(other: FieldSet): FieldSet {
    const result = new FieldSet();
    for (const [key, node] of this.nodes) {
      const theirs = other.nodes.get(key);
      if (theirs?.member) continue;
      const children = theirs ? node.children.recursiveDifference(theirs.children) : node.children.copy();
      if (node.member || !children.isEmpty()) {
        result.nodes.set(key, { element: node.element, member: node.member, children });
      }
    }
    return result;
  }

  /** Every member path: a level's members first, then its children's, each in Go's order. */
  paths(prefix: Path = []): Path[] {
    const sorted = this.sorted();
    const out: Path[] = [];
    for (const node of sorted) if (node.member) out.push([...prefix, node.element]);
    for (const node of sorted) out.push(...node.children.paths([...prefix, node.element]));
    return out;
  }

  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const node of this.sorted()) {
      const children = node.children.toFieldsV1();
      out[elementKey(node.element)] =
        node.member && Object.keys(children).length > 0 ? { '.': {}, ...children } : children;
    }
    return out;
  }

  private sorted(): Node[] {
    return [...this.nodes.values()].sort((a, b) => compareElements(a.element, b.element));
  }

  private nodeFor(element: PathElement): Node {
    const key = elementKey(element);
    let node = this.nodes.get(key);
    if (!node) {
      node = { element, member: false, children: new FieldSet() };
      this.nodes.set(key, node);
    }
    return node;
  }

  copy(): FieldSet {
    const result = new FieldSet();
    for (const [key, node] of this.nodes) result.nodes.set(key, copyNode(node));
    return result;
  }
}

function copyNode(node: Node): Node {
  return { element: node.element, member: node.member, children: node.children.copy() };
}
