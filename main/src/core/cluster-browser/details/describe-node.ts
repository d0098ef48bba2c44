/**
 * A node as `kubectl describe node` shows it: schedulable or not, taints, conditions, addresses,
 * capacity and allocatable, system info.
 */
import type { DescribeSection } from '@switchboard/contract/app';
import { conditionsSection } from './describe-conditions.js';
import { type Fields, fields, list, stringMap, text } from './kube-fields.js';

export function describeNode(node: Fields): DescribeSection[] {
  const spec = fields(node.spec);
  const status = fields(node.status);
  const info = fields(status.nodeInfo);
  const unschedulable = spec.unschedulable === true;
  const taints = list(spec.taints).map(
    (taint) => `${text(taint.key)}${taint.value ? `=${text(taint.value)}` : ''}:${text(taint.effect)}`,
  );
  const capacity = stringMap(status.capacity);
  const allocatable = stringMap(status.allocatable);
  const resources = [...new Set([...Object.keys(capacity), ...Object.keys(allocatable)])].sort();
  return [
    {
      title: 'Scheduling',
      fields: [
        {
          label: 'Unschedulable',
          value: unschedulable ? 'true (cordoned)' : 'false',
          ...(unschedulable && { tone: 'warning' as const }),
        },
        {
          label: 'Taints',
          value: taints.join(', ') || '<none>',
          ...(taints.length > 0 && { tone: 'warning' as const }),
        },
      ],
    },
    ...conditionsSection(node),
    {
      title: 'Addresses',
      table: {
        columns: ['Type', 'Address'],
        rows: list(status.addresses).map((address) => [text(address.type), text(address.address)]),
      },
    },
    {
      title: 'Capacity',
      table: {
        columns: ['Resource', 'Capacity', 'Allocatable'],
        rows: resources.map((resource) => [resource, capacity[resource] ?? '', allocatable[resource] ?? '']),
      },
    },
    {
      title: 'System info',
      fields: [
        { label: 'Kubelet version', value: text(info.kubeletVersion) },
        { label: 'OS image', value: text(info.osImage) },
        { label: 'Container runtime', value: text(info.containerRuntimeVersion) },
        { label: 'Architecture', value: text(info.architecture) },
      ],
    },
  ];
}
