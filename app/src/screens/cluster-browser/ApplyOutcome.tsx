import type { ApplyResult } from '@switchboard/contract/app';

export interface ApplyOutcomeProps {
  outcome: ApplyResult;
  pending: boolean;
  onForce(): void;
  onReload(): void;
}

/** What an apply did: applied (and how), or what stands in the way and the two ways past it. */
export function ApplyOutcome({ outcome, pending, onForce, onReload }: ApplyOutcomeProps) {
  switch (outcome.outcome) {
    case 'applied':
      return (
        <p role="status" className="notice" data-testid="apply-outcome" data-outcome="applied">
          {outcome.method === 'server-side-apply'
            ? 'Applied (server-side apply, as field manager “switchboard”).'
            : 'Applied with a JSON merge patch: this cluster does not support server-side apply.'}
        </p>
      );
    case 'conflict':
      return (
        <div role="alert" className="banner banner-error" data-testid="apply-outcome" data-outcome="conflict">
          <p>
            <strong>Not applied: other field managers own fields you changed.</strong> Apply anyway to take
            them over (they may change them back), or reload to see their values.
          </p>
          <ul className="plain-list conflict-list">
            {outcome.conflicts.map((conflict) => (
              <li key={`${conflict.manager}/${conflict.field}`}>
                <code>{conflict.field}</code> is managed by <strong>{conflict.manager}</strong>
              </li>
            ))}
          </ul>
          <div className="banner-actions">
            <button type="button" className="button-danger" onClick={onForce} disabled={pending}>
              Apply anyway (force)
            </button>
            <button type="button" onClick={onReload} disabled={pending}>
              Reload
            </button>
          </div>
        </div>
      );
    case 'stale':
      return (
        <div role="alert" className="banner banner-error" data-testid="apply-outcome" data-outcome="stale">
          <p>
            <strong>Not applied.</strong> {outcome.message}
          </p>
          <div className="banner-actions">
            <button type="button" onClick={onReload} disabled={pending}>
              Reload
            </button>
          </div>
        </div>
      );
    case 'invalid':
      return (
        <p role="alert" className="form-error" data-testid="apply-outcome" data-outcome="invalid">
          <strong>Not applied.</strong> {outcome.message}
        </p>
      );
  }
}
