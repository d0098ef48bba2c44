import type { AppClusterView } from '@switchboard/contract/app';
import { useEffect, useId, useRef, useState } from 'react';
import { StatusBadge } from '../../components/StatusBadge';
import { formatLastSeen } from '../../format/durations';
import type { BrowsePlace } from '../../routing/route';
import { ClusterOnline } from '../../state/cluster-online';
import { useNow } from '../../state/use-now';
import { PortForwardsPanel } from './PortForwardsPanel';
import { ResourceBrowser } from './ResourceBrowser';

export interface ClusterBrowserProps {
  clusterName: string;
  /** The cluster's live view; undefined when it is not in the person's list. */
  cluster: AppClusterView | undefined;
  /** The list of clusters has arrived from the relay (before, a missing cluster proves nothing). */
  listKnown: boolean;
  place: BrowsePlace;
  onPlaceChange(place: BrowsePlace, how: 'push' | 'replace'): void;
  /** This browser is the one on screen (others stay mounted, hidden, keeping their place). */
  active: boolean;
  onBack(): void;
}

/**
 * One cluster's resources, browsed live while its agent is connected. An outage after that keeps
 * everything on screen, marked stale; a cluster never reached (or not in the list) says why.
 */
export function ClusterBrowser({
  clusterName,
  cluster,
  listKnown,
  place,
  onPlaceChange,
  active,
  onBack,
}: ClusterBrowserProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const online = cluster?.presence === 'connected';
  const [reached, setReached] = useState(online);
  if (online && !reached) setReached(true);

  // Opening (or switching to) a cluster moves focus to its heading, so a screen reader announces
  // where the person is and Tab continues inside the view.
  useEffect(() => {
    if (active) heading.current?.focus();
  }, [active]);

  // Once reached, an outage (the agent's, or the relay's) keeps the browser on screen, marked stale.
  const browsing =
    cluster !== undefined &&
    (online || (reached && (cluster.presence === 'offline' || cluster.presence === 'unknown')));
  return (
    <section className="cluster-browser" aria-labelledby={headingId}>
      <div className="browser-header">
        <button type="button" onClick={onBack}>
          ← All clusters
        </button>
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {clusterName}
        </h2>
        {cluster !== undefined && <StatusBadge presence={cluster.presence} />}
      </div>
      <PortForwardsPanel />
      {browsing ? (
        <ClusterOnline value={online}>
          <ResourceBrowser
            cluster={clusterName}
            place={place}
            onPlaceChange={onPlaceChange}
            online={online}
            shown={active}
          />
        </ClusterOnline>
      ) : (
        <Unavailable clusterName={clusterName} cluster={cluster} listKnown={listKnown} />
      )}
    </section>
  );
}

function Unavailable({
  clusterName,
  cluster,
  listKnown,
}: {
  clusterName: string;
  cluster: AppClusterView | undefined;
  listKnown: boolean;
}) {
  const now = useNow(1000);
  const explanation = (() => {
    switch (cluster?.presence) {
      case undefined:
        if (!listKnown) return `Loading your clusters to open ${clusterName}…`;
        return `${clusterName} is not in your list of clusters: it does not exist on this relay, it was removed, or you have no access to it. An administrator of the relay can grant you access.`;
      case 'not-joined':
        return `${clusterName}’s agent has never connected, so kubectl is told the cluster is offline. Once the agent is installed and joins, the cluster opens here.`;
      case 'unknown':
        return `${clusterName}’s status is unknown: Switchboard cannot hear from the relay right now. This page opens the cluster as soon as the relay answers again.`;
      case 'offline':
        return `${clusterName} is offline: its agent is not connected. Last seen ${formatLastSeen(cluster.lastSeenAt, now)}. This page opens the cluster as soon as it is back.`;
      case 'expired':
        return `${clusterName}’s agent credential expired. An administrator of the relay can issue it a new join token to bring it back.`;
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
