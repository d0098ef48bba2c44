import type { Column } from './VirtualTable';

/**
 * The columns that fit `available` px: the lowest-priority optional ones drop out first until the
 * fixed widths plus the flexible columns' minimums fit (the name keeps its room); among equal
 * priorities the rightmost goes first.
 */
export function columnsThatFit<Row>(columns: readonly Column<Row>[], available: number): Column<Row>[] {
  const need = (column: Column<Row>) => column.width ?? column.minWidth ?? 0;
  let total = columns.reduce((sum, column) => sum + need(column), 0);
  const dropOrder = columns
    .filter((column) => (column.priority ?? 0) > 0)
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || columns.indexOf(b) - columns.indexOf(a));
  const dropped = new Set<Column<Row>>();
  for (const column of dropOrder) {
    if (total <= available) break;
    dropped.add(column);
    total -= need(column);
  }
  return columns.filter((column) => !dropped.has(column));
}
