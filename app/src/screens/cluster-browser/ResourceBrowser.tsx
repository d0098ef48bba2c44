import type { BrowsableKind, ObjectLink, ResourceRow } from '@switchboard/contract/app';
import { BROWSABLE_KINDS, RESOURCE_COLUMNS } from '@switchboard/contract/app';
import { type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import { type Column, VirtualTable } from '../../components/VirtualTable';
import { formatAge } from '../../format/durations';
import type { BrowsePlace } from '../../routing/route';
import { useNow } from '../../state/use-now';
import { useResourceWatch } from '../../state/use-resource-watch';
import { useSlashShortcut } from '../../state/use-slash-shortcut';
import {
  AGE_WIDTH,
  CLUSTER_SCOPED_KINDS,
  COLUMN_HEADERS,
  COLUMN_LAYOUT,
  DEFAULT_COLUMN_LAYOUT,
  DEFAULT_SORT,
  KINDS,
  NAME_MIN_WIDTH,
  NAMESPACE_WIDTH,
} from './kinds';
import { browsableKindOf } from './object-links';
import { ResourceDetails } from './ResourceDetails';
import { StaleNotice, WatchProblem } from './WatchProblem';

/** By namespace, then name; plain comparisons keep 10,000 rows cheap to sort. */
function byNamespaceAndName(a: ResourceRow, b: ResourceRow): number {
  const left = a.namespace ?? '';
  const right = b.namespace ?? '';
  if (left !== right) return left < right ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A row's key in the table and in the address: unique per kind, and readable in a URL. */
function rowKeyOf(row: ResourceRow): string {
  return `${row.namespace ?? ''}/${row.name}`;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Compares a kind-specific cell by the column's type; missing values sort first. */
function cellComparator(key: string, type: 'text' | 'number' | 'time') {
  const value = (row: ResourceRow) => row.cells[key] ?? '';
  if (type === 'number') return (a: ResourceRow, b: ResourceRow) => Number(value(a)) - Number(value(b));
  if (type === 'time')
    return (a: ResourceRow, b: ResourceRow) =>
      (Date.parse(String(value(a))) || 0) - (Date.parse(String(value(b))) || 0);
  return (a: ResourceRow, b: ResourceRow) => byText(String(value(a)), String(value(b)));
}

/** Every whitespace-separated term must appear in the name, namespace or one of the columns. */
function searchFilter(search: string): (row: ResourceRow) => boolean {
  const terms = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return () => true;
  return (row) => {
    const haystack = [row.name, row.namespace ?? '', ...Object.values(row.cells).map(String)]
      .join('\n')
      .toLowerCase();
    return terms.every((term) => haystack.includes(term));
  };
}

export interface ResourceBrowserProps {
  cluster: string;
  /** Kind, namespace, search, selection, details and order: kept in the address (routing/route.ts). */
  place: BrowsePlace;
  /** `push` for what Back should undo (kind, namespace, opening details), `replace` for the rest. */
  onPlaceChange(place: BrowsePlace, how: 'push' | 'replace'): void;
  /** The cluster's agent is connected; when not, what is on screen stays, marked stale. */
  online: boolean;
}

/**
 * The browser for a cluster: a kind per tab, a namespace selector (all namespaces by default),
 * search, a live virtualized table, and the selected object's details below it. Through an outage
 * everything stays where it was, dimmed and marked stale, and the lists resume when it is over.
 */
export function ResourceBrowser({ cluster, place, onPlaceChange, online }: ResourceBrowserProps) {
  const { kind, namespace, search, selected } = place;
  const opened = place.details ? selected : undefined;
  const change = (next: Partial<BrowsePlace>, how: 'push' | 'replace') => {
    const merged: BrowsePlace = { ...place, ...next };
    // An explicit undefined clears the field (exactOptionalPropertyTypes keeps them apart).
    for (const field of ['namespace', 'selected', 'sort'] as const) {
      if (field in next && next[field] === undefined) delete merged[field];
    }
    onPlaceChange(merged, how);
  };
  const searchField = useRef<HTMLInputElement>(null);
  const tabs = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const searchId = useId();
  const namespaceId = useId();
  useSlashShortcut(searchField);
  const now = useNow(10_000);

  const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
  const namespaces = useResourceWatch({ cluster, kind: 'namespaces' }, { online });
  const watch = useResourceWatch(
    {
      cluster,
      kind,
      ...(!clusterScoped && namespace !== undefined && { namespace }),
    },
    { online },
  );
  const stale = !online || watch.phase === 'failed';
  // The list was current until the cluster went (the status arrives before the watch notices).
  const [offlineSince, setOfflineSince] = useState<number>();
  if (!online && offlineSince === undefined) setOfflineSince(Date.now());
  if (online && offlineSince !== undefined) setOfflineSince(undefined);

  const rows = useMemo(
    () => watch.rows.filter(searchFilter(search)).sort(byNamespaceAndName),
    [watch.rows, search],
  );
  // Someone who may not list namespaces still gets to pick among those their rows live in.
  const namespaceRows =
    namespaces.phase === 'failed' && namespaces.rows.length === 0 ? watch.rows : undefined;
  const namespaceNames = useMemo(() => {
    const names = new Set(
      namespaceRows === undefined
        ? namespaces.rows.map((row) => row.name)
        : namespaceRows.flatMap((row) => (row.namespace === undefined ? [] : [row.namespace])),
    );
    if (namespace !== undefined) names.add(namespace);
    return [...names].sort();
  }, [namespaces.rows, namespaceRows, namespace]);
  const openedRow = opened === undefined ? undefined : watch.rows.find((row) => rowKeyOf(row) === opened);

  // A link from the details (an owner, a workload's pod) is a place: its kind, its row, its details.
  const openLinked = (link: ObjectLink) => {
    const next = browsableKindOf(link);
    if (next === undefined) return;
    const elsewhere = namespace !== undefined && link.namespace !== undefined && link.namespace !== namespace;
    change(
      {
        kind: next,
        search: '',
        selected: `${link.namespace ?? ''}/${link.name}`,
        details: true,
        sort: undefined,
        ...(elsewhere && { namespace: link.namespace }),
      },
      'push',
    );
  };

  const chooseKind = (next: BrowsableKind) => {
    if (next !== kind) change({ kind: next, selected: undefined, details: false, sort: undefined }, 'push');
  };
  const onTabKeyDown = (event: KeyboardEvent) => {
    const index = BROWSABLE_KINDS.indexOf(kind);
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    const target =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? BROWSABLE_KINDS.length - 1
          : step === undefined
            ? undefined
            : (index + step + BROWSABLE_KINDS.length) % BROWSABLE_KINDS.length;
    const next = target === undefined ? undefined : BROWSABLE_KINDS[target];
    if (next === undefined) return;
    event.preventDefault();
    chooseKind(next);
    tabs.current?.querySelector<HTMLElement>(`[data-kind="${next}"]`)?.focus();
  };

  const columns = useMemo<Column<ResourceRow>[]>(
    () => [
      {
        id: 'name',
        header: 'Name',
        className: 'col-name',
        minWidth: NAME_MIN_WIDTH,
        cell: (row) => row.name,
        compare: (a, b) => byText(a.name, b.name),
      },
      ...(clusterScoped || namespace !== undefined
        ? []
        : [
            {
              id: 'namespace',
              header: 'Namespace',
              className: 'col-namespace',
              width: NAMESPACE_WIDTH,
              priority: 2,
              cell: (row: ResourceRow) => row.namespace ?? '',
              compare: byNamespaceAndName,
            },
          ]),
      ...RESOURCE_COLUMNS[kind].map((key): Column<ResourceRow> => {
        const layout = COLUMN_LAYOUT[key] ?? DEFAULT_COLUMN_LAYOUT;
        return {
          id: key,
          header: COLUMN_HEADERS[key] ?? key,
          className: `col-${key}`,
          ...(layout.width !== undefined && { width: layout.width }),
          ...(layout.minWidth !== undefined && { minWidth: layout.minWidth }),
          priority: layout.priority,
          cell:
            layout.type === 'time'
              ? (row) => formatAge(String(row.cells[key] ?? ''), now)
              : kind === 'events' && key === 'type'
                ? (row) => <EventType type={String(row.cells[key] ?? '')} />
                : (row) => row.cells[key] ?? '',
          compare: cellComparator(key, layout.type),
        };
      }),
      {
        id: 'age',
        header: 'Age',
        className: 'col-age',
        width: AGE_WIDTH,
        priority: 2,
        cell: (row) => formatAge(row.createdAt, now),
        // Older first, as the other columns ascend: the longest-running at the top.
        compare: (a, b) => byText(a.createdAt, b.createdAt),
      },
    ],
    [kind, clusterScoped, namespace, now],
  );
  const sort = place.sort ?? DEFAULT_SORT[kind];

  const { label, one } = KINDS[kind];
  return (
    <div className="resource-browser">
      <nav className="kind-nav" aria-label="Resource kinds">
        <div
          ref={tabs}
          role="tablist"
          aria-orientation="vertical"
          aria-label="Resource kinds"
          onKeyDown={onTabKeyDown}
        >
          {BROWSABLE_KINDS.map((each) => (
            <button
              key={each}
              type="button"
              role="tab"
              id={`${panelId}-tab-${each}`}
              data-kind={each}
              aria-selected={each === kind}
              aria-controls={panelId}
              tabIndex={each === kind ? 0 : -1}
              onClick={() => chooseKind(each)}
            >
              {KINDS[each].label}
            </button>
          ))}
        </div>
      </nav>
      <div className="resource-panel" role="tabpanel" id={panelId} aria-labelledby={`${panelId}-tab-${kind}`}>
        <search className="toolbar" aria-label={`Filter ${label.toLowerCase()}`}>
          <div className="field field-inline">
            <label htmlFor={namespaceId}>Namespace</label>
            <select
              id={namespaceId}
              value={namespace ?? ''}
              disabled={clusterScoped}
              onChange={(event) =>
                change(
                  {
                    namespace: event.currentTarget.value === '' ? undefined : event.currentTarget.value,
                    selected: undefined,
                    details: false,
                  },
                  'push',
                )
              }
            >
              <option value="">All namespaces</option>
              {namespaceNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-inline">
            <label htmlFor={searchId}>Search</label>
            <input
              id={searchId}
              ref={searchField}
              type="search"
              placeholder={`Search ${label.toLowerCase()} (press /)`}
              value={search}
              onChange={(event) => change({ search: event.currentTarget.value }, 'replace')}
            />
          </div>
          <p className="muted resource-count" data-testid="resource-count">
            {watch.phase === 'loading'
              ? 'Loading…'
              : watch.phase === 'failed' && watch.rows.length === 0
                ? 'Not loaded'
                : rows.length === watch.rows.length
                  ? `${rows.length.toLocaleString()} ${label.toLowerCase()}`
                  : `${rows.length.toLocaleString()} of ${watch.rows.length.toLocaleString()} ${label.toLowerCase()}`}
          </p>
        </search>
        {!online ? (
          <StaleNotice cluster={cluster} since={watch.staleSince ?? offlineSince} />
        ) : (
          watch.phase === 'failed' &&
          watch.error !== undefined && (
            <WatchProblem
              error={watch.error}
              retryAt={watch.retryAt}
              staleSince={watch.rows.length > 0 ? watch.staleSince : undefined}
              onRetryNow={watch.retryNow}
            />
          )
        )}
        {/* Never an empty list under an error: "No pods here" would be a claim nobody checked. */}
        {!(watch.phase === 'failed' && watch.rows.length === 0) && (
          <VirtualTable
            label={`${label} in ${cluster}`}
            rows={rows}
            columns={columns}
            rowKey={rowKeyOf}
            rowData={(row) => ({
              'data-testid': `${one}-row-${row.name}`,
              ...(row.namespace !== undefined && { 'data-namespace': row.namespace }),
              ...(kind === 'pods' && { 'data-phase': String(row.cells.phase ?? '') }),
              ...(kind === 'events' && { 'data-type': String(row.cells.type ?? '') }),
            })}
            rowClassName={(row) =>
              kind === 'events' && row.cells.type === 'Warning' ? 'row-warning' : undefined
            }
            selectedKey={selected}
            onSelect={(key) => change({ selected: key }, 'replace')}
            onActivate={(key) => change({ selected: key, details: true }, 'push')}
            activateOnClick
            sort={sort}
            onSortChange={(next) => change({ sort: next }, 'replace')}
            stale={stale}
            emptyMessage={
              watch.phase === 'loading'
                ? `Loading ${label.toLowerCase()}…`
                : `No ${label.toLowerCase()} here.`
            }
          />
        )}
        {openedRow !== undefined && (
          <ResourceDetails
            key={openedRow.uid}
            cluster={cluster}
            kind={kind}
            row={openedRow}
            onClose={() => change({ details: false }, 'push')}
            onOpenObject={openLinked}
          />
        )}
      </div>
    </div>
  );
}

/** An event's type; a Warning carries an icon so it stands out without relying on colour. */
function EventType({ type }: { type: string }) {
  if (type !== 'Warning') return type;
  return (
    <span className="event-warning">
      <span aria-hidden="true">⚠ </span>
      {type}
    </span>
  );
}
