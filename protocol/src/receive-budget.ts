/**
 * How many bytes a session lets its peer have in flight towards it, across all streams: the path's
 * bandwidth-delay product, measured, with a little headroom — not the sum of the streams' windows.
 *
 * Everything a sender may send beyond what the path carries in one round trip waits in a queue
 * (its socket's send buffer, the bottleneck router's queue), and on a multiplexed session that
 * queue is in front of every stream: an exec keystroke behind four downloads waits for all of it.
 * So the receiver estimates the path — the fastest delivery rate seen recently times the smallest
 * round trip seen recently, as BBR does for a congestion window — and the active streams share a
 * budget of 4/3 of it, never less than a floor that keeps a loopback or LAN session (where the
 * product is a few KiB, and a busy process's scheduling gaps are what the windows must cover) at
 * full speed. 4/3 because a stream is granted more credit once a quarter of its window is free
 * (`ReceiveWindow`): a window of `W` keeps at least ¾·W outstanding, which must cover the product.
 *
 * The estimates are filtered over time windows so that a changed path is learned: a maximum rate
 * over the last `RATE_WINDOW_MS`, a minimum RTT over the last 10–20 s (two buckets).
 */

/** Budget per estimated bandwidth-delay product (see above). */
const GAIN = 4 / 3;
const RATE_WINDOW_MS = 2_000;
/** Shortest interval a rate sample spans: shorter ones measure the event loop, not the path. */
const MIN_SAMPLE_MS = 20;
const RTT_BUCKET_MS = 10_000;

export class ReceiveBudget {
  readonly #floor: number;
  #sampleStart: number | undefined;
  #sampleBytes = 0;
  #maxRate = 0;
  #maxRateAt = Number.NEGATIVE_INFINITY;
  readonly #pingRtt = new WindowedMin(RTT_BUCKET_MS);
  readonly #creditLoop = new WindowedMin(RTT_BUCKET_MS);

  constructor(
    /** The budget never goes below this (bytes). */
    floor: number,
  ) {
    this.#floor = floor;
  }

  /**
   * The round trip the windows must cover, in ms, once there is one: the shortest credit loop
   * (a WINDOW out, the first byte it allowed back) of the last 10–20 s, which includes the frames'
   * serialization and both sides' processing; before any, the shortest PING round trip.
   */
  get minRttMs(): number | undefined {
    return this.#creditLoop.value ?? this.#pingRtt.value;
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

  /** The session's budget for bytes in flight towards it, across its active streams. */
  get bytes(): number {
    return Math.max(this.#floor, Math.ceil(GAIN * this.product));
  }

  /**
   * Whether grants must come every quarter window: when the budget is close to the product, a
   * stream that waited for half its window to drain would leave the path idle. Where the floor
   * is twice the product or more (loopback, a LAN), coarser grants cost nothing and save frames.
   */
  get needsFineGrants(): boolean {
    return this.#floor < 2 * this.product;
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
    if (elapsed < Math.max(MIN_SAMPLE_MS, this.minRttMs ?? 0)) return;
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
    this.#pingRtt.add(rttMs, now);
  }

  /** A credit loop was measured (see `ReceiveWindow.creditLoopSample`). */
  creditLoop(ms: number, now: number): void {
    this.#creditLoop.add(ms, now);
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
