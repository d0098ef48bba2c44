import { useEffect, useId, useRef } from 'react';

export interface YamlEditorProps {
  value: string;
  onChange(value: string): void;
  /** The accessible name of the text area. */
  label: string;
  /** A 1-based line to mark and move the cursor to (a parse error's line). */
  errorLine?: number | undefined;
  disabled?: boolean;
}

/**
 * A plain monospace text area with a line-number gutter that scrolls with it: enough to edit an
 * object's YAML without a code editor's weight in the bundle. Tab inserts two spaces (YAML indents
 * with spaces); Escape then Tab leaves the field, as in other editors that keep Tab.
 */
export function YamlEditor({ value, onChange, label, errorLine, disabled = false }: YamlEditorProps) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);
  const tabLeaves = useRef(false);
  const hintId = useId();
  const lineCount = value.split('\n').length;

  useEffect(() => {
    const element = area.current;
    if (element === null || errorLine === undefined) return;
    const lines = element.value.split('\n');
    const offset = lines.slice(0, errorLine - 1).reduce((sum, line) => sum + line.length + 1, 0);
    element.focus();
    element.setSelectionRange(offset, offset + (lines[errorLine - 1]?.length ?? 0));
  }, [errorLine]);

  return (
    <div className="yaml-editor">
      <pre ref={gutter} className="yaml-editor-gutter" aria-hidden="true">
        {Array.from({ length: lineCount }, (_, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a line number is a position.
          <span key={index} className={index + 1 === errorLine ? 'gutter-error' : undefined}>
            {index + 1}
            {'\n'}
          </span>
        ))}
      </pre>
      <textarea
        ref={area}
        aria-label={label}
        aria-describedby={hintId}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.currentTarget.value)}
        onScroll={(event) => {
          if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            tabLeaves.current = true;
            return;
          }
          if (event.key !== 'Tab' || event.shiftKey || tabLeaves.current) {
            tabLeaves.current = false;
            return;
          }
          event.preventDefault();
          const element = event.currentTarget;
          const { selectionStart, selectionEnd } = element;
          const next = `${element.value.slice(0, selectionStart)}  ${element.value.slice(selectionEnd)}`;
          onChange(next);
          requestAnimationFrame(() => element.setSelectionRange(selectionStart + 2, selectionStart + 2));
        }}
      />
      <p id={hintId} className="visually-hidden">
        Tab indents; press Escape, then Tab, to leave the editor.
      </p>
    </div>
  );
}
