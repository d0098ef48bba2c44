import { useEffect, useState } from 'react';

/** A button that copies `text` to the clipboard and says (politely, for screen readers too) that it did. */
export function CopyButton({
  text,
  label,
  accessibleName,
}: {
  text: string;
  label: string;
  accessibleName?: string;
}) {
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (outcome !== 'copied') return;
    const timer = setTimeout(() => setOutcome('idle'), 2500);
    return () => clearTimeout(timer);
  }, [outcome]);
  return (
    <span className="copy-button">
      <button
        type="button"
        aria-label={accessibleName}
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setOutcome('copied'),
            () => setOutcome('failed'),
          );
        }}
      >
        {label}
      </button>
      <span role="status" className={outcome === 'failed' ? 'copy-outcome form-error' : 'copy-outcome'}>
        {outcome === 'copied' && 'Copied'}
        {outcome === 'failed' && 'Copying was refused: select the text and copy it by hand'}
      </span>
    </span>
  );
}
