/**
 * The clusterrole-aggregation controller: an aggregated ClusterRole (admin, edit, view, or one of
 * yours) has its `rules` rewritten whenever a ClusterRole its selectors match changes, so what
 * `kubectl get clusterrole edit -o yaml` shows is what RBAC grants.
 */
import { findResource } from '../api/resources.js';
import { aggregateRules } from '../auth/rbac.js';
import type { Change, Store } from '../store/store.js';
import { WorkQueue } from './work-queue.js';

const CLUSTER_ROLES = findResource('rbac.authorization.k8s.io', 'v1', 'clusterroles')!;

export class ClusterRoleAggregation {
  private readonly queue: WorkQueue;
  private unsubscribe: () => void = () => {};

  constructor(private readonly store: Store) {
    this.queue = new WorkQueue(
      (name) => this.sync(name),
      () => {},
    );
  }

  start(): void {
    this.unsubscribe = this.store.subscribe((change) => this.onChange(change));
    this.queueAggregated();
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onChange(change: Change): void {
    if (change.resource === CLUSTER_ROLES) this.queueAggregated();
  }

  private queueAggregated(): void {
    for (const role of this.store.list(CLUSTER_ROLES)) {
      if (role.aggregationRule) this.queue.add(role.metadata.name!);
    }
  }

  private sync(name: string): void {
    const role = this.store.get(CLUSTER_ROLES, undefined, name);
    if (!role?.aggregationRule) return;
    const rules = aggregateRules(role, this.store.list(CLUSTER_ROLES));
    if (JSON.stringify(rules) !== JSON.stringify(role.rules ?? [])) {
      this.store.update(CLUSTER_ROLES, { ...role, rules });
    }
  }
}
