import type { ClusterPresence } from '@switchboard/contract/app';

export const PRESENCE_LABELS: Record<ClusterPresence, string> = {
  connected: 'Connected',
  offline: 'Offline',
  'not-joined': 'Not joined',
  expired: 'Expired',
  unknown: 'Unknown',
};

/** What each presence means for the person, for the badge's tooltip. */
const PRESENCE_HINTS: Record<ClusterPresence, string> = {
  connected: 'The agent is connected: kubectl requests go through.',
  offline: 'The agent is not connected: kubectl is told the cluster is offline.',
  'not-joined': 'The agent never joined: kubectl is told the cluster is offline.',
  expired: 'The agent’s credential expired: it needs a new join token.',
  unknown: 'The relay cannot be heard now: this is its last word, and may be out of date.',
};

/** Presences that mean kubectl fails for the cluster: drawn as a problem, with a warning icon. */
const PROBLEMS: ReadonlySet<ClusterPresence> = new Set(['offline', 'not-joined', 'expired']);

/**
 * A cluster's presence for this user now: its word, colour and a shape (colour is never the only
 * cue). Problems carry a warning triangle; an unknown status a question mark.
 */
export function StatusBadge({ presence }: { presence: ClusterPresence }) {
  return (
    <span
      className={`status-badge status-${presence}${PROBLEMS.has(presence) ? ' status-problem' : ''}`}
      title={PRESENCE_HINTS[presence]}
    >
      <StatusIcon presence={presence} />
      {PRESENCE_LABELS[presence]}
    </span>
  );
}

function StatusIcon({ presence }: { presence: ClusterPresence }) {
  if (PROBLEMS.has(presence)) {
    return (
      <svg className="status-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path
          d="M8 1.5 15 14H1z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinejoin="round"
        />
        <path d="M8 6v3.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        <circle cx="8" cy="11.8" r="1" fill="currentColor" />
      </svg>
    );
  }
  if (presence === 'unknown') {
    return (
      <svg className="status-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <circle
          cx="8"
          cy="8"
          r="6.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeDasharray="2.5 1.6"
        />
        <path
          d="M6.2 6.3a1.9 1.9 0 1 1 2.6 1.7c-.5.2-.8.6-.8 1.1v.4"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
        />
        <circle cx="8" cy="11.6" r=".9" fill="currentColor" />
      </svg>
    );
  }
  return <span className="status-dot" aria-hidden="true" />;
}
