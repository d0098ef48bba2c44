/**
 * What the cluster browser's tests stand on: kube-sim's demo cluster `dev` behind the stand-in relay
 * with a signed-in tunnel to it, what the browser pushed to its windows, and how a request failed, as
 * the UI sees both.
 */

import type { AppError, AppEventName, AppEvents } from '@switchboard/contract/app';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import { expect } from 'vitest';
import { toAppError } from '../../src/core/app/app-error.js';
import { RelayTunnel } from '../../src/core/tunnel/relay-tunnel.js';
import { type StandInRelay, startStandInRelay } from './stand-in-relay.js';

const TOKEN = 'user-access-token-for-the-stand-in-relay';

export interface DemoBehindRelay {
  sim: KubeSim;
  relay: StandInRelay;
  /** Up: its session is open. */
  tunnel: RelayTunnel;
  close(): Promise<void>;
}

/** The demo scenario (pods start at once) as cluster `dev` of a stand-in relay, and a tunnel to it. */
export async function startDemoBehindRelay(): Promise<DemoBehindRelay> {
  const [sim, relay] = await Promise.all([
    startKubeSim({ scenario: 'demo', podStartDelayMs: 0 }),
    startStandInRelay([TOKEN]),
  ]);
  relay.clusters.set('dev', { state: 'online', sim });
  const tunnel = new RelayTunnel({ relayUrl: relay.url, bearerToken: async () => TOKEN });
  tunnel.start();
  await tunnel.whenUp();
  return {
    sim,
    relay,
    tunnel,
    async close() {
      await tunnel.close();
      await relay.close();
      await sim.close();
    },
  };
}

/** Everything the browser pushed, with a way to wait for a push that matches. */
export class Pushes {
  readonly events: { event: AppEventName; data: unknown; owner: string | undefined }[] = [];

  readonly push = <E extends AppEventName>(event: E, data: AppEvents[E], owner: string | undefined) => {
    this.events.push({ event, data, owner });
  };

  of<E extends AppEventName>(event: E): AppEvents[E][] {
    return this.events.filter((each) => each.event === event).map((each) => each.data as AppEvents[E]);
  }

  async waitFor<E extends AppEventName>(
    event: E,
    match: (data: AppEvents[E]) => boolean,
  ): Promise<AppEvents[E]> {
    await expect.poll(() => this.of(event).some(match), { timeout: 20_000 }).toBe(true);
    return this.of(event).find(match)!;
  }
}

/** How the failure reaches the UI. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return toAppError(error);
  }
  throw new Error('expected the request to fail');
}
