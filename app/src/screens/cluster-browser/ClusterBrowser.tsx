import type { ClusterView } from '@switchboard/contract/app';
import { StatusBadge } from '../../components/StatusBadge';
import { formatLastSeen } from '../../format/durations';
import { useNow } from '../../state/use-now';
import { PortForwardsPanel } from './PortForwardsPanel';
import { ResourceBrowser } from './ResourceBrowser';

export interface ClusterBrowserProps {
  clusterName: string;
  /** The cluster's live view; undefined once it is no longer in the person's list. */
  cluster: ClusterView | undefined;
  onBack(): void;
}

/** One cluster's resources, browsed live while its agent is connected; why not, when it is not. */
export function ClusterBrowser({ clusterName, cluster, onBack }: ClusterBrowserProps) {
  return (
    <section className="cluster-browser" aria-labelledby="cluster-browser-heading">
      <div className="browser-header">
        <button type="button" onClick={onBack}>
          ← All clusters
        </button>
        <h2 id="cluster-browser-heading">{clusterName}</h2>
        {cluster !== undefined && <StatusBadge status={cluster.status} />}
      </div>
      <PortForwardsPanel />
      {cluster?.status === 'connected' ? (
        <ResourceBrowser cluster={clusterName} />
      ) : (
        <Unavailable clusterName={clusterName} cluster={cluster} />
      )}
    </section>
  );
}

function Unavailable({ clusterName, cluster }: { clusterName: string; cluster: ClusterView | undefined }) {
  const now = useNow(1000);
  const explanation = (() => {
    switch (cluster?.status) {
      case undefined:
        return `${clusterName} is no longer in your list: it was removed, or your access to it ended.`;
      case 'connecting':
        return `${clusterName}’s agent has never connected. Once it is installed and joins, the cluster shows up here.`;
      case 'offline':
        return `${clusterName} is offline: its agent is not connected. Last seen ${formatLastSeen(cluster.lastSeenAt, now)}. This page opens the cluster as soon as it is back.`;
      case 'expired':
        return `${clusterName}’s agent credential expired. An administrator can issue a new join token (switchboard clusters rejoin ${clusterName}) to bring it back.`;
      default:
        return '';
    }
  })();
  return (
    <div className="notice" role="status" data-testid="cluster-unavailable">
      <p>{explanation}</p>
    </div>
  );
}
