import { ErrorMessage } from '../../components/ErrorMessage';
import { LogView } from '../../components/LogView';
import { type LogsTarget, useLogs } from '../../state/use-logs';

/** A pod's log, followed live; the stream stops when this view goes away. */
export function PodLogs(target: LogsTarget) {
  const logs = useLogs(target);
  return (
    <div className="pod-logs">
      <p role="status" className="muted" data-testid="log-status" data-resuming={logs.resuming}>
        {logs.resuming
          ? 'The log stream was cut off. It resumes where it stopped, without repeating a line.'
          : logs.error !== undefined
            ? ''
            : logs.ended
              ? 'The log stream ended.'
              : `Following the log of ${target.pod}${logs.truncated ? ' (older lines dropped)' : ''}.`}
      </p>
      {logs.error !== undefined && !logs.resuming && (
        <p className="form-error" role="alert">
          <ErrorMessage error={logs.error} />
        </p>
      )}
      <LogView text={logs.text} label={`Log of pod ${target.pod}`} />
    </div>
  );
}
