/** Each `jti` is accepted once while its token could still be presented, and the memory is bounded. */
import { describe, expect, it } from 'vitest';
import { ReplayCache } from '../src/replay-cache.js';

describe('ReplayCache', () => {
  it('refuses a key seen before until its expiry plus the clock skew has passed', () => {
    const cache = new ReplayCache(30);
    expect(cache.remember('a', 100, 50)).toBe(true);
    expect(cache.remember('a', 100, 60)).toBe(false);
    expect(cache.remember('a', 100, 129)).toBe(false);
    expect(cache.remember('a', 100, 130)).toBe(true);
    expect(cache.remember('b', 100, 130)).toBe(true);
  });

  it('prunes expired keys, and refuses new ones (fails closed) when full of live ones', () => {
    const cache = new ReplayCache(0, 2);
    expect(cache.remember('a', 10, 0)).toBe(true);
    expect(cache.remember('b', 100, 0)).toBe(true);
    expect(cache.remember('c', 100, 1)).toBe(false);
    expect(cache.remember('c', 100, 10)).toBe(true);
    expect(cache.size).toBe(2);
  });
});
