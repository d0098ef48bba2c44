/**
 * `describeResource`: fetches the object and what its description needs (its events, its owner
 * chain, the pods a workload runs, a service's endpoints) and hands each to the summary of its
 * kind. Only the object itself must be readable: a user who may not list events or read an owner
 * still gets the rest.
 */
import type { ObjectLink, ResourceDescription } from '@switchboard/contract/app';
import type { ClusterClient } from '../cluster-client.js';
import { PODS, type ResolvedKind } from '../kind-discovery.js';
import { KubeApiError } from '../kube-api-error.js';
import { describedEvents } from './describe-events.js';
import { describeGeneric } from './describe-generic.js';
import { describeNode } from './describe-node.js';
import { describePod } from './describe-pod.js';
import { describeService } from './describe-service.js';
import { describeWorkload, WORKLOAD_KIND_NAMES } from './describe-workload.js';
import { type Fields, fields, list, stringMap, text } from './kube-fields.js';
import { locationOfKind, pathOf } from './resource-location.js';

/** How far up owner references are followed (pod → ReplicaSet → Deployment, Job → CronJob). */
const MAX_OWNER_HOPS = 3;
/** The most pods listed as a workload's; the Pods tab has them all. */
const MAX_POD_LINKS = 100;

export async function describeResource(
  client: ClusterClient,
  location: ResolvedKind,
  name: string,
  namespace: string | undefined,
): Promise<ResourceDescription> {
  const object = await client.json<Fields>('GET', pathOf(location, name, namespace));
  const metadata = fields(object.metadata);
  const uid = text(metadata.uid);
  const objectNamespace = location.namespaced ? text(metadata.namespace) : undefined;
  const [events, owners, sections] = await Promise.all([
    eventsOf(client, uid, objectNamespace),
    ownerChain(client, object, location.namespaced ? objectNamespace : undefined),
    sectionsOf(client, location, object, objectNamespace),
  ]);
  return {
    kindName: location.kind,
    name: text(metadata.name),
    ...(objectNamespace !== undefined && { namespace: objectNamespace }),
    uid,
    createdAt: text(metadata.creationTimestamp),
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    owners,
    sections,
    ...events,
  };
}

async function sectionsOf(
  client: ClusterClient,
  location: ResolvedKind,
  object: Fields,
  namespace: string | undefined,
): Promise<ResourceDescription['sections']> {
  if (location.group === '' && location.kind === 'Pod') return describePod(object);
  if (location.group === '' && location.kind === 'Node') return describeNode(object);
  if (location.group === '' && location.kind === 'Service') {
    return describeService(
      object,
      await optional(
        client,
        `/api/v1/namespaces/${encodeURIComponent(namespace ?? '')}/endpoints/${encodeURIComponent(text(fields(object.metadata).name))}`,
      ),
    );
  }
  if (location.group === 'apps' && WORKLOAD_KIND_NAMES.has(location.kind)) {
    return describeWorkload(object, await podsSelectedBy(client, object, namespace ?? ''));
  }
  return describeGeneric(object);
}

/** The object's events through the `involvedObject.uid` field selector, as `kubectl describe` finds them. */
async function eventsOf(
  client: ClusterClient,
  uid: string,
  namespace: string | undefined,
): Promise<Pick<ResourceDescription, 'events' | 'eventsError'>> {
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  const selector = encodeURIComponent(`involvedObject.uid=${uid}`);
  try {
    const events = await client.json<Fields>('GET', `/api/v1${scope}/events?fieldSelector=${selector}`);
    return { events: describedEvents(list(events.items)) };
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    return { events: [], eventsError: `The events could not be listed: ${error.message}` };
  }
}

/** The controller owner, then its owner, and so on; an owner that cannot be read ends the chain. */
async function ownerChain(
  client: ClusterClient,
  object: Fields,
  namespace: string | undefined,
): Promise<ObjectLink[]> {
  const chain: ObjectLink[] = [];
  let current = object;
  for (let hop = 0; hop < MAX_OWNER_HOPS; hop++) {
    const references = list(fields(current.metadata).ownerReferences);
    const owner = references.find((reference) => reference.controller === true) ?? references[0];
    if (owner === undefined) break;
    // An owner is in the object's namespace, or cluster-scoped when the object is.
    const location = locationOfKind(text(owner.apiVersion), text(owner.kind), namespace !== undefined);
    const name = text(owner.name);
    chain.push({
      kind: location.id,
      kindName: location.kind,
      name,
      ...(namespace !== undefined && { namespace }),
      ...(typeof owner.uid === 'string' && { uid: owner.uid }),
    });
    const next = await optional(client, pathOf(location, name, namespace));
    if (next === undefined) break;
    current = next;
  }
  return chain;
}

/** The pods a workload's selector matches (its own, as the controller counts them). */
async function podsSelectedBy(
  client: ClusterClient,
  workload: Fields,
  namespace: string,
): Promise<ObjectLink[]> {
  const matchLabels = stringMap(fields(fields(workload.spec).selector).matchLabels);
  const selector = Object.entries(matchLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  if (selector === '') return [];
  const pods = await optional(
    client,
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?labelSelector=${encodeURIComponent(selector)}&limit=${MAX_POD_LINKS}`,
  );
  return list(pods?.items).map((pod) => {
    const metadata = fields(pod.metadata);
    return {
      kind: PODS.id,
      kindName: 'Pod',
      namespace,
      name: text(metadata.name),
      uid: text(metadata.uid),
    };
  });
}

/** A GET whose refusal or absence is an answer (undefined), not a failure of the description. */
async function optional(client: ClusterClient, path: string): Promise<Fields | undefined> {
  try {
    return await client.json<Fields>('GET', path);
  } catch (error) {
    if (error instanceof KubeApiError) return undefined;
    throw error;
  }
}
