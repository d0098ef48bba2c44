/** The Conditions table of `kubectl describe`, shared by every kind that has `status.conditions`. */
import type { DescribeSection } from '@switchboard/contract/app';
import { fields, list, text } from './kube-fields.js';

export function conditionsSection(object: Record<string, unknown>): DescribeSection[] {
  const conditions = list(fields(object.status).conditions);
  if (conditions.length === 0) return [];
  return [
    {
      title: 'Conditions',
      table: {
        columns: ['Type', 'Status', 'Reason', 'Message', 'Last transition'],
        rows: conditions.map((condition) => [
          text(condition.type),
          text(condition.status),
          text(condition.reason),
          text(condition.message),
          text(condition.lastTransitionTime),
        ]),
      },
    },
  ];
}
