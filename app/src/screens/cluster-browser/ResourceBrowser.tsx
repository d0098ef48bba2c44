import type { ResourceKindGroup, ResourceKindInfo, ResourceRow } from '@switchboard/contract/app';
import { useId, useMemo, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { VirtualTable } from '../../components/VirtualTable';
import { useKindDiscovery } from '../../state/use-kind-discovery';
import { useNow } from '../../state/use-now';
import { useResourceWatch } from '../../state/use-resource-watch';
import { useSlashShortcut } from '../../state/use-slash-shortcut';
import { KindSidebar } from './KindSidebar';
import { kindLabel, objectWord, PODS } from './kinds';
import { ResourceDetails } from './ResourceDetails';
import { cellText, columnIndex, optionalColumns, tableColumns } from './table-columns';

/** By namespace, then name; plain comparisons keep 10,000 rows cheap to sort. */
function byNamespaceAndName(a: ResourceRow, b: ResourceRow): number {
  const left = a.namespace ?? '';
  const right = b.namespace ?? '';
  if (left !== right) return left < right ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
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

type Sort = { columnId: string; direction: 'ascending' | 'descending' };

/**
 * The browser for a connected cluster: the kinds it serves in a sidebar, a namespace selector
 * (all namespaces by default), search, a live virtualized table with the apiserver's columns
 * (sortable; kubectl's `-o wide` columns on request), and the selected object's details below it.
 */
export function ResourceBrowser({ cluster }: { cluster: string }) {
  const discovery = useKindDiscovery(cluster);
  const [kindId, setKindId] = useState(PODS.id);
  const [sort, setSort] = useState<Sort>();
  const [optionalShown, setOptionalShown] = useState<ReadonlySet<string>>(new Set());
  const [namespace, setNamespace] = useState<string>();
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string>();
  const [opened, setOpened] = useState<string>();
  const searchField = useRef<HTMLInputElement>(null);
  const searchId = useId();
  const namespaceId = useId();
  useSlashShortcut(searchField);
  const now = useNow(10_000);

  const kind = findKind(discovery.groups, kindId) ?? (kindId === PODS.id ? PODS : undefined);
  const clusterScoped = kind?.namespaced === false;
  const namespaces = useResourceWatch({ cluster, kind: 'namespaces' });
  const watch = useResourceWatch({
    cluster,
    kind: kindId,
    ...(!clusterScoped && namespace !== undefined && { namespace }),
  });

  // Sorting looks only at the comparison, which does not change with the clock: ticks do not re-sort.
  const showNamespace = !clusterScoped && namespace === undefined;
  const sortColumn = useMemo(
    () =>
      sort === undefined
        ? undefined
        : tableColumns(watch.columns, { showNamespace, optionalShown, now: 0 }).find(
            (column) => column.id === sort.columnId,
          ),
    [watch.columns, showNamespace, optionalShown, sort],
  );
  const columns = tableColumns(watch.columns, { showNamespace, optionalShown, now });
  const rows = useMemo(() => {
    const found = watch.rows.filter(searchFilter(search));
    if (sortColumn === undefined) return found.sort(byNamespaceAndName);
    const sign = sort?.direction === 'descending' ? -1 : 1;
    return found.sort((a, b) => sign * sortColumn.compare(a, b) || byNamespaceAndName(a, b));
  }, [watch.rows, search, sortColumn, sort?.direction]);
  // Someone who may not list namespaces still gets to pick among those their rows live in.
  const namespaceRows = namespaces.phase === 'failed' ? watch.rows : undefined;
  const namespaceNames = useMemo(() => {
    const names = new Set(
      namespaceRows === undefined
        ? namespaces.rows.map((row) => row.name)
        : namespaceRows.flatMap((row) => (row.namespace === undefined ? [] : [row.namespace])),
    );
    if (namespace !== undefined) names.add(namespace);
    return [...names].sort();
  }, [namespaces.rows, namespaceRows, namespace]);
  const openedRow = opened === undefined ? undefined : watch.rows.find((row) => row.uid === opened);

  const chooseKind = (next: ResourceKindInfo) => {
    if (next.id === kindId) return;
    setKindId(next.id);
    setSort(undefined);
    setOptionalShown(new Set());
    setSelected(undefined);
    setOpened(undefined);
  };
  const sortBy = (columnId: string) =>
    setSort((current) =>
      current?.columnId === columnId && current.direction === 'ascending'
        ? { columnId, direction: 'descending' }
        : { columnId, direction: 'ascending' },
    );
  const statusColumn = kindId === PODS.id ? columnIndex(watch.columns, 'Status') : -1;
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
              onChange={(event) => {
                setNamespace(event.currentTarget.value === '' ? undefined : event.currentTarget.value);
                setSelected(undefined);
                setOpened(undefined);
              }}
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
              onChange={(event) => setSearch(event.currentTarget.value)}
            />
          </div>
          <p className="muted resource-count" data-testid="resource-count">
            {watch.phase === 'loading'
              ? 'Loading…'
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
        {watch.error !== undefined && (
          <p className="form-error" role="alert">
            <ErrorMessage error={watch.error} />
          </p>
        )}
        <VirtualTable
          label={`${label} in ${cluster}`}
          rows={rows}
          columns={columns}
          rowKey={(row) => row.uid}
          sort={sort}
          onSort={sortBy}
          rowData={(row) => ({
            'data-testid': `${one}-row-${row.name}`,
            ...(row.namespace !== undefined && { 'data-namespace': row.namespace }),
            ...(statusColumn !== -1 && { 'data-phase': cellText(row.cells[statusColumn]) }),
          })}
          selectedKey={selected}
          onSelect={setSelected}
          onActivate={setOpened}
          activateOnClick
          emptyMessage={
            watch.phase === 'loading' ? `Loading ${label.toLowerCase()}…` : `No ${label.toLowerCase()} here.`
          }
        />
        {openedRow !== undefined && (
          <ResourceDetails
            key={openedRow.uid}
            cluster={cluster}
            kind={kindId}
            objectWord={one}
            row={openedRow}
            onClose={() => setOpened(undefined)}
          />
        )}
      </div>
    </div>
  );
}
