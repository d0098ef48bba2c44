/**
 * Which actions the user may take on an object, asked of the cluster with one
 * SelfSubjectAccessReview (authorization.k8s.io/v1) per verb and resource an action needs, so the
 * UI offers only what RBAC will allow. Answers are cached briefly per cluster and object: the
 * details ask again each time they open, and RBAC changes rarely.
 */
import type { ResourceAccess, ResourceAction } from '@switchboard/contract/app';
import type { ClusterClient } from '../cluster-client.js';
import type { ResolvedKind } from '../kind-discovery.js';
import { fields } from './kube-fields.js';
import { RESTARTABLE, SCALABLE } from './resource-actions.js';

/** How long an answer is reused. */
export const ACCESS_CACHE_MS = 10_000;

interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** The reviews each action needs, for the actions that apply to the object's kind. */
export function reviewsFor(
  location: ResolvedKind,
  name: string,
  namespace: string | undefined,
): Partial<Record<ResourceAction, ResourceAttributes[]>> {
  const object = {
    group: location.group,
    resource: location.plural,
    name,
    ...(location.namespaced && namespace !== undefined && { namespace }),
  };
  const apps = location.group === 'apps';
  const node = location.group === '' && location.kind === 'Node';
  return {
    edit: [{ ...object, verb: 'patch' }],
    delete: [{ ...object, verb: 'delete' }],
    ...(apps &&
      SCALABLE.has(location.kind) && { scale: [{ ...object, verb: 'update', subresource: 'scale' }] }),
    ...(apps && RESTARTABLE.has(location.kind) && { restart: [{ ...object, verb: 'patch' }] }),
    ...(node && { cordon: [{ ...object, verb: 'patch' }] }),
    // Drain cordons, lists the node's pods in every namespace, and evicts them.
    ...(node && {
      drain: [
        { ...object, verb: 'patch' },
        { verb: 'list', group: '', resource: 'pods' },
        { verb: 'create', group: '', resource: 'pods', subresource: 'eviction' },
      ],
    }),
  };
}

export class AccessReviewer {
  readonly #cache = new Map<string, { expires: number; access: Promise<ResourceAccess> }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  review(
    cluster: string,
    client: ClusterClient,
    location: ResolvedKind,
    name: string,
    namespace: string | undefined,
  ): Promise<ResourceAccess> {
    const key = JSON.stringify([cluster, location.group, location.plural, namespace ?? '', name]);
    const now = this.#now();
    for (const [each, entry] of this.#cache) if (entry.expires <= now) this.#cache.delete(each);
    const cached = this.#cache.get(key);
    if (cached) return cached.access;
    const access = reviewAll(client, reviewsFor(location, name, namespace));
    this.#cache.set(key, { expires: now + ACCESS_CACHE_MS, access });
    // A failed review is not remembered: the next open asks again.
    access.catch(() => this.#cache.delete(key));
    return access;
  }

  /** Forgets every answer (the user signed in again, perhaps as someone else). */
  clear(): void {
    this.#cache.clear();
  }
}

async function reviewAll(
  client: ClusterClient,
  reviews: Partial<Record<ResourceAction, ResourceAttributes[]>>,
): Promise<ResourceAccess> {
  // The same attributes recur across actions (patch for edit, restart, cordon): ask each once.
  const distinct = new Map<string, ResourceAttributes>();
  for (const attributes of Object.values(reviews).flat())
    distinct.set(JSON.stringify(attributes), attributes);
  const answers = new Map(
    await Promise.all(
      [...distinct].map(async ([key, attributes]) => [key, await allowed(client, attributes)] as const),
    ),
  );
  return Object.fromEntries(
    Object.entries(reviews).map(([action, needed]) => [
      action,
      needed.every((attributes) => answers.get(JSON.stringify(attributes)) === true),
    ]),
  );
}

async function allowed(client: ClusterClient, resourceAttributes: ResourceAttributes): Promise<boolean> {
  const review = await client.write<Record<string, unknown>>(
    'POST',
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    {
      contentType: 'application/json',
      text: JSON.stringify({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes },
      }),
    },
  );
  return fields(review.status).allowed === true;
}
