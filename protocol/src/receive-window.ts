import { MIN_INITIAL_WINDOW } from './constants.js';

/**
 * The receiving half of per-stream flow control. The peer may send only `credit` more bytes; credit
 * is handed back only for bytes the local consumer has taken, so everything buffered for this stream
 * (in flight, queued, unread) fits in `size`, the window last granted.
 *
 * The window the next grant fills up to is the session's choice (`ReceiveBudget`: its share of the
 * path's bandwidth-delay product); it may be smaller than the last one, which takes effect as the
 * peer uses up credit it already has (credit granted is never taken back).
 */
export class ReceiveWindow {
  /** Bytes the peer may still send before it must wait for a WINDOW frame. */
  private credit: number;
  /** Bytes received, and the credit granted (the initial window included), since the stream began. */
  private receivedTotal = 0;
  private grantedTotal: number;
  /** The oldest grant whose credit no byte has used yet: where it started, and when it was sent. */
  private unusedGrant: { from: number; at: number } | undefined;

  constructor(
    /** The window last granted: credit outstanding plus bytes unconsumed never exceed it. */
    public size: number,
  ) {
    this.credit = size;
    this.grantedTotal = size;
  }

  /** Accounts for arriving bytes; false means the peer exceeded its credit. */
  receive(bytes: number): boolean {
    if (bytes > this.credit) return false;
    this.credit -= bytes;
    this.receivedTotal += bytes;
    return true;
  }

  /**
   * The credit loop's round trip, once the bytes received so far have started using a grant: from
   * the WINDOW leaving to the first byte it allowed arriving. For a sender that waits on credit this
   * is the round trip the window must cover — the path's, plus every frame's serialization and both
   * sides' processing, which a PING does not see.
   */
  creditLoopSample(now: number): number | undefined {
    if (this.unusedGrant === undefined || this.receivedTotal <= this.unusedGrant.from) return undefined;
    const sample = now - this.unusedGrant.at;
    this.unusedGrant = undefined;
    return sample;
  }

  /**
   * The increment to send in a WINDOW frame for a window of `target`, or 0 while too little of the
   * window has been consumed to be worth a frame (growth alone never is: a small response's stream
   * costs no WINDOW at all), or while a smaller target is still filled by credit already granted.
   */
  grant(unconsumed: number, target: number, fine = false, now = 0): number {
    const consumed = this.size - this.credit - unconsumed;
    if (consumed < grantThreshold(this.size, fine)) return 0;
    const increment = target - this.credit - unconsumed;
    if (increment < grantThreshold(target, fine)) return 0;
    this.size = target;
    this.credit += increment;
    this.unusedGrant ??= { from: this.grantedTotal, at: now };
    this.grantedTotal += increment;
    return increment;
  }
}

const KiB = 1024;

/**
 * The smallest window a stream's share may give it: twice its readable buffer (a quarter of the
 * initial window, see `Stream`). A stream asks for a grant when its reader drains that buffer; if
 * the peer has no credit left and nothing could be granted then, no byte would come to ask again.
 */
export function smallestWindow(initialWindow: number): number {
  return Math.max(MIN_INITIAL_WINDOW, initialWindow / 2);
}

/**
 * A quarter of the window, so that a window of 4/3 of the bandwidth-delay product keeps the path
 * full (¾ of it is always outstanding). Unless the path needs `fine` grants, no grant is below
 * 64 KiB (each WINDOW is a message to write, send and handle on both sides) unless that is more
 * than half the window.
 */
function grantThreshold(window: number, fine: boolean): number {
  const threshold = fine ? window / 4 : Math.min(window / 2, Math.max(window / 4, 64 * KiB));
  // A peer counts a smaller increment as unproductive (SPEC §8).
  return Math.max(threshold, MIN_INITIAL_WINDOW / 2);
}
