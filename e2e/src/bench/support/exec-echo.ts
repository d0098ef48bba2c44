/**
 * The exec echo round trip of the interactive benchmarks: on an open WebSocket exec of `cat`
 * (`v5.channel.k8s.io`, see `kube.ts`), one byte on stdin, wait for it on stdout, repeat.
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';

export interface EchoLimits {
  /** The phase stops after this long, whatever its count (a loaded phase can be slow). */
  phaseLimitMs: number;
  /** An echo that takes longer is recorded as this long and ends the phase. */
  echoTimeoutMs: number;
}

/** Up to `count` one-byte round trips, each in ms, within `limits`. */
export async function echoes(
  ws: WebSocket,
  count: number,
  limits: EchoLimits,
): Promise<{ times: number[]; timedOut: boolean }> {
  const times: number[] = [];
  const phaseEnd = performance.now() + limits.phaseLimitMs;
  let timedOut = false;
  let waiting: ((data: Buffer) => void) | undefined;
  const onMessage = (data: Buffer) => waiting?.(data);
  ws.on('message', onMessage);
  try {
    for (let i = 0; i < count && !timedOut && performance.now() < phaseEnd; i++) {
      const byte = 0x41 + (i % 26);
      const start = performance.now();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timedOut = true;
          resolve();
        }, limits.echoTimeoutMs);
        waiting = (data) => {
          // Channel 1 (stdout) carrying our byte; anything else (e.g. an empty frame) is ignored.
          if (data[0] === 1 && data.length >= 2 && data[data.length - 1] === byte) {
            clearTimeout(timer);
            resolve();
          }
        };
        ws.send(Buffer.from([0, byte]));
      });
      times.push(performance.now() - start);
    }
  } finally {
    ws.off('message', onMessage);
    waiting = undefined;
  }
  return { times, timedOut };
}
