import { createContext, useContext } from 'react';

/**
 * Whether the cluster being browsed is connected right now. Its browser provides it, so a log or
 * a list deep inside can wait out an outage and resume the moment it ends.
 */
export const ClusterOnline = createContext(true);

export function useClusterOnline(): boolean {
  return useContext(ClusterOnline);
}
