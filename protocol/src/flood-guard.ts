import type { FloodLimits } from './constants.js';
import { TokenBucket } from './token-bucket.js';

export type FloodKind = keyof FloodLimits;

const describe: Record<FloodKind, string> = {
  ping: 'PINGs',
  refusedOpen: 'refused OPENs',
  unproductive: 'frames that achieve nothing (for closed streams, unmatched PONGs, repeated GOAWAYs)',
};

/**
 * The per-kind rates of frames a peer may make this side handle for nothing, as HTTP/2 servers
 * bounded them after the 2019 flood advisories (CVE-2019-9512 ping, -9514 reset, -9515 settings,
 * -9518 empty frames) and nghttp2's later "glitch" rate: each kind is a token bucket, and a peer
 * that empties one is flooding.
 */
export class FloodGuard {
  readonly #buckets: Record<FloodKind, TokenBucket>;

  constructor(
    private readonly limits: FloodLimits,
    now: number,
  ) {
    const bucket = (kind: FloodKind) => new TokenBucket(limits[kind].perSecond, limits[kind].burst, now);
    this.#buckets = {
      ping: bucket('ping'),
      refusedOpen: bucket('refusedOpen'),
      unproductive: bucket('unproductive'),
    };
  }

  /** Counts one frame of `kind`; returns why the session must end if that was one too many. */
  count(kind: FloodKind, now: number): string | undefined {
    if (this.#buckets[kind].take(now)) return undefined;
    const { perSecond, burst } = this.limits[kind];
    return `flood: more than ${perSecond} ${describe[kind]} per second (burst ${burst})`;
  }
}
