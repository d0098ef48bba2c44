import { memo, type ReactNode, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LogLine } from '../state/log-lines';

/** How close to the bottom (px) still counts as "at the end" and keeps auto-scroll on. */
const AT_END_SLACK = 8;
/**
 * Lines render in fixed chunks that never change once full, so a new line re-renders one chunk,
 * not 20,000 lines, and the text stays one `<pre>` (select, copy and find in page keep working).
 */
const CHUNK = 250;
/** Pod prefixes cycle through this many colours (theme.css: --log-pod-0 …). */
const POD_COLOURS = 6;

export interface LogViewOptions {
  timestamps: boolean;
  wrap: boolean;
  /** Case-insensitive text to highlight; '' for none. */
  search: string;
  /** Which match (0-based, in order) is the current one. */
  activeMatch: number;
}

export interface LogViewProps extends LogViewOptions {
  lines: readonly LogLine[];
  /** The absolute number of `lines[0]` (older lines were dropped). */
  firstLine: number;
  label: string;
  /** The pods of a workload, in the order their colours are given. */
  pods?: readonly string[];
}

/** Every match of `search` in the lines, in order: which line (index in `lines`) and where. */
export function findMatches(lines: readonly LogLine[], search: string): { line: number; start: number }[] {
  const matches: { line: number; start: number }[] = [];
  if (search === '') return matches;
  const needle = search.toLowerCase();
  lines.forEach((line, index) => {
    const text = line.text.toLowerCase();
    for (
      let start = text.indexOf(needle);
      start !== -1;
      start = text.indexOf(needle, start + needle.length)
    ) {
      matches.push({ line: index, start });
    }
  });
  return matches;
}

/**
 * Log lines that keep the newest in view while the reader is at the end; scrolling up stops that
 * (and offers a way back) so the text does not jump while someone reads. Matches of the search are
 * marked, the current one scrolled into view.
 */
export function LogView({ lines, firstLine, label, pods = [], ...options }: LogViewProps) {
  const view = useRef<HTMLElement>(null);
  const [following, setFollowing] = useState(true);
  const podColour = useMemo(() => new Map(pods.map((pod, index) => [pod, index % POD_COLOURS])), [pods]);
  const needle = options.search.toLowerCase();

  // biome-ignore lint/correctness/useExhaustiveDependencies: new lines are what makes it scroll.
  useLayoutEffect(() => {
    const element = view.current;
    if (following && options.search === '' && element !== null) element.scrollTop = element.scrollHeight;
  }, [lines.length, firstLine, following, options.search]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search or match moves the view.
  useLayoutEffect(() => {
    view.current?.querySelector('mark.log-match-active')?.scrollIntoView({ block: 'center' });
  }, [options.search, options.activeMatch]);

  // Matches are numbered across the whole buffer; each chunk needs the number of its first one.
  const chunks: { start: number; end: number; firstMatch: number }[] = [];
  let matchesSoFar = 0;
  const firstChunk = Math.floor(firstLine / CHUNK);
  for (let chunk = firstChunk; chunk * CHUNK < firstLine + lines.length; chunk++) {
    const start = Math.max(chunk * CHUNK, firstLine) - firstLine;
    const end = Math.min((chunk + 1) * CHUNK, firstLine + lines.length) - firstLine;
    chunks.push({ start, end, firstMatch: matchesSoFar });
    if (needle) matchesSoFar += findMatches(lines.slice(start, end), needle).length;
  }

  return (
    <div className="log-view">
      <section
        ref={view}
        className={options.wrap ? 'code-block log-lines log-wrap' : 'code-block log-lines'}
        aria-label={label}
        data-testid="log-view"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          setFollowing(element.scrollHeight - element.scrollTop - element.clientHeight <= AT_END_SLACK);
        }}
      >
        <pre>
          {chunks.map(({ start, end, firstMatch }) => (
            <LogChunk
              key={firstLine + start - ((firstLine + start) % CHUNK)}
              lines={lines}
              start={start}
              end={end}
              count={end - start}
              firstMatch={firstMatch}
              needle={needle}
              activeMatch={options.activeMatch}
              timestamps={options.timestamps}
              podColour={podColour}
            />
          ))}
        </pre>
      </section>
      {!following && options.search === '' && (
        <button type="button" className="log-view-resume" onClick={() => setFollowing(true)}>
          Jump to the latest lines
        </button>
      )}
    </div>
  );
}

interface LogChunkProps {
  lines: readonly LogLine[];
  start: number;
  end: number;
  /** Changes when lines were added to this chunk (the array itself is appended to in place). */
  count: number;
  firstMatch: number;
  needle: string;
  activeMatch: number;
  timestamps: boolean;
  podColour: ReadonlyMap<string, number>;
}

const LogChunk = memo(function LogChunk({
  lines,
  start,
  end,
  firstMatch,
  needle,
  activeMatch,
  timestamps,
  podColour,
}: LogChunkProps) {
  let match = firstMatch;
  const rendered = [];
  for (let index = start; index < end; index++) {
    const line = lines[index]!;
    let text: ReactNode[] = [line.text];
    if (needle) {
      text = [];
      const lower = line.text.toLowerCase();
      let from = 0;
      for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
        text.push(line.text.slice(from, at));
        text.push(
          <mark key={at} className={match === activeMatch ? 'log-match log-match-active' : 'log-match'}>
            {line.text.slice(at, at + needle.length)}
          </mark>,
        );
        match += 1;
        from = at + needle.length;
      }
      text.push(line.text.slice(from));
    }
    rendered.push(
      <span key={index} className="log-line">
        {timestamps && line.time !== '' && <span className="log-time">{line.time} </span>}
        {line.pod !== undefined && (
          <span className={`log-pod log-pod-${podColour.get(line.pod) ?? 0}`}>{line.pod} </span>
        )}
        {text}
        {'\n'}
      </span>,
    );
  }
  return rendered;
});
