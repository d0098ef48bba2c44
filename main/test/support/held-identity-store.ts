import {
  EphemeralLocalIdentityStore,
  type LocalIdentity,
  type LocalIdentityStore,
} from '../../src/core/local-proxy/local-identity.js';

/** Holds every `load` until `release()`, so a test can act while the proxy start waits on it. */
export class HeldIdentityStore implements LocalIdentityStore {
  readonly #inner = new EphemeralLocalIdentityStore();
  readonly #held: Promise<void>;
  release = () => {};
  #onLoad = () => {};
  /** Resolves at the first `load`. */
  readonly loading = new Promise<void>((resolve) => {
    this.#onLoad = resolve;
  });

  constructor() {
    this.#held = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  async load(): Promise<LocalIdentity | undefined> {
    this.#onLoad();
    await this.#held;
    return this.#inner.load();
  }
  save(identity: LocalIdentity): Promise<void> {
    return this.#inner.save(identity);
  }
  remove(): Promise<void> {
    return this.#inner.remove();
  }
}
