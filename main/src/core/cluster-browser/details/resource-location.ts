/**
 * Where an object an owner reference or a link names lives in the API, and the paths of an object
 * and its subresources (kinds the browser opens come from discovery: `KindDiscovery.resolve`).
 */
import { AppRequestError } from '../../app/app-error.js';
import { objectPath, type ResolvedKind } from '../kind-discovery.js';

/** The kind an owner reference or an object's own `apiVersion` + `kind` names. */
export function locationOfKind(apiVersion: string, kindName: string, namespaced: boolean): ResolvedKind {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const plural = guessPlural(kindName);
  return {
    id: typeIdOf({ group: group!, plural }),
    kind: kindName,
    group: group!,
    version: version!,
    plural,
    namespaced,
  };
}

/** The resource type id (`replicasets.apps`), as kubectl and the contract name resource types. */
export function typeIdOf(kind: Pick<ResolvedKind, 'group' | 'plural'>): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}

/**
 * apimachinery's UnsafeGuessKindToResource: what the API uses for every built-in kind an owner
 * reference can name (ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, Node…).
 */
export function guessPlural(kindName: string): string {
  const lower = kindName.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The path of an object or of one of its subresources; a namespaced one needs its namespace. */
export function pathOf(
  kind: ResolvedKind,
  name: string,
  namespace: string | undefined,
  subresource?: string,
): string {
  const path = objectPath(kind, name, kind.namespaced ? requireNamespace(kind, namespace) : undefined);
  return subresource === undefined ? path : `${path}/${subresource}`;
}

function requireNamespace(kind: ResolvedKind, namespace: string | undefined): string {
  if (namespace === undefined || namespace === '') {
    throw new AppRequestError('invalid-request', `${kind.plural} live in a namespace: say which one`);
  }
  return namespace;
}
