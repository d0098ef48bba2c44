import { useLayoutEffect, useRef, useState } from 'react';

/** How close to the bottom (px) still counts as "at the end" and keeps auto-scroll on. */
const AT_END_SLACK = 8;

/**
 * Log text that keeps the newest line in view while the reader is at the end; scrolling up pauses
 * that (and offers a way back) so the text does not jump while someone reads.
 */
export function LogView({ text, label }: { text: string; label: string }) {
  const view = useRef<HTMLElement>(null);
  const [following, setFollowing] = useState(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: new text is what makes it scroll.
  useLayoutEffect(() => {
    const element = view.current;
    if (following && element !== null) element.scrollTop = element.scrollHeight;
  }, [text, following]);

  return (
    <div className="log-view">
      <section
        ref={view}
        className="code-block"
        aria-label={label}
        data-testid="log-view"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          setFollowing(element.scrollHeight - element.scrollTop - element.clientHeight <= AT_END_SLACK);
        }}
      >
        <pre>{text}</pre>
      </section>
      {!following && (
        <button type="button" className="log-view-resume" onClick={() => setFollowing(true)}>
          Jump to the latest lines
        </button>
      )}
    </div>
  );
}
