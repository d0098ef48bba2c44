import type { ResourceKindInfo } from '@switchboard/contract/app';

/** Sidebar labels of the built-in kinds, as Lens names them; other kinds show their plural. */
const LABELS: Record<string, string> = {
  pods: 'Pods',
  'deployments.apps': 'Deployments',
  'daemonsets.apps': 'DaemonSets',
  'statefulsets.apps': 'StatefulSets',
  'replicasets.apps': 'ReplicaSets',
  'jobs.batch': 'Jobs',
  'cronjobs.batch': 'CronJobs',
  configmaps: 'ConfigMaps',
  secrets: 'Secrets',
  resourcequotas: 'Resource Quotas',
  limitranges: 'Limit Ranges',
  'horizontalpodautoscalers.autoscaling': 'HPAs',
  'poddisruptionbudgets.policy': 'Pod Disruption Budgets',
  'priorityclasses.scheduling.k8s.io': 'Priority Classes',
  'runtimeclasses.node.k8s.io': 'Runtime Classes',
  'leases.coordination.k8s.io': 'Leases',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': 'Mutating Webhooks',
  'validatingwebhookconfigurations.admissionregistration.k8s.io': 'Validating Webhooks',
  services: 'Services',
  endpoints: 'Endpoints',
  'endpointslices.discovery.k8s.io': 'EndpointSlices',
  'ingresses.networking.k8s.io': 'Ingresses',
  'ingressclasses.networking.k8s.io': 'Ingress Classes',
  'networkpolicies.networking.k8s.io': 'Network Policies',
  persistentvolumeclaims: 'Persistent Volume Claims',
  persistentvolumes: 'Persistent Volumes',
  'storageclasses.storage.k8s.io': 'Storage Classes',
  namespaces: 'Namespaces',
  nodes: 'Nodes',
  events: 'Events',
  serviceaccounts: 'Service Accounts',
  'roles.rbac.authorization.k8s.io': 'Roles',
  'clusterroles.rbac.authorization.k8s.io': 'Cluster Roles',
  'rolebindings.rbac.authorization.k8s.io': 'Role Bindings',
  'clusterrolebindings.rbac.authorization.k8s.io': 'Cluster Role Bindings',
  'customresourcedefinitions.apiextensions.k8s.io': 'Definitions',
};

/** What the sidebar, the table's name and the counts call a kind. */
export function kindLabel(kind: Pick<ResourceKindInfo, 'id' | 'plural'>): string {
  return LABELS[kind.id] ?? kind.plural.charAt(0).toUpperCase() + kind.plural.slice(1);
}

/** The word for one object: in the delete dialog and the row test id (`pod-row-<name>`). */
export function objectWord(kind: Pick<ResourceKindInfo, 'kind'>): string {
  return kind.kind.toLowerCase();
}

/**
 * What is known of a kind before the cluster's discovery arrives: pods, which the browser opens
 * on, so their list does not wait for discovery.
 */
export const PODS: ResourceKindInfo = {
  id: 'pods',
  kind: 'Pod',
  plural: 'pods',
  group: '',
  version: 'v1',
  namespaced: true,
  verbs: ['list', 'watch'],
  custom: false,
  listAllowed: true,
};
