import { describe, expect, test } from 'vitest';
import { ReconnectBackoff } from '../src/backoff.js';
import { prng } from './harness.js';

describe('reconnect backoff', () => {
  test('ceilings double from the base and stop at the cap', () => {
    const backoff = new ReconnectBackoff({ random: () => 0.999999 });
    const delays = Array.from({ length: 10 }, () => backoff.nextDelayMs());
    expect(delays).toEqual([499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999, 29999]);
  });

  test('full jitter: uniform between zero and the ceiling', () => {
    const random = prng(123);
    const samples = 20_000;
    for (const [failures, ceiling] of [
      [0, 500],
      [3, 4000],
      [20, 30_000],
    ] as const) {
      const delays: number[] = [];
      for (let i = 0; i < samples; i++) {
        const backoff = new ReconnectBackoff({ random });
        for (let f = 0; f < failures; f++) backoff.nextDelayMs();
        delays.push(backoff.nextDelayMs());
      }
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      const mean = delays.reduce((a, b) => a + b, 0) / samples;
      expect(Math.abs(mean - ceiling / 2)).toBeLessThan(ceiling * 0.02);
      const lowQuarter = delays.filter((d) => d < ceiling / 4).length / samples;
      expect(Math.abs(lowQuarter - 0.25)).toBeLessThan(0.02);
    }
  });

  test('starts over after a connection that stayed up for a minute, not before', () => {
    let now = 0;
    const backoff = new ReconnectBackoff({ random: () => 0.999999, now: () => now });
    for (let i = 0; i < 5; i++) backoff.nextDelayMs();
    backoff.connected();
    now += 59_999;
    backoff.disconnected();
    expect(backoff.nextDelayMs()).toBe(15_999);

    backoff.connected();
    now += 60_000;
    backoff.disconnected();
    expect(backoff.attempts).toBe(0);
    expect(backoff.nextDelayMs()).toBe(499);
  });

  test('a disconnect without a connect (failed dial) keeps growing', () => {
    const backoff = new ReconnectBackoff({ random: () => 0.5, now: () => 1e9 });
    backoff.nextDelayMs();
    backoff.disconnected();
    expect(backoff.nextDelayMs()).toBe(500);
  });
});
