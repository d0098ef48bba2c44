/**
 * Who the app is signed in as, and where: the relay chosen (the remembered default at start),
 * sign-in through the system browser, sign-out, and "sign-in required" once the relay refuses the
 * session for good. What a signed-in session runs (status, tunnel, proxy) is the caller's: this
 * service says when it begins and ends.
 *
 * A browser sign-in runs in the background, its outcome arriving as `change` events; it completes
 * with the app's other changes, one at a time, so a sign-out or relay switch cannot interleave,
 * and after each await a relay switch or `close()` may have come in between: then nothing more
 * happens, so no session starts after shutdown or for another relay.
 */
import { EventEmitter } from 'node:events';
import type { AccountView, AppError, SignInState } from '@switchboard/contract/app';
import type { AccountRegistry } from '../accounts/account-registry.js';
import { AppRequestError, toAppError } from '../app/app-error.js';
import type { LocalIdentityStore } from '../local-proxy/local-identity.js';
import type { Logger } from '../logging/logger.js';
import { fetchRelayConfiguration } from '../relay-client/relay-configuration.js';
import { normalizeRelayUrl } from '../relay-client/relay-url.js';
import type { StoredTokens, TokenStore } from '../token-store/token-store.js';
import { accountViewOf } from './account-view.js';
import type { BrowserOpener } from './browser-opener.js';
import { DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS } from './browser-sign-in.js';
import { signInToRelay } from './sign-in-to-relay.js';
import { removeLocalIdentityWhenSignedOutEverywhere, signOutOfRelay } from './sign-out.js';

export interface SignInServiceOptions {
  registry: AccountRegistry;
  store: TokenStore;
  localIdentityStore: LocalIdentityStore;
  /** Opens the sign-in page: the system browser (tests: scripted Chromium). */
  openBrowser: BrowserOpener;
  signInTimeoutMs?: number;
  logger: Logger;
  /** Runs a change with the app's other changes, one at a time, in order. */
  serialize: <T>(change: () => Promise<T>) => Promise<T>;
  /** The user is signed in to `relayUrl`: the session begins. */
  beginSession: (relayUrl: string) => void;
  /** The session ends; `forget`: the account goes too (sign-out, another relay), and what was shown of it. */
  endSession: (forget: boolean) => Promise<void>;
  /** What must go at sign-out while the user is still signed in (the merged kubeconfig contexts). */
  beforeSignOut: () => Promise<void>;
}

/** The app state's sign-in part. */
export interface SignInView {
  signIn: SignInState;
  relayUrl?: string;
  account?: AccountView;
  /** The latest problem not tied to one request (sign-in failed, sign-in required…). */
  problem?: AppError;
}

export class SignInService extends EventEmitter<{ change: [] }> {
  readonly #options: SignInServiceOptions;
  #view: SignInView = { signIn: 'no-relay' };
  /** The browser sign-in under way: its abort, and when it is over (completion included). */
  #signIn: { abort: AbortController; done: Promise<void> } | undefined;
  #closed = false;

  constructor(options: SignInServiceOptions) {
    super();
    this.#options = options;
  }

  get view(): SignInView {
    return structuredClone(this.#view);
  }

  /**
   * At start: `relayUrl`, else the remembered default relay; with tokens for it in the store, the
   * user is signed in and the session begins at once.
   */
  async restore(relayUrl: string | undefined): Promise<void> {
    const chosen = relayUrl ?? (await this.#defaultRelay());
    if (!chosen) return;
    this.#view.relayUrl = normalizeRelayUrl(chosen);
    const tokens = await this.#options.store.load(this.#view.relayUrl);
    if (tokens) {
      this.#view.account = accountViewOf(tokens);
      this.#view.signIn = 'signed-in';
      this.#options.beginSession(this.#view.relayUrl);
    } else this.#view.signIn = 'signed-out';
  }

  /** First run or switching relays: checks the relay, then starts the browser sign-in to it. */
  async connectRelay(input: string): Promise<void> {
    const relayUrl = normalizeRelayUrl(input);
    // Fail now, in the form, when the URL is not a Switchboard relay or cannot be reached.
    await fetchRelayConfiguration(relayUrl);
    if (this.#view.relayUrl !== relayUrl) {
      this.#signIn?.abort.abort();
      await this.#options.endSession(true);
      this.#view.relayUrl = relayUrl;
      delete this.#view.account;
    }
    this.signIn();
  }

  /** Starts the browser sign-in (unless one is running); its outcome arrives as `change` events. */
  signIn(): void {
    const relayUrl = this.#view.relayUrl;
    if (!relayUrl) {
      throw new AppRequestError('invalid-request', 'no relay chosen yet: enter the relay URL first');
    }
    // An aborted sign-in (a relay switch) is on its way out: a new one may start.
    if (this.#signIn && !this.#signIn.abort.signal.aborted) return;
    const previous = this.#view.signIn;
    this.#view.signIn = 'signing-in';
    delete this.#view.problem;
    this.emit('change');
    const { logger } = this.#options;
    const abort = new AbortController();
    const done = signInToRelay(
      relayUrl,
      {
        kind: 'browser',
        openBrowser: this.#options.openBrowser,
        timeoutMs: this.#options.signInTimeoutMs ?? DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS,
        signal: abort.signal,
      },
      this.#options.store,
    )
      .then(
        (tokens) => this.#options.serialize(() => this.#complete(relayUrl, tokens, abort.signal)),
        (error: unknown) => {
          if (abort.signal.aborted) return;
          this.#view.signIn = previous;
          this.#view.problem = toAppError(error);
          logger.info({ err: (error as Error).message }, 'sign-in did not complete');
        },
      )
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        if (this.#view.signIn === 'signing-in') this.#view.signIn = previous;
        this.#view.problem = toAppError(error);
        logger.warn({ err: (error as Error).message }, 'could not start the signed-in session');
      });
    const signIn = {
      abort,
      done: done.finally(() => {
        if (this.#signIn === signIn) this.#signIn = undefined;
        this.emit('change');
      }),
    };
    this.#signIn = signIn;
  }

  /** Signs out of the current relay; the local identity goes once no relay holds a sign-in. */
  async signOut(): Promise<void> {
    const relayUrl = this.#view.relayUrl;
    this.#signIn?.abort.abort();
    await this.#options.beforeSignOut();
    await this.#options.endSession(true);
    const { store, localIdentityStore, registry, logger } = this.#options;
    if (relayUrl) await signOutOfRelay(relayUrl, store, logger);
    await removeLocalIdentityWhenSignedOutEverywhere(registry, store, localIdentityStore);
    this.#view.signIn = relayUrl ? 'signed-out' : 'no-relay';
    delete this.#view.account;
    delete this.#view.problem;
    this.emit('change');
  }

  /** The relay refused the signed-in session for good (`reason` says how): the user must sign in again. */
  signInRequired(reason: string): void {
    if (this.#view.signIn !== 'signed-in') return;
    this.#view.signIn = 'sign-in-required';
    this.#view.problem = {
      kind: 'sign-in-required',
      message: `Your sign-in to ${this.#view.relayUrl} has expired and could not be renewed (${reason}). Sign in again.`,
    };
    this.emit('change');
  }

  /** Stops a sign-in under way and waits until it is over. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#signIn?.abort.abort();
    await this.#signIn?.done;
  }

  /** A fresh session starts for the new sign-in (that of an expired one gave up). */
  async #complete(relayUrl: string, tokens: StoredTokens, signal: AbortSignal): Promise<void> {
    const wanted = () => !signal.aborted && !this.#closed && this.#view.relayUrl === relayUrl;
    if (!wanted()) return;
    await this.#options.registry.addSignedIn(relayUrl);
    if (!wanted()) return;
    this.#view.account = accountViewOf(tokens);
    this.#view.signIn = 'signed-in';
    delete this.#view.problem;
    await this.#options.endSession(false);
    if (!wanted()) return;
    this.#options.beginSession(relayUrl);
  }

  async #defaultRelay(): Promise<string | undefined> {
    try {
      return await this.#options.registry.selectRelay(undefined);
    } catch {
      return undefined;
    }
  }
}
