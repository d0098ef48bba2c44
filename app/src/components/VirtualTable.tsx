import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type PointerEvent, type ReactNode, useEffect, useMemo, useRef } from 'react';
import { useElementWidth } from '../state/use-element-width';
import { columnsThatFit } from './column-fit';

/** Row height in pixels; styles/tables.css sets the same height (`--row-height`). */
const ROW_HEIGHT = 36;

export interface Column<Row> {
  id: string;
  header: string;
  /** What the column shows, as a tooltip on its header. */
  title?: string | undefined;
  /** Class for the column's cells (and, for columns without `width`, its width in styles/tables.css). */
  className?: string;
  cell(row: Row): ReactNode;
  /** Fixed width in px. Without it the column takes what the others leave, never less than `minWidth`. */
  width?: number;
  /** The least a flexible column gets (px); the table scrolls sideways rather than go below it. */
  minWidth?: number;
  /**
   * Which columns give way first as the table narrows: higher numbers drop out first, 0 or none
   * never does (as the apiserver's Table columns mark those kubectl shows only with `-o wide`).
   */
  priority?: number;
  /** Makes the header a sort button; ascending order. */
  compare?(a: Row, b: Row): number;
}

export interface TableSort {
  columnId: string;
  direction: 'ascending' | 'descending';
}

export interface VirtualTableProps<Row> {
  /** The table's accessible name. */
  label: string;
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey(row: Row): string;
  /** Test hooks and state on each row (`data-testid`, `data-status`…). */
  rowData?(row: Row): Record<`data-${string}`, string>;
  selectedKey: string | undefined;
  onSelect(key: string): void;
  /** Enter or double click on a row (or a single click, with `activateOnClick`). */
  onActivate?(key: string): void;
  activateOnClick?: boolean;
  /** Shown in place of rows when there are none. */
  emptyMessage: string;
  /** Rows rendered beyond the visible ones. */
  overscan?: number;
  /** The order the user chose by clicking a header; without one, rows keep the order given. */
  sort?: TableSort | undefined;
  onSortChange?(sort: TableSort | undefined): void;
  /** The rows are what was last known, not live (an outage): dimmed, `data-stale` on the table. */
  stale?: boolean;
  /** A class per row (styles/tables.css), for rows that need to stand out. */
  rowClassName?(row: Row): string | undefined;
}

/** Sets a cell's title to its text while the text is cut off, so hovering shows the whole value. */
function titleTruncatedCell(event: PointerEvent<HTMLTableSectionElement>) {
  const cell = (event.target as HTMLElement).closest('td');
  if (cell === null) return;
  if (cell.scrollWidth > cell.clientWidth) cell.title = cell.textContent ?? '';
  else cell.removeAttribute('title');
}

/**
 * A table that renders only the rows in view (so 10,000 rows scroll smoothly), with a single tab
 * stop: the selected row. Arrow keys, Page Up/Down, Home and End move the selection; Enter activates.
 * With `onSort`, Up from the first row reaches the headers' sort buttons (Left/Right between them,
 * Enter sorts, Down returns to the rows), which stay out of the tab order.
 * It stays a real <table>, with aria-rowcount/aria-rowindex telling assistive technology the full size.
 */
export function VirtualTable<Row>(props: VirtualTableProps<Row>) {
  const {
    label,
    rowKey,
    rowData,
    selectedKey,
    onSelect,
    onActivate,
    activateOnClick,
    emptyMessage,
    sort,
    onSortChange,
    stale,
    rowClassName,
  } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scroller);
  // Before the first measurement every column shows (as in a wide window).
  const columns = useMemo(
    () => (width === undefined ? props.columns : columnsThatFit(props.columns, width)),
    [props.columns, width],
  );
  const sortColumn = sort === undefined ? undefined : columns.find((column) => column.id === sort.columnId);
  const rows = useMemo(() => {
    const compare = sortColumn?.compare;
    if (compare === undefined) return props.rows;
    const sign = sort?.direction === 'descending' ? -1 : 1;
    return [...props.rows].sort((a, b) => sign * compare(a, b));
  }, [props.rows, sortColumn, sort?.direction]);
  const tableMinWidth = columns.reduce((sum, column) => sum + (column.width ?? column.minWidth ?? 0), 0);
  // A fixed layout splits the room left evenly between columns without a width, which can put one
  // below its minimum: the flexible columns get explicit widths, sharing the room by their minimums.
  const flexibleMinimum = columns.reduce(
    (sum, column) => sum + (column.width === undefined ? (column.minWidth ?? 0) : 0),
    0,
  );
  const room = Math.max(0, (width ?? 0) - tableMinWidth);
  const widthOf = (column: Column<Row>): number | undefined => {
    if (column.width !== undefined) return column.width;
    if (column.minWidth === undefined || flexibleMinimum === 0) return undefined;
    return column.minWidth + Math.floor((room * column.minWidth) / flexibleMinimum);
  };
  const body = useRef<HTMLTableSectionElement>(null);
  const header = useRef<HTMLTableSectionElement>(null);
  /** A row that should take focus once it is rendered (after a keyboard move scrolled to it). */
  const focusWanted = useRef<string | undefined>(undefined);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: props.overscan ?? 12,
    // The sticky header covers one row's height at the top of the scroll area.
    scrollPaddingStart: ROW_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    const key = focusWanted.current;
    if (key === undefined || body.current === null) return;
    const row = body.current.querySelector<HTMLElement>(`tr[data-key="${CSS.escape(key)}"]`);
    if (row !== null) {
      focusWanted.current = undefined;
      row.focus({ preventScroll: true });
    }
  });

  const selectedIndex = selectedKey === undefined ? -1 : rows.findIndex((row) => rowKey(row) === selectedKey);
  const firstRendered = items[0]?.index;
  const renderedHasSelection = items.some((item) => item.index === selectedIndex);
  // The one row in the tab order: the selection when it is rendered, else the first rendered row.
  const tabStopIndex = renderedHasSelection ? selectedIndex : firstRendered;

  const moveTo = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (row === undefined) return;
    const key = rowKey(row);
    focusWanted.current = key;
    onSelect(key);
    virtualizer.scrollToIndex(rows.indexOf(row), { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const from = selectedIndex === -1 ? (firstRendered ?? 0) - 1 : selectedIndex;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 2);
    const moves: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: Math.max(0, from - 1),
      PageDown: from + page,
      PageUp: Math.max(0, from - page),
      Home: 0,
      End: rows.length - 1,
    };
    // The headers' sort buttons keep the table at one tab stop: Up from the first row reaches them.
    if (event.key === 'ArrowUp' && from <= 0 && onSortChange !== undefined) {
      event.preventDefault();
      header.current?.querySelector<HTMLElement>('button')?.focus();
      return;
    }
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === 'Enter' && selectedKey !== undefined && onActivate !== undefined) {
      event.preventDefault();
      onActivate(selectedKey);
    }
  };

  /** Left and Right move between the sort buttons; Down goes back to the rows. */
  const onHeaderKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const buttons = [...(header.current?.querySelectorAll<HTMLElement>('button') ?? [])];
    const index = buttons.indexOf(event.target as HTMLElement);
    if (index === -1) return;
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step !== undefined) {
      event.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, index + step))]?.focus();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      const row = body.current?.querySelector<HTMLElement>('tr[tabindex="0"]');
      if (row) row.focus();
      else moveTo(0);
    }
  };

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div ref={scroller} className="virtual-table-scroller">
      <table
        className={stale ? 'virtual-table stale' : 'virtual-table'}
        aria-label={label}
        aria-rowcount={rows.length + 1}
        data-stale={stale ? 'true' : undefined}
        style={tableMinWidth > 0 ? { minWidth: tableMinWidth } : undefined}
      >
        <colgroup>
          {columns.map((column) => (
            <col
              key={column.id}
              className={column.className}
              style={widthOf(column) === undefined ? undefined : { width: widthOf(column) }}
            />
          ))}
        </colgroup>
        <thead ref={header} onKeyDown={onHeaderKeyDown}>
          <tr aria-rowindex={1}>
            {columns.map((column) => {
              const direction = sort?.columnId === column.id ? sort.direction : undefined;
              return (
                <th
                  key={column.id}
                  scope="col"
                  className={column.className}
                  data-column={column.id}
                  title={column.title}
                  aria-sort={column.compare === undefined ? undefined : (direction ?? 'none')}
                >
                  {column.compare === undefined || onSortChange === undefined ? (
                    column.header
                  ) : (
                    <button
                      type="button"
                      className="sort-button"
                      tabIndex={-1}
                      onClick={() =>
                        // Ascending, then descending, then back to the table's own order.
                        onSortChange(
                          direction === undefined
                            ? { columnId: column.id, direction: 'ascending' }
                            : direction === 'ascending'
                              ? { columnId: column.id, direction: 'descending' }
                              : undefined,
                        )
                      }
                    >
                      {column.header}
                      <span className="sort-indicator" aria-hidden="true">
                        {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : ''}
                      </span>
                    </button>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody ref={body} onKeyDown={onKeyDown} onPointerOver={titleTruncatedCell}>
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="virtual-table-empty">
                {emptyMessage}
              </td>
            </tr>
          )}
          {paddingTop > 0 && (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row is not focusable; it only holds the scroll height.
            <tr aria-hidden="true" className="virtual-table-spacer">
              <td colSpan={columns.length} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            const key = rowKey(row);
            const selected = item.index === selectedIndex;
            return (
              <tr
                key={key}
                data-key={key}
                {...rowData?.(row)}
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                className={
                  [selected ? 'selected' : '', rowClassName?.(row) ?? ''].join(' ').trim() || undefined
                }
                tabIndex={item.index === tabStopIndex ? 0 : -1}
                onClick={() => {
                  onSelect(key);
                  if (activateOnClick) onActivate?.(key);
                }}
                onDoubleClick={() => onActivate?.(key)}
              >
                {columns.map((column) => (
                  <td key={column.id} className={column.className}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row is not focusable; it only holds the scroll height.
            <tr aria-hidden="true" className="virtual-table-spacer">
              <td colSpan={columns.length} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
