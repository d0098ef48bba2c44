/**
 * The receiving half of per-stream flow control. The peer may send only `credit` more bytes; credit
 * is handed back only for bytes the local consumer has taken, so everything buffered for this stream
 * (in flight, queued, unread) fits in `size`.
 */
export class ReceiveWindow {
  /** Bytes the peer may still send before it must wait for a WINDOW frame. */
  private credit: number;
  private lastGrantAt: number;

  constructor(
    /** The window currently offered; it only grows, by auto-tuning. */
    public size: number,
    private readonly maxSize: number,
    now: number,
  ) {
    this.credit = size;
    this.lastGrantAt = now;
  }

  /** Accounts for arriving bytes; false means the peer exceeded its credit. */
  receive(bytes: number): boolean {
    if (bytes > this.credit) return false;
    this.credit -= bytes;
    return true;
  }

  /**
   * The increment to send in a WINDOW frame, or 0 while less than half the window is free. If the
   * previous grant was less than two round trips ago the window is the bottleneck, so it doubles —
   * if `mayGrow` agrees (the session's budget for growth, shared by all its streams).
   *
   * Two round trips, not one (as QUIC's flow-control auto-tuning in Chromium does): a sender held
   * back by the window sends each new credit's worth as one burst, so grants come about once per
   * round trip, and the PING-measured RTT is shorter than the data path's under load; with one, the
   * window stopped growing exactly when it was the bottleneck on a busy machine.
   */
  grant(
    unconsumed: number,
    now: number,
    rttMs: number | undefined,
    mayGrow: (bytes: number) => boolean = () => true,
  ): number {
    if (this.size - this.credit - unconsumed < this.size / 2) return 0;
    if (rttMs !== undefined && now - this.lastGrantAt < 2 * rttMs) {
      const grown = Math.min(this.size * 2, this.maxSize);
      if (grown > this.size && mayGrow(grown - this.size)) this.size = grown;
    }
    this.lastGrantAt = now;
    const increment = this.size - this.credit - unconsumed;
    this.credit += increment;
    return increment;
  }
}
