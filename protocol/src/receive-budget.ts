/**
 * How many bytes a session lets its peer have in flight towards it, across all streams: what the
 * path carries in a round trip, measured, with a little headroom — not the sum of the streams'
 * windows.
 *
 * Everything a sender may send beyond what the path carries in one round trip waits in a queue
 * (its socket's send buffer, the bottleneck router's queue), and on a multiplexed session that
 * queue is in front of every stream: an exec keystroke behind four downloads waits for all of it.
 * So the receiver estimates the path — the fastest delivery rate seen recently times the smallest
 * PING round trip seen recently, as BBR does for a congestion window — plus what a credit's round
 * trip adds to the path's: the frame being serialized when the WINDOW arrives, and a turn of each
 * side's event loop. The active streams share 8/7 of that, never less than a floor that keeps a
 * loopback or LAN session (where the product is a few KiB, and a busy process's scheduling gaps
 * are what the windows must cover) at full speed. 8/7 because, on such a path, a stream is granted
 * more credit once an eighth of its window is free (`ReceiveWindow`): it keeps ⅞ outstanding.
 *
 * Not the credit loop's own round trip (a WINDOW out, the first byte it allowed back): that
 * includes the queue the budget is meant to keep short, and a budget sized by it grows its own
 * queue. The estimates are filtered over time so that a changed path is learned: the maximum
 * rate over the last `RATE_WINDOW_MS`, the minimum round trip over the last 10–20 s (two buckets).
 */

/** Budget per byte the credit loop needs (see above). */
const GAIN = 8 / 7;
/** A turn of the event loop on each side of the credit loop, as time at the delivery rate. */
const PROCESSING_MS = 2;
const RATE_WINDOW_MS = 2_000;
/**
 * Shortest interval a rate sample spans (and at least two round trips): shorter ones measure the
 * event loop and the bursts a window-limited sender sends, not the path.
 */
const MIN_SAMPLE_MS = 20;
const RTT_BUCKET_MS = 10_000;

export class ReceiveBudget {
  readonly #floor: number;
  #sampleStart: number | undefined;
  #sampleBytes = 0;
  #maxRate = 0;
  #maxRateAt = Number.NEGATIVE_INFINITY;
  readonly #minRtt = new WindowedMin(RTT_BUCKET_MS);

  constructor(
    /** The budget never goes below this (bytes). */
    floor: number,
    /** The largest DATA payload the peer may send (this side's MAX_FRAME_PAYLOAD). */
    private readonly framePayload: number,
  ) {
    this.#floor = floor;
  }

  /** The smallest PING round trip of the last 10–20 s, in ms, once there is one. */
  get minRttMs(): number | undefined {
    return this.#minRtt.value;
  }

  /** Bytes per ms: the fastest delivery seen in the last `RATE_WINDOW_MS`. */
  get deliveryRate(): number {
    return this.#maxRate;
  }

  /** The estimated bandwidth-delay product (bytes), 0 until a round trip is measured. */
  get product(): number {
    const rtt = this.minRttMs;
    return rtt === undefined ? 0 : Math.ceil(this.#maxRate * rtt);
  }

  /** What one credit's round trip needs in flight: the product, a frame, a turn on each side. */
  get #creditLoopBytes(): number {
    if (this.product === 0) return 0;
    return this.product + this.framePayload + Math.ceil(this.#maxRate * PROCESSING_MS);
  }

  /** The session's budget for bytes in flight towards it, across its active streams. */
  get bytes(): number {
    return Math.max(this.#floor, Math.ceil(GAIN * this.#creditLoopBytes));
  }

  /**
   * Whether grants must come every eighth of a window: when the budget is close to what the path
   * needs, a stream that waited for half its window to drain would leave the path idle. Where
   * the floor is twice that or more (loopback, a LAN), coarser grants cost nothing and save frames.
   */
  get needsFineGrants(): boolean {
    return this.#floor < 2 * this.#creditLoopBytes;
  }

  /** A DATA payload arrived. */
  received(bytes: number, now: number): void {
    // A sample counts the bytes that arrived after its start: those at the start took the time before it.
    if (this.#sampleStart === undefined) {
      this.#sampleStart = now;
      return;
    }
    this.#sampleBytes += bytes;
    const elapsed = now - this.#sampleStart;
    if (elapsed < Math.max(MIN_SAMPLE_MS, 2 * (this.minRttMs ?? 0))) return;
    const rate = this.#sampleBytes / elapsed;
    if (rate >= this.#maxRate || now - this.#maxRateAt > RATE_WINDOW_MS) {
      this.#maxRate = rate;
      this.#maxRateAt = now;
    }
    this.#sampleStart = now;
    this.#sampleBytes = 0;
  }

  /** A round trip was measured (PING to PONG). */
  roundTrip(rttMs: number, now: number): void {
    this.#minRtt.add(rttMs, now);
  }
}

/** The minimum of the samples of the current and the previous bucket of `bucketMs`. */
class WindowedMin {
  #bucketStart = Number.NEGATIVE_INFINITY;
  #current = Number.POSITIVE_INFINITY;
  #previous = Number.POSITIVE_INFINITY;

  constructor(private readonly bucketMs: number) {}

  get value(): number | undefined {
    const min = Math.min(this.#current, this.#previous);
    return Number.isFinite(min) ? min : undefined;
  }

  add(sample: number, now: number): void {
    if (now - this.#bucketStart >= this.bucketMs) {
      this.#previous = this.#current;
      this.#current = Number.POSITIVE_INFINITY;
      this.#bucketStart = now;
    }
    this.#current = Math.min(this.#current, sample);
  }
}
