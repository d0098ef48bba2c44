import type { BrowsableKind } from '@switchboard/contract/app';
import { useLogs } from '../../state/use-logs';
import { LogsPanel } from './LogsPanel';

export interface WorkloadLogsProps {
  cluster: string;
  namespace: string;
  kind: BrowsableKind;
  name: string;
  /** The word for one object ("deployment"). */
  one: string;
}

/** The logs of every pod a workload selects, interleaved by time, each line prefixed by its pod. */
export function WorkloadLogs({ cluster, namespace, kind, name, one }: WorkloadLogsProps) {
  const logs = useLogs({ type: 'workload', cluster, namespace, kind, name });
  return (
    <LogsPanel
      logs={logs}
      label={`Logs of the pods of ${one} ${name}`}
      subject={`the pods of ${one} ${name}`}
      fileName={`${name}.log`}
      follows
    />
  );
}
