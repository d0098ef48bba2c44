/**
 * Where an object lives in the API, from the resource type id the contract names kinds by
 * (`pods`, `deployments.apps`, `widgets.example.com`), and the type id of an object an owner
 * reference or a link names.
 */
import { AppRequestError } from '../../app/app-error.js';

export interface ResourceLocation {
  /** `''` for the core group. */
  group: string;
  version: string;
  /** The resource, e.g. `deployments`. */
  plural: string;
  /** The object kind, e.g. `Deployment`. */
  kindName: string;
  namespaced: boolean;
}

/** The location an owner reference or an object's own `apiVersion` + `kind` names. */
export function locationOfKind(apiVersion: string, kindName: string, namespaced: boolean): ResourceLocation {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { group: group!, version: version!, plural: guessPlural(kindName), kindName, namespaced };
}

/** The resource type id (`replicasets.apps`), as kubectl and the contract name resource types. */
export function typeIdOf(location: ResourceLocation): string {
  return location.group === '' ? location.plural : `${location.plural}.${location.group}`;
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

/** The path of an object or of one of its subresources. */
export function pathOf(
  location: ResourceLocation,
  name: string,
  namespace: string | undefined,
  subresource?: string,
): string {
  const base =
    location.group === '' ? `/api/${location.version}` : `/apis/${location.group}/${location.version}`;
  const scope = location.namespaced
    ? `/namespaces/${encodeURIComponent(requireNamespace(location, namespace))}`
    : '';
  const tail = subresource === undefined ? '' : `/${subresource}`;
  return `${base}${scope}/${location.plural}/${encodeURIComponent(name)}${tail}`;
}

/** The collection path, in one namespace or across all of them (`namespace` undefined). */
export function collectionPathOf(location: ResourceLocation, namespace: string | undefined): string {
  const base =
    location.group === '' ? `/api/${location.version}` : `/apis/${location.group}/${location.version}`;
  const scope =
    location.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${scope}/${location.plural}`;
}

function requireNamespace(location: ResourceLocation, namespace: string | undefined): string {
  if (namespace === undefined || namespace === '') {
    throw new AppRequestError('invalid-request', `${location.plural} live in a namespace: say which one`);
  }
  return namespace;
}
