import { pipeline } from 'node:stream';
import type { Stream } from './stream.js';

/**
 * Joins two streams of different sessions end to end, as a relay does: bytes, half-closes and
 * resets pass through both ways. A byte counts against the window of the stream it arrived on until
 * its partner has framed it onto the other session, so what the relay holds for a direction never
 * exceeds the window it granted on the inbound stream. `onEnd` runs once per direction, with the
 * error that ended it, if any (either side's error resets both).
 */
export function spliceStreams(a: Stream, b: Stream, onEnd: (error?: Error) => void = () => {}): void {
  a.forwardInto(b);
  b.forwardInto(a);
  const ended = (error: Error | null | undefined) => {
    if (error) {
      a.destroy(error);
      b.destroy(error);
    }
    onEnd(error ?? undefined);
  };
  pipeline(a, b, ended);
  pipeline(b, a, ended);
}
