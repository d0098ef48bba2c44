import type { ClusterStatus } from '@switchboard/contract/app';

export const STATUS_LABELS: Record<ClusterStatus, string> = {
  connecting: 'Connecting',
  connected: 'Connected',
  offline: 'Offline',
  expired: 'Expired',
};

/** A cluster's connectivity status: its word, colour and shape (colour is never the only cue). */
export function StatusBadge({ status }: { status: ClusterStatus }) {
  return <span className={`status-badge status-${status}`}>{STATUS_LABELS[status]}</span>;
}
