/**
 * The apiserver's Table columns (as `kubectl get` prints them) as the browser's table columns:
 * the priority-0 columns by default and the others when the person adds them (kubectl's
 * `-o wide`), a Namespace column after the name when the list spans namespaces (`kubectl get -A`),
 * Age counted live from the object's creation time, and a comparison per column for sorting.
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
/** Older first, as a growing age reads. */
const byCreation = (a: ResourceRow, b: ResourceRow) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;

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
  const result: SortableColumn[] = [];
  columns.forEach((column, index) => {
    if (column.priority > 0 && !options.optionalShown.has(column.name)) return;
    const id = `column-${index}`;
    const title = column.description || undefined;
    if (isName(column) && result.length === 0) {
      result.push({
        id,
        header: column.name,
        title,
        className: 'col-name',
        cell: (row) => row.name,
        compare: byName,
      });
      if (options.showNamespace) {
        result.push({
          id: 'namespace',
          header: 'Namespace',
          title: 'The namespace the object lives in.',
          className: 'col-namespace',
          cell: (row) => row.namespace ?? '',
          compare: (a, b) => natural.compare(a.namespace ?? '', b.namespace ?? '') || byName(a, b),
        });
      }
      return;
    }
    if (isAge(column)) {
      result.push({
        id,
        header: column.name,
        title,
        className: 'col-age',
        cell: (row) => formatAge(row.createdAt, options.now),
        compare: byCreation,
      });
      return;
    }
    result.push({
      id,
      header: column.name,
      title,
      ...((column.type === 'integer' || column.type === 'number') && { className: 'col-number' }),
      cell: (row) => cellText(row.cells[index]),
      compare: (a, b) => compareCells(a.cells[index], b.cells[index]),
    });
  });
  return result;
}

/** The columns kubectl shows only with `-o wide`: offered to add. */
export function optionalColumns(columns: readonly ResourceColumn[]): ResourceColumn[] {
  return columns.filter((column) => column.priority > 0);
}

/** The index of a column by its name, for test hooks and state that read one cell (a pod's Status). */
export function columnIndex(columns: readonly ResourceColumn[], name: string): number {
  return columns.findIndex((column) => column.name === name);
}
