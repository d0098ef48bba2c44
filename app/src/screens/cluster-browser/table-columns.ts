/**
 * The apiserver's Table columns (as `kubectl get` prints them) as the browser's table columns:
 * the priority-0 columns by default and the others when the person adds them (kubectl's
 * `-o wide`), a Namespace column after the name when the list spans namespaces (`kubectl get -A`),
 * Age counted live from the object's creation time, and a comparison per column for sorting.
 * The name always comes first and keeps its room (even where the Table prints it as a `-o wide`
 * column, as for events); as the table narrows the Namespace goes first, then the rightmost
 * columns, and the Status or Type, the Last Seen and the Age last (see components/column-fit.ts).
 */
import type { ResourceCell, ResourceColumn, ResourceRow } from '@switchboard/contract/app';
import type { Column } from '../../components/VirtualTable';
import { formatAge } from '../../format/durations';

export interface SortableColumn extends Column<ResourceRow> {
  compare(a: ResourceRow, b: ResourceRow): number;
}

export interface TableColumnOptions {
  /** The list spans namespaces of a namespaced kind: show where each object lives. */
  showNamespace: boolean;
  /** Names of the priority > 0 columns the person chose to show. */
  optionalShown: ReadonlySet<string>;
  now: number;
}

/** kubectl prints a null cell as nothing. */
export function cellText(cell: ResourceCell | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/** Numbers by value, text by its natural order (`pod-2` before `pod-10`). */
const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareCells(a: ResourceCell | undefined, b: ResourceCell | undefined): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return natural.compare(cellText(a), cellText(b));
}

const byName = (a: ResourceRow, b: ResourceRow) => natural.compare(a.name, b.name);

/** The name column's least width: a typical generated pod name (`frontend-7d4b9c8f6-x2k9p`) fits. */
export const NAME_MIN_WIDTH = 220;
const NAMESPACE_WIDTH = 140;
const AGE_WIDTH = 64;
/** Columns that say what state an object is in (or, for events, what happened): kept as long as the name is. */
const KEPT_COLUMNS: ReadonlySet<string> = new Set(['Status', 'Type', 'Last Seen', 'Message']);
/** Widths (px) of columns whose values are short; other text columns get 120, numbers 80. */
const COLUMN_WIDTHS: Readonly<Record<string, number>> = { 'Last Seen': 112, Type: 112, Status: 140 };

/** A printed duration (`45s`, `5m10s`, `3d4h`) in seconds; anything else sorts last. */
export function printedSeconds(text: string): number {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, y: 31_536_000 };
  const parts = [...text.matchAll(/(\d+)([smhdy])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return Number.POSITIVE_INFINITY;
  return parts.reduce((sum, [, count, unit]) => sum + Number(count) * units[unit!]!, 0);
}
/** Older first, as a growing age reads. */
const byCreation = (a: ResourceRow, b: ResourceRow) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;

/** A column's id in the table and the address (`sort=-last-seen`): its name, as a slug. */
export function columnId(column: Pick<ResourceColumn, 'name'>): string {
  return column.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Whether a column is the object's name (the Table marks it with the `name` format). */
function isName(column: ResourceColumn): boolean {
  return column.format === 'name';
}

/**
 * Whether a column shows the object's age: counted live here rather than as printed at list time.
 * (Kinds without a printer get "Created At" instead, a timestamp kept as printed, as kubectl shows it.)
 */
function isAge(column: ResourceColumn): boolean {
  return column.name === 'Age';
}

export function tableColumns(
  columns: readonly ResourceColumn[],
  options: TableColumnOptions,
): SortableColumn[] {
  const nameIndex = columns.findIndex(isName);
  const result: SortableColumn[] = [
    {
      id: nameIndex === -1 ? 'name' : columnId(columns[nameIndex]!),
      header: nameIndex === -1 ? 'Name' : columns[nameIndex]!.name,
      title: columns[nameIndex]?.description || undefined,
      className: 'col-name',
      minWidth: NAME_MIN_WIDTH,
      cell: (row) => row.name,
      compare: byName,
    },
  ];
  if (options.showNamespace) {
    result.push({
      id: 'namespace',
      header: 'Namespace',
      title: 'The namespace the object lives in.',
      className: 'col-namespace',
      width: NAMESPACE_WIDTH,
      priority: 2,
      cell: (row) => row.namespace ?? '',
      compare: (a, b) => natural.compare(a.namespace ?? '', b.namespace ?? '') || byName(a, b),
    });
  }
  columns.forEach((column, index) => {
    if (index === nameIndex) return;
    if (column.priority > 0 && !options.optionalShown.has(column.name)) return;
    const id = columnId(column);
    const title = column.description || undefined;
    if (isAge(column)) {
      result.push({
        id,
        header: column.name,
        title,
        className: 'col-age',
        width: AGE_WIDTH,
        cell: (row) => formatAge(row.createdAt, options.now),
        compare: byCreation,
      });
      return;
    }
    const numeric = column.type === 'integer' || column.type === 'number';
    const printedAge = column.name === 'Last Seen' || column.name === 'First Seen';
    result.push({
      id,
      header: column.name,
      title,
      ...(numeric && { className: 'col-number' }),
      // A message reads best with whatever room is left; other columns hold a fixed width.
      ...(column.name === 'Message'
        ? { minWidth: 150 }
        : { width: COLUMN_WIDTHS[column.name] ?? (numeric ? 80 : 120) }),
      ...(!KEPT_COLUMNS.has(column.name) && { priority: 1 }),
      cell: (row) => cellText(row.cells[index]),
      compare: printedAge
        ? (a, b) => printedSeconds(cellText(a.cells[index])) - printedSeconds(cellText(b.cells[index]))
        : (a, b) => compareCells(a.cells[index], b.cells[index]),
    });
  });
  return result;
}

/** The columns kubectl shows only with `-o wide`: offered to add. */
export function optionalColumns(columns: readonly ResourceColumn[]): ResourceColumn[] {
  return columns.filter((column) => column.priority > 0 && !isName(column));
}

/** The order a kind's list has before anyone sorts it: events newest first, as people read them. */
export function defaultSort(
  kindId: string,
  columns: readonly ResourceColumn[],
): { columnId: string; direction: 'ascending' } | undefined {
  const lastSeen = columnIndex(columns, 'Last Seen');
  return kindId === 'events' && lastSeen !== -1
    ? { columnId: columnId(columns[lastSeen]!), direction: 'ascending' }
    : undefined;
}

/** The index of a column by its name, for test hooks and state that read one cell (a pod's Status). */
export function columnIndex(columns: readonly ResourceColumn[], name: string): number {
  return columns.findIndex((column) => column.name === name);
}
