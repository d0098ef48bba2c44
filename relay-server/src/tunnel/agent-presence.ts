import type { AgentHeartbeat } from '../api/tunnel-contract.js';
import type { AgentSessionEntry } from './live-sessions.js';

/** Hears about agent sessions coming and going and about their heartbeats (connectivity status). */
export interface AgentPresenceListener {
  sessionOpened(entry: AgentSessionEntry): void;
  sessionClosed(entry: AgentSessionEntry): void;
  heartbeat(entry: AgentSessionEntry, heartbeat: AgentHeartbeat): void;
}
