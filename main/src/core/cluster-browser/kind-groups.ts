/**
 * The sidebar's grouping of resource kinds, as Lens groups them: the built-in kinds under their
 * headings in Lens's order, then Custom Resources (the definitions themselves, then a group per
 * API group of the resources they define), and anything else the cluster serves under "Other".
 * Pure: discovery in, groups out.
 */
import type { ResourceKindGroup, ResourceKindInfo } from '@switchboard/contract/app';

/** Built-in kinds by heading, in the order Lens lists them. */
const BUILT_IN_GROUPS: readonly { name: string; ids: readonly string[] }[] = [
  { name: 'Nodes', ids: ['nodes'] },
  {
    name: 'Workloads',
    ids: [
      'pods',
      'deployments.apps',
      'daemonsets.apps',
      'statefulsets.apps',
      'replicasets.apps',
      'jobs.batch',
      'cronjobs.batch',
    ],
  },
  {
    name: 'Config',
    ids: [
      'configmaps',
      'secrets',
      'resourcequotas',
      'limitranges',
      'horizontalpodautoscalers.autoscaling',
      'poddisruptionbudgets.policy',
      'priorityclasses.scheduling.k8s.io',
      'runtimeclasses.node.k8s.io',
      'leases.coordination.k8s.io',
      'mutatingwebhookconfigurations.admissionregistration.k8s.io',
      'validatingwebhookconfigurations.admissionregistration.k8s.io',
    ],
  },
  {
    name: 'Network',
    ids: [
      'services',
      'endpoints',
      'endpointslices.discovery.k8s.io',
      'ingresses.networking.k8s.io',
      'ingressclasses.networking.k8s.io',
      'networkpolicies.networking.k8s.io',
    ],
  },
  {
    name: 'Storage',
    ids: ['persistentvolumeclaims', 'persistentvolumes', 'storageclasses.storage.k8s.io'],
  },
  { name: 'Namespaces', ids: ['namespaces'] },
  { name: 'Events', ids: ['events'] },
  {
    name: 'Access Control',
    ids: [
      'serviceaccounts',
      'roles.rbac.authorization.k8s.io',
      'clusterroles.rbac.authorization.k8s.io',
      'rolebindings.rbac.authorization.k8s.io',
      'clusterrolebindings.rbac.authorization.k8s.io',
    ],
  },
];

/** Lens lists the definitions first under Custom Resources, above the resources they define. */
const DEFINITIONS = 'customresourcedefinitions.apiextensions.k8s.io';

/** Served under a second name: listing them again would show the same objects twice. */
const ALIASES: ReadonlySet<string> = new Set(['events.events.k8s.io']);

export const CUSTOM_RESOURCES = 'Custom Resources';
export const OTHER = 'Other';

/** Groups for the kinds that can be listed (`list` and `watch` verbs); empty groups are left out. */
export function groupKinds(kinds: readonly ResourceKindInfo[]): ResourceKindGroup[] {
  const browsable = kinds.filter(
    (kind) => kind.verbs.includes('list') && kind.verbs.includes('watch') && !ALIASES.has(kind.id),
  );
  const byId = new Map(browsable.map((kind) => [kind.id, kind]));
  const placed = new Set<string>();
  const groups: ResourceKindGroup[] = [];
  for (const { name, ids } of BUILT_IN_GROUPS) {
    const members = ids.flatMap((id) => {
      const kind = byId.get(id);
      return kind === undefined || kind.custom ? [] : [kind];
    });
    for (const kind of members) placed.add(kind.id);
    if (members.length > 0) groups.push({ name, kinds: members });
  }
  const byKind = (a: ResourceKindInfo, b: ResourceKindInfo) =>
    a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : 1;
  const custom = new Map<string, ResourceKindInfo[]>();
  const other: ResourceKindInfo[] = [];
  const definitions = byId.get(DEFINITIONS);
  if (definitions !== undefined) {
    placed.add(DEFINITIONS);
    groups.push({ name: CUSTOM_RESOURCES, kinds: [definitions] });
  }
  for (const kind of browsable) {
    if (placed.has(kind.id)) continue;
    if (kind.custom) custom.set(kind.group, [...(custom.get(kind.group) ?? []), kind]);
    else other.push(kind);
  }
  for (const apiGroup of [...custom.keys()].sort()) {
    groups.push({ name: CUSTOM_RESOURCES, apiGroup, kinds: custom.get(apiGroup)!.sort(byKind) });
  }
  if (other.length > 0) groups.push({ name: OTHER, kinds: other.sort(byKind) });
  return groups;
}
