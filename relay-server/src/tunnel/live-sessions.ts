/**
 * Which agent sessions are live, per cluster. In memory for one relay process; behind an interface
 * because several replicas will keep this soft state in Redis (leases + pub/sub) instead.
 */
import type { Session } from '@switchboard/protocol';

export interface AgentSessionEntry {
  /** Unique per connection, for logs. */
  id: string;
  cluster: string;
  credentialId: string;
  connectedAt: Date;
  session: Session;
}

export interface LiveSessionIndex {
  add(entry: AgentSessionEntry): void;
  remove(entry: AgentSessionEntry): void;
  /** The session to open the next stream on: fewest streams first, round-robin among equals. */
  pick(cluster: string, exclude?: ReadonlySet<AgentSessionEntry>): AgentSessionEntry | undefined;
  /** The live sessions of a cluster (all clusters without one). */
  list(cluster?: string): AgentSessionEntry[];
}

export class InMemoryLiveSessions implements LiveSessionIndex {
  readonly #byCluster = new Map<string, AgentSessionEntry[]>();
  readonly #turn = new Map<string, number>();

  add(entry: AgentSessionEntry): void {
    const entries = this.#byCluster.get(entry.cluster) ?? [];
    entries.push(entry);
    this.#byCluster.set(entry.cluster, entries);
  }

  remove(entry: AgentSessionEntry): void {
    const entries = this.#byCluster.get(entry.cluster);
    if (!entries) return;
    const remaining = entries.filter((candidate) => candidate !== entry);
    if (remaining.length > 0) this.#byCluster.set(entry.cluster, remaining);
    else {
      this.#byCluster.delete(entry.cluster);
      this.#turn.delete(entry.cluster);
    }
  }

  pick(cluster: string, exclude?: ReadonlySet<AgentSessionEntry>): AgentSessionEntry | undefined {
    const open = (this.#byCluster.get(cluster) ?? []).filter(
      (entry) => entry.session.state === 'open' && !exclude?.has(entry),
    );
    if (open.length === 0) return undefined;
    const fewest = Math.min(...open.map((entry) => entry.session.streamCount));
    const candidates = open.filter((entry) => entry.session.streamCount === fewest);
    const turn = this.#turn.get(cluster) ?? 0;
    this.#turn.set(cluster, turn + 1);
    return candidates[turn % candidates.length];
  }

  list(cluster?: string): AgentSessionEntry[] {
    if (cluster !== undefined) return [...(this.#byCluster.get(cluster) ?? [])];
    return [...this.#byCluster.values()].flat();
  }
}
