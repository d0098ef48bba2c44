/**
 * The disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status
 * current from the pods it selects, so the eviction subresource (and `kubectl get pdb`) sees what
 * a real cluster's would: expected and healthy pods, the healthy count the budget wants, and how
 * many disruptions it allows now.
 *
 * As upstream: a budget with an integer `minAvailable` expects the pods it selects; one with a
 * percentage or a `maxUnavailable` expects its pods' controllers' replicas (a Deployment through its
 * ReplicaSet, or a ReplicaSet: kube-sim serves no other scalable controller), and a pod with no
 * such controller fails the sync.
 */
import type { KubeObject } from '../api/objects.js';
import { findResource } from '../api/resources.js';
import { labelSelectorFromSpec, matches } from '../api/selectors.js';
import { type Change, type Store, timestamp } from '../store/store.js';
import { WorkQueue } from './work-queue.js';

const PDBS = findResource('policy', 'v1', 'poddisruptionbudgets')!;
const PODS = findResource('', 'v1', 'pods')!;
const REPLICA_SETS = findResource('apps', 'v1', 'replicasets')!;
const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;

type IntOrString = number | string | undefined;

export function podIsHealthy(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const status = pod.status as { conditions?: { type?: string; status?: string }[] } | undefined;
  return (status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export class DisruptionController {
  private readonly queue: WorkQueue;
  private unsubscribe: () => void = () => {};

  constructor(private readonly store: Store) {
    this.queue = new WorkQueue(
      (key) => this.sync(key),
      () => {},
    );
  }

  start(): void {
    this.unsubscribe = this.store.subscribe((change) => this.onChange(change));
    for (const pdb of this.store.list(PDBS)) this.queue.add(keyOf(pdb));
  }

  stop(): void {
    this.unsubscribe();
    this.queue.stop();
  }

  private onChange(change: Change): void {
    if (change.resource === PDBS) {
      // Its own status writes queue it again; the sync then finds nothing to change.
      if (change.type !== 'DELETED') this.queue.add(keyOf(change.object));
      return;
    }
    if (change.resource !== PODS && change.resource !== REPLICA_SETS && change.resource !== DEPLOYMENTS)
      return;
    const namespace = change.object.metadata.namespace;
    for (const pdb of this.store.list(PDBS, namespace)) this.queue.add(keyOf(pdb));
  }

  private sync(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const pdb = this.store.get(PDBS, namespace, name);
    if (!pdb) return;
    const status = this.statusOf(pdb);
    const previous = (pdb.status ?? {}) as Record<string, unknown>;
    const unchanged = (
      [
        'observedGeneration',
        'disruptionsAllowed',
        'currentHealthy',
        'desiredHealthy',
        'expectedPods',
      ] as const
    ).every((field) => previous[field] === status[field]);
    if (unchanged && previous.conditions !== undefined) return;
    const condition = (status.conditions as Record<string, unknown>[])[0]!;
    const before = ((previous.conditions ?? []) as Record<string, unknown>[]).find(
      (c) => c.type === condition.type,
    );
    if (before !== undefined && before.status === condition.status) {
      condition.lastTransitionTime = before.lastTransitionTime;
    }
    // Evictions recorded by the eviction subresource are forgotten once their pods are gone.
    const disrupted = Object.entries((previous.disruptedPods ?? {}) as Record<string, string>).filter(
      ([pod]) => this.store.get(PODS, namespace, pod) !== undefined,
    );
    this.store.update(PDBS, {
      ...pdb,
      status: {
        ...previous,
        ...status,
        ...(previous.disruptedPods !== undefined && { disruptedPods: Object.fromEntries(disrupted) }),
      },
    });
  }

  private statusOf(pdb: KubeObject): Record<string, unknown> {
    const spec = (pdb.spec ?? {}) as {
      selector?: unknown;
      minAvailable?: IntOrString;
      maxUnavailable?: IntOrString;
    };
    const generation = pdb.metadata.generation ?? 1;
    const selector = labelSelectorFromSpec(spec.selector as Parameters<typeof labelSelectorFromSpec>[0]);
    const pods = this.store
      .list(PODS, pdb.metadata.namespace)
      .filter((pod) => matches(selector, pod.metadata.labels as Record<string, string> | undefined));
    const currentHealthy = pods.filter(podIsHealthy).length;
    let expectedPods: number;
    let desiredHealthy: number;
    let failure: string | undefined;
    if (spec.maxUnavailable === undefined && typeof spec.minAvailable === 'number') {
      expectedPods = pods.length;
      desiredHealthy = spec.minAvailable;
    } else {
      const scale = this.expectedScale(pods);
      failure = scale.failure;
      expectedPods = scale.count;
      desiredHealthy =
        spec.maxUnavailable !== undefined
          ? Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods))
          : scaled(spec.minAvailable ?? 1, expectedPods);
    }
    const disruptionsAllowed = failure === undefined ? Math.max(0, currentHealthy - desiredHealthy) : 0;
    const now = timestamp(this.store.now());
    return {
      observedGeneration: generation,
      disruptionsAllowed,
      currentHealthy,
      desiredHealthy,
      expectedPods,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: disruptionsAllowed > 0 ? 'True' : 'False',
          reason:
            failure !== undefined
              ? 'SyncFailed'
              : disruptionsAllowed > 0
                ? 'SufficientPods'
                : 'InsufficientPods',
          message: failure ?? '',
          observedGeneration: generation,
          lastTransitionTime: now,
        },
      ],
    };
  }

  /** The replicas of the pods' controllers, each counted once. */
  private expectedScale(pods: KubeObject[]): { count: number; failure?: string } {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const controller = controllerOf(pod);
      const namespace = pod.metadata.namespace;
      let scaleOwner: KubeObject | undefined;
      if (controller?.kind === 'ReplicaSet') {
        const replicaSet = this.store.get(REPLICA_SETS, namespace, controller.name);
        const deployment = replicaSet && controllerOf(replicaSet);
        scaleOwner =
          deployment?.kind === 'Deployment'
            ? this.store.get(DEPLOYMENTS, namespace, deployment.name)
            : replicaSet;
      }
      if (!scaleOwner) return { count: 0, failure: `found no controllers for pod "${pod.metadata.name}"` };
      const replicas = (scaleOwner.spec as { replicas?: number } | undefined)?.replicas ?? 1;
      seen.set(scaleOwner.metadata.uid ?? '', replicas);
    }
    return { count: [...seen.values()].reduce((sum, each) => sum + each, 0) };
  }
}

function keyOf(pdb: KubeObject): string {
  return `${pdb.metadata.namespace}/${pdb.metadata.name}`;
}

function controllerOf(object: KubeObject): { kind: string; name: string } | undefined {
  const references = (object.metadata.ownerReferences ?? []) as {
    kind: string;
    name: string;
    controller?: boolean;
  }[];
  return references.find((reference) => reference.controller === true);
}

/** intstr.GetScaledValueFromIntOrPercent, rounding up as the disruption controller asks. */
function scaled(value: IntOrString, total: number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(String(value ?? ''));
  return percent ? Math.ceil((Number(percent[1]) * total) / 100) : 0;
}
