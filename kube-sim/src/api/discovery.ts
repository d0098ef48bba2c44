/**
 * API discovery as kube-apiserver publishes it: the legacy per-group documents (/api, /apis,
 * /apis/<group>, /<prefix>/<group>/<version>) and the aggregated documents (apidiscovery.k8s.io
 * v2 and v2beta1) that kubectl ≥ 1.26 asks for on /api and /apis in one round trip.
 */
import { createHash } from 'node:crypto';
import { apiVersionOf, GROUP_ORDER, type ResourceType } from './resources.js';

export const KUBERNETES_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.4',
  gitCommit: 'a78aa47129b8539636eb86a9d00e31b2720fe06b',
  gitTreeState: 'clean',
  buildDate: '2024-12-10T11:36:48Z',
  goVersion: 'go1.22.9',
  compiler: 'gc',
  platform: 'linux/amd64',
};

interface GroupVersions {
  name: string;
  versions: string[];
}

/**
 * Groups with their versions, preferred version first, in the apiserver's order (custom
 * resources' groups after the built-in ones). `resources` is what the server serves now.
 */
function groups(resources: readonly ResourceType[]): GroupVersions[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const versions = byGroup.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    byGroup.set(r.group, versions);
  }
  return [...byGroup.entries()]
    .map(([name, versions]) => ({ name, versions }))
    .sort((a, b) => rank(a.name) - rank(b.name));
}

function rank(group: string): number {
  const i = GROUP_ORDER.indexOf(group);
  return group === '' ? -1 : i === -1 ? GROUP_ORDER.length : i;
}

function resourcesOf(resources: readonly ResourceType[], group: string, version: string): ResourceType[] {
  return resources.filter((r) => r.group === group && r.version === version);
}

function storageVersionHash(r: ResourceType): string {
  return createHash('sha256').update(`${r.group}/${r.version}/${r.kind}`).digest('base64').slice(0, 11);
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(g: GroupVersions): object {
  const versions = g.versions.map((version) => ({ groupVersion: `${g.name}/${version}`, version }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(resources: readonly ResourceType[]): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups(resources)
      .filter((g) => g.name)
      .map(apiGroup),
  };
}

export function findApiGroup(resources: readonly ResourceType[], name: string): object | undefined {
  const g = groups(resources).find((x) => x.name === name && name !== '');
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) };
}

export function apiResourceList(
  served: readonly ResourceType[],
  group: string,
  version: string,
): object | undefined {
  const resources = resourcesOf(served, group, version);
  if (resources.length === 0) return undefined;
  const list: object[] = [];
  for (const r of resources) {
    list.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
      ...(r.virtual ? {} : { storageVersionHash: storageVersionHash(r) }),
    });
    for (const sub of r.subresources) {
      list.push({
        name: `${r.plural}/${sub.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(sub.group ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: list,
  };
}

export type AggregatedVersion = 'v2' | 'v2beta1';

/** The media type a client sends (and gets back) for aggregated discovery, if it asked for one. */
export function aggregatedDiscoveryVersion(accept: string | undefined): AggregatedVersion | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') {
      const v = params.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
    }
  }
  return undefined;
}

export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/** `legacy` is the document for /api (the core group), otherwise for /apis (every named group). */
export function aggregatedDiscovery(
  resources: readonly ResourceType[],
  version: AggregatedVersion,
  legacy: boolean,
): object {
  const items = groups(resources)
    .filter((g) => (legacy ? g.name === '' : g.name !== ''))
    .map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: resourcesOf(resources, g.name, v).map((r) => ({
          resource: r.plural,
          responseKind: { group: r.group, version: r.version, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singular,
          verbs: r.verbs,
          ...(r.shortNames ? { shortNames: r.shortNames } : {}),
          ...(r.categories ? { categories: r.categories } : {}),
          ...(r.subresources.length
            ? {
                subresources: r.subresources.map((s) => ({
                  subresource: s.name,
                  responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
                  verbs: s.verbs,
                })),
              }
            : {}),
        })),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
