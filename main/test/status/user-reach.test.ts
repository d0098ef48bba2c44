/**
 * What the home screen says is true for the user now (`UserReach`, `presentClusters`): a relay
 * whose status stream stays down past the grace is unreachable and no cluster is green; an expired
 * sign-in is its own state; both recover by themselves; a never-joined agent reads as kubectl finds
 * it. The grace runs on fake timers, so each step is exact.
 */
import type { ClusterView } from '@switchboard/contract/app';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { presentClusters, UserReach } from '../../src/core/status/user-reach.js';

const GRACE_MS = 5_000;

function cluster(name: string, status: ClusterView['status'], extra: Partial<ClusterView> = {}): ClusterView {
  return {
    name,
    description: '',
    labels: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'operator:test',
    status,
    lastSeenAt: status === 'connecting' ? null : '2026-01-02T00:00:00.000Z',
    sessions: status === 'connected' ? 1 : 0,
    metadata: null,
    recommendedAgentVersion: '1.0.0',
    upgradeAvailable: false,
    ...extra,
  };
}

describe('UserReach', () => {
  let reach: UserReach;
  let changes: number;

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00.000Z') });
    reach = new UserReach({ graceMs: GRACE_MS });
    changes = 0;
    reach.on('change', () => changes++);
  });

  afterEach(() => {
    reach.close();
    vi.useRealTimers();
  });

  it('is live while the status stream is; a drop is "connecting" within the grace, then "relay-unreachable" confirmed as of the drop', () => {
    expect(reach.view).toEqual({ state: 'signed-out' });
    reach.observe({ signIn: 'signed-in', statusStream: 'idle' });
    expect(reach.view).toEqual({ state: 'connecting' });
    reach.observe({ signIn: 'signed-in', statusStream: 'live' });
    expect(reach.view).toEqual({ state: 'live' });

    vi.advanceTimersByTime(60_000);
    const droppedAt = new Date(Date.now()).toISOString();
    reach.observe({ signIn: 'signed-in', statusStream: 'reconnecting' });
    expect(reach.view).toEqual({ state: 'connecting', confirmedAt: droppedAt });

    // Still reconnecting, as the watcher reports each failed attempt: the grace is not restarted.
    vi.advanceTimersByTime(GRACE_MS - 1);
    reach.observe({ signIn: 'signed-in', statusStream: 'reconnecting' });
    expect(reach.view.state).toBe('connecting');
    const before = changes;
    vi.advanceTimersByTime(1);
    expect(reach.view).toEqual({ state: 'relay-unreachable', confirmedAt: droppedAt });
    expect(changes).toBe(before + 1);

    // The relay answers again: live, with nothing stale to date.
    reach.observe({ signIn: 'signed-in', statusStream: 'live' });
    expect(reach.view).toEqual({ state: 'live' });
  });

  it('a blip shorter than the grace never shows the relay as unreachable', () => {
    reach.observe({ signIn: 'signed-in', statusStream: 'live' });
    reach.observe({ signIn: 'signed-in', statusStream: 'reconnecting' });
    vi.advanceTimersByTime(GRACE_MS / 2);
    reach.observe({ signIn: 'signed-in', statusStream: 'live' });
    vi.advanceTimersByTime(GRACE_MS * 2);
    expect(reach.view).toEqual({ state: 'live' });
  });

  it('a relay never reached since the start is unreachable after the grace, with no confirmation time', () => {
    reach.observe({ signIn: 'signed-in', statusStream: 'reconnecting' });
    vi.advanceTimersByTime(GRACE_MS);
    expect(reach.view).toEqual({ state: 'relay-unreachable' });
  });

  it('an expired sign-in is its own state at once, stays so while signing in again, and recovers once signed in and live', () => {
    reach.observe({ signIn: 'signed-in', statusStream: 'live' });
    vi.advanceTimersByTime(1_000);
    const expiredAt = new Date(Date.now()).toISOString();
    // The watcher stops (idle) when the tokens cannot be renewed; the sign-in says why.
    reach.observe({ signIn: 'signed-in', statusStream: 'idle' });
    reach.observe({ signIn: 'sign-in-required', statusStream: 'idle' });
    expect(reach.view).toEqual({ state: 'sign-in-expired', confirmedAt: expiredAt });
    vi.advanceTimersByTime(GRACE_MS * 2);
    expect(reach.view.state).toBe('sign-in-expired');

    reach.observe({ signIn: 'signing-in', statusStream: 'idle' });
    expect(reach.view.state).toBe('sign-in-expired');
    reach.observe({ signIn: 'signed-in', statusStream: 'idle' });
    expect(reach.view.state).toBe('connecting');
    reach.observe({ signIn: 'signed-in', statusStream: 'live' });
    expect(reach.view).toEqual({ state: 'live' });
  });

  it('signing out forgets the confirmation time', () => {
    reach.observe({ signIn: 'signed-in', statusStream: 'live' });
    reach.observe({ signIn: 'signed-in', statusStream: 'reconnecting' });
    reach.observe({ signIn: 'signed-out', statusStream: 'idle' });
    expect(reach.view).toEqual({ state: 'signed-out' });
    vi.advanceTimersByTime(GRACE_MS * 2);
    expect(reach.view).toEqual({ state: 'signed-out' });
  });
});

describe('presentClusters', () => {
  const clusters = [
    cluster('up', 'connected'),
    cluster('down', 'offline'),
    cluster('new', 'connecting'),
    cluster('old', 'expired'),
    cluster('elsewhere', 'connected', { mayConnect: false }),
  ];

  it('while live: the relay’s status, a never-joined agent as not-joined (kubectl is told offline), and who may open what', () => {
    expect(
      presentClusters(clusters, 'live').map(({ name, presence, mayOpen }) => [name, presence, mayOpen]),
    ).toEqual([
      ['up', 'connected', true],
      ['down', 'offline', true],
      ['new', 'not-joined', true],
      ['old', 'expired', true],
      ['elsewhere', 'connected', false],
    ]);
  });

  it('while the relay is unreachable or the sign-in expired, nothing is current: every cluster is unknown, its last status kept', () => {
    for (const state of ['relay-unreachable', 'sign-in-expired'] as const) {
      const shown = presentClusters(clusters, state);
      expect(shown.map((view) => view.presence)).toEqual(Array(clusters.length).fill('unknown'));
      expect(shown.map((view) => view.status)).toEqual(clusters.map((view) => view.status));
    }
  });

  it('within the grace the last statuses stand (a blip does not flash the list)', () => {
    expect(presentClusters(clusters, 'connecting').map((view) => view.presence)).toEqual(
      presentClusters(clusters, 'live').map((view) => view.presence),
    );
  });
});
