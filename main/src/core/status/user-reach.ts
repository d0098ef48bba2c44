/**
 * What is true for this user now, in one place: whether what the relay says reaches them
 * (`RelayReach`, from the sign-in and the relay's status stream), and each cluster as kubectl will
 * find it (`presentClusters`). The cluster list, the proxy panel and the banners all render this,
 * so none of them can show a green "Connected" the relay no longer vouches for.
 *
 * A status stream that dropped gets a short grace before the relay counts as unreachable: a relay
 * restart or a network blip reconnects within it and should not flash every row. The reach
 * recovers by itself: the stream is live again, or the user signed in again.
 */
import { EventEmitter } from 'node:events';
import type {
  AppClusterView,
  AppState,
  ClusterPresence,
  ClusterView,
  RelayReach,
  RelayReachState,
  SignInState,
} from '@switchboard/contract/app';

/** How long a dropped status stream may reconnect before the relay counts as unreachable. */
export const RELAY_UNREACHABLE_GRACE_MS = 5_000;

export interface UserReachInputs {
  signIn: SignInState;
  statusStream: AppState['statusStream'];
}

export interface UserReachOptions {
  graceMs?: number;
  /** The clock (ms since the epoch); tests move it. */
  now?: () => number;
}

export class UserReach extends EventEmitter<{ change: [] }> {
  readonly #graceMs: number;
  readonly #now: () => number;
  #state: RelayReachState = 'signed-out';
  #inputs: UserReachInputs = { signIn: 'no-relay', statusStream: 'idle' };
  /** Since when the signed-in user has had no live status stream; undefined while live or signed out. */
  #notLiveSince: number | undefined;
  /** When the stream was last live (the statuses were last confirmed); undefined before it ever was. */
  #confirmedAt: number | undefined;
  #graceTimer: NodeJS.Timeout | undefined;

  constructor(options: UserReachOptions = {}) {
    super();
    this.#graceMs = options.graceMs ?? RELAY_UNREACHABLE_GRACE_MS;
    this.#now = options.now ?? (() => Date.now());
  }

  get view(): RelayReach {
    const confirmedAt = this.#state === 'live' ? undefined : this.#confirmedAt;
    return {
      state: this.#state,
      ...(confirmedAt !== undefined && { confirmedAt: new Date(confirmedAt).toISOString() }),
    };
  }

  /** Takes the sign-in and stream state as they are now; emits `change` when the reach changed. */
  observe(inputs: UserReachInputs): void {
    const now = this.#now();
    const signedIn = inputs.signIn === 'signed-in';
    if (this.#inputs.statusStream === 'live' && inputs.statusStream !== 'live') this.#confirmedAt = now;
    if (!signedIn || inputs.statusStream === 'live') this.#notLiveSince = undefined;
    else this.#notLiveSince ??= now;
    if (inputs.signIn === 'no-relay' || inputs.signIn === 'signed-out') this.#confirmedAt = undefined;
    this.#inputs = inputs;
    this.#evaluate();
  }

  /** Stops the grace timer (the core is closing). */
  close(): void {
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
  }

  #evaluate(): void {
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    const next = this.#derive();
    if (next !== this.#state) {
      this.#state = next;
      this.emit('change');
    }
  }

  #derive(): RelayReachState {
    const { signIn, statusStream } = this.#inputs;
    if (signIn === 'sign-in-required') return 'sign-in-expired';
    // Signing in again after an expiry: nothing works until it completes.
    if (signIn === 'signing-in' && this.#state === 'sign-in-expired') return 'sign-in-expired';
    if (signIn !== 'signed-in') return 'signed-out';
    if (statusStream === 'live') return 'live';
    const waited = this.#now() - (this.#notLiveSince ?? this.#now());
    if (waited >= this.#graceMs) return 'relay-unreachable';
    this.#graceTimer = setTimeout(() => this.#evaluate(), this.#graceMs - waited);
    this.#graceTimer.unref?.();
    return 'connecting';
  }
}

/**
 * The relay's clusters as this user can use them now. While the relay cannot be heard (or will not
 * hear the user), no status is current: each is `unknown`, its `status` the relay's last word. A
 * cluster whose agent never joined is `not-joined`: kubectl is refused with "offline" for it, so it
 * is presented as the problem it is, not as something under way.
 */
export function presentClusters(clusters: readonly ClusterView[], reach: RelayReachState): AppClusterView[] {
  return clusters.map((view) => ({
    ...view,
    presence: presenceOf(view, reach),
    mayOpen: view.mayConnect ?? true,
  }));
}

function presenceOf(view: ClusterView, reach: RelayReachState): ClusterPresence {
  if (reach === 'relay-unreachable' || reach === 'sign-in-expired') return 'unknown';
  return view.status === 'connecting' ? 'not-joined' : view.status;
}
