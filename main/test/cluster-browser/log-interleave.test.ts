import { describe, expect, it } from 'vitest';
import { LogInterleaver, sortKey, splitTimestamp } from '../../src/core/cluster-browser/log-interleave.js';

describe('splitTimestamp', () => {
  it('takes the RFC 3339 time kubectl --timestamps puts first, and leaves other lines whole', () => {
    expect(splitTimestamp('2024-05-01T12:00:00.123456789Z GET / 200')).toEqual({
      time: '2024-05-01T12:00:00.123456789Z',
      text: 'GET / 200',
    });
    expect(splitTimestamp('no time here')).toEqual({ time: '', text: 'no time here' });
    expect(splitTimestamp('2024-05-01T12:00:00Z')).toEqual({ time: '2024-05-01T12:00:00Z', text: '' });
  });
});

describe('sortKey', () => {
  it('orders nanoseconds within one millisecond, and offsets as UTC', () => {
    expect(sortKey('2024-05-01T12:00:00.000000002Z') > sortKey('2024-05-01T12:00:00.000000001Z')).toBe(true);
    expect(sortKey('2024-05-01T12:00:00.5Z') > sortKey('2024-05-01T12:00:00.49Z')).toBe(true);
    expect(sortKey('2024-05-01T14:00:00+02:00')).toBe(sortKey('2024-05-01T12:00:00Z'));
  });
});

describe('LogInterleaver', () => {
  it('interleaves pods by time once lines settled, whatever order their streams arrived in', () => {
    const interleaver = new LogInterleaver(100);
    interleaver.add('web-b', 'app', '2024-05-01T12:00:02Z b2\n2024-05-01T12:00:04Z b4\n', 0);
    interleaver.add('web-a', 'app', '2024-05-01T12:00:01Z a1\n2024-05-01T12:00:03Z a3\n', 50);
    // Nothing has waited its 100 ms yet: a's earlier lines could still be on their way.
    expect(interleaver.take(60)).toEqual([]);
    const all = interleaver.take(200);
    expect(all.map((line) => `${line.pod} ${line.text}`)).toEqual([
      'web-a a1',
      'web-b b2',
      'web-a a3',
      'web-b b4',
    ]);
    expect(all[0]).toEqual({ pod: 'web-a', container: 'app', time: '2024-05-01T12:00:01Z', text: 'a1' });
  });

  it('joins a line split across chunks, keeps arrival order for equal times, and flushes a last partial line at the end', () => {
    const interleaver = new LogInterleaver(0);
    interleaver.add('p', 'c', '2024-05-01T12:00:00Z fir', 0);
    interleaver.add('p', 'c', 'st\n2024-05-01T12:00:00Z second\n2024-05-01T12:00:01Z unfinished', 0);
    expect(interleaver.take(0).map((line) => line.text)).toEqual(['first', 'second']);
    interleaver.endStream('p', 'c', 1);
    expect(interleaver.take(1).map((line) => line.text)).toEqual(['unfinished']);
    expect(interleaver.pendingCount).toBe(0);
  });

  it('take(all) releases lines that have not settled (the stream is ending)', () => {
    const interleaver = new LogInterleaver(10_000);
    interleaver.add('p', 'c', '2024-05-01T12:00:00Z x\r\n', 0);
    expect(interleaver.take(1)).toEqual([]);
    expect(interleaver.take(1, true).map((line) => line.text)).toEqual(['x']);
  });
});
