import type {
  AppClusterView,
  ClusterPresence,
  ClusterStatus,
  RelayReach,
  RelayReachState,
} from '@switchboard/contract/app';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { PRESENCE_LABELS, StatusBadge } from '../components/StatusBadge';
import { type Column, VirtualTable } from '../components/VirtualTable';
import { formatLastSeen } from '../format/durations';
import { useNow } from '../state/use-now';
import { useSlashShortcut } from '../state/use-slash-shortcut';

export interface ClusterListProps {
  clusters: readonly AppClusterView[];
  /** Whether the relay's statuses reach the person now; when not, the list says since when. */
  reach: RelayReach;
  onOpen(cluster: string): void;
}

type StatusFilter = ClusterPresence | 'all';

/** The relay's own words for a status, for "was Connected" while its status cannot be heard. */
const RELAY_STATUS_WORDS: Record<ClusterStatus, string> = {
  connecting: 'never joined',
  connected: 'Connected',
  offline: 'Offline',
  expired: 'Expired',
};

/** Every whitespace-separated term must appear in the name, description or a `key=value` label. */
function matchesSearch(cluster: AppClusterView, search: string): boolean {
  const terms = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const haystack = [
    cluster.name,
    cluster.description,
    ...Object.entries(cluster.labels).map(([key, value]) => `${key}=${value}`),
  ]
    .join('\n')
    .toLowerCase();
  return terms.every((term) => haystack.includes(term));
}

/** Reaches in which no status is current: every row turns Unknown at once. */
const BLIND_REACHES: ReadonlySet<RelayReachState> = new Set(['relay-unreachable', 'sign-in-expired']);

/**
 * "prod-eu is now Offline" for each cluster whose presence changed since the last list; when the
 * relay goes silent or answers again, which changes every row at once, one sentence says so instead.
 */
function useStatusAnnouncement(clusters: readonly AppClusterView[], reach: RelayReachState): string {
  const previous = useRef<{ presences: Map<string, ClusterPresence>; reach: RelayReachState } | undefined>(
    undefined,
  );
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    const before = previous.current;
    previous.current = {
      presences: new Map(clusters.map((cluster) => [cluster.name, cluster.presence])),
      reach,
    };
    if (before === undefined) return;
    if (before.reach !== reach && (BLIND_REACHES.has(reach) || BLIND_REACHES.has(before.reach))) {
      setAnnouncement(
        BLIND_REACHES.has(reach)
          ? 'Cluster statuses are unknown: the relay cannot be heard.'
          : 'Cluster statuses are current again.',
      );
      return;
    }
    const changes = clusters
      .filter(
        (cluster) =>
          before.presences.has(cluster.name) && before.presences.get(cluster.name) !== cluster.presence,
      )
      .map((cluster) => `${cluster.name} is now ${PRESENCE_LABELS[cluster.presence]}`);
    if (changes.length > 0) setAnnouncement(`${changes.join('. ')}.`);
  }, [clusters, reach]);
  return announcement;
}

/**
 * Since when the statuses shown are the relay's last word (the banner above says why, and what it
 * means for kubectl), or nothing while they are live.
 */
function reachNote(reach: RelayReach, now: number): string | undefined {
  const confirmed =
    reach.confirmedAt === undefined
      ? ''
      : ` (statuses last confirmed ${formatLastSeen(reach.confirmedAt, now)})`;
  switch (reach.state) {
    case 'relay-unreachable':
      return `Statuses are unknown while the relay is unreachable${confirmed}.`;
    case 'sign-in-expired':
      return `Statuses are unknown until you sign in again${confirmed}.`;
    default:
      return undefined;
  }
}

/**
 * The "Last seen" cell, short enough for the column (the tooltip has the whole of it): now, when,
 * never, or the relay's last word while it cannot be heard.
 */
function lastSeenCell(
  cluster: AppClusterView,
  reach: RelayReach,
  now: number,
): { text: string; title: string } {
  switch (cluster.presence) {
    case 'connected':
      return { text: 'now', title: 'Connected now' };
    case 'not-joined':
      return { text: 'never', title: 'The agent never joined' };
    case 'unknown': {
      const was = `was ${RELAY_STATUS_WORDS[cluster.status]}`;
      return { text: was, title: `${was}, last confirmed ${formatLastSeen(reach.confirmedAt ?? null, now)}` };
    }
    default: {
      const text = formatLastSeen(cluster.lastSeenAt, now);
      return { text, title: `Last seen ${text}` };
    }
  }
}

/**
 * The clusters the person can reach, with live status. Filter by status, search by name or label;
 * arrow keys move the selection, Enter (or double click, or the Browse button) opens a cluster,
 * and `/` jumps to the search field.
 */
export function ClusterList({ clusters, reach, onOpen }: ClusterListProps) {
  const now = useNow(1000);
  const [search, setSearch] = useState('');
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all');
  const [selected, setSelected] = useState<string>();
  const searchField = useRef<HTMLInputElement>(null);
  const searchId = useId();
  const filterId = useId();
  useSlashShortcut(searchField);
  const announcement = useStatusAnnouncement(clusters, reach.state);

  const shown = useMemo(
    () =>
      clusters
        .filter((cluster) => statusFilter === 'all' || cluster.presence === statusFilter)
        .filter((cluster) => matchesSearch(cluster, search))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    [clusters, search, statusFilter],
  );

  const mayOpen = new Set(clusters.filter((cluster) => cluster.mayOpen).map((cluster) => cluster.name));
  const openIfAllowed = (name: string) => {
    if (mayOpen.has(name)) onOpen(name);
  };
  const note = reachNote(reach, now);

  const columns: Column<AppClusterView>[] = [
    {
      id: 'name',
      header: 'Name',
      className: 'col-cluster-name',
      minWidth: 160,
      cell: (cluster) => (
        <span className="cluster-name">
          <span>{cluster.name}</span>
          {cluster.description !== '' && (
            <span className="muted cluster-description">{cluster.description}</span>
          )}
        </span>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      className: 'col-status',
      width: 136,
      cell: (cluster) => <StatusBadge presence={cluster.presence} />,
    },
    {
      id: 'last-seen',
      header: 'Last seen',
      className: 'col-last-seen',
      width: 150,
      priority: 1,
      cell: (cluster) => {
        const { text, title } = lastSeenCell(cluster, reach, now);
        return <span title={title}>{text}</span>;
      },
    },
    {
      id: 'kubernetes',
      header: 'Kubernetes',
      className: 'col-version',
      width: 104,
      priority: 3,
      cell: (cluster) => cluster.metadata?.kubernetesVersion ?? '—',
    },
    {
      id: 'nodes',
      header: 'Nodes',
      className: 'col-number',
      width: 72,
      priority: 3,
      cell: (cluster) => cluster.metadata?.nodeCount ?? '—',
    },
    {
      id: 'agent',
      header: 'Agent',
      className: 'col-agent',
      width: 120,
      priority: 2,
      cell: (cluster) => (
        <span className="cluster-agent">
          <span>{cluster.metadata?.agentVersion ?? '—'}</span>
          {cluster.upgradeAvailable && (
            <span className="tag tag-upgrade" title={`Recommended: ${cluster.recommendedAgentVersion}`}>
              Upgrade available
            </span>
          )}
        </span>
      ),
    },
    {
      id: 'labels',
      header: 'Labels',
      className: 'col-labels',
      minWidth: 100,
      priority: 4,
      cell: (cluster) => {
        const labels = Object.entries(cluster.labels).map(([key, value]) => `${key}=${value}`);
        return (
          <span title={labels.join(', ')}>
            {labels.map((label) => (
              <span key={label} className="tag">
                {label}
              </span>
            ))}
          </span>
        );
      },
    },
    {
      id: 'actions',
      header: 'Actions',
      className: 'col-actions',
      width: 96,
      cell: (cluster) =>
        cluster.mayOpen ? (
          <button
            type="button"
            aria-label={`Browse ${cluster.name}`}
            tabIndex={-1}
            onClick={() => onOpen(cluster.name)}
          >
            Browse
          </button>
        ) : (
          <span
            className="muted no-access"
            data-testid={`no-access-${cluster.name}`}
            title="You see this cluster as a relay administrator but hold no grant on it: grant yourself the connect role to open it."
          >
            No access
          </span>
        ),
    },
  ];

  return (
    <section className="cluster-list" aria-labelledby="clusters-heading">
      <div className="section-heading">
        <h2 id="clusters-heading">Clusters</h2>
        <p className="muted" aria-live="polite">
          {shown.length === clusters.length
            ? `${clusters.length} ${clusters.length === 1 ? 'cluster' : 'clusters'}`
            : `${shown.length} of ${clusters.length} clusters`}
        </p>
      </div>
      {note !== undefined && (
        <p className="reach-note" data-testid="reach-note" data-reach={reach.state}>
          {note}
        </p>
      )}
      <search className="toolbar" aria-label="Filter clusters">
        <div className="field field-inline">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            ref={searchField}
            type="search"
            placeholder="Name or label (press /)"
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor={filterId}>Status</label>
          <select
            id={filterId}
            value={statusFilter}
            onChange={(event) => setStatusFilter(event.currentTarget.value as StatusFilter)}
          >
            <option value="all">All statuses</option>
            {(Object.keys(PRESENCE_LABELS) as ClusterPresence[]).map((presence) => (
              <option key={presence} value={presence}>
                {PRESENCE_LABELS[presence]}
              </option>
            ))}
          </select>
        </div>
      </search>
      <VirtualTable
        label="Clusters"
        rows={shown}
        columns={columns}
        rowKey={(cluster) => cluster.name}
        rowData={(cluster) => ({
          'data-testid': `cluster-row-${cluster.name}`,
          'data-status': cluster.presence,
          'data-may-open': String(cluster.mayOpen),
        })}
        selectedKey={selected}
        onSelect={setSelected}
        onActivate={openIfAllowed}
        emptyMessage={
          clusters.length === 0
            ? 'No clusters yet. An administrator of the relay registers clusters and grants you access.'
            : 'No clusters match the search and status filter.'
        }
        overscan={40}
      />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </section>
  );
}
