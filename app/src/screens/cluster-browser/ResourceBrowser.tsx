import type { BrowsableKind, ObjectLink, ResourceRow } from '@switchboard/contract/app';
import { BROWSABLE_KINDS, RESOURCE_COLUMNS } from '@switchboard/contract/app';
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { type Column, VirtualTable } from '../../components/VirtualTable';
import { formatAge } from '../../format/durations';
import { useNow } from '../../state/use-now';
import { useResourceWatch } from '../../state/use-resource-watch';
import { useSlashShortcut } from '../../state/use-slash-shortcut';
import { CLUSTER_SCOPED_KINDS, COLUMN_HEADERS, KINDS } from './kinds';
import { browsableKindOf } from './object-links';
import { ResourceDetails } from './ResourceDetails';

/** By namespace, then name; plain comparisons keep 10,000 rows cheap to sort. */
function byNamespaceAndName(a: ResourceRow, b: ResourceRow): number {
  const left = a.namespace ?? '';
  const right = b.namespace ?? '';
  if (left !== right) return left < right ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
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

/**
 * The browser for a connected cluster: a kind per tab, a namespace selector (all namespaces by
 * default), search, a live virtualized table, and the selected object's details below it.
 */
export function ResourceBrowser({ cluster }: { cluster: string }) {
  const [kind, setKind] = useState<BrowsableKind>('pods');
  const [namespace, setNamespace] = useState<string>();
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string>();
  const [opened, setOpened] = useState<string>();
  const searchField = useRef<HTMLInputElement>(null);
  const tabs = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const searchId = useId();
  const namespaceId = useId();
  useSlashShortcut(searchField);
  const now = useNow(10_000);

  const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
  const namespaces = useResourceWatch({ cluster, kind: 'namespaces' });
  const watch = useResourceWatch({
    cluster,
    kind,
    ...(!clusterScoped && namespace !== undefined && { namespace }),
  });

  const rows = useMemo(
    () => watch.rows.filter(searchFilter(search)).sort(byNamespaceAndName),
    [watch.rows, search],
  );
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

  // A link from the details (an owner, a workload's pod) opens once its row is in the list.
  const [linked, setLinked] = useState<ObjectLink>();
  useEffect(() => {
    if (linked === undefined) return;
    const row = watch.rows.find((each) =>
      linked.uid !== undefined
        ? each.uid === linked.uid
        : each.name === linked.name && each.namespace === linked.namespace,
    );
    if (row === undefined) return;
    setLinked(undefined);
    setSelected(row.uid);
    setOpened(row.uid);
  }, [linked, watch.rows]);
  const openLinked = (link: ObjectLink) => {
    const next = browsableKindOf(link);
    if (next === undefined) return;
    chooseKind(next);
    if (namespace !== undefined && link.namespace !== undefined && link.namespace !== namespace) {
      setNamespace(link.namespace);
    }
    setSearch('');
    setLinked(link);
  };

  const chooseKind = (next: BrowsableKind) => {
    setKind(next);
    setSelected(undefined);
    setOpened(undefined);
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

  const columns: Column<ResourceRow>[] = [
    { id: 'name', header: 'Name', className: 'col-name', cell: (row) => row.name },
    ...(clusterScoped || namespace !== undefined
      ? []
      : [
          {
            id: 'namespace',
            header: 'Namespace',
            className: 'col-namespace',
            cell: (row: ResourceRow) => row.namespace ?? '',
          },
        ]),
    ...RESOURCE_COLUMNS[kind].map((key) => ({
      id: key,
      header: COLUMN_HEADERS[key] ?? key,
      className: `col-${key}`,
      cell: (row: ResourceRow) => row.cells[key] ?? '',
    })),
    { id: 'age', header: 'Age', className: 'col-age', cell: (row) => formatAge(row.createdAt, now) },
  ];

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
          rowData={(row) => ({
            'data-testid': `${one}-row-${row.name}`,
            ...(row.namespace !== undefined && { 'data-namespace': row.namespace }),
            ...(kind === 'pods' && { 'data-phase': String(row.cells.phase ?? '') }),
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
            kind={kind}
            row={openedRow}
            onClose={() => setOpened(undefined)}
            onOpenObject={openLinked}
          />
        )}
      </div>
    </div>
  );
}
