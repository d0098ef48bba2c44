import type { AppError } from '@switchboard/contract/app';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useNow } from '../../state/use-now';

/** `14:03:27`: when a stale list was last current (the day is today in any outage worth showing). */
function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** The cluster is offline: the list below is what was there when it went, and says so. */
export function StaleNotice({ cluster, since }: { cluster: string; since: number | undefined }) {
  return (
    <div className="stale-notice" role="status" data-testid="stale-notice">
      <strong>Offline</strong>
      {since === undefined ? ' — showing the last data received' : ` — showing data from ${clockTime(since)}`}
      . The list updates by itself when {cluster} is back.
    </div>
  );
}

export interface WatchProblemProps {
  error: AppError;
  /** When the next attempt starts (ms since the epoch). */
  retryAt: number | undefined;
  /** When the rows still shown were last current; undefined when none are shown. */
  staleSince: number | undefined;
  onRetryNow(): void;
}

/**
 * Why a list is not live, when the next attempt is, and a way not to wait for it. The countdown
 * is plain text, not a live region: announcing every second would drown everything else.
 */
export function WatchProblem({ error, retryAt, staleSince, onRetryNow }: WatchProblemProps) {
  const now = useNow(1000);
  const seconds = retryAt === undefined ? undefined : Math.ceil((retryAt - now) / 1000);
  return (
    <div className="watch-problem" data-testid="watch-problem">
      <p className="form-error" role="alert">
        <ErrorMessage error={error} />
      </p>
      <p className="muted watch-retry" data-testid="watch-retry">
        {staleSince !== undefined && `Showing data from ${clockTime(staleSince)}. `}
        {seconds === undefined || seconds <= 0 ? 'Retrying…' : `Retrying in ${seconds} s.`}
      </p>
      <button type="button" onClick={onRetryNow}>
        Retry now
      </button>
    </div>
  );
}
