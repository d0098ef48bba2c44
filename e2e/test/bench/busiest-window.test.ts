import { describe, expect, it } from 'vitest';
import { busiestWindow } from '../../src/bench/support/stats.js';

describe('busiestWindow', () => {
  it('finds a burst that straddles a 100 ms boundary, which fixed buckets split in two', () => {
    // 0–99 and 100–199 buckets would count 5 each; the interval [95, 195) holds all 10.
    const burst = [95, 96, 97, 98, 99, 100, 101, 102, 103, 104];
    expect(busiestWindow([0, ...burst, 400], 100)).toBe(10);
  });

  it('counts an interval as half-open: times exactly windowMs apart do not share one', () => {
    expect(busiestWindow([0, 100, 200, 300], 100)).toBe(1);
    expect(busiestWindow([0, 99.9, 200], 100)).toBe(2);
  });

  it('takes the times in any order, and says 0 for none', () => {
    expect(busiestWindow([350, 10, 300, 20, 340, 30], 100)).toBe(3);
    expect(busiestWindow([], 100)).toBe(0);
  });
});
