import { type ResourceTypeId, resourceTypeIdSchema } from '@switchboard/contract/app';
import type { TableSort } from '../components/VirtualTable';

/** Where someone is inside one cluster's browser: what reload and Back/Forward bring back. */
export interface BrowsePlace {
  kind: ResourceTypeId;
  /** Undefined: all namespaces. */
  namespace?: string;
  search: string;
  /** The selected row's key (`<namespace>/<name>`, `/<name>` for cluster-scoped objects). */
  selected?: string;
  /** The selected row's details are open. */
  details: boolean;
  sort?: TableSort;
}

export type Route = { screen: 'home' } | { screen: 'cluster'; cluster: string; place: BrowsePlace };

export const HOME: Route = { screen: 'home' };
export const START_PLACE: BrowsePlace = { kind: 'pods', search: '', details: false };

function isResourceTypeId(value: string): value is ResourceTypeId {
  return resourceTypeIdSchema.safeParse(value).success;
}

/**
 * Reads `#/clusters/<name>/<kind>?ns=&q=&sel=&details=1&sort=[-]<column>`; anything else is the
 * home screen. A hash route works in both hosts: Electron loads a file and the browser host serves
 * one page, and neither sees the fragment.
 */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const [, first, cluster, kind] = path.split('/').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return '';
    }
  });
  if (first !== 'clusters' || !cluster) return HOME;
  const params = new URLSearchParams(query);
  const sort = params.get('sort');
  const place: BrowsePlace = {
    // A kind this version does not browse opens at pods rather than failing.
    kind: kind !== undefined && isResourceTypeId(kind) ? kind : START_PLACE.kind,
    search: params.get('q') ?? '',
    details: params.get('details') === '1',
  };
  const namespace = params.get('ns');
  if (namespace) place.namespace = namespace;
  const selected = params.get('sel');
  if (selected) place.selected = selected;
  if (sort) {
    place.sort = sort.startsWith('-')
      ? { columnId: sort.slice(1), direction: 'descending' }
      : { columnId: sort, direction: 'ascending' };
  }
  return { screen: 'cluster', cluster, place };
}

export function formatRoute(route: Route): string {
  if (route.screen === 'home') return '#/';
  const { place } = route;
  const params = new URLSearchParams();
  if (place.namespace !== undefined) params.set('ns', place.namespace);
  if (place.search) params.set('q', place.search);
  if (place.selected !== undefined) params.set('sel', place.selected);
  if (place.details) params.set('details', '1');
  if (place.sort !== undefined)
    params.set('sort', `${place.sort.direction === 'descending' ? '-' : ''}${place.sort.columnId}`);
  const query = params.toString();
  return `#/clusters/${encodeURIComponent(route.cluster)}/${place.kind}${query ? `?${query}` : ''}`;
}
