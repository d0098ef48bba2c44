import { useEffect, useRef } from 'react';
import { useCore } from './core-context';

/**
 * Follows the desktop host's requests to show a cluster (a `switchboard://cluster/<name>` deep link,
 * the tray's "Open in Switchboard"); the browser host never sends them.
 */
export function useOpenClusterRequests(open: (cluster: string) => void): void {
  const api = useCore();
  // The latest callback, without subscribing again on every render.
  const latest = useRef(open);
  latest.current = open;
  useEffect(() => api.on('openCluster', ({ cluster }) => latest.current(cluster)), [api]);
}
