/**
 * Deployments, StatefulSets, DaemonSets and ReplicaSets as `kubectl describe` shows them: replicas
 * (desired, ready, updated, available), strategy, selector, conditions, and the pods they run.
 */
import type { DescribeSection, ObjectLink } from '@switchboard/contract/app';
import { conditionsSection } from './describe-conditions.js';
import { type Fields, fields, formatMap, list, num, stringMap, text } from './kube-fields.js';

export const WORKLOAD_KIND_NAMES: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
]);

export function describeWorkload(workload: Fields, pods: ObjectLink[]): DescribeSection[] {
  const spec = fields(workload.spec);
  const status = fields(workload.status);
  const daemon = workload.kind === 'DaemonSet';
  const count = (value: unknown) => String(num(value) ?? 0);
  const replicas: DescribeSection = {
    title: 'Replicas',
    fields: daemon
      ? [
          { label: 'Desired', value: count(status.desiredNumberScheduled) },
          { label: 'Ready', value: count(status.numberReady) },
          { label: 'Updated', value: count(status.updatedNumberScheduled) },
          { label: 'Available', value: count(status.numberAvailable) },
        ]
      : [
          { label: 'Desired', value: String(num(spec.replicas) ?? 1) },
          { label: 'Ready', value: count(status.readyReplicas) },
          { label: 'Updated', value: count(status.updatedReplicas) },
          { label: 'Available', value: count(status.availableReplicas) },
        ],
  };
  const selector = fields(spec.selector);
  const expressions = list(selector.matchExpressions).map(
    (each) =>
      `${text(each.key)} ${text(each.operator)}${Array.isArray(each.values) ? ` (${each.values.join(',')})` : ''}`,
  );
  const settings: DescribeSection = {
    title: 'Rollout',
    fields: [
      ...(workload.kind === 'ReplicaSet' ? [] : [{ label: 'Strategy', value: strategyOf(spec) }]),
      { label: 'Selector', value: [formatMap(stringMap(selector.matchLabels)), ...expressions].join(', ') },
    ],
  };
  return [
    replicas,
    settings,
    ...conditionsSection(workload),
    { title: `Pods (${pods.length})`, links: pods },
  ];
}

function strategyOf(spec: Fields): string {
  const strategy = fields(spec.strategy ?? spec.updateStrategy);
  const type = text(strategy.type, 'RollingUpdate');
  const rolling = fields(strategy.rollingUpdate);
  const limits = [
    rolling.maxSurge === undefined ? undefined : `max surge ${String(rolling.maxSurge)}`,
    rolling.maxUnavailable === undefined ? undefined : `max unavailable ${String(rolling.maxUnavailable)}`,
  ].filter((each) => each !== undefined);
  return limits.length === 0 ? type : `${type} (${limits.join(', ')})`;
}
