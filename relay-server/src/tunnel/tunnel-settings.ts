/**
 * Sizes and limits of the relay's tunnel sessions.
 *
 * Memory bound. The relay only moves bytes from one stream to its partner; it holds, per paired
 * stream and direction, at most the receive window it granted on the inbound stream (`maxWindow`
 * at most) plus what sits in the outbound stream's writable buffer
 * (its 64 KiB high-water mark plus one frame, ≤ 64 KiB). Per session the WebSocket buffers at most
 * the protocol's high-water mark (256 KiB) of DATA plus control frames, which the protocol caps at
 * 1 MiB queued (a peer that floods PINGs or refused OPENs without reading is cut off with GOAWAY
 * ENHANCE_YOUR_CALM). So, with the defaults:
 *
 *   per paired stream   ≤ 2 × (maxWindow + 128 KiB)             = 2.25 MiB
 *   per user            ≤ maxStreamsPerUser × 2.25 MiB + (256 KiB + 1 MiB) per session
 *                       ≈ 288 MiB (128 streams) + 20 MiB (16 sessions)
 *
 * A stream's window is its share of its session's budget — about one measured bandwidth-delay
 * product, shared by the streams receiving data (`protocol/IMPLEMENTATION.md`, "Window sizing") —
 * and never above `maxWindow`, whatever the peer does to the estimate (a peer that delays its PONGs
 * only raises the budget up to that cap); so the worst case needs a user who reads fast and then
 * stalls on every stream at once, and in practice a session holds about one product, not one
 * window per stream. 1 MiB windows still carry ~20 MiB/s per stream at 50 ms RTT.
 */
import { DEFAULTS, type SessionOptions } from '@switchboard/protocol';

export interface TunnelSettings {
  /** Receive window every relay-side stream starts with (bytes). */
  initialWindow: number;
  /** Auto-tuning cap of relay-side receive windows (bytes); the memory bound scales with it. */
  maxWindow: number;
  maxFramePayload: number;
  /** Concurrent streams one user session may have open (its MAX_STREAMS setting). */
  maxStreamsPerSession: number;
  /** Concurrent streams one user may have open across all their sessions. */
  maxStreamsPerUser: number;
  /**
   * Tunnel sessions one user may hold at once (a desktop app and a few `switchboard proxy`
   * processes each hold one); more get a 429 on the upgrade. Each session costs the relay its
   * WebSocket buffers and up to 1 MiB of queued control frames even with no stream open.
   */
  maxSessionsPerUser: number;
  /** OPENs per second per user (token bucket refill) and the burst it allows. */
  userOpenRatePerSecond: number;
  userOpenBurst: number;
  /** How long the relay waits for the agent to answer an OPEN before telling the user it is offline. */
  agentOpenTimeoutMs: number;
  pingIntervalMs: number;
  idleTimeoutMs: number;
  writeTimeoutMs: number;
  /**
   * How often live agent sessions are checked against the registry (credential revoked or expired,
   * cluster deleted by the CLI from another process). API deletions close sessions at once.
   */
  credentialCheckIntervalMs: number;
  /** On shutdown, how long sessions may drain after GOAWAY before they are closed. */
  drainTimeoutMs: number;
  /**
   * An OPEN for a cluster with no agent session that had one this recently waits (within the agent
   * OPEN timeout) for the agent to come back: a drained replica's agents reconnect elsewhere, and
   * kubectl should not fail in between.
   */
  sessionReturnGraceMs: number;
  /**
   * Least time (relay clock) between two heartbeats of one agent session; sooner ones are refused
   * and the session stays up. Agents beat once a minute by default; this only stops a flood.
   */
  minHeartbeatSpacingMs: number;
}

export const DEFAULT_TUNNEL_SETTINGS: TunnelSettings = {
  initialWindow: DEFAULTS.initialWindow,
  maxWindow: 1024 * 1024,
  maxFramePayload: DEFAULTS.maxFramePayload,
  maxStreamsPerSession: 128,
  maxStreamsPerUser: 128,
  maxSessionsPerUser: 16,
  userOpenRatePerSecond: 50,
  userOpenBurst: 100,
  agentOpenTimeoutMs: 15_000,
  pingIntervalMs: DEFAULTS.pingIntervalMs,
  idleTimeoutMs: DEFAULTS.idleTimeoutMs,
  writeTimeoutMs: DEFAULTS.writeTimeoutMs,
  credentialCheckIntervalMs: 30_000,
  drainTimeoutMs: 5_000,
  sessionReturnGraceMs: 5_000,
  minHeartbeatSpacingMs: 1_000,
};

/** The protocol session options of the relay's sessions (agents, users, peers) with these settings. */
export function tunnelSessionOptions(
  settings: TunnelSettings,
  maxStreams: number,
): Omit<SessionOptions, 'role'> {
  return {
    initialWindow: settings.initialWindow,
    maxWindow: settings.maxWindow,
    maxFramePayload: settings.maxFramePayload,
    maxStreams,
    pingIntervalMs: settings.pingIntervalMs,
    idleTimeoutMs: settings.idleTimeoutMs,
    writeTimeoutMs: settings.writeTimeoutMs,
  };
}
