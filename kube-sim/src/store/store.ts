/**
 * The object store: etcd's role in a real control plane. One global resourceVersion counter, keys
 * ordered as etcd orders them (namespace, then name), a bounded history of changes that serves
 * watches from a resourceVersion and consistent paged lists, and 410 Gone once history is compacted.
 *
 * Stored objects are never mutated after they are written: writers pass new objects, readers may
 * hold references safely and must clone before changing anything.
 */
import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, gone, notFound } from '../api/errors.js';
import type { KubeObject } from '../api/objects.js';
import { type ResourceType, storageKey } from '../api/resources.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  rv: number;
  type: ChangeType;
  resource: ResourceType;
  key: string;
  object: KubeObject;
  /** The object before this change (absent for ADDED). */
  previous?: KubeObject;
}

export type ChangeListener = (change: Change) => void;

interface Bucket {
  objects: Map<string, KubeObject>;
  sortedKeys: string[] | undefined;
}

export interface StoreOptions {
  /** How many changes are kept for watches and paged lists before a client gets 410 Gone. */
  historySize?: number;
  now?: () => Date;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export class Store {
  private rv = 1;
  private readonly buckets = new Map<string, Bucket>();
  private readonly history: Change[] = [];
  private historyStart = 0;
  private readonly listeners = new Set<ChangeListener>();
  private readonly historySize: number;
  readonly now: () => Date;

  constructor(options: StoreOptions = {}) {
    this.historySize = options.historySize ?? 100_000;
    this.now = options.now ?? (() => new Date());
  }

  currentRV(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch can still start from. */
  oldestRV(): number {
    return this.history[this.historyStart]?.rv ?? this.rv;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(type).objects.get(objectKey(type.namespaced ? namespace : undefined, name));
  }

  mustGet(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.get(type, namespace, name);
    if (!object) throw notFound(type.group, type.plural, name);
    return object;
  }

  /** Current objects in key order; `namespace` narrows a namespaced resource to one namespace. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    const bucket = this.bucket(type);
    const keys = this.sortedKeys(bucket);
    const out: KubeObject[] = [];
    if (type.namespaced && namespace) {
      const prefix = `${namespace}/`;
      let i = lowerBound(keys, prefix);
      for (; i < keys.length && keys[i]!.startsWith(prefix); i++) out.push(bucket.objects.get(keys[i]!)!);
      return out;
    }
    for (const key of keys) out.push(bucket.objects.get(key)!);
    return out;
  }

  /**
   * The objects as they were at resourceVersion `rv`, in key order, from `startKey` on (exclusive
   * of nothing: keys >= startKey). Rolls the history back, so a paged list stays one snapshot.
   */
  listAt(type: ResourceType, rv: number, namespace: string | undefined, startKey: string): KubeObject[] {
    if (rv < this.oldestRV() - 1) {
      throw gone(
        `The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.`,
      );
    }
    const bucket = this.bucket(type);
    const snapshot = new Map(bucket.objects);
    for (let i = this.history.length - 1; i >= this.historyStart; i--) {
      const change = this.history[i]!;
      if (change.rv <= rv) break;
      if (storageKey(change.resource) !== storageKey(type)) continue;
      if (change.previous) snapshot.set(change.key, change.previous);
      else snapshot.delete(change.key);
    }
    const prefix = type.namespaced && namespace ? `${namespace}/` : '';
    const keys = [...snapshot.keys()].filter((k) => k >= startKey && k.startsWith(prefix)).sort(compareKeys);
    return keys.map((k) => snapshot.get(k)!);
  }

  create(type: ResourceType, object: KubeObject): KubeObject {
    const bucket = this.bucket(type);
    const name = object.metadata.name!;
    const key = objectKey(type.namespaced ? object.metadata.namespace : undefined, name);
    if (bucket.objects.has(key)) throw alreadyExists(type.group, type.plural, name);
    const rv = ++this.rv;
    const stored: KubeObject = {
      ...object,
      metadata: {
        ...object.metadata,
        uid: object.metadata.uid ?? randomUUID(),
        resourceVersion: String(rv),
        creationTimestamp: object.metadata.creationTimestamp ?? timestamp(this.now()),
      },
    };
    bucket.objects.set(key, stored);
    bucket.sortedKeys = undefined;
    this.record({ rv, type: 'ADDED', resource: type, key, object: stored });
    return stored;
  }

  /**
   * Replaces an object. With `expectedRV` the write is conditional (optimistic concurrency);
   * a mismatch is a 409 Conflict, as from the apiserver.
   */
  update(type: ResourceType, object: KubeObject, expectedRV?: string): KubeObject {
    const bucket = this.bucket(type);
    const name = object.metadata.name!;
    const key = objectKey(type.namespaced ? object.metadata.namespace : undefined, name);
    const previous = bucket.objects.get(key);
    if (!previous) throw notFound(type.group, type.plural, name);
    if (expectedRV && expectedRV !== previous.metadata.resourceVersion) {
      throw conflict(
        type.group,
        type.plural,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const rv = ++this.rv;
    const stored: KubeObject = {
      ...object,
      metadata: {
        ...object.metadata,
        uid: previous.metadata.uid,
        creationTimestamp: previous.metadata.creationTimestamp,
        resourceVersion: String(rv),
      },
    };
    bucket.objects.set(key, stored);
    this.record({ rv, type: 'MODIFIED', resource: type, key, object: stored, previous });
    return stored;
  }

  /** Removes an object for good; the DELETED event carries it at the deletion's resourceVersion. */
  remove(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const bucket = this.bucket(type);
    const key = objectKey(type.namespaced ? namespace : undefined, name);
    const previous = bucket.objects.get(key);
    if (!previous) throw notFound(type.group, type.plural, name);
    const rv = ++this.rv;
    bucket.objects.delete(key);
    bucket.sortedKeys = undefined;
    const object = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(rv) } };
    this.record({ rv, type: 'DELETED', resource: type, key, object, previous });
    return object;
  }

  /**
   * Delivers every change after `sinceRV` (replayed from history first), then live changes, to
   * `listener`. Throws 410 Gone when `sinceRV` is older than the history kept.
   */
  watch(sinceRV: number, listener: ChangeListener): () => void {
    if (sinceRV < this.oldestRV() - 1) {
      throw gone(`too old resource version: ${sinceRV} (${this.oldestRV() - 1})`);
    }
    for (let i = this.historyStart; i < this.history.length; i++) {
      const change = this.history[i]!;
      if (change.rv > sinceRV) listener(change);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Live changes only, for controllers. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(change: Change): void {
    this.history.push(change);
    if (this.history.length - this.historyStart > this.historySize) {
      this.historyStart++;
      // Compact in batches so trimming stays amortized O(1).
      if (this.historyStart > 4096 && this.historyStart * 2 > this.history.length) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const listener of [...this.listeners]) listener(change);
  }

  private bucket(type: ResourceType): Bucket {
    const key = storageKey(type);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { objects: new Map(), sortedKeys: undefined };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private sortedKeys(bucket: Bucket): string[] {
    bucket.sortedKeys ??= [...bucket.objects.keys()].sort(compareKeys);
    return bucket.sortedKeys;
  }
}

/** etcd orders keys bytewise; for the ASCII names Kubernetes allows, code-unit order is the same. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(keys: string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
