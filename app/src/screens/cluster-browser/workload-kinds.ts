import type { PortForwardTarget } from '@switchboard/contract/app';

/** Kinds whose objects select pods, so their details offer the logs of all those pods. */
export const LOGS_BY_SELECTOR_KINDS: ReadonlySet<string> = new Set([
  'deployments.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'replicasets.apps',
  'jobs.batch',
]);

/** Kinds a port-forward can start from. */
export const PORT_FORWARD_KINDS: ReadonlyMap<string, PortForwardTarget> = new Map([
  ['pods', 'pods'],
  ['services', 'services'],
]);
