import type { AgentHeartbeat } from '@switchboard/contract/tunnel';
import type { AgentSessionEntry } from './live-sessions.js';

/** Hears about agent sessions coming and going and about their heartbeats (connectivity status). */
export interface AgentPresenceListener {
  sessionOpened(entry: AgentSessionEntry): void;
  sessionClosed(entry: AgentSessionEntry): void;
  heartbeat(entry: AgentSessionEntry, heartbeat: AgentHeartbeat): void;
}
