import { BROWSABLE_KINDS, type BrowsableKind, type ObjectLink } from '@switchboard/contract/app';

/**
 * The browser tab a link's resource type id (`replicasets.apps`, `pods`) opens, if the browser has
 * one. Until every kind comes from discovery, the fixed list names apps kinds without their group.
 */
export function browsableKindOf(link: ObjectLink): BrowsableKind | undefined {
  const plural = link.kind.endsWith('.apps') ? link.kind.slice(0, -'.apps'.length) : link.kind;
  return BROWSABLE_KINDS.find((kind) => kind === plural);
}

export function linkLabel(link: ObjectLink): string {
  return `${link.kindName} ${link.name}`;
}
