import type {
  AppError,
  ResourceKindGroup,
  ResourceKindInfo,
  ResourceTypeId,
} from '@switchboard/contract/app';
import { type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { kindLabel } from './kinds';

interface TreeNode {
  key: string;
  label: string;
  kind?: ResourceKindInfo;
  children?: TreeNode[];
}

interface VisibleNode {
  node: TreeNode;
  level: number;
  parent: string | undefined;
  setSize: number;
  position: number;
}

const CUSTOM_RESOURCES = 'Custom Resources';

/**
 * The groups as a tree: a group holding one kind of its own name (Nodes, Namespaces, Events) is
 * that kind alone, as in Lens; Custom Resources holds the definitions, then a group per API group.
 */
function treeOf(groups: readonly ResourceKindGroup[]): TreeNode[] {
  const leaf = (kind: ResourceKindInfo): TreeNode => ({
    key: `kind:${kind.id}`,
    label: kindLabel(kind),
    kind,
  });
  const nodes: TreeNode[] = [];
  const custom: TreeNode[] = [];
  for (const group of groups) {
    if (group.apiGroup !== undefined) {
      custom.push({ key: `api:${group.apiGroup}`, label: group.apiGroup, children: group.kinds.map(leaf) });
    } else if (group.name === CUSTOM_RESOURCES) {
      custom.unshift(...group.kinds.map(leaf));
    } else if (group.kinds.length === 1 && kindLabel(group.kinds[0]!) === group.name) {
      nodes.push(leaf(group.kinds[0]!));
    } else {
      nodes.push({ key: `group:${group.name}`, label: group.name, children: group.kinds.map(leaf) });
    }
  }
  if (custom.length > 0) {
    const other = nodes.findIndex((node) => node.key === 'group:Other');
    const at = other === -1 ? nodes.length : other;
    nodes.splice(at, 0, { key: `group:${CUSTOM_RESOURCES}`, label: CUSTOM_RESOURCES, children: custom });
  }
  return nodes;
}

/** What a filter keeps: kinds whose label or id has it, with the groups above them. */
function filtered(nodes: readonly TreeNode[], filter: string): TreeNode[] {
  if (filter === '') return [...nodes];
  return nodes.flatMap((node) => {
    if (node.kind) {
      return kindLabel(node.kind).toLowerCase().includes(filter) || node.kind.id.includes(filter)
        ? [node]
        : [];
    }
    const children = filtered(node.children ?? [], filter);
    return children.length > 0 ? [{ ...node, children }] : [];
  });
}

function flatten(
  nodes: readonly TreeNode[],
  isExpanded: (key: string) => boolean,
  level = 1,
  parent?: string,
): VisibleNode[] {
  return nodes.flatMap((node, index) => [
    { node, level, parent, setSize: nodes.length, position: index + 1 },
    ...(node.children && isExpanded(node.key) ? flatten(node.children, isExpanded, level + 1, node.key) : []),
  ]);
}

/** The person may not list it anywhere: a cluster-scoped kind RBAC refuses them. */
function refused(kind: ResourceKindInfo): boolean {
  return !kind.listAllowed && !kind.namespaced;
}

export interface KindSidebarProps {
  /** Undefined while discovery is read. */
  groups: readonly ResourceKindGroup[] | undefined;
  error: AppError | undefined;
  selected: ResourceTypeId;
  onSelect(kind: ResourceKindInfo): void;
}

/**
 * The sidebar of resource kinds, grouped as Lens groups them, with a filter box. A tree with one
 * tab stop: arrows move, Right/Left open and close groups, Enter or Space opens a kind.
 */
export function KindSidebar({ groups, error, selected, onSelect }: KindSidebarProps) {
  const [filter, setFilter] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(['group:Workloads']));
  const [focused, setFocused] = useState<string>();
  const tree = useRef<HTMLDivElement>(null);
  const filterId = useId();

  const nodes = useMemo(() => treeOf(groups ?? []), [groups]);
  const term = filter.trim().toLowerCase();
  const selectedKey = `kind:${selected}`;
  // The selected kind's groups stay open, and a filter opens every group it keeps.
  const ancestorsOfSelected = useMemo(() => {
    const keys = new Set<string>();
    const walk = (list: readonly TreeNode[], path: string[]): boolean =>
      list.some((node) => {
        if (node.key === selectedKey) {
          for (const key of path) keys.add(key);
          return true;
        }
        return walk(node.children ?? [], [...path, node.key]);
      });
    walk(nodes, []);
    return keys;
  }, [nodes, selectedKey]);
  const isExpanded = (key: string) => term !== '' || expanded.has(key) || ancestorsOfSelected.has(key);
  const visible = flatten(filtered(nodes, term), isExpanded);
  const tabStop =
    visible.find((each) => each.node.key === focused)?.node.key ??
    visible.find((each) => each.node.key === selectedKey)?.node.key ??
    visible[0]?.node.key;

  const toggle = (key: string, open: boolean) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (open) next.add(key);
      else next.delete(key);
      return next;
    });
  const focus = (key: string) => {
    setFocused(key);
    tree.current?.querySelector<HTMLElement>(`[data-node="${CSS.escape(key)}"]`)?.focus();
  };
  const activate = (node: TreeNode) => {
    if (node.kind) {
      if (!refused(node.kind)) onSelect(node.kind);
    } else if (term === '') {
      toggle(node.key, !isExpanded(node.key));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = visible.findIndex((each) => each.node.key === tabStop);
    const current = visible[index];
    if (current === undefined) return;
    const { node } = current;
    const open = node.children !== undefined && isExpanded(node.key);
    const moves: Record<string, (() => void) | undefined> = {
      ArrowDown: () => visible[index + 1] && focus(visible[index + 1]!.node.key),
      ArrowUp: () => visible[index - 1] && focus(visible[index - 1]!.node.key),
      Home: () => visible[0] && focus(visible[0].node.key),
      End: () => visible.at(-1) && focus(visible.at(-1)!.node.key),
      ArrowRight: () => {
        if (node.children === undefined) return;
        if (!open) toggle(node.key, true);
        else if (visible[index + 1]) focus(visible[index + 1]!.node.key);
      },
      ArrowLeft: () => {
        if (open && term === '') toggle(node.key, false);
        else if (current.parent !== undefined) focus(current.parent);
      },
      Enter: () => activate(node),
      ' ': () => activate(node),
    };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    move();
  };

  return (
    <nav className="kind-nav" aria-label="Resource kinds">
      <label className="visually-hidden" htmlFor={filterId}>
        Filter resource kinds
      </label>
      <input
        id={filterId}
        type="search"
        className="kind-filter"
        placeholder="Filter kinds"
        value={filter}
        onChange={(event) => setFilter(event.currentTarget.value)}
      />
      {error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={error} />
        </p>
      )}
      {groups === undefined && error === undefined && (
        <p className="muted" role="status">
          Reading the cluster’s resource kinds…
        </p>
      )}
      {groups !== undefined && visible.length === 0 && <p className="muted">No kind matches “{filter}”.</p>}
      <div ref={tree} role="tree" aria-label="Resource kinds" className="kind-tree" onKeyDown={onKeyDown}>
        {visible.map(({ node, level, setSize, position }) => {
          const kind = node.kind;
          const disabled = kind !== undefined && refused(kind);
          return (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the tree handles the keys of every item (arrows, Enter, Space).
            <div
              key={node.key}
              role="treeitem"
              data-node={node.key}
              {...(kind !== undefined && { 'data-kind': kind.id, 'aria-selected': kind.id === selected })}
              {...(node.children !== undefined && { 'aria-expanded': isExpanded(node.key) })}
              {...(disabled && {
                'aria-disabled': true,
                title: `You may not list ${node.label} in this cluster`,
              })}
              aria-level={level}
              aria-setsize={setSize}
              aria-posinset={position}
              tabIndex={node.key === tabStop ? 0 : -1}
              className={`kind-tree-item level-${Math.min(level, 3)}${node.children ? ' kind-tree-group' : ''}`}
              onClick={() => {
                setFocused(node.key);
                activate(node);
              }}
            >
              {node.children !== undefined && (
                <span className="kind-tree-caret" aria-hidden="true">
                  {isExpanded(node.key) ? '▾' : '▸'}
                </span>
              )}
              {node.label}
            </div>
          );
        })}
      </div>
    </nav>
  );
}
