import type { AppApi } from '@switchboard/contract/app';

/** The renderer's link to the core: the contract's API, and word when the core goes away. */
export interface CoreConnection {
  api: AppApi;
  /**
   * Calls `listener` once, with what to tell the person, if the core stops answering for good;
   * returns the unsubscribe function.
   */
  onLost(listener: (reason: string) => void): () => void;
}
