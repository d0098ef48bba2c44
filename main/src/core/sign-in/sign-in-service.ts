/**
 * Who the app is signed in as, and where: the relay chosen (the remembered default at start),
 * sign-in through the system browser or with a code entered on another device, its progress (did
 * the browser open; the code to enter), cancelling it, sign-out, and "sign-in required" once the
 * relay refuses the session for good. What a signed-in session runs (status, tunnel, proxy) is the caller's: this
 * service says when it begins and ends.
 *
 * A sign-in runs in the background, its outcome arriving as `change` events; it completes
 * with the app's other changes, one at a time, so a sign-out or relay switch cannot interleave,
 * and after each await a relay switch or `close()` may have come in between: then nothing more
 * happens, so no session starts after shutdown or for another relay.
 */
import { EventEmitter } from 'node:events';
import type { AccountView, AppError, SignInProgress, SignInState } from '@switchboard/contract/app';
import type { AccountRegistry } from '../accounts/account-registry.js';
import { AppRequestError, toAppError } from '../app/app-error.js';
import { externalLinkToOpen } from '../app/external-link.js';
import type { LocalIdentityStore } from '../local-proxy/local-identity.js';
import type { Logger } from '../logging/logger.js';
import { fetchRelayConfiguration } from '../relay-client/relay-configuration.js';
import { normalizeRelayUrl } from '../relay-client/relay-url.js';
import { KeychainUnavailableError } from '../token-store/os-keychain.js';
import type { StoredTokens, TokenStore } from '../token-store/token-store.js';
import { accountViewOf } from './account-view.js';
import type { BrowserOpener } from './browser-opener.js';
import { DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS } from './browser-sign-in.js';
import { type SignInMethod, signInToRelay } from './sign-in-to-relay.js';
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
  /** While signing in: how, and how far it got. */
  signInProgress?: SignInProgress;
}

/** A sign-in under way. */
interface RunningSignIn {
  abort: AbortController;
  /** The sign-in state to go back to when it is cancelled or fails. */
  previous: SignInState;
  progress: SignInProgress;
  /** The flow is over and its loopback listener closed (its outcome may still be being applied). */
  flowEnded: Promise<void>;
  /** Over, its outcome applied. */
  done: Promise<void>;
}

export class SignInService extends EventEmitter<{ change: [] }> {
  readonly #options: SignInServiceOptions;
  #view: SignInView = { signIn: 'no-relay' };
  #signIn: RunningSignIn | undefined;
  /** The keychain could not be read at start: signing in tries the stored sign-in again first. */
  #restoreBlockedByKeychain = false;
  #closed = false;

  constructor(options: SignInServiceOptions) {
    super();
    this.#options = options;
  }

  get view(): SignInView {
    const running = this.#running();
    return {
      ...structuredClone(this.#view),
      ...(running !== undefined &&
        this.#view.signIn === 'signing-in' && { signInProgress: structuredClone(running.progress) }),
    };
  }

  /**
   * At start: `relayUrl`, else the remembered default relay; with tokens for it in the store, the
   * user is signed in and the session begins at once.
   */
  async restore(relayUrl: string | undefined): Promise<void> {
    const chosen = relayUrl ?? (await this.#defaultRelay());
    if (!chosen) return;
    this.#view.relayUrl = normalizeRelayUrl(chosen);
    await this.#restoreFromStore(this.#view.relayUrl);
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
      // Chosen but not signed in to: a sign-in that fails or is cancelled comes back here.
      this.#view.signIn = 'signed-out';
    }
    await this.signIn();
  }

  /**
   * Starts the browser sign-in (unless one is running); its outcome arrives as `change` events.
   * When the keychain kept the stored sign-in from being read at start, that is tried first.
   */
  async signIn(): Promise<void> {
    const relayUrl = this.#relayUrlToSignIn();
    if (this.#restoreBlockedByKeychain) {
      if ((await this.#restoreFromStore(relayUrl)) !== 'no-tokens') {
        this.emit('change');
        return;
      }
    }
    if (this.#running()) return;
    this.#start(relayUrl, 'browser');
  }

  /**
   * Starts a sign-in with a code entered on another device; a browser sign-in under way gives way
   * to it (the person chose the code because the browser did not work out).
   */
  signInWithDeviceCode(): void {
    const relayUrl = this.#relayUrlToSignIn();
    const running = this.#running();
    if (running?.progress.method === 'device-code') return;
    const previous = running?.previous;
    running?.abort.abort();
    this.#start(relayUrl, 'device-code', previous);
  }

  /** Opens the page of the sign-in in progress in the system browser again. */
  async openSignInPage(): Promise<void> {
    const running = this.#running();
    const progress = running?.progress;
    if (progress?.method === 'device-code') {
      const issued = progress.deviceCode?.verificationUriComplete ?? progress.deviceCode?.verificationUri;
      if (issued === undefined)
        throw new AppRequestError('invalid-request', 'the sign-in code is not ready yet');
      // The issuer chose this address: the browser gets it only if it is one the app would open.
      const page = externalLinkToOpen(issued);
      const { browserProblem: _earlier, ...withoutProblem } = progress;
      running!.progress = withoutProblem;
      try {
        await this.#options.openBrowser(page);
      } catch (error) {
        // The code still works on any other device: say why this computer's browser did not open.
        if (running!.abort.signal.aborted) return;
        running!.progress = { ...withoutProblem, browserProblem: (error as Error).message };
      }
      this.emit('change');
      return;
    }
    if (progress?.url === undefined) {
      throw new AppRequestError('invalid-request', 'no sign-in page is waiting to be opened: sign in first');
    }
    await this.#openSignInPageFor(running!, progress.url);
  }

  /**
   * Stops the sign-in in progress: its loopback listener is closed when this returns, and the
   * state is what it was before the sign-in began, with no problem to report (the person chose it).
   */
  async cancelSignIn(): Promise<void> {
    const running = this.#running();
    // Once the tokens are in, the sign-in is complete: too late to cancel.
    if (!running || this.#view.signIn !== 'signing-in') return;
    running.abort.abort();
    this.#view.signIn = running.previous;
    delete this.#view.problem;
    this.emit('change');
    await running.flowEnded;
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

  /**
   * Signed in with the tokens stored for `relayUrl`, when there are any. A keychain that cannot be
   * used is the person's to fix (the app still starts): it becomes the problem shown, and the next
   * sign-in tries the store again.
   */
  async #restoreFromStore(relayUrl: string): Promise<'signed-in' | 'no-tokens' | 'keychain-unavailable'> {
    let tokens: StoredTokens | undefined;
    try {
      tokens = await this.#options.store.load(relayUrl);
    } catch (error) {
      if (!(error instanceof KeychainUnavailableError)) throw error;
      this.#restoreBlockedByKeychain = true;
      this.#view.signIn = 'signed-out';
      this.#view.problem = toAppError(error);
      this.#options.logger.warn({ err: error.message }, 'could not read the stored sign-in');
      return 'keychain-unavailable';
    }
    this.#restoreBlockedByKeychain = false;
    if (!tokens) {
      this.#view.signIn = 'signed-out';
      return 'no-tokens';
    }
    this.#view.account = accountViewOf(tokens);
    this.#view.signIn = 'signed-in';
    delete this.#view.problem;
    this.#options.beginSession(relayUrl);
    return 'signed-in';
  }

  #relayUrlToSignIn(): string {
    const relayUrl = this.#view.relayUrl;
    if (!relayUrl) {
      throw new AppRequestError('invalid-request', 'no relay chosen yet: enter the relay URL first');
    }
    return relayUrl;
  }

  /** The sign-in under way; one aborted (a relay switch, a cancel) is on its way out and is not. */
  #running(): RunningSignIn | undefined {
    return this.#signIn && !this.#signIn.abort.signal.aborted ? this.#signIn : undefined;
  }

  #start(relayUrl: string, method: SignInProgress['method'], previous = this.#view.signIn): void {
    this.#view.signIn = 'signing-in';
    delete this.#view.problem;
    const { logger, store } = this.#options;
    const abort = new AbortController();
    const startedAt = new Date().toISOString();
    const attempt: RunningSignIn = {
      abort,
      previous,
      progress: method === 'browser' ? { method, startedAt, browser: 'preparing' } : { method, startedAt },
      flowEnded: Promise.resolve(),
      done: Promise.resolve(),
    };
    const flowMethod: SignInMethod =
      method === 'browser'
        ? {
            kind: 'browser',
            openBrowser: (url) => this.#openSignInPageFor(attempt, url),
            timeoutMs: this.#options.signInTimeoutMs ?? DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS,
            signal: abort.signal,
            startedBy: 'app',
          }
        : {
            kind: 'device-code',
            onPrompt: (prompt) => {
              if (abort.signal.aborted) return;
              attempt.progress = {
                method: 'device-code',
                startedAt,
                deviceCode: {
                  userCode: prompt.userCode,
                  verificationUri: prompt.verificationUri,
                  ...(prompt.verificationUriComplete !== undefined && {
                    verificationUriComplete: prompt.verificationUriComplete,
                  }),
                  expiresAt: new Date(Date.now() + prompt.expiresInSeconds * 1000).toISOString(),
                },
              };
              this.emit('change');
            },
            signal: abort.signal,
          };
    const flow = signInToRelay(relayUrl, flowMethod, store);
    attempt.flowEnded = flow.then(
      () => {},
      () => {},
    );
    const done = flow
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
    attempt.done = done.finally(() => {
      if (this.#signIn === attempt) this.#signIn = undefined;
      this.emit('change');
    });
    this.#signIn = attempt;
    this.emit('change');
  }

  /**
   * Hands the sign-in page to the system browser and records whether it took it: a browser that
   * could not be opened is not a failed sign-in (the person can open or copy the link), so this
   * never throws.
   */
  async #openSignInPageFor(attempt: RunningSignIn, url: string): Promise<void> {
    const update = (change: { browser: 'opening' | 'opened' | 'not-opened'; browserProblem?: string }) => {
      if (attempt.abort.signal.aborted || attempt.progress.method !== 'browser') return;
      const { browserProblem: _earlier, ...progress } = attempt.progress;
      attempt.progress = { ...progress, url, ...change };
      this.emit('change');
    };
    update({ browser: 'opening' });
    try {
      await this.#options.openBrowser(url);
      update({ browser: 'opened' });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#options.logger.info({ err: reason }, 'could not open the sign-in page in a browser');
      update({ browser: 'not-opened', browserProblem: reason });
    }
  }

  /** A fresh session starts for the new sign-in (that of an expired one gave up). */
  async #complete(relayUrl: string, tokens: StoredTokens, signal: AbortSignal): Promise<void> {
    const wanted = () => !signal.aborted && !this.#closed && this.#view.relayUrl === relayUrl;
    if (!wanted()) return;
    await this.#options.registry.addSignedIn(relayUrl);
    if (!wanted()) return;
    this.#view.account = accountViewOf(tokens);
    this.#view.signIn = 'signed-in';
    this.#restoreBlockedByKeychain = false;
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
