/**
 * The details' actions, done as kubectl does them: scale through the scale subresource (read,
 * then update, so a concurrent change is a conflict rather than lost), `rollout restart` by
 * stamping the pod template, cordon by `spec.unschedulable`, and drain as cordon then an eviction
 * per pod (so PodDisruptionBudgets are honoured: a 429 is a pod the budget protects for now).
 */
import type { DrainPlan, DrainPod, DrainResult } from '@switchboard/contract/app';
import { AppRequestError } from '../../app/app-error.js';
import type { ClusterClient } from '../cluster-client.js';
import type { ResolvedKind } from '../kind-discovery.js';
import { KubeApiError } from '../kube-api-error.js';
import { type Fields, fields, list, text } from './kube-fields.js';
import { FIELD_MANAGER } from './resource-apply.js';
import { pathOf } from './resource-location.js';

/** The apps kinds with a scale subresource, and those with a rollout to restart. */
export const SCALABLE: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);
export const RESTARTABLE: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

const mergePatch = (patch: unknown) => ({
  contentType: 'application/merge-patch+json',
  text: JSON.stringify(patch),
});

export async function scale(
  client: ClusterClient,
  location: ResolvedKind,
  name: string,
  namespace: string | undefined,
  replicas: number,
): Promise<void> {
  if (location.group !== 'apps' || !SCALABLE.has(location.kind)) {
    throw new AppRequestError('invalid-request', `${location.kind} objects cannot be scaled`);
  }
  const path = pathOf(location, name, namespace, 'scale');
  const current = await client.json<Fields>('GET', path);
  await client.write('PUT', `${path}?fieldManager=${FIELD_MANAGER}`, {
    contentType: 'application/json',
    text: JSON.stringify({ ...current, spec: { ...fields(current.spec), replicas } }),
  });
}

export async function restartRollout(
  client: ClusterClient,
  location: ResolvedKind,
  name: string,
  namespace: string | undefined,
  now: Date = new Date(),
): Promise<void> {
  if (location.group !== 'apps' || !RESTARTABLE.has(location.kind)) {
    throw new AppRequestError('invalid-request', `${location.kind} objects have no rollout to restart`);
  }
  // kubectl's format: RFC 3339 to the second.
  const restartedAt = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  await client.write(
    'PATCH',
    `${pathOf(location, name, namespace)}?fieldManager=${FIELD_MANAGER}`,
    mergePatch({
      spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: restartedAt } } } },
    }),
  );
}

export async function setSchedulable(
  client: ClusterClient,
  node: string,
  schedulable: boolean,
): Promise<void> {
  // Uncordon removes the field, as kubectl does, rather than writing its default.
  await client.write(
    'PATCH',
    `/api/v1/nodes/${encodeURIComponent(node)}?fieldManager=${FIELD_MANAGER}`,
    mergePatch({ spec: { unschedulable: schedulable ? null : true } }),
  );
}

/** What `kubectl drain --ignore-daemonsets` would evict from the node, and what it leaves. */
export async function planDrain(client: ClusterClient, node: string): Promise<DrainPlan> {
  const selector = encodeURIComponent(`spec.nodeName=${node}`);
  const pods = await client.json<Fields>('GET', `/api/v1/pods?fieldSelector=${selector}`);
  const plan: DrainPlan = { evict: [], skipped: [] };
  for (const pod of list(pods.items)) {
    const metadata = fields(pod.metadata);
    const namespace = text(metadata.namespace);
    const name = text(metadata.name);
    const owners = list(metadata.ownerReferences);
    const controller = owners.find((owner) => owner.controller === true);
    if (fields(metadata.annotations)[MIRROR_ANNOTATION] !== undefined) {
      plan.skipped.push({
        namespace,
        name,
        why: 'a static (mirror) pod: the kubelet runs it, eviction cannot move it',
      });
    } else if (controller?.kind === 'DaemonSet') {
      plan.skipped.push({ namespace, name, why: `run by DaemonSet ${text(controller.name)} on every node` });
    } else if (metadata.deletionTimestamp !== undefined) {
      plan.skipped.push({ namespace, name, why: 'already terminating' });
    } else {
      const localData = list(fields(pod.spec).volumes).some((volume) => volume.emptyDir !== undefined);
      plan.evict.push({ namespace, name, unmanaged: controller === undefined, localData });
    }
  }
  const byName = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`);
  plan.evict.sort(byName);
  plan.skipped.sort(byName);
  return plan;
}

/** Cordons the node, then asks for an eviction of each pod the plan names; waits for none to end. */
export async function drain(client: ClusterClient, node: string): Promise<DrainResult> {
  await setSchedulable(client, node, false);
  const plan = await planDrain(client, node);
  const result: DrainResult = { evicted: [], blocked: [], failed: [] };
  for (const pod of plan.evict) {
    const outcome = await evict(client, pod);
    if (outcome === 'evicted') result.evicted.push(pod);
    else if (outcome.blocked)
      result.blocked.push({ namespace: pod.namespace, name: pod.name, message: outcome.message });
    else result.failed.push({ namespace: pod.namespace, name: pod.name, message: outcome.message });
  }
  return result;
}

async function evict(
  client: ClusterClient,
  pod: DrainPod,
): Promise<'evicted' | { blocked: boolean; message: string }> {
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}/eviction`;
  try {
    await client.write('POST', path, {
      contentType: 'application/json',
      text: JSON.stringify({
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: pod.name, namespace: pod.namespace },
      }),
    });
    return 'evicted';
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    // Gone already: what the drain wanted.
    if (error.code === 404) return 'evicted';
    const budget = error.causes.find((cause) => cause.reason === 'DisruptionBudget')?.message;
    return error.code === 429
      ? { blocked: true, message: budget === undefined ? error.message : `${error.message} ${budget}` }
      : { blocked: false, message: error.message };
  }
}
