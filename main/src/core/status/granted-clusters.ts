/**
 * Which clusters the user is granted, as the live status lists them: a cluster granted or revoked
 * is a change here, a cluster going offline or coming back is not. The proxy's kubeconfig and the
 * merged contexts follow these changes.
 */

/** A live cluster list: the status watcher, or the signed-in session over it. */
export interface ClusterListSource {
  on(event: 'change', listener: () => void): unknown;
  readonly clusters: readonly { name: string }[];
}

/** Calls `listener` after each change of the set of cluster names `source` lists. */
export function onGrantedClustersChange(source: ClusterListSource, listener: () => void): void {
  let names = namesOf(source);
  source.on('change', () => {
    const now = namesOf(source);
    if (now === names) return;
    names = now;
    listener();
  });
}

function namesOf(source: ClusterListSource): string {
  return JSON.stringify(source.clusters.map((cluster) => cluster.name).sort());
}
