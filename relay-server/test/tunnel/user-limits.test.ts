/** A user's limits as one relay process counts them. */
import { describe, expect, it } from 'vitest';
import { type Admission, type Admitted, LocalUserLimits } from '../../src/tunnel/user-limits.js';

const SETTINGS = { maxStreamsPerUser: 2, maxSessionsPerUser: 1, userOpenRatePerSecond: 1, userOpenBurst: 3 };

function admitted(admission: Admission): Admitted {
  if (!admission.admitted) throw new Error(`refused: ${admission.message}`);
  return admission;
}

describe('LocalUserLimits', () => {
  it('concurrent streams: refused past the limit, per user, until one is released', async () => {
    const limits = new LocalUserLimits(SETTINGS);
    const first = admitted(await limits.admitStream('ann'));
    admitted(await limits.admitStream('ann'));
    expect(await limits.admitStream('ann')).toEqual({
      admitted: false,
      limit: 'concurrent-streams',
      message: 'too many concurrent streams: at most 2 per user',
      held: 2,
    });
    admitted(await limits.admitStream('bob'));
    first.release();
    first.release(); // a second release gives nothing back twice
    admitted(await limits.admitStream('ann'));
    expect(await limits.admitStream('ann')).toMatchObject({ admitted: false, limit: 'concurrent-streams' });
    expect(limits.streamsHeld()).toEqual(
      new Map([
        ['ann', 2],
        ['bob', 1],
      ]),
    );
  });

  it('OPEN rate: the burst, then refused; a refusal by concurrency costs no token', async () => {
    // Slow enough that no token refills while the test runs.
    const limits = new LocalUserLimits({ ...SETTINGS, maxStreamsPerUser: 1, userOpenRatePerSecond: 0.1 });
    const held = admitted(await limits.admitStream('ann'));
    expect(await limits.admitStream('ann')).toMatchObject({ limit: 'concurrent-streams' });
    held.release();
    admitted(await limits.admitStream('ann')).release();
    admitted(await limits.admitStream('ann')).release();
    expect(await limits.admitStream('ann')).toEqual({
      admitted: false,
      limit: 'open-rate',
      message: 'too many streams opened: at most 0.1 per second',
    });
    expect(await limits.admitStream('bob')).toMatchObject({ admitted: true });
  });

  it('sessions: refused past the limit with how many the user holds; released, the place is free', async () => {
    const limits = new LocalUserLimits(SETTINGS);
    const session = admitted(await limits.admitSession('ann'));
    expect(await limits.admitSession('ann')).toEqual({
      admitted: false,
      limit: 'sessions',
      message:
        'you hold 1 tunnel sessions, the most the relay allows per user; stop another Switchboard proxy or app, or wait for its session to end',
      held: 1,
    });
    expect(limits.sessionsHeld()).toEqual(new Map([['ann', 1]]));
    session.release();
    expect(limits.sessionsHeld()).toEqual(new Map());
    admitted(await limits.admitSession('ann'));
  });

  it('counts what another limiter admitted without refusing it or charging the rate', () => {
    const limits = new LocalUserLimits({ ...SETTINGS, userOpenBurst: 1 });
    const counted = [limits.countStream('ann'), limits.countStream('ann'), limits.countStream('ann')];
    expect(limits.streamsHeld()).toEqual(new Map([['ann', 3]]));
    expect(limits.admitStreamNow('ann')).toMatchObject({ limit: 'concurrent-streams', held: 3 });
    for (const stream of counted) stream.release();
    expect(limits.admitStreamNow('ann')).toMatchObject({ admitted: true });
    limits.countSession('ann');
    expect(limits.admitSessionNow('ann')).toMatchObject({ limit: 'sessions' });
  });
});
