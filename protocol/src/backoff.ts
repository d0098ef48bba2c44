export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** A connection that lasted this long counts as healthy: the next failure starts over from `baseMs`. */
  healthyAfterMs?: number;
  /** Uniform in [0, 1). */
  random?: () => number;
  now?: () => number;
}

/**
 * Reconnect delays with full jitter (a uniformly random delay up to an exponentially growing
 * ceiling), so a relay restart does not bring every agent back in the same instant.
 */
export class ReconnectBackoff {
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly healthyAfterMs: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private failures = 0;
  private connectedAt: number | undefined;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 500;
    this.capMs = options.capMs ?? 30_000;
    this.healthyAfterMs = options.healthyAfterMs ?? 60_000;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** The delay before the next attempt; each call counts as one more failure. */
  nextDelayMs(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 52));
    this.failures++;
    return Math.floor(this.random() * ceiling);
  }

  connected(): void {
    this.connectedAt = this.now();
  }

  disconnected(): void {
    if (this.connectedAt !== undefined && this.now() - this.connectedAt >= this.healthyAfterMs)
      this.failures = 0;
    this.connectedAt = undefined;
  }

  /** The exponent so far, for logs. */
  get attempts(): number {
    return this.failures;
  }
}
