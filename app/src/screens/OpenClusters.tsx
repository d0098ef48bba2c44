import type { ClusterView } from '@switchboard/contract/app';

export interface OpenClustersProps {
  /** The clusters open in this window, in the order they were opened. */
  open: readonly string[];
  /** The one on screen; undefined on the cluster list. */
  active: string | undefined;
  clusters: readonly ClusterView[];
  onShowList(): void;
  onShow(cluster: string): void;
  onClose(cluster: string): void;
}

/**
 * A switcher between the cluster list and the clusters open at once: each keeps its own place
 * (kind, namespace, search, selection, details) while another one is on screen.
 */
export function OpenClusters({ open, active, clusters, onShowList, onShow, onClose }: OpenClustersProps) {
  if (open.length === 0) return null;
  return (
    <nav className="open-clusters" aria-label="Open clusters">
      <ul>
        <li>
          <button
            type="button"
            className="open-cluster"
            aria-current={active === undefined ? 'page' : undefined}
            onClick={onShowList}
          >
            All clusters
          </button>
        </li>
        {open.map((name) => {
          const status = clusters.find((cluster) => cluster.name === name)?.status ?? 'unknown';
          return (
            <li key={name} data-testid={`open-cluster-${name}`} data-status={status}>
              <button
                type="button"
                className="open-cluster"
                aria-current={active === name ? 'page' : undefined}
                onClick={() => onShow(name)}
              >
                <span className={`status-dot status-dot-${status}`} aria-hidden="true" />
                {name}
              </button>
              <button
                type="button"
                className="open-cluster-close"
                aria-label={`Close ${name}`}
                onClick={() => onClose(name)}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
