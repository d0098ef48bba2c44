import { useEffect } from 'react';
import { useCore } from './core-context';

/**
 * Follows the desktop host's requests to show a cluster (a `switchboard://cluster/<name>` deep link,
 * the tray's "Open in Switchboard"); the browser host never sends them.
 */
export function useOpenClusterRequests(open: (cluster: string) => void): void {
  const api = useCore();
  useEffect(() => api.on('openCluster', ({ cluster }) => open(cluster)), [api, open]);
}
