/**
 * The pure parts of the cluster browser's kinds: the apiserver's Table output as columns and rows
 * (and plain JSON from a server without Table output), and discovery as the sidebar's groups.
 */
import type { ResourceKindInfo } from '@switchboard/contract/app';
import { describe, expect, it } from 'vitest';
import { groupKinds } from '../../src/core/cluster-browser/kind-groups.js';
import { columnsOf, rowsOf } from '../../src/core/cluster-browser/resource-table.js';

describe('Table output as columns and rows', () => {
  const table = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '42' },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'the name', priority: 0 },
      { name: 'Ready', type: 'string', format: '', description: 'ready', priority: 0 },
      { name: 'Node', type: 'string', format: '', description: 'node', priority: 1 },
    ],
    rows: [
      {
        cells: ['web-1', '1/1', null],
        object: {
          kind: 'PartialObjectMetadata',
          metadata: {
            name: 'web-1',
            namespace: 'shop',
            uid: 'u1',
            creationTimestamp: '2026-01-01T00:00:00Z',
          },
        },
      },
      { cells: ['odd', { nested: true }, 3], object: { metadata: { name: 'odd', uid: 'u2' } } },
    ],
  };

  it('keeps the column definitions, priority included', () => {
    expect(columnsOf(table)).toEqual(table.columnDefinitions);
  });

  it('takes rows from the cells and the metadata, structured cells as JSON', () => {
    expect(rowsOf(table)).toEqual([
      {
        uid: 'u1',
        name: 'web-1',
        namespace: 'shop',
        createdAt: '2026-01-01T00:00:00Z',
        cells: ['web-1', '1/1', null],
      },
      { uid: 'u2', name: 'odd', createdAt: '', cells: ['odd', '{"nested":true}', 3] },
    ]);
  });

  it('makes Name and Created At rows of a plain list or watch object', () => {
    const item = { metadata: { name: 'x', uid: 'u3', creationTimestamp: '2026-01-02T00:00:00Z' } };
    expect(columnsOf({ kind: 'WidgetList', items: [item] }).map((c) => c.name)).toEqual([
      'Name',
      'Created At',
    ]);
    const expected = [
      { uid: 'u3', name: 'x', createdAt: '2026-01-02T00:00:00Z', cells: ['x', '2026-01-02T00:00:00Z'] },
    ];
    expect(rowsOf({ kind: 'WidgetList', items: [item] })).toEqual(expected);
    expect(rowsOf({ kind: 'Widget', ...item })).toEqual(expected);
  });
});

describe('discovery as sidebar groups', () => {
  const kind = (id: string, extra: Partial<ResourceKindInfo> = {}): ResourceKindInfo => {
    const [plural, ...group] = id.split('.');
    return {
      id,
      kind: plural!.replace(/s$/, '').replace(/^./, (c) => c.toUpperCase()),
      plural: plural!,
      group: group.join('.'),
      version: 'v1',
      namespaced: true,
      verbs: ['get', 'list', 'watch'],
      custom: false,
      listAllowed: true,
      ...extra,
    };
  };

  it('puts built-in kinds in Lens order, the definitions and then custom ones by API group, the rest under Other', () => {
    const groups = groupKinds([
      kind('widgets.example.com', { custom: true }),
      kind('statefulsets.apps'),
      kind('pods'),
      kind('gadgets.acme.io', { custom: true }),
      kind('events.events.k8s.io'),
      kind('events'),
      kind('selfsubjectreviews.authentication.k8s.io', { verbs: ['create'] }),
      kind('podmetrics.metrics.k8s.io'),
      kind('secrets'),
      kind('bindings', { verbs: ['create'] }),
      kind('customresourcedefinitions.apiextensions.k8s.io', { namespaced: false }),
    ]);
    expect(groups.map((group) => [group.name, group.apiGroup, group.kinds.map((k) => k.id)])).toEqual([
      ['Workloads', undefined, ['pods', 'statefulsets.apps']],
      ['Config', undefined, ['secrets']],
      ['Events', undefined, ['events']],
      ['Custom Resources', undefined, ['customresourcedefinitions.apiextensions.k8s.io']],
      ['Custom Resources', 'acme.io', ['gadgets.acme.io']],
      ['Custom Resources', 'example.com', ['widgets.example.com']],
      ['Other', undefined, ['podmetrics.metrics.k8s.io']],
    ]);
  });
});
