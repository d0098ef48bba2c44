import type { ResourceTypeId } from '@switchboard/contract/app';
import { useRef, useState } from 'react';
import { useLogs } from '../../state/use-logs';
import { containerLabel, usePodContainers } from '../../state/use-pod-containers';
import { LogsPanel } from './LogsPanel';

export interface WorkloadLogsProps {
  cluster: string;
  namespace: string;
  kind: ResourceTypeId;
  name: string;
  /** The word for one object ("deployment"). */
  one: string;
}

/**
 * The logs of every pod a workload selects, interleaved by time, each line prefixed by its pod; a
 * container picker (from one of its pods: they share the template) follows another container in
 * every pod, as `stern --container` does.
 */
export function WorkloadLogs({ cluster, namespace, kind, name, one }: WorkloadLogsProps) {
  const [container, setContainer] = useState<string>();
  const logs = useLogs({
    type: 'workload',
    cluster,
    namespace,
    kind,
    name,
    ...(container !== undefined && { container }),
  });
  // Kept while a new container's stream starts (its pod list is empty then), so the picker stays put.
  const samplePod = useRef<string>(undefined);
  samplePod.current = logs.pods[0]?.name ?? samplePod.current;
  return (
    <LogsPanel
      logs={logs}
      label={`Logs of the pods of ${one} ${name}`}
      subject={`the pods of ${one} ${name}${container === undefined ? '' : `, container ${container}`}`}
      fileName={`${name}${container === undefined ? '' : `-${container}`}.log`}
      follows
    >
      {samplePod.current !== undefined && (
        <WorkloadContainerPicker
          cluster={cluster}
          namespace={namespace}
          pod={samplePod.current}
          value={container ?? logs.pods[0]?.container ?? ''}
          onChange={setContainer}
        />
      )}
    </LogsPanel>
  );
}

function WorkloadContainerPicker(props: {
  cluster: string;
  namespace: string;
  pod: string;
  value: string;
  onChange(container: string): void;
}) {
  const { containers } = usePodContainers(props.cluster, props.namespace, props.pod);
  if (containers === undefined || containers.length < 2) return null;
  return (
    <label>
      Container{' '}
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {containers.map((each) => (
          <option key={each.name} value={each.name}>
            {containerLabel(each)}
          </option>
        ))}
      </select>
    </label>
  );
}
