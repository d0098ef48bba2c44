/**
 * Whether the person may list each kind across the cluster, asked of the cluster itself with a
 * SelfSubjectAccessReview per kind (as `kubectl auth can-i list <kind> -A`), so the sidebar never
 * offers a list RBAC will refuse. A few reviews at a time: a cluster with hundreds of CRDs must
 * not open hundreds of streams at once. A review that fails counts as allowed: the sidebar does not
 * hide what it could not check, and the list itself then says what the cluster answered.
 */
import type { ClusterClient } from './cluster-client.js';
import type { ServedKind } from './kind-discovery.js';

const REVIEWS_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const CONCURRENT_REVIEWS = 8;

interface Review {
  status?: { allowed?: boolean };
}

/** The ids of the kinds the person may list in every namespace (or, for cluster-scoped kinds, at all). */
export async function listableKinds(
  client: ClusterClient,
  kinds: readonly ServedKind[],
): Promise<Set<string>> {
  const allowed = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < kinds.length) {
      const kind = kinds[next++]!;
      const review = await client
        .json<Review>('POST', REVIEWS_PATH, undefined, {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { verb: 'list', group: kind.group, resource: kind.plural } },
          },
        })
        .catch((): Review => ({ status: { allowed: true } }));
      if (review.status?.allowed === true) allowed.add(kind.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_REVIEWS, kinds.length) }, worker));
  return allowed;
}
