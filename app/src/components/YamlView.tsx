import { CopyButton } from './CopyButton';

/** An object's YAML, read-only, monospace, scrollable by keyboard, with a copy button. */
export function YamlView({ yaml, objectLabel }: { yaml: string; objectLabel: string }) {
  return (
    <div className="yaml-view">
      <div className="panel-toolbar">
        <CopyButton text={yaml} label="Copy YAML" />
      </div>
      <section
        className="code-block"
        aria-label={`YAML of ${objectLabel}`}
        data-testid="yaml-view"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        tabIndex={0}
      >
        <pre>{yaml}</pre>
      </section>
    </div>
  );
}
