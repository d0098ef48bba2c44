import { randomBytes } from 'node:crypto';
import { PING_PAYLOAD_SIZE } from './constants.js';

export interface LivenessOptions {
  pingIntervalMs: number;
  idleTimeoutMs: number;
  writeTimeoutMs: number;
}

const PROBE_INTERVAL_MS = 1_000;

interface OutstandingPing {
  sentAt: number;
  settle?: (rttMs: number) => void;
}

/**
 * Decides when to ping and when the peer is gone. A peer is dead when nothing has arrived for the
 * idle timeout, when a PING stayed unanswered that long (a peer that still talks but no longer
 * reads), or when bytes we queued on the socket have not left within the write timeout.
 *
 * PING payloads are random: a counter could be answered blind by a peer that never reads. And the
 * write watchdog follows our own queued bytes, not reads or any single write completing: a peer
 * that trickles reads lets a frame through now and then, yet what was queued a write timeout ago
 * must still have left by now.
 */
export class Liveness {
  private lastInboundAt: number;
  private lastPingAt = Number.NEGATIVE_INFINITY;
  private readonly pings = new Map<string, OutstandingPing>();
  private smoothedRtt: number | undefined;
  /** Bytes handed to the socket, and bytes it has passed on, since the session started. */
  private queuedBytes = 0;
  private flushedBytes = 0;
  /** Every byte queued up to `drainTarget` must have left within the write timeout of `drainTargetAt`. */
  private drainTarget = 0;
  private drainTargetAt: number;

  constructor(
    private readonly options: LivenessOptions,
    now: number,
  ) {
    this.lastInboundAt = now;
    this.drainTargetAt = now;
  }

  /** Smoothed round-trip time (RFC 6298 weights), once a PONG has come back. */
  get rttMs(): number | undefined {
    return this.smoothedRtt;
  }

  /** How often `check` should run for the timeouts to hold within a quarter of their length. */
  get checkEveryMs(): number {
    const { pingIntervalMs, idleTimeoutMs, writeTimeoutMs } = this.options;
    return Math.max(5, Math.min(pingIntervalMs, idleTimeoutMs / 4, writeTimeoutMs / 4));
  }

  inbound(now: number): void {
    this.lastInboundAt = now;
  }

  /** Bytes handed to the socket. */
  queued(bytes: number): void {
    this.queuedBytes += bytes;
  }

  /** Bytes the socket passed on (its write callback ran). */
  flushed(bytes: number): void {
    this.flushedBytes += bytes;
  }

  /** Returns the opaque payload of a new PING. */
  ping(now: number, settle?: (rttMs: number) => void): Buffer {
    const opaque = randomBytes(PING_PAYLOAD_SIZE);
    this.pings.set(opaque.toString('hex'), settle ? { sentAt: now, settle } : { sentAt: now });
    this.lastPingAt = now;
    return opaque;
  }

  /** Takes a PONG: the round trip it measured, or undefined when it answers no PING we sent (or one already answered). */
  pong(opaque: Buffer, now: number): number | undefined {
    const id = opaque.toString('hex');
    const ping = this.pings.get(id);
    if (!ping) return undefined;
    this.pings.delete(id);
    const sample = now - ping.sentAt;
    this.smoothedRtt = this.smoothedRtt === undefined ? sample : 0.875 * this.smoothedRtt + 0.125 * sample;
    ping.settle?.(sample);
    return sample;
  }

  pingDue(now: number): boolean {
    return now - this.lastPingAt >= this.options.pingIntervalMs;
  }

  /** While data flows, a round-trip sample at least this often keeps the flow-control budget current. */
  probeDue(now: number): boolean {
    return now - this.lastPingAt >= PROBE_INTERVAL_MS;
  }

  /** A reason when the session must be declared dead, else undefined. Call every `checkEveryMs`. */
  deathReason(now: number): string | undefined {
    const { idleTimeoutMs, writeTimeoutMs } = this.options;
    if (now - this.lastInboundAt > idleTimeoutMs) return `nothing received for ${idleTimeoutMs} ms`;
    for (const ping of this.pings.values()) {
      if (now - ping.sentAt > idleTimeoutMs) return `PING unanswered for ${idleTimeoutMs} ms`;
    }
    if (this.flushedBytes >= this.drainTarget) {
      this.drainTarget = this.queuedBytes;
      this.drainTargetAt = now;
    } else if (now - this.drainTargetAt > writeTimeoutMs) {
      return `bytes queued ${writeTimeoutMs} ms ago have still not left (the peer does not read)`;
    }
    return undefined;
  }
}
