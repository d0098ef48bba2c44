import { describe, expect, test } from 'vitest';
import { ReceiveBudget } from '../src/receive-budget.js';

const KiB = 1024;
const FRAME = 64 * KiB;

describe('ReceiveBudget', () => {
  test('is the floor until a round trip is measured', () => {
    const budget = new ReceiveBudget(512 * KiB, FRAME);
    for (let t = 0; t <= 100; t += 10) budget.received(1024 * KiB, t);
    expect(budget.bytes).toBe(512 * KiB);
  });

  test('is 8/7 of what a credit loop needs: rate × smallest round trip, a frame, a turn on each side', () => {
    const budget = new ReceiveBudget(512 * KiB, FRAME);
    budget.roundTrip(40, 0);
    budget.roundTrip(55, 1); // a round trip with a queue in it does not raise the minimum
    // 12.5 MB/s (100 Mbit/s) for half a second, sampled once per round trip: 500 KB in flight.
    for (let t = 0; t <= 500; t += 40) budget.received(12_500 * 40, t);
    expect(budget.deliveryRate).toBeCloseTo(12_500, 0);
    expect(budget.product).toBe(500_000);
    expect(budget.bytes).toBe(Math.ceil((8 / 7) * (500_000 + FRAME + 12_500 * 2)));
  });

  test('stays at the floor on a fast, short path', () => {
    const lan = new ReceiveBudget(512 * KiB, FRAME);
    lan.roundTrip(0.2, 0);
    for (let t = 0; t <= 100; t += 20) lan.received(20 * 100 * KiB, t); // 100 KiB/ms × 0.2 ms
    expect(lan.bytes).toBe(512 * KiB);
  });

  test('asks for fine grants only where the floor is less than twice what a credit loop needs', () => {
    const lan = new ReceiveBudget(512 * KiB, FRAME);
    lan.roundTrip(0.5, 0);
    for (let t = 0; t <= 100; t += 20) lan.received(20 * 20 * KiB, t); // 20 KiB/ms × 0.5 ms
    expect(lan.needsFineGrants).toBe(false);
    const wan = new ReceiveBudget(512 * KiB, FRAME);
    wan.roundTrip(40, 0);
    for (let t = 0; t <= 400; t += 40) wan.received(12_500 * 40, t); // 500 KB
    expect(wan.needsFineGrants).toBe(true);
  });

  test('forgets a rate after two seconds and a round trip after 10–20 s, so a changed path is learned', () => {
    const budget = new ReceiveBudget(64 * KiB, FRAME);
    budget.roundTrip(10, 0);
    for (let t = 0; t <= 100; t += 20) budget.received(200 * KiB, t); // 10 KiB/ms
    expect(budget.deliveryRate).toBeCloseTo(10 * KiB, 0);
    for (let t = 2_200; t <= 2_300; t += 20) budget.received(20 * KiB, t); // 1 KiB/ms
    expect(budget.deliveryRate).toBeCloseTo(KiB, 0);

    budget.roundTrip(30, 10_000); // a new bucket: the 10 ms sample is still in the previous one
    expect(budget.minRttMs).toBe(10);
    budget.roundTrip(30, 20_000);
    expect(budget.minRttMs).toBe(30);
  });
});
