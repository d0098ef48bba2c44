/** What the cluster browser pushed to its windows, and how a request failed, as the UI sees both. */
import type { AppError, AppEventName, AppEvents } from '@switchboard/contract/app';
import { expect } from 'vitest';
import { toAppError } from '../../src/core/app/app-error.js';

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
