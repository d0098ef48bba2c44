import { useId, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLogs } from '../../state/use-logs';
import { containerLabel, defaultContainerOf, usePodContainers } from '../../state/use-pod-containers';
import { LogsPanel } from './LogsPanel';

export interface PodLogsProps {
  cluster: string;
  namespace: string;
  pod: string;
}

/** A pod's log: a container picker (init and sidecars labelled), its previous instance, followed live. */
export function PodLogs({ cluster, namespace, pod }: PodLogsProps) {
  const { containers, error } = usePodContainers(cluster, namespace, pod);
  const [chosen, setChosen] = useState<string>();
  const [previous, setPrevious] = useState(false);
  const previousHelpId = useId();
  const container =
    containers?.find((each) => each.name === chosen) ?? (containers && defaultContainerOf(containers));
  const logs = useLogs(
    container === undefined
      ? undefined
      : {
          type: 'pod',
          cluster,
          namespace,
          pod,
          container: container.name,
          previous: previous && container.hasPrevious,
        },
  );

  if (error !== undefined) {
    return (
      <p className="form-error" role="alert">
        <ErrorMessage error={error} />
      </p>
    );
  }
  if (container === undefined) {
    return (
      <p role="status" className="muted">
        {containers === undefined ? `Reading the containers of ${pod}…` : `${pod} has no containers.`}
      </p>
    );
  }
  const showingPrevious = previous && container.hasPrevious;
  return (
    <LogsPanel
      logs={logs}
      label={`Log of pod ${pod}`}
      subject={`${pod}/${container.name}${showingPrevious ? ' (previous container)' : ''}`}
      fileName={`${pod}-${container.name}${showingPrevious ? '-previous' : ''}.log`}
      follows={!showingPrevious}
    >
      <label>
        Container{' '}
        <select
          value={container.name}
          onChange={(event) => {
            setChosen(event.target.value);
            setPrevious(false);
          }}
        >
          {containers!.map((each) => (
            <option key={each.name} value={each.name}>
              {containerLabel(each)}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={showingPrevious}
          disabled={!container.hasPrevious}
          aria-describedby={container.hasPrevious ? undefined : previousHelpId}
          onChange={(event) => setPrevious(event.target.checked)}
        />
        Previous container
      </label>
      {!container.hasPrevious && (
        <span id={previousHelpId} className="muted log-hint">
          (no restart yet)
        </span>
      )}
    </LogsPanel>
  );
}
