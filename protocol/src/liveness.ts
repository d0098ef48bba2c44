import { PING_PAYLOAD_SIZE } from './constants.js';

export interface LivenessOptions {
  pingIntervalMs: number;
  idleTimeoutMs: number;
  writeTimeoutMs: number;
}

interface OutstandingPing {
  sentAt: number;
  settle?: (rttMs: number) => void;
}

/**
 * Decides when to ping and when the peer is gone. A peer is dead when nothing has arrived for the
 * idle timeout, when a PING stayed unanswered that long (a peer that still talks but no longer
 * reads), or when the socket accepted none of our pending bytes for the write timeout.
 */
export class Liveness {
  private lastInboundAt: number;
  private lastPingAt = Number.NEGATIVE_INFINITY;
  private readonly pings = new Map<bigint, OutstandingPing>();
  private nextPingId = 0n;
  private smoothedRtt: number | undefined;

  constructor(
    private readonly options: LivenessOptions,
    now: number,
  ) {
    this.lastInboundAt = now;
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

  /** Returns the opaque payload of a new PING. */
  ping(now: number, settle?: (rttMs: number) => void): Buffer {
    const id = this.nextPingId++;
    const opaque = Buffer.alloc(PING_PAYLOAD_SIZE);
    opaque.writeBigUInt64BE(id);
    this.pings.set(id, settle ? { sentAt: now, settle } : { sentAt: now });
    this.lastPingAt = now;
    return opaque;
  }

  pong(opaque: Buffer, now: number): void {
    const id = opaque.readBigUInt64BE();
    const ping = this.pings.get(id);
    if (!ping) return;
    this.pings.delete(id);
    const sample = now - ping.sentAt;
    this.smoothedRtt = this.smoothedRtt === undefined ? sample : 0.875 * this.smoothedRtt + 0.125 * sample;
    ping.settle?.(sample);
  }

  pingDue(now: number): boolean {
    return now - this.lastPingAt >= this.options.pingIntervalMs;
  }

  /** A reason when the session must be declared dead, else undefined. */
  deathReason(now: number, bufferedBytes: number, lastWriteProgressAt: number): string | undefined {
    const { idleTimeoutMs, writeTimeoutMs } = this.options;
    if (now - this.lastInboundAt > idleTimeoutMs) return `nothing received for ${idleTimeoutMs} ms`;
    for (const ping of this.pings.values()) {
      if (now - ping.sentAt > idleTimeoutMs) return `PING unanswered for ${idleTimeoutMs} ms`;
    }
    if (bufferedBytes > 0 && now - lastWriteProgressAt > writeTimeoutMs) {
      return `socket accepted no bytes for ${writeTimeoutMs} ms`;
    }
    return undefined;
  }
}
