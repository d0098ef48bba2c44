/**
 * The desktop core behind both hosts (the Electron main process and `switchboard ui`): the
 * composition root that wires the services to the app contract (`app-contract.ts`). Sign-in and
 * the relay choice (`SignInService`), the signed-in session with its status stream and relay
 * tunnel (`AppSession` over `SignedInSession`), the app's settings (`SavedSettings`), the local proxy and its switch
 * (`ProxyController`, `ProxySwitch`), the kubeconfig merge (`KubeconfigMergeService`) and the
 * cluster browser (`ClusterBrowser`) each keep their own part; the core assembles the `AppState`
 * from those parts, pushes it whole when one changes, and dispatches requests, validated first, to
 * one handler per method. Subscription events go to the window or tab that subscribed.
 *
 * The core outlives windows: closing one ends only that owner's subscriptions (see `closeOwner`).
 */
import { EventEmitter } from 'node:events';
import type {
  AppEventMessage,
  AppEventName,
  AppEvents,
  AppMethod,
  AppResponseMessage,
  AppResponses,
  AppState,
} from '@switchboard/contract/app';
import type { ReconnectBackoff } from '@switchboard/protocol';
import { AccountRegistry } from '../accounts/account-registry.js';
import { ClusterBrowser } from '../cluster-browser/cluster-browser.js';
import { KubeconfigMergeService } from '../kubeconfig/kubeconfig-merge-service.js';
import { defaultSwitchboardKubeconfigPath } from '../kubeconfig/switchboard-kubeconfig.js';
import type { LocalIdentityStore } from '../local-proxy/local-identity.js';
import { ProxyController } from '../local-proxy/proxy-controller.js';
import { ProxySwitch } from '../local-proxy/proxy-switch.js';
import type { Logger } from '../logging/logger.js';
import { SignInRequiredError } from '../session/sign-in-required-error.js';
import type { StatusWatcher, StatusWatcherOptions } from '../session/signed-in-session.js';
import type { BrowserOpener } from '../sign-in/browser-opener.js';
import { SignInService } from '../sign-in/sign-in-service.js';
import { ClusterStatusWatcher } from '../status/cluster-status-watcher.js';
import { presentClusters, UserReach } from '../status/user-reach.js';
import type { TokenStore } from '../token-store/token-store.js';
import { AppRequestError } from './app-error.js';
import {
  type AppRequestHandlers,
  appRequestHandlers,
  dispatch,
  isAppMethod,
} from './app-request-handlers.js';
import { answerRequestMessage } from './app-request-message.js';
import { AppSession } from './app-session.js';
import { AppSettingsFile, SavedSettings, type Settings } from './app-settings.js';

export interface AppCoreOptions {
  /** Settings, the account list, merge records and the proxy's kubeconfig live here. */
  configDirectory: string;
  store: TokenStore;
  localIdentityStore: LocalIdentityStore;
  logger: Logger;
  /** Opens sign-in pages and `openExternal` URLs: the system browser (tests: scripted Chromium). */
  openBrowser: BrowserOpener;
  /**
   * Start with this relay instead of the remembered default, e.g. the demo, whose user is already
   * signed in with tokens in `store`.
   */
  relayUrl?: string;
  /**
   * Where the local proxy writes its kubeconfig; default `<config dir>/kubeconfig`. The demo puts it
   * where the `export KUBECONFIG=…` line it printed points.
   */
  proxyKubeconfigPath?: string;
  /** The kubeconfig `mergeKubeconfig` acts on; default `$KUBECONFIG`'s first entry, else ~/.kube/config. */
  userKubeconfigPath?: string;
  /** Settings before the user changed any (tests and the demo use proxy port 0). */
  defaultSettings?: Settings;
  signInTimeoutMs?: number;
  /** The session tunnel's relay reconnect backoff (tests shorten it). */
  tunnelBackoff?: () => ReconnectBackoff;
  statusWatcher?: (options: StatusWatcherOptions) => StatusWatcher;
  /** How often resource and log events are pushed at most (default 50 ms). */
  batchIntervalMs?: number;
  /**
   * The host keeps the core running when its window closes, if the person asks (Electron, in the
   * tray). Default false: the browser host's core outlives its tabs anyway, so the background
   * switch would do nothing there.
   */
  backgroundModeAvailable?: boolean;
  /** How long a dropped status stream may reconnect before the relay counts as unreachable (tests shorten it). */
  relayUnreachableGraceMs?: number;
}

interface AppCoreEvents {
  /** An event for the UI; `owner` set: only for that window or tab, else for all. */
  push: [message: AppEventMessage, owner: string | undefined];
}

/** The owner of requests that do not say (a single-window host). */
export const DEFAULT_OWNER = 'default';

export class AppCore extends EventEmitter<AppCoreEvents> {
  readonly #options: AppCoreOptions;
  readonly #settings: SavedSettings;
  readonly #signIn: SignInService;
  readonly #proxy: ProxyController;
  readonly #proxySwitch: ProxySwitch;
  readonly #merge: KubeconfigMergeService;
  readonly #browser: ClusterBrowser;
  readonly #session: AppSession;
  readonly #reach: UserReach;
  #serial: Promise<unknown> = Promise.resolve();
  #statePushQueued = false;
  #closed = false;

  readonly #handlers: AppRequestHandlers;

  private constructor(options: AppCoreOptions, settings: SavedSettings) {
    super();
    this.#options = options;
    this.#settings = settings;
    this.#proxy = new ProxyController({
      localIdentityStore: options.localIdentityStore,
      kubeconfigPath:
        options.proxyKubeconfigPath ?? defaultSwitchboardKubeconfigPath(options.configDirectory),
      logger: options.logger,
    });
    this.#merge = new KubeconfigMergeService({
      configDirectory: options.configDirectory,
      ...(options.userKubeconfigPath !== undefined && { userKubeconfigPath: options.userKubeconfigPath }),
      localIdentityStore: options.localIdentityStore,
      session: () => this.#session.current,
      proxy: this.#proxy,
      proxyPort: () => this.#proxySwitch.port,
    });
    this.#proxySwitch = new ProxySwitch({
      controller: this.#proxy,
      merge: this.#merge,
      session: () => this.#session.current,
      setting: () => this.#settings.current.proxy,
      saveSetting: (proxy) => this.#settings.save({ ...this.#settings.current, proxy }),
      logger: options.logger,
    });
    this.#browser = new ClusterBrowser({
      push: (event, data, owner) => this.#push(event, data, owner),
      logger: options.logger,
      ...(options.batchIntervalMs !== undefined && { batchIntervalMs: options.batchIntervalMs }),
    });
    this.#session = new AppSession({
      store: options.store,
      logger: options.logger,
      createWatcher: options.statusWatcher ?? ((watcherOptions) => new ClusterStatusWatcher(watcherOptions)),
      ...(options.tunnelBackoff && { tunnelBackoff: options.tunnelBackoff }),
      browser: this.#browser,
      proxy: this.#proxy,
      proxySwitch: this.#proxySwitch,
      signInRequired: (reason) => this.#signIn.signInRequired(reason),
    });
    this.#signIn = new SignInService({
      registry: new AccountRegistry(options.configDirectory),
      store: options.store,
      localIdentityStore: options.localIdentityStore,
      openBrowser: options.openBrowser,
      ...(options.signInTimeoutMs !== undefined && { signInTimeoutMs: options.signInTimeoutMs }),
      logger: options.logger,
      serialize: (change) => this.#exclusively(change),
      beginSession: (relayUrl) => this.#session.begin(relayUrl),
      endSession: (forget) => this.#session.end(forget),
      beforeSignOut: async () => {
        if (this.#merge.merged) await this.#merge.unmerge();
      },
    });
    this.#reach = new UserReach({
      ...(options.relayUnreachableGraceMs !== undefined && { graceMs: options.relayUnreachableGraceMs }),
    });
    this.#reach.on('change', () => this.#pushState());
    for (const service of [this.#settings, this.#signIn, this.#session, this.#proxy, this.#merge])
      service.on('change', () => {
        this.#observeReach();
        this.#pushState();
      });
    // Contexts follow access live: the proxy's kubeconfig (and through it the merge), or the merge alone.
    this.#session.on('grantsChanged', () => {
      const follow = this.#proxy.running
        ? this.#proxy.refreshKubeconfig()
        : this.#merge.merged
          ? this.#exclusively(() => this.#merge.merge())
          : undefined;
      follow?.catch((error: unknown) =>
        options.logger.warn({ err: (error as Error).message }, 'could not follow the granted clusters'),
      );
    });
    this.#proxy.on('kubeconfigWritten', (_clusters, grantsChanged) => {
      // The merged contexts follow the grants.
      if (!grantsChanged || !this.#merge.merged) return;
      this.#exclusively(() => this.#merge.merge()).catch((error: unknown) =>
        options.logger.warn({ err: (error as Error).message }, 'could not update the merged kubeconfig'),
      );
    });
    this.#handlers = appRequestHandlers({
      state: () => this.state,
      exclusively: (operation) => this.#exclusively(operation),
      signIn: this.#signIn,
      proxySwitch: this.#proxySwitch,
      merge: this.#merge,
      settings: this.#settings,
      browser: this.#browser,
      openBrowser: options.openBrowser,
    });
  }

  /**
   * Reads the settings and the remembered relay; with tokens for it in the store, the session
   * starts at once (status watcher and tunnel, and the proxy when it is switched on).
   */
  static async start(options: AppCoreOptions): Promise<AppCore> {
    const settingsFile = new AppSettingsFile(options.configDirectory, options.defaultSettings);
    const core = new AppCore(options, await SavedSettings.load(settingsFile));
    await core.#merge.load();
    await core.#signIn.restore(options.relayUrl);
    core.#observeReach();
    return core;
  }

  /** Client connections open on the local proxy (0 when it is off): hosts ask before cutting them. */
  get kubectlSessions(): number {
    return this.#proxy.activeSessions;
  }

  get state(): AppState {
    const { signIn, relayUrl, account, problem, signInProgress } = this.#signIn.view;
    const reach = this.#reach.view;
    return {
      signIn,
      ...(relayUrl !== undefined && { relayUrl }),
      ...(account !== undefined && { account }),
      clusters: presentClusters(this.#session.clusters, reach.state),
      statusStream: this.#session.statusStream,
      reach,
      proxy: this.#proxySwitch.view,
      settings: { backgroundMode: this.#settings.current.backgroundMode },
      backgroundModeAvailable: this.#options.backgroundModeAvailable ?? false,
      ...(problem !== undefined && { problem }),
      ...(signInProgress !== undefined && { signInProgress }),
    };
  }

  /** Validates and runs one request. Throws `AppRequestError`, kind and code in the UI's terms. */
  async request<M extends AppMethod>(
    method: M,
    params: unknown,
    owner: string = DEFAULT_OWNER,
  ): Promise<AppResponses[M]> {
    if (this.#closed) throw new AppRequestError('internal', 'Switchboard is shutting down');
    if (!isAppMethod(method))
      throw new AppRequestError('invalid-request', `unknown method "${String(method)}"`);
    try {
      return await dispatch(this.#handlers, method, params, owner);
    } catch (error) {
      if (error instanceof SignInRequiredError) this.#signIn.signInRequired(error.reason);
      throw AppRequestError.from(error);
    }
  }

  /** A wire request (`{ id, method, params }`) from a host, answered as a wire response. */
  handleMessage(raw: unknown, owner: string): Promise<AppResponseMessage | undefined> {
    const run = (method: AppMethod, params: unknown) => this.request(method, params, owner);
    return answerRequestMessage(raw, run, this.#options.logger);
  }

  /** A window or tab went away: its watches, log streams and shells end. */
  closeOwner(owner: string): void {
    this.#browser.closeOwner(owner);
  }

  /** Stops everything (the app quits): sign-in, session, proxy (its kubeconfig removed), subscriptions. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // The sign-in's completion may still queue behind #serial: wait for it, then for the queue.
    await this.#signIn.close();
    await this.#serial.catch(() => {});
    await this.#session.end(false);
    this.#reach.close();
    this.#browser.close();
    this.removeAllListeners();
  }

  // --- plumbing ---

  /** Mutating requests run one at a time, in order (two quick toggles must not interleave). */
  #exclusively<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#serial.then(operation, operation);
    this.#serial = run.catch(() => {});
    return run;
  }

  #observeReach(): void {
    this.#reach.observe({ signIn: this.#signIn.view.signIn, statusStream: this.#session.statusStream });
  }

  /** State is pushed whole, once per turn of the event loop however many parts changed. */
  #pushState(): void {
    if (this.#statePushQueued || this.#closed) return;
    this.#statePushQueued = true;
    queueMicrotask(() => {
      this.#statePushQueued = false;
      if (!this.#closed) this.#push('state', this.state, undefined);
    });
  }

  #push<E extends AppEventName>(event: E, data: AppEvents[E], owner: string | undefined): void {
    this.emit('push', { event, data }, owner);
  }
}
