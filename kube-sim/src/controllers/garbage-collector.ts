/**
 * The garbage collector: dependents (ownerReferences) of a deleted owner are deleted in the
 * background; `foregroundDeletion` keeps the owner until its dependents are gone; `orphan` strips
 * the owner reference from dependents instead.
 */
import type { KubeObject } from '../api/objects.js';
import type { ResourceCatalog } from '../api/resource-catalog.js';
import { type ResourceType, storageKey } from '../api/resources.js';
import type { ResourceRegistry } from '../server/registry.js';
import type { Change, Store } from '../store/store.js';
import { WorkQueue } from './work-queue.js';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

export class GarbageCollector {
  private readonly queue: WorkQueue;
  private readonly owners = new Map<
    string,
    { type: ResourceType; namespace?: string; name: string; deleted: boolean }
  >();
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly catalog: ResourceCatalog,
  ) {
    this.queue = new WorkQueue(
      (uid) => this.sync(uid),
      () => {},
    );
  }

  start(): void {
    this.unsubscribe = this.store.subscribe((change) => this.onChange(change));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onChange(change: Change): void {
    const { object } = change;
    const uid = object.metadata.uid!;
    if (change.type === 'DELETED') {
      this.owners.set(uid, {
        type: change.resource,
        namespace: object.metadata.namespace,
        name: object.metadata.name!,
        deleted: true,
      });
      this.queue.add(uid);
    } else if (object.metadata.deletionTimestamp && hasAny(object, [FOREGROUND, ORPHAN])) {
      this.owners.set(uid, {
        type: change.resource,
        namespace: object.metadata.namespace,
        name: object.metadata.name!,
        deleted: false,
      });
      this.queue.add(uid);
    }
    // A dependent going away may be what a foreground-deleting owner waits for.
    for (const ref of object.metadata.ownerReferences ?? []) {
      if (change.type === 'DELETED' && this.owners.has(ref.uid)) this.queue.add(ref.uid);
    }
  }

  private dependents(
    uid: string,
    namespace: string | undefined,
  ): { type: ResourceType; object: KubeObject }[] {
    const out: { type: ResourceType; object: KubeObject }[] = [];
    // A cluster-scoped owner (no namespace) may own namespaced objects anywhere.
    // One version per resource (every version reads the same objects), custom resources included.
    const stored = new Map(
      this.catalog
        .all()
        .filter((r) => !r.virtual)
        .map((r) => [storageKey(r), r]),
    );
    for (const type of stored.values()) {
      for (const object of this.store.list(type, type.namespaced ? namespace : undefined)) {
        if ((object.metadata.ownerReferences ?? []).some((r) => r.uid === uid)) out.push({ type, object });
      }
    }
    return out;
  }

  /** A dependent that still has another owner loses only the reference, as in Kubernetes. */
  private hasLiveOwnerBesides(object: KubeObject, uid: string): boolean {
    return (object.metadata.ownerReferences ?? []).some((ref) => {
      if (ref.uid === uid) return false;
      const type = this.catalog.forKind(ref.apiVersion, ref.kind);
      const owner = type && this.store.get(type, object.metadata.namespace, ref.name);
      return owner?.metadata.uid === ref.uid && !owner.metadata.deletionTimestamp;
    });
  }

  private sync(uid: string): void {
    const owner = this.owners.get(uid);
    if (!owner) return;
    const dependents = this.dependents(uid, owner.namespace);
    const current = owner.deleted ? undefined : this.store.get(owner.type, owner.namespace, owner.name);
    const orphaning = current !== undefined && hasAny(current, [ORPHAN]);

    for (const { type, object } of dependents) {
      if (orphaning || this.hasLiveOwnerBesides(object, uid)) {
        const refs = (object.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        this.store.update(type, {
          ...object,
          metadata: { ...object.metadata, ownerReferences: refs.length ? refs : undefined },
        });
      } else if (!object.metadata.deletionTimestamp) {
        const foreground = current !== undefined;
        this.registry.delete(type, object.metadata.namespace ?? '', object.metadata.name!, {
          dryRun: false,
          propagationPolicy: foreground ? 'Foreground' : 'Background',
        });
      }
    }
    if (!current) {
      if (dependents.length === 0) this.owners.delete(uid);
      return;
    }
    const remaining = this.dependents(uid, owner.namespace).filter(
      (d) => !orphaning || (d.object.metadata.ownerReferences ?? []).some((r) => r.uid === uid),
    );
    if (orphaning || remaining.length === 0) {
      const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND && f !== ORPHAN);
      this.registry.update(
        owner.type,
        owner.namespace ?? '',
        owner.name,
        { ...current, metadata: { ...current.metadata, finalizers } },
        '',
        { dryRun: false },
      );
      this.owners.delete(uid);
    }
  }
}

function hasAny(object: KubeObject, finalizers: string[]): boolean {
  return (object.metadata.finalizers ?? []).some((f) => finalizers.includes(f));
}
