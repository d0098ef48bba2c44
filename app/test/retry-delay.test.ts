import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../src/state/retry-delay';

describe('retryDelayMs', () => {
  it('doubles per failure between half and all of the step', () => {
    expect(retryDelayMs(0, () => 0)).toBe(500);
    expect(retryDelayMs(0, () => 1)).toBe(1_000);
    expect(retryDelayMs(3, () => 0)).toBe(4_000);
    expect(retryDelayMs(3, () => 1)).toBe(8_000);
  });

  it('is capped at 30 s however long the failures go on', () => {
    expect(retryDelayMs(5, () => 1)).toBe(30_000);
    expect(retryDelayMs(1_000, () => 1)).toBe(30_000);
    expect(retryDelayMs(1_000, () => 0)).toBe(15_000);
  });
});
