/**
 * Namespace lifecycle and the per-namespace objects controllers create: a terminating namespace
 * has its content deleted and then disappears; every active namespace gets its `default`
 * ServiceAccount and the `kube-root-ca.crt` ConfigMap, as on a real cluster.
 */
import type { KubeObject } from '../api/objects.js';
import type { ResourceCatalog } from '../api/resource-catalog.js';
import { findResource, storageKey } from '../api/resources.js';
import type { ResourceRegistry } from '../server/registry.js';
import type { Change, Store } from '../store/store.js';
import { WorkQueue } from './work-queue.js';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const SERVICE_ACCOUNTS = findResource('', 'v1', 'serviceaccounts')!;
const CONFIG_MAPS = findResource('', 'v1', 'configmaps')!;

export class NamespaceController {
  private readonly queue: WorkQueue;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly catalog: ResourceCatalog,
    private readonly caPem: string,
  ) {
    this.queue = new WorkQueue(
      (name) => this.sync(name),
      () => {},
    );
  }

  start(): void {
    this.unsubscribe = this.store.subscribe((change) => this.onChange(change));
    for (const ns of this.store.list(NAMESPACES)) this.queue.add(ns.metadata.name!);
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onChange(change: Change): void {
    if (change.resource === NAMESPACES) {
      if (change.type !== 'DELETED') this.queue.add(change.object.metadata.name!);
      return;
    }
    const namespace = change.object.metadata.namespace;
    if (!namespace || !change.resource.namespaced) return;
    const ns = this.store.get(NAMESPACES, undefined, namespace);
    // Content leaving a terminating namespace may be the last; a deleted default SA comes back.
    if (ns && (ns.metadata.deletionTimestamp || change.type === 'DELETED')) this.queue.add(namespace);
  }

  private sync(name: string): void {
    const ns = this.store.get(NAMESPACES, undefined, name);
    if (!ns) return;
    if (!ns.metadata.deletionTimestamp) {
      this.ensureDefaults(ns);
      return;
    }
    let remaining = 0;
    // One version per resource: every version of a resource reads the same objects.
    const namespaced = new Map(
      this.catalog
        .all()
        .filter((r) => r.namespaced && !r.virtual)
        .map((r) => [storageKey(r), r]),
    );
    for (const type of namespaced.values()) {
      for (const object of this.store.list(type, name)) {
        remaining++;
        if (!object.metadata.deletionTimestamp) {
          this.registry.delete(type, name, object.metadata.name!, {
            dryRun: false,
            propagationPolicy: 'Background',
          });
        }
      }
    }
    if (remaining === 0) this.store.remove(NAMESPACES, undefined, name);
  }

  private ensureDefaults(ns: KubeObject): void {
    const name = ns.metadata.name!;
    if (!this.store.get(SERVICE_ACCOUNTS, name, 'default')) {
      this.store.create(SERVICE_ACCOUNTS, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: name },
      });
    }
    if (!this.store.get(CONFIG_MAPS, name, 'kube-root-ca.crt')) {
      this.store.create(CONFIG_MAPS, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'kube-root-ca.crt',
          namespace: name,
          annotations: {
            'kubernetes.io/description':
              'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
          },
        },
        data: { 'ca.crt': this.caPem },
      });
    }
  }
}
