import { describe, expect, it } from 'vitest';
import { columnsThatFit } from '../src/components/column-fit';
import type { Column } from '../src/components/VirtualTable';

const column = (id: string, layout: Partial<Column<unknown>>): Column<unknown> => ({
  id,
  header: id,
  cell: () => '',
  ...layout,
});

const POD_COLUMNS = [
  column('name', { minWidth: 220 }),
  column('namespace', { width: 140, priority: 2 }),
  column('phase', { width: 130, priority: 0 }),
  column('ready', { width: 72, priority: 2 }),
  column('restarts', { width: 88, priority: 3 }),
  column('node', { width: 170, priority: 4 }),
  column('age', { width: 64, priority: 2 }),
];
const ids = (columns: Column<unknown>[]) => columns.map((each) => each.id);

describe('columnsThatFit', () => {
  it('keeps every column when there is room for all', () => {
    expect(ids(columnsThatFit(POD_COLUMNS, 1046))).toEqual(ids(POD_COLUMNS));
  });

  it('drops the highest priority number first, the rightmost of equals first, until the rest fit', () => {
    // 884 px in all: without node 714, without restarts 626, without age 562.
    expect(ids(columnsThatFit(POD_COLUMNS, 600))).toEqual(['name', 'namespace', 'phase', 'ready']);
    expect(ids(columnsThatFit(POD_COLUMNS, 714))).toEqual([
      'name',
      'namespace',
      'phase',
      'ready',
      'restarts',
      'age',
    ]);
  });

  it('never drops the columns without a priority, even when they do not fit', () => {
    expect(ids(columnsThatFit(POD_COLUMNS, 100))).toEqual(['name', 'phase']);
  });
});
