/**
 * Which desktop notifications a state change earns: a cluster went offline or came back, the
 * sign-in needs renewal. Pure (the clock is passed in) so it is tested without Electron. Rate-limited
 * as Slack and Teleport Connect do: several clusters changing together make one notification, a
 * flapping cluster notifies at most once a `perClusterQuietMs`, and no more than `maxPerWindow`
 * notifications show in any `windowMs`; what is held back is visible in the tray anyway. Off when
 * the user switched notifications off.
 */
import type { AppState, ClusterStatus } from '@switchboard/contract/app';

export interface Notice {
  title: string;
  body: string;
  /** What a click does: open the app, or start the sign-in. */
  action: 'open-window' | 'sign-in';
}

export interface NotificationLimits {
  perClusterQuietMs: number;
  windowMs: number;
  maxPerWindow: number;
}

export const DEFAULT_NOTIFICATION_LIMITS: NotificationLimits = {
  perClusterQuietMs: 5 * 60_000,
  windowMs: 60_000,
  maxPerWindow: 3,
};

const isDown = (status: ClusterStatus | undefined) => status === 'offline' || status === 'expired';

export class NotificationPolicy {
  readonly #limits: NotificationLimits;
  readonly #lastNoticeFor = new Map<string, number>();
  #shownAt: number[] = [];

  constructor(limits: NotificationLimits = DEFAULT_NOTIFICATION_LIMITS) {
    this.#limits = limits;
  }

  /** The notifications to show for the change from `previous` to `next` at `now`. */
  next(previous: AppState, next: AppState, now: number, enabled: boolean): Notice[] {
    if (!enabled) return [];
    const notices: Notice[] = [];
    if (next.signIn === 'sign-in-required' && previous.signIn !== 'sign-in-required') {
      notices.push({
        title: 'Switchboard: sign in again',
        body: next.problem?.message ?? 'Your sign-in expired. Click to sign in again.',
        action: 'sign-in',
      });
    }
    // Cluster changes mean something only while signed in (signing out drops every cluster).
    if (next.signIn === 'signed-in' && previous.signIn === 'signed-in') {
      const before = new Map(previous.clusters.map((cluster) => [cluster.name, cluster.status]));
      const quiet = (name: string) =>
        now - (this.#lastNoticeFor.get(name) ?? Number.NEGATIVE_INFINITY) < this.#limits.perClusterQuietMs;
      const wentDown = next.clusters.filter(
        (cluster) =>
          isDown(cluster.status) && before.get(cluster.name) === 'connected' && !quiet(cluster.name),
      );
      const cameBack = next.clusters.filter(
        (cluster) =>
          cluster.status === 'connected' && isDown(before.get(cluster.name)) && !quiet(cluster.name),
      );
      if (wentDown.length > 0)
        notices.push(
          clusterNotice(
            wentDown.map((each) => each.name),
            'offline',
          ),
        );
      if (cameBack.length > 0)
        notices.push(
          clusterNotice(
            cameBack.map((each) => each.name),
            'back',
          ),
        );
      for (const cluster of [...wentDown, ...cameBack]) this.#lastNoticeFor.set(cluster.name, now);
    }
    this.#shownAt = this.#shownAt.filter((at) => now - at < this.#limits.windowMs);
    const allowed = notices.slice(0, Math.max(0, this.#limits.maxPerWindow - this.#shownAt.length));
    for (const _ of allowed) this.#shownAt.push(now);
    return allowed;
  }
}

function clusterNotice(names: string[], change: 'offline' | 'back'): Notice {
  const listed =
    names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  if (change === 'offline') {
    return {
      title: names.length === 1 ? `${names[0]} is offline` : `${names.length} clusters are offline`,
      body: `kubectl cannot reach ${listed} until its agent reconnects.`,
      action: 'open-window',
    };
  }
  return {
    title: names.length === 1 ? `${names[0]} is back` : `${names.length} clusters are back`,
    body: `${listed} ${names.length === 1 ? 'is' : 'are'} connected again.`,
    action: 'open-window',
  };
}
