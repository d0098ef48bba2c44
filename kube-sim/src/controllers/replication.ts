/**
 * The Deployment and ReplicaSet controllers of kube-controller-manager, reduced to what clients
 * observe: a Deployment owns one ReplicaSet per pod template (named by the template hash), rolls
 * from old to new, and every ReplicaSet keeps its pod count, with status and events to match.
 */
import { createHash, randomInt } from 'node:crypto';
import type { KubeObject, OwnerReference } from '../api/objects.js';
import { findResource } from '../api/resources.js';
import { labelSelectorFromSpec, matches } from '../api/selectors.js';
import type { ResourceRegistry } from '../server/registry.js';
import type { Change, Store } from '../store/store.js';
import type { EventRecorder } from './events.js';
import { WorkQueue } from './work-queue.js';

const PODS = findResource('', 'v1', 'pods')!;
const REPLICA_SETS = findResource('apps', 'v1', 'replicasets')!;
const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** The field manager the objects these controllers create are recorded under, as in a real cluster. */
const CONTROLLER_MANAGER = 'kube-controller-manager';

interface PodSpecHolder {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: unknown;
  };
}

function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(object: KubeObject, owner: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller);
}

/** Like the controller's ComputeHash: a short, stable, DNS-safe hash of the pod template. */
function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += SAFE_ALPHABET[digest[i]! % SAFE_ALPHABET.length];
  return out;
}

function isReady(pod: KubeObject): boolean {
  const status = pod.status as { conditions?: { type: string; status: string }[] } | undefined;
  return (status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function isActive(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export class ReplicationControllers {
  private readonly deployments: WorkQueue;
  private readonly replicaSets: WorkQueue;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly events: EventRecorder,
  ) {
    const report = (key: string, error: unknown) => {
      // A conflict means another writer got there first; the change it made re-queues the key.
      if ((error as { code?: number }).code !== 409 && (error as { code?: number }).code !== 404) {
        process.emitWarning(`kube-sim controller failed on ${key}: ${(error as Error).message}`);
      }
    };
    this.deployments = new WorkQueue((key) => this.syncDeployment(key), report);
    this.replicaSets = new WorkQueue((key) => this.syncReplicaSet(key), report);
  }

  start(): void {
    this.unsubscribe = this.store.subscribe((change) => this.onChange(change));
    for (const d of this.store.list(DEPLOYMENTS)) this.deployments.add(keyOf(d));
    for (const rs of this.store.list(REPLICA_SETS)) this.replicaSets.add(keyOf(rs));
  }

  stop(): void {
    this.unsubscribe();
    this.deployments.stop();
    this.replicaSets.stop();
  }

  private onChange(change: Change): void {
    const object = change.object;
    if (change.resource === DEPLOYMENTS) {
      this.deployments.add(keyOf(object));
    } else if (change.resource === REPLICA_SETS) {
      this.replicaSets.add(keyOf(object));
      this.queueOwner(object, 'Deployment', this.deployments);
    } else if (change.resource === PODS) {
      this.queueOwner(object, 'ReplicaSet', this.replicaSets);
    }
  }

  private queueOwner(object: KubeObject, kind: string, queue: WorkQueue): void {
    for (const ref of object.metadata.ownerReferences ?? []) {
      if (ref.kind === kind && ref.controller) queue.add(`${object.metadata.namespace}/${ref.name}`);
    }
  }

  private syncReplicaSet(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const rs = this.store.get(REPLICA_SETS, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const spec = rs.spec as PodSpecHolder;
    const pods = this.store.list(PODS, namespace).filter((p) => ownedBy(p, rs));
    const active = pods.filter(isActive);
    const wanted = spec.replicas ?? 1;
    if (active.length < wanted) {
      for (let i = active.length; i < wanted; i++) this.createPod(rs, spec);
    } else if (active.length > wanted) {
      // Like the controller: remove not-ready pods first, then the youngest.
      const victims = [...active]
        .sort(
          (a, b) =>
            Number(isReady(a)) - Number(isReady(b)) ||
            String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
        )
        .slice(0, active.length - wanted);
      for (const pod of victims) {
        this.registry.delete(PODS, namespace, pod.metadata.name!, { dryRun: false });
        this.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, {
          component: 'replicaset-controller',
        });
      }
    }
    const current = this.store.list(PODS, namespace).filter((p) => ownedBy(p, rs) && isActive(p));
    const ready = current.filter(isReady).length;
    const status = {
      replicas: current.length,
      fullyLabeledReplicas: current.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    };
    const previous = rs.status as Record<string, unknown> | undefined;
    if (JSON.stringify(compact(status)) !== JSON.stringify(compact(previous ?? {}))) {
      this.store.update(REPLICA_SETS, { ...rs, status: compact(status) });
    }
  }

  private createPod(rs: KubeObject, spec: PodSpecHolder): void {
    let name = '';
    do {
      name = `${rs.metadata.name}-`;
      for (let i = 0; i < 5; i++) name += SAFE_ALPHABET[randomInt(SAFE_ALPHABET.length)];
    } while (this.store.get(PODS, rs.metadata.namespace, name));
    const template = spec.template ?? {};
    const pod = this.registry.create(
      PODS,
      rs.metadata.namespace!,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          generateName: `${rs.metadata.name}-`,
          namespace: rs.metadata.namespace,
          labels: { ...(template.metadata?.labels ?? {}) },
          ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
          ownerReferences: [controllerRef(rs)],
        },
        spec: structuredClone(template.spec ?? {}),
      },
      { dryRun: false, fieldManager: CONTROLLER_MANAGER },
    );
    this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
      component: 'replicaset-controller',
    });
  }

  private syncDeployment(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const deployment = this.store.get(DEPLOYMENTS, namespace, name);
    if (!deployment || deployment.metadata.deletionTimestamp) return;
    const spec = deployment.spec as PodSpecHolder & { paused?: boolean };
    const selector = labelSelectorFromSpec(spec.selector ?? {});
    const owned = this.store
      .list(REPLICA_SETS, namespace)
      .filter((rs) => ownedBy(rs, deployment) && matches(selector, rs.metadata.labels ?? {}));
    const hash = templateHash(spec.template);
    let newRS = owned.find((rs) => rs.metadata.labels?.[HASH_LABEL] === hash);
    const oldRSs = owned.filter((rs) => rs !== newRS);
    const maxRevision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    const replicas = spec.replicas ?? 1;

    if (spec.paused) {
      this.writeDeploymentStatus(deployment, newRS, owned);
      return;
    }
    if (!newRS) {
      const revision = String(maxRevision + 1);
      const labels = { ...(spec.template?.metadata?.labels ?? {}), [HASH_LABEL]: hash };
      newRS = this.registry.create(
        REPLICA_SETS,
        namespace,
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: `${name}-${hash}`,
            namespace,
            labels,
            annotations: {
              [REVISION]: revision,
              'deployment.kubernetes.io/desired-replicas': String(replicas),
              'deployment.kubernetes.io/max-replicas': String(replicas + 1),
            },
            ownerReferences: [controllerRef(deployment)],
          },
          spec: {
            replicas: oldRSs.some((rs) => (rs.spec as PodSpecHolder).replicas) ? 0 : replicas,
            selector: { matchLabels: { ...(spec.selector?.matchLabels ?? {}), [HASH_LABEL]: hash } },
            template: { ...spec.template, metadata: { ...(spec.template?.metadata ?? {}), labels } },
          },
        },
        { dryRun: false, fieldManager: CONTROLLER_MANAGER },
      );
      const scaled = (newRS.spec as PodSpecHolder).replicas ?? 0;
      this.events.record(
        deployment,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${newRS.metadata.name} from 0 to ${scaled}`,
        { component: 'deployment-controller' },
      );
      if (deployment.metadata.annotations?.[REVISION] !== revision) {
        this.store.update(DEPLOYMENTS, {
          ...deployment,
          metadata: {
            ...deployment.metadata,
            annotations: { ...(deployment.metadata.annotations ?? {}), [REVISION]: revision },
          },
        });
      }
      return;
    }
    if (deployment.metadata.annotations?.[REVISION] !== newRS.metadata.annotations?.[REVISION]) {
      this.store.update(DEPLOYMENTS, {
        ...deployment,
        metadata: {
          ...deployment.metadata,
          annotations: {
            ...(deployment.metadata.annotations ?? {}),
            [REVISION]: newRS.metadata.annotations?.[REVISION] ?? '1',
          },
        },
      });
      return;
    }

    // Rolling update in whole steps: grow the new set while old pods are still serving, then
    // shrink the old sets as new pods become ready (maxSurge 1 / maxUnavailable 0 behaviour).
    const newReplicas = (newRS.spec as PodSpecHolder).replicas ?? 0;
    const newReady = (newRS.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
    const oldTotal = oldRSs.reduce((n, rs) => n + ((rs.spec as PodSpecHolder).replicas ?? 0), 0);
    const recreate = (deployment.spec as { strategy?: { type?: string } }).strategy?.type === 'Recreate';
    if (recreate && oldTotal > 0) {
      for (const rs of oldRSs) this.scale(deployment, rs, 0);
    } else if (newReplicas !== replicas && (oldTotal === 0 || newReplicas < replicas)) {
      const target = oldTotal === 0 ? replicas : Math.min(replicas, newReplicas + 1);
      if (target !== newReplicas) this.scale(deployment, newRS, target);
    } else if (oldTotal > 0 && newReady >= Math.min(newReplicas, replicas)) {
      const excess = oldTotal + newReady - replicas;
      let toRemove = Math.max(1, excess);
      for (const rs of oldRSs) {
        const r = (rs.spec as PodSpecHolder).replicas ?? 0;
        if (r === 0 || toRemove === 0) continue;
        const cut = Math.min(r, toRemove);
        this.scale(deployment, rs, r - cut);
        toRemove -= cut;
      }
    }
    this.writeDeploymentStatus(deployment, newRS, owned);
  }

  private scale(deployment: KubeObject, rs: KubeObject, replicas: number): void {
    const from = (rs.spec as PodSpecHolder).replicas ?? 0;
    this.store.update(REPLICA_SETS, { ...rs, spec: { ...(rs.spec as object), replicas } });
    const verb = replicas > from ? 'up' : 'down';
    this.events.record(
      deployment,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
      { component: 'deployment-controller' },
    );
  }

  private writeDeploymentStatus(
    deployment: KubeObject,
    newRS: KubeObject | undefined,
    owned: KubeObject[],
  ): void {
    const fresh = owned.map(
      (rs) => this.store.get(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name!) ?? rs,
    );
    const sum = (f: (s: Record<string, number>) => number | undefined) =>
      fresh.reduce((n, rs) => n + (f((rs.status ?? {}) as Record<string, number>) ?? 0), 0);
    const replicas = sum((s) => s.replicas);
    const ready = sum((s) => s.readyReplicas);
    const available = sum((s) => s.availableReplicas);
    const updated = newRS
      ? ((
          this.store.get(REPLICA_SETS, newRS.metadata.namespace, newRS.metadata.name!)?.status as
            | { replicas?: number }
            | undefined
        )?.replicas ?? 0)
      : 0;
    const desired = (deployment.spec as PodSpecHolder).replicas ?? 1;
    const previous = (deployment.status ?? {}) as {
      conditions?: { type: string; status: string; lastTransitionTime?: string; lastUpdateTime?: string }[];
    };
    const now = `${new Date(this.store.now()).toISOString().slice(0, 19)}Z`;
    const condition = (type: string, status: string, reason: string, message: string) => {
      const old = previous.conditions?.find((c) => c.type === type);
      const changed = !old || old.status !== status || (old as { reason?: string }).reason !== reason;
      return {
        type,
        status,
        lastUpdateTime: changed ? now : old.lastUpdateTime,
        lastTransitionTime: !old || old.status !== status ? now : old.lastTransitionTime,
        reason,
        message,
      };
    };
    const complete = updated === desired && available >= desired && replicas === desired;
    const status = compact({
      observedGeneration: deployment.metadata.generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, desired - available) || undefined,
      conditions: [
        available >= desired
          ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
          : condition(
              'Available',
              'False',
              'MinimumReplicasUnavailable',
              'Deployment does not have minimum availability.',
            ),
        complete
          ? condition(
              'Progressing',
              'True',
              'NewReplicaSetAvailable',
              `ReplicaSet "${newRS?.metadata.name}" has successfully progressed.`,
            )
          : condition(
              'Progressing',
              'True',
              'ReplicaSetUpdated',
              `ReplicaSet "${newRS?.metadata.name}" is progressing.`,
            ),
      ],
    });
    const stripTimes = (s: unknown) =>
      JSON.stringify(s, (k, v) => (k === 'lastUpdateTime' || k === 'lastTransitionTime' ? undefined : v));
    if (stripTimes(status) !== stripTimes(compact((deployment.status ?? {}) as Record<string, unknown>))) {
      this.store.update(DEPLOYMENTS, { ...deployment, status });
    }
  }
}

function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace}/${object.metadata.name}`;
}

/** Drops zero and undefined counters, as omitempty does on the wire. */
function compact<T extends Record<string, unknown>>(status: T): T {
  return Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined && v !== 0)) as T;
}
