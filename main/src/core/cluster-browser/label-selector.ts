/**
 * The pods an owner selects, as a `labelSelector` query: `spec.selector` with `matchLabels` and
 * `matchExpressions` (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs), or a plain label
 * map (Services, ReplicationControllers), as `kubectl logs deploy/x` and `kubectl get -l` read it.
 */
import type { KubeObject } from './kube-object.js';

interface Requirement {
  key?: string;
  operator?: string;
  values?: string[];
}

export class NoSelectorError extends Error {
  override readonly name = 'NoSelectorError';
}

export function labelSelectorOf(owner: KubeObject): string {
  const selector = (owner.spec as { selector?: unknown } | undefined)?.selector;
  if (!selector || typeof selector !== 'object') {
    throw new NoSelectorError(
      `${owner.kind ?? 'the object'} ${owner.metadata?.name ?? ''} selects no pods (it has no spec.selector)`,
    );
  }
  const { matchLabels, matchExpressions } = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: Requirement[];
  };
  const structured = matchLabels !== undefined || matchExpressions !== undefined;
  const labels = structured ? (matchLabels ?? {}) : (selector as Record<string, string>);
  const parts = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of matchExpressions ?? []) {
    if (!key) continue;
    if (operator === 'In') parts.push(`${key} in (${values.join(',')})`);
    else if (operator === 'NotIn') parts.push(`${key} notin (${values.join(',')})`);
    else if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
  }
  if (parts.length === 0) {
    // An empty selector selects every pod in the namespace: never what "this workload's logs" means.
    throw new NoSelectorError(
      `${owner.kind ?? 'the object'} ${owner.metadata?.name ?? ''} has an empty selector`,
    );
  }
  return parts.join(',');
}
