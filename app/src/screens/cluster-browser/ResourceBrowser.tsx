import type { ObjectLink, ResourceKindGroup, ResourceKindInfo, ResourceRow } from '@switchboard/contract/app';
import { type ReactNode, useId, useMemo, useRef, useState } from 'react';
import { type Column, VirtualTable } from '../../components/VirtualTable';
import type { BrowsePlace } from '../../routing/route';
import { useKindDiscovery } from '../../state/use-kind-discovery';
import { useNow } from '../../state/use-now';
import { useResourceWatch } from '../../state/use-resource-watch';
import { useSlashShortcut } from '../../state/use-slash-shortcut';
import { KindSidebar } from './KindSidebar';
import { kindLabel, objectWord, PODS } from './kinds';
import { ResourceDetails } from './ResourceDetails';
import { cellText, columnIndex, defaultSort, optionalColumns, tableColumns } from './table-columns';
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

/** Every whitespace-separated term must appear in the name, namespace or one of the cells. */
function searchFilter(search: string): (row: ResourceRow) => boolean {
  const terms = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return () => true;
  return (row) => {
    const haystack = [row.name, row.namespace ?? '', ...row.cells.map(cellText)].join('\n').toLowerCase();
    return terms.every((term) => haystack.includes(term));
  };
}

function findKind(
  groups: readonly ResourceKindGroup[] | undefined,
  id: string,
): ResourceKindInfo | undefined {
  for (const group of groups ?? []) {
    const kind = group.kinds.find((each) => each.id === id);
    if (kind) return kind;
  }
  return undefined;
}

export interface ResourceBrowserProps {
  cluster: string;
  /** Kind, namespace, search, selection, details and order: kept in the address (routing/route.ts). */
  place: BrowsePlace;
  /** `push` for what Back should undo (kind, namespace, opening details), `replace` for the rest. */
  onPlaceChange(place: BrowsePlace, how: 'push' | 'replace'): void;
  /** The cluster's agent is connected; when not, what is on screen stays, marked stale. */
  online: boolean;
  /** This cluster is the one on screen (others stay mounted, hidden). */
  shown: boolean;
}

/**
 * The browser for a cluster: the kinds it serves in a sidebar (as Lens groups them), a namespace
 * selector (all namespaces by default), search, a live virtualized table with the apiserver's
 * columns (sortable; kubectl's `-o wide` columns on request), and the selected object's details
 * below it. Through an outage everything stays where it was, dimmed and marked stale, and the
 * lists resume when it is over.
 */
export function ResourceBrowser({ cluster, place, onPlaceChange, online, shown }: ResourceBrowserProps) {
  const { kind: kindId, namespace, search, selected } = place;
  const opened = place.details ? selected : undefined;
  const change = (next: Partial<BrowsePlace>, how: 'push' | 'replace') => {
    const merged: BrowsePlace = { ...place, ...next };
    // An explicit undefined clears the field (exactOptionalPropertyTypes keeps them apart).
    for (const field of ['namespace', 'selected', 'sort'] as const) {
      if (field in next && next[field] === undefined) delete merged[field];
    }
    onPlaceChange(merged, how);
  };
  const discovery = useKindDiscovery(cluster, shown);
  const [optionalShown, setOptionalShown] = useState<ReadonlySet<string>>(new Set());
  const searchField = useRef<HTMLInputElement>(null);
  const searchId = useId();
  const namespaceId = useId();
  useSlashShortcut(searchField);
  const now = useNow(10_000);

  const kind = findKind(discovery.groups, kindId) ?? (kindId === PODS.id ? PODS : undefined);
  const clusterScoped = kind?.namespaced === false;
  const namespaces = useResourceWatch({ cluster, kind: 'namespaces' }, { online });
  const watch = useResourceWatch(
    {
      cluster,
      kind: kindId,
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
    const elsewhere = namespace !== undefined && link.namespace !== undefined && link.namespace !== namespace;
    change(
      {
        kind: link.kind,
        search: '',
        selected: `${link.namespace ?? ''}/${link.name}`,
        details: true,
        sort: undefined,
        ...(elsewhere && { namespace: link.namespace }),
      },
      'push',
    );
  };

  const chooseKind = (next: ResourceKindInfo) => {
    if (next.id === kindId) return;
    setOptionalShown(new Set());
    change({ kind: next.id, selected: undefined, details: false, sort: undefined }, 'push');
  };

  const showNamespace = !clusterScoped && namespace === undefined;
  const typeColumn = kindId === 'events' ? columnIndex(watch.columns, 'Type') : -1;
  const statusColumn = kindId === PODS.id ? columnIndex(watch.columns, 'Status') : -1;
  const columns = useMemo<Column<ResourceRow>[]>(
    () =>
      tableColumns(watch.columns, { showNamespace, optionalShown, now }).map((column) =>
        typeColumn !== -1 && column.header === 'Type'
          ? {
              ...column,
              cell: (row: ResourceRow): ReactNode => <EventType type={cellText(row.cells[typeColumn])} />,
            }
          : column,
      ),
    [watch.columns, showNamespace, optionalShown, now, typeColumn],
  );
  const sort = place.sort ?? defaultSort(kindId, watch.columns);
  const optional = optionalColumns(watch.columns);
  const label = kindLabel(kind ?? { id: kindId, plural: kindId });
  const one = objectWord(kind ?? { kind: kindId });
  return (
    <div className="resource-browser">
      <KindSidebar
        groups={discovery.groups}
        error={discovery.error}
        selected={kindId}
        onSelect={chooseKind}
      />
      <div className="resource-panel">
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
          {optional.length > 0 && (
            <details className="column-picker">
              <summary>Columns</summary>
              <fieldset>
                <legend className="visually-hidden">More columns for {label.toLowerCase()}</legend>
                {optional.map((column) => (
                  <label key={column.name} title={column.description}>
                    <input
                      type="checkbox"
                      checked={optionalShown.has(column.name)}
                      onChange={(event) => {
                        const show = event.currentTarget.checked;
                        setOptionalShown((current) => {
                          const next = new Set(current);
                          if (show) next.add(column.name);
                          else next.delete(column.name);
                          return next;
                        });
                      }}
                    />
                    {column.name}
                  </label>
                ))}
              </fieldset>
            </details>
          )}
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
              ...(statusColumn !== -1 && { 'data-phase': cellText(row.cells[statusColumn]) }),
              ...(typeColumn !== -1 && { 'data-type': cellText(row.cells[typeColumn]) }),
            })}
            rowClassName={(row) =>
              typeColumn !== -1 && row.cells[typeColumn] === 'Warning' ? 'row-warning' : undefined
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
            kind={kindId}
            objectWord={one}
            row={openedRow}
            columns={watch.columns}
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
