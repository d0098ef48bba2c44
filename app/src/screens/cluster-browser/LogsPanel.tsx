import { type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { findMatches, LogView } from '../../components/LogView';
import { type LogLine, logFileText } from '../../state/log-lines';
import type { Logs } from '../../state/use-logs';

export interface LogsPanelProps {
  logs: Logs;
  /** Names the log region ("Log of pod x, container y"). */
  label: string;
  /** Whose log it is, for the status line ("web-1/app", "the pods of deployment web"). */
  subject: string;
  /** The download's file name. */
  fileName: string;
  /** Controls before the shared ones (container picker, previous). */
  children?: ReactNode;
  /** Whether the stream follows (a previous container's log does not). */
  follows: boolean;
}

/**
 * A log with what the best log viewers offer: timestamps, wrap, search with highlighted matches and
 * next/previous, pause (lines keep arriving and are counted), download of the whole buffer, and a
 * maximized pane (Escape restores it).
 */
export function LogsPanel({ logs, label, subject, fileName, children, follows }: LogsPanelProps) {
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(true);
  const [search, setSearch] = useState('');
  const [activeMatch, setActiveMatch] = useState(0);
  /** What was on screen when paused: a copy, so lines arriving meanwhile do not re-render it. */
  const [paused, setPaused] = useState<{ lines: readonly LogLine[]; dropped: number; total: number }>();
  const [maximized, setMaximized] = useState(false);
  const searchId = useId();

  const total = logs.dropped + logs.lines.length;
  const shownLines = paused?.lines ?? logs.lines;
  const newWhilePaused = paused === undefined ? 0 : total - paused.total;
  // Not memoized: the buffer grows in place, and a scan of 20,000 lines takes about a millisecond.
  const matchCount = findMatches(shownLines, search).length;
  const current = matchCount === 0 ? 0 : Math.min(activeMatch, matchCount - 1);
  const pods = useMemo(() => logs.pods.map((pod) => pod.name), [logs.pods]);

  useEffect(() => {
    if (!maximized) return;
    const restore = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setMaximized(false);
    };
    window.addEventListener('keydown', restore);
    return () => window.removeEventListener('keydown', restore);
  }, [maximized]);

  const step = (by: number) => {
    if (matchCount === 0) return;
    setActiveMatch((current + by + matchCount) % matchCount);
  };

  const download = () => {
    const blob = new Blob([logFileText(logs.lines, { timestamps })], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    // The click has started the download; the URL is no longer needed once it is read.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const status = (() => {
    if (logs.resuming)
      return `The log of ${subject} was cut off; it picks up where it stopped once the cluster answers.`;
    if (logs.error !== undefined) return '';
    if (logs.ended) return follows ? `The log of ${subject} ended.` : `The whole log of ${subject}.`;
    if (paused !== undefined) return `Paused: ${newWhilePaused.toLocaleString()} new lines.`;
    return `Following the log of ${subject}.`;
  })();

  return (
    <div className={maximized ? 'pod-logs logs-maximized' : 'pod-logs'} data-testid="logs-panel">
      <div className="log-toolbar">
        {children}
        <label className="check">
          <input
            type="checkbox"
            checked={timestamps}
            onChange={(event) => setTimestamps(event.target.checked)}
          />
          Timestamps
        </label>
        <label className="check">
          <input type="checkbox" checked={wrap} onChange={(event) => setWrap(event.target.checked)} />
          Wrap lines
        </label>
        <span className="log-search">
          <label htmlFor={searchId} className="visually-hidden">
            Search the log
          </label>
          <input
            id={searchId}
            type="search"
            placeholder="Search the log"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setActiveMatch(0);
            }}
            onKeyDown={(event) => {
              if (event.key !== 'Enter') return;
              event.preventDefault();
              step(event.shiftKey ? -1 : 1);
            }}
          />
          <button
            type="button"
            onClick={() => step(-1)}
            disabled={matchCount === 0}
            aria-label="Previous match"
          >
            ↑
          </button>
          <button type="button" onClick={() => step(1)} disabled={matchCount === 0} aria-label="Next match">
            ↓
          </button>
          <span role="status" className="muted" data-testid="log-match-count">
            {search === '' ? '' : matchCount === 0 ? 'No matches' : `${current + 1} of ${matchCount}`}
          </span>
        </span>
        {follows && (
          <button
            type="button"
            aria-pressed={paused !== undefined}
            onClick={() =>
              setPaused(
                paused === undefined
                  ? { lines: logs.lines.slice(), dropped: logs.dropped, total }
                  : undefined,
              )
            }
          >
            {paused === undefined ? 'Pause' : 'Resume'}
          </button>
        )}
        <button type="button" onClick={download} disabled={logs.lines.length === 0}>
          Download
        </button>
        <button type="button" aria-pressed={maximized} onClick={() => setMaximized(!maximized)}>
          {maximized ? 'Restore size' : 'Maximize'}
        </button>
      </div>
      <p role="status" className="muted" data-testid="log-status" data-resuming={logs.resuming}>
        {status}
        {logs.dropped > 0 &&
          ` ${logs.dropped.toLocaleString()} older lines were dropped to keep the view fast.`}
      </p>
      {logs.pods.length > 0 && (
        <ul className="log-pods" aria-label="Pods in this log">
          {logs.pods.map((pod, index) => (
            <li key={pod.name} data-testid={`log-pod-${pod.name}`} data-state={pod.state}>
              <span className={`log-pod log-pod-${index % 6}`}>{pod.name}</span>{' '}
              <span className="muted">
                {pod.state === 'following' ? '' : pod.state === 'waiting' ? '(starting)' : `(${pod.state})`}
              </span>
              {pod.error !== undefined && (
                <span className="form-error">
                  {' '}
                  <ErrorMessage error={pod.error} />
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {logs.error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={logs.error} />
        </p>
      )}
      <LogView
        lines={shownLines}
        firstLine={paused?.dropped ?? logs.dropped}
        label={label}
        pods={pods}
        timestamps={timestamps}
        wrap={wrap}
        search={search}
        activeMatch={current}
      />
    </div>
  );
}
