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
  constructor(
    /** The window last granted: credit outstanding plus bytes unconsumed never exceed it. */
    public size: number,
  ) {
    this.credit = size;
  }

  /** Accounts for arriving bytes; false means the peer exceeded its credit. */
  receive(bytes: number): boolean {
    if (bytes > this.credit) return false;
    this.credit -= bytes;
    return true;
  }

  /**
   * The increment to send in a WINDOW frame for a window of `target`, or 0 while too little of the
   * window has been consumed to be worth a frame (growth alone never is: a small response's stream
   * costs no WINDOW at all), or while a smaller target is still filled by credit already granted.
   */
  grant(unconsumed: number, target: number, fine = false): number {
    const consumed = this.size - this.credit - unconsumed;
    if (consumed < grantThreshold(this.size, fine)) return 0;
    const increment = target - this.credit - unconsumed;
    if (increment < grantThreshold(target, fine)) return 0;
    this.size = target;
    this.credit += increment;
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
 * Where the path needs `fine` grants, an eighth of the window, so that a window of 8/7 of what the
 * credit loop needs keeps the path full (⅞ of it is always outstanding). Elsewhere a quarter, but
 * no grant below 64 KiB (each WINDOW is a message to write, send and handle on both sides) unless
 * that is more than half the window.
 */
function grantThreshold(window: number, fine: boolean): number {
  const threshold = fine ? window / 8 : Math.min(window / 2, Math.max(window / 4, 64 * KiB));
  // A peer counts a smaller increment as unproductive (SPEC §8).
  return Math.max(threshold, MIN_INITIAL_WINDOW / 2);
}
