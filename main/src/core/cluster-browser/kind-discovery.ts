/**
 * What each cluster serves, from its discovery, as kubectl learns it: aggregated discovery
 * (apidiscovery.k8s.io v2, one request for /api and one for /apis) where the apiserver has it,
 * else the legacy documents (/api/v1, /apis, each group's preferred version). Resource type ids
 * (`pods`, `deployments.apps`) resolve to where the resource lives through it.
 *
 * Cached per cluster like kubectl's discovery cache: kept for `ttlMs`, fetched again when a
 * resource type is not in it (a CRD added since) at most every `missRefreshMs`, or when the
 * cluster answers 404 for a type it listed (a CRD deleted since: `forget`). At most `maxClusters`
 * clusters are kept, the least recently used dropped first.
 */
import type { ResourceKindInfo, ResourceTypeId } from '@switchboard/contract/app';
import { AppRequestError } from '../app/app-error.js';
import type { ClusterClient } from './cluster-client.js';

/** A served kind, before anyone asked what the person may do with it. */
export type ServedKind = Omit<ResourceKindInfo, 'listAllowed'>;

/** Where a resource type lives: what collection and object paths are built from. */
export interface ResolvedKind {
  id: ResourceTypeId;
  /** The object kind, e.g. `Deployment`. */
  kind: string;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export interface KindDiscoveryOptions {
  ttlMs?: number;
  missRefreshMs?: number;
  maxClusters?: number;
  now?: () => number;
}

const AGGREGATED_ACCEPT = [
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  'application/json',
].join(',');
const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io';
const CRDS_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** Groups Kubernetes itself serves; anything else is an extension (used when CRDs cannot be listed). */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'extensions',
]);

interface Entry {
  fetchedAt: number;
  kinds: Promise<ServedKind[]>;
}

export class KindDiscovery {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #missRefreshMs: number;
  readonly #maxClusters: number;
  readonly #now: () => number;

  constructor(options: KindDiscoveryOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#missRefreshMs = options.missRefreshMs ?? 10_000;
    this.#maxClusters = options.maxClusters ?? 16;
    this.#now = options.now ?? Date.now;
  }

  /** Every kind the cluster serves (subresources left out). */
  async kinds(cluster: string, client: ClusterClient): Promise<ServedKind[]> {
    const entry = this.#entries.get(cluster);
    if (entry && this.#now() - entry.fetchedAt < this.#ttlMs) {
      this.#touch(cluster, entry);
      return entry.kinds;
    }
    return this.#fetch(cluster, client);
  }

  /** Where `id` lives; refuses, saying so, an id the cluster does not serve. */
  async resolve(cluster: string, client: ClusterClient, id: ResourceTypeId): Promise<ResolvedKind> {
    let kind = (await this.kinds(cluster, client)).find((each) => each.id === id);
    const entry = this.#entries.get(cluster);
    if (!kind && entry && this.#now() - entry.fetchedAt >= this.#missRefreshMs) {
      kind = (await this.#fetch(cluster, client)).find((each) => each.id === id);
    }
    if (!kind) {
      throw new AppRequestError(
        'not-found',
        `${cluster} does not serve the resource type ${id} (kubectl api-resources lists what it serves; a custom resource appears once its CustomResourceDefinition is established)`,
      );
    }
    return {
      id,
      kind: kind.kind,
      group: kind.group,
      version: kind.version,
      plural: kind.plural,
      namespaced: kind.namespaced,
    };
  }

  /** Drops what is known of a cluster (it answered 404 for a type it listed, or the session changed). */
  forget(cluster?: string): void {
    if (cluster === undefined) this.#entries.clear();
    else this.#entries.delete(cluster);
  }

  #fetch(cluster: string, client: ClusterClient): Promise<ServedKind[]> {
    const kinds = fetchKinds(client);
    const entry = { fetchedAt: this.#now(), kinds };
    this.#touch(cluster, entry);
    // A failed discovery is not kept: the next request asks again.
    kinds.catch(() => {
      if (this.#entries.get(cluster) === entry) this.#entries.delete(cluster);
    });
    return kinds;
  }

  #touch(cluster: string, entry: Entry): void {
    this.#entries.delete(cluster);
    this.#entries.set(cluster, entry);
    while (this.#entries.size > this.#maxClusters) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }
}

/** The collection's path, in `namespace` when the kind is namespaced and one is given. */
export function collectionPath(kind: ResolvedKind, namespace?: string): string {
  const root = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  return kind.namespaced && namespace
    ? `${root}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`
    : `${root}/${kind.plural}`;
}

export function objectPath(kind: ResolvedKind, name: string, namespace?: string): string {
  return `${collectionPath(kind, kind.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
}

/** Pods and services are in every cluster's core group: logs, shells and forwards need no discovery to find them. */
export const PODS: ResolvedKind = {
  id: 'pods',
  kind: 'Pod',
  group: '',
  version: 'v1',
  plural: 'pods',
  namespaced: true,
};
export const SERVICES: ResolvedKind = {
  id: 'services',
  kind: 'Service',
  group: '',
  version: 'v1',
  plural: 'services',
  namespaced: true,
};

async function fetchKinds(client: ClusterClient): Promise<ServedKind[]> {
  const [core, named, definitions] = await Promise.all([
    client.json<DiscoveryDocument>('GET', '/api', undefined, { accept: AGGREGATED_ACCEPT }),
    client.json<DiscoveryDocument>('GET', '/apis', undefined, { accept: AGGREGATED_ACCEPT }),
    customResourceIds(client),
  ]);
  const served =
    core.kind === 'APIGroupDiscoveryList' && named.kind === 'APIGroupDiscoveryList'
      ? [...fromAggregated(core), ...fromAggregated(named)]
      : await fromLegacy(client, named);
  const isCustom = (kind: Omit<ServedKind, 'custom'>) =>
    definitions === undefined
      ? !BUILT_IN_GROUPS.has(kind.group) && !kind.group.endsWith('.k8s.io')
      : definitions.has(kind.id);
  const byId = new Map<string, ServedKind>();
  // The first version listed is the group's preferred one.
  for (const kind of served) if (!byId.has(kind.id)) byId.set(kind.id, { ...kind, custom: isCustom(kind) });
  return [...byId.values()];
}

/** The ids of the cluster's CustomResourceDefinitions (their names), or undefined if they cannot be listed. */
async function customResourceIds(client: ClusterClient): Promise<Set<string> | undefined> {
  try {
    const list = await client.json<{ items?: { metadata?: { name?: string } }[] }>(
      'GET',
      CRDS_PATH,
      undefined,
      {
        accept: METADATA_LIST_ACCEPT,
      },
    );
    return new Set((list.items ?? []).flatMap((item) => (item.metadata?.name ? [item.metadata.name] : [])));
  } catch {
    return undefined;
  }
}

interface DiscoveryDocument {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: {
      version?: string;
      resources?: { resource?: string; responseKind?: { kind?: string }; scope?: string; verbs?: string[] }[];
    }[];
  }[];
  groups?: { name?: string; preferredVersion?: { version?: string } }[];
}

function idOf(plural: string, group: string): ResourceTypeId {
  return group ? `${plural}.${group}` : plural;
}

function fromAggregated(document: DiscoveryDocument): Omit<ServedKind, 'custom'>[] {
  return (document.items ?? []).flatMap((item) => {
    const group = item.metadata?.name ?? '';
    return (item.versions ?? []).flatMap((version) =>
      (version.resources ?? []).flatMap((resource) =>
        resource.resource
          ? [
              {
                id: idOf(resource.resource, group),
                kind: resource.responseKind?.kind ?? '',
                plural: resource.resource,
                group,
                version: version.version ?? '',
                namespaced: resource.scope === 'Namespaced',
                verbs: resource.verbs ?? [],
              },
            ]
          : [],
      ),
    );
  });
}

interface ResourceList {
  resources?: { name?: string; kind?: string; namespaced?: boolean; verbs?: string[] }[];
}

async function fromLegacy(
  client: ClusterClient,
  groups: DiscoveryDocument,
): Promise<Omit<ServedKind, 'custom'>[]> {
  const versions = [
    { group: '', version: 'v1' },
    ...(groups.groups ?? []).flatMap((group) =>
      group.name && group.preferredVersion?.version
        ? [{ group: group.name, version: group.preferredVersion.version }]
        : [],
    ),
  ];
  const lists = await Promise.all(
    versions.map(async ({ group, version }) => ({
      group,
      version,
      list: await client.json<ResourceList>('GET', group ? `/apis/${group}/${version}` : `/api/${version}`),
    })),
  );
  return lists.flatMap(({ group, version, list }) =>
    (list.resources ?? []).flatMap((resource) =>
      resource.name && !resource.name.includes('/')
        ? [
            {
              id: idOf(resource.name, group),
              kind: resource.kind ?? '',
              plural: resource.name,
              group,
              version,
              namespaced: resource.namespaced === true,
              verbs: resource.verbs ?? [],
            },
          ]
        : [],
    ),
  );
}
