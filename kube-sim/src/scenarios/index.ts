/**
 * What a kube-sim cluster holds at start. Every scenario has the default RBAC policy, the system
 * namespaces and at least one Ready node; "demo" adds a small shop of workloads to look at.
 */
import { randomBytes } from 'node:crypto';
import { applyDefaults } from '../api/defaults.js';
import type { KubeObject } from '../api/objects.js';
import type { ResourceCatalog } from '../api/resource-catalog.js';
import { findResource } from '../api/resources.js';
import { bootstrapPolicy } from '../auth/bootstrap-policy.js';
import type { ResourceRegistry } from '../server/registry.js';
import { type Store, timestamp } from '../store/store.js';
import { kubernetesService, namespace, node } from './builders.js';
import { demoObjects } from './demo.js';

export const SCENARIOS = ['empty', 'demo'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const PODS = findResource('', 'v1', 'pods')!;
const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** A pod as the kubelet reports it once running: for bulk loads that skip the start sequence. */
function runningPod(
  namespaceName: string,
  name: string,
  nodeName: string,
  ip: string,
  now: string,
): KubeObject {
  const containerID = `containerd://${randomBytes(32).toString('hex')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: namespaceName, labels: { app: 'load' } },
    spec: { nodeName, containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
    status: {
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map((type) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: now,
      })),
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      qosClass: 'BestEffort',
      containerStatuses: [
        {
          name: 'app',
          image: 'registry.k8s.io/pause:3.10',
          imageID:
            'registry.k8s.io/pause@sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a',
          containerID,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: now } },
        },
      ],
    },
  };
}

export function loadScenario(
  store: Store,
  registry: ResourceRegistry,
  catalog: ResourceCatalog,
  name: ScenarioName,
  options: { extraPods: number },
): void {
  // Recorded under the managers that create such objects in a real cluster.
  const create = (
    object: KubeObject,
    fieldManager = object.kind === 'Node' ? 'kubelet' : 'kubectl-create',
  ) => {
    const type = catalog.forKind(object.apiVersion, object.kind);
    if (!type) throw new Error(`scenario object of unknown kind ${object.apiVersion}/${object.kind}`);
    const namespace = object.metadata.namespace ?? '';
    const created = registry.create(type, namespace, object, { dryRun: false, fieldManager });
    // Status is a controller's to write: a custom object's comes through its status subresource.
    if (type.custom && object.status !== undefined && type.subresources.some((s) => s.name === 'status')) {
      registry.update(
        type,
        namespace,
        created.metadata.name!,
        { ...created, status: object.status },
        'status',
        {
          dryRun: false,
          fieldManager: 'cert-manager-certificates-readiness',
        },
      );
    }
  };
  for (const object of bootstrapPolicy()) create(object, 'kube-apiserver');
  for (const ns of SYSTEM_NAMESPACES) create(namespace(ns), 'kube-apiserver');
  create(kubernetesService(), 'kube-apiserver');
  if (name === 'empty') {
    create(node('kube-sim-control-plane', 0, 'control-plane'));
  } else {
    for (const object of demoObjects()) create(object);
  }
  if (options.extraPods > 0) {
    create(namespace('load'));
    const nodes = store.list(findResource('', 'v1', 'nodes')!);
    const now = timestamp(new Date());
    for (let i = 0; i < options.extraPods; i++) {
      const pod = runningPod(
        'load',
        `load-${String(i).padStart(5, '0')}`,
        nodes[i % nodes.length]!.metadata.name!,
        `10.245.${(i >> 8) & 255}.${i & 255}`,
        now,
      );
      // Straight to the store: these pods are already running, the API path would reset them to Pending.
      applyDefaults(pod);
      store.create(PODS, pod);
    }
  }
}
