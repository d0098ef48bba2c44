/**
 * The status rules of ARCHITECTURE.md ("Connectivity status") as one pure function: what users see
 * of a cluster, from the registry's presence record, the live session count and the relay's clock.
 */
import type { ClusterStatus, ClusterView } from '@switchboard/contract/relay-api';
import type { ClusterPresence } from '../registry/registry.js';
import { isOlderVersion } from './agent-version.js';

export interface ClusterViewInputs {
  presence: ClusterPresence;
  /** Live agent sessions of the cluster now. */
  sessions: number;
  /** The relay's clock (ms since the epoch). */
  now: number;
  recommendedAgentVersion: string;
}

export function clusterStatus({ presence, sessions, now }: ClusterViewInputs): ClusterStatus {
  if (sessions > 0) return 'connected';
  if (presence.credentialExpiresAt !== undefined && presence.credentialExpiresAt.getTime() <= now) {
    return 'expired';
  }
  return presence.lastSeenAt === undefined ? 'connecting' : 'offline';
}

export function clusterView(inputs: ClusterViewInputs): ClusterView {
  const { presence, sessions, now, recommendedAgentVersion } = inputs;
  const status = clusterStatus(inputs);
  const reportedVersion = presence.metadata?.agentVersion;
  return {
    ...presence.cluster,
    status,
    // While connected the cluster is seen right now; otherwise when its last session was live.
    lastSeenAt:
      status === 'connected' ? new Date(now).toISOString() : (presence.lastSeenAt?.toISOString() ?? null),
    sessions,
    metadata: presence.metadata ?? null,
    recommendedAgentVersion,
    upgradeAvailable:
      reportedVersion !== undefined && isOlderVersion(reportedVersion, recommendedAgentVersion),
  };
}

/**
 * What decides whether a view changed enough to tell subscribers: everything but the "now" a
 * connected cluster's lastSeenAt carries.
 */
export function viewKey(view: ClusterView): string {
  return JSON.stringify(view.status === 'connected' ? { ...view, lastSeenAt: null } : view);
}
