import type { ClusterStatus, ClusterView } from '@switchboard/contract/app';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { STATUS_LABELS, StatusBadge } from '../components/StatusBadge';
import { type Column, VirtualTable } from '../components/VirtualTable';
import { formatLastSeen } from '../format/durations';
import { useNow } from '../state/use-now';
import { useSlashShortcut } from '../state/use-slash-shortcut';

export interface ClusterListProps {
  clusters: readonly ClusterView[];
  onOpen(cluster: string): void;
}

type StatusFilter = ClusterStatus | 'all';

/** Every whitespace-separated term must appear in the name, description or a `key=value` label. */
function matchesSearch(cluster: ClusterView, search: string): boolean {
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

/** "prod-eu is now Offline" for each cluster whose status changed since the last list. */
function useStatusAnnouncement(clusters: readonly ClusterView[]): string {
  const previous = useRef<Map<string, ClusterStatus> | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    const before = previous.current;
    previous.current = new Map(clusters.map((cluster) => [cluster.name, cluster.status]));
    if (before === undefined) return;
    const changes = clusters
      .filter((cluster) => before.has(cluster.name) && before.get(cluster.name) !== cluster.status)
      .map((cluster) => `${cluster.name} is now ${STATUS_LABELS[cluster.status]}`);
    if (changes.length > 0) setAnnouncement(`${changes.join('. ')}.`);
  }, [clusters]);
  return announcement;
}

/**
 * The clusters the person can reach, with live status. Filter by status, search by name or label;
 * arrow keys move the selection, Enter (or double click, or the Browse button) opens a cluster,
 * and `/` jumps to the search field.
 */
export function ClusterList({ clusters, onOpen }: ClusterListProps) {
  const now = useNow(1000);
  const [search, setSearch] = useState('');
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all');
  const [selected, setSelected] = useState<string>();
  const searchField = useRef<HTMLInputElement>(null);
  const searchId = useId();
  const filterId = useId();
  useSlashShortcut(searchField);
  const announcement = useStatusAnnouncement(clusters);

  const shown = useMemo(
    () =>
      clusters
        .filter((cluster) => statusFilter === 'all' || cluster.status === statusFilter)
        .filter((cluster) => matchesSearch(cluster, search))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    [clusters, search, statusFilter],
  );

  const columns: Column<ClusterView>[] = [
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
      cell: (cluster) => <StatusBadge status={cluster.status} />,
    },
    {
      id: 'last-seen',
      header: 'Last seen',
      className: 'col-last-seen',
      width: 100,
      priority: 1,
      cell: (cluster) => (cluster.status === 'connected' ? 'now' : formatLastSeen(cluster.lastSeenAt, now)),
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
      cell: (cluster) => (
        <button
          type="button"
          aria-label={`Browse ${cluster.name}`}
          tabIndex={-1}
          onClick={() => onOpen(cluster.name)}
        >
          Browse
        </button>
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
            {(Object.keys(STATUS_LABELS) as ClusterStatus[]).map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
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
          'data-status': cluster.status,
        })}
        selectedKey={selected}
        onSelect={setSelected}
        onActivate={onOpen}
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
