/**
 * The desktop core behind both hosts (the Electron main process and `switchboard ui`): it owns the
 * relay selection, sign-in through the system browser, the status watcher, the local proxy and its
 * kubeconfig (and the merge into the user's), the app settings and the cluster browser, and it
 * answers the contract's requests (`app-contract.ts`). Requests arrive untrusted: every one is
 * validated with the contract's schemas before anything happens. State changes are pushed whole as
 * `state` events; subscription events go to the window or tab that subscribed.
 *
 * The core outlives windows: closing one ends only that owner's subscriptions (see `closeOwner`).
 */
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import type { ReconnectBackoff } from '@switchboard/protocol';
import {
  type AppEventMessage,
  type AppEventName,
  type AppEvents,
  type AppMethod,
  type AppRequestParams,
  type AppResponseMessage,
  type AppResponses,
  type AppState,
  appRequestMessageSchema,
  appRequestSchemas,
  type ClusterView,
  type ProxyView,
} from '../../app-contract/app-contract.js';
import { AccountRegistry } from '../accounts/account-registry.js';
import { ClusterBrowser } from '../cluster-browser/cluster-browser.js';
import { MergeRecords, mergeKubeconfig, unmergeKubeconfig } from '../kubeconfig/kubeconfig-merge.js';
import {
  CONTEXT_PREFIX,
  defaultKubeconfigPath,
  defaultSwitchboardKubeconfigPath,
  kubeconfigEntries,
} from '../kubeconfig/switchboard-kubeconfig.js';
import { type BearerTokenSource, bearerTokenSource } from '../local-proxy/bearer-token-source.js';
import { type LocalIdentityStore, loadOrCreateLocalIdentity } from '../local-proxy/local-identity.js';
import { PortInUseError } from '../local-proxy/local-proxy.js';
import { LocalProxyService } from '../local-proxy/local-proxy-service.js';
import type { Logger } from '../logging/logger.js';
import { RelayApiClient } from '../relay-client/relay-api.js';
import { fetchRelayConfiguration } from '../relay-client/relay-configuration.js';
import { isLoopbackHostname, normalizeRelayUrl } from '../relay-client/relay-url.js';
import { SignInRequiredError } from '../session/sign-in-required-error.js';
import { accountViewOf } from '../sign-in/account-view.js';
import type { BrowserOpener } from '../sign-in/browser-opener.js';
import { DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS } from '../sign-in/browser-sign-in.js';
import { signInToRelay } from '../sign-in/sign-in-to-relay.js';
import { removeLocalIdentityWhenSignedOutEverywhere, signOutOfRelay } from '../sign-in/sign-out.js';
import { ClusterStatusWatcher } from '../status/cluster-status-watcher.js';
import type { StoredTokens, TokenStore } from '../token-store/token-store.js';
import { RelayTunnel, type RelayTunnelState } from '../tunnel/relay-tunnel.js';
import { AppRequestError, toAppError } from './app-error.js';
import { AppSettingsFile, type Settings } from './app-settings.js';

/** What the core needs of the status watcher (`ClusterStatusWatcher`). */
export interface StatusWatcher {
  on(event: 'change', listener: () => void): unknown;
  start(): void;
  close(): void;
  readonly clusters: ClusterView[];
  readonly state: 'idle' | 'live' | 'reconnecting';
  readonly signInRequired: boolean;
}

export interface StatusWatcherOptions {
  relayUrl: string;
  bearerToken: () => Promise<string>;
  renewRejectedToken: (rejected: string) => Promise<string>;
  logger: Logger;
}

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
  /** The kubeconfig `mergeKubeconfig` acts on; default `$KUBECONFIG`'s first entry, else ~/.kube/config. */
  userKubeconfigPath?: string;
  /** Settings before the user changed any (tests and the demo use proxy port 0). */
  defaultSettings?: Settings;
  signInTimeoutMs?: number;
  /** The proxy's relay reconnect backoff (tests shorten it). */
  proxyBackoff?: () => ReconnectBackoff;
  statusWatcher?: (options: StatusWatcherOptions) => StatusWatcher;
  /** How often resource and log events are pushed at most (default 50 ms). */
  batchIntervalMs?: number;
}

interface AppCoreEvents {
  /** An event for the UI; `owner` set: only for that window or tab, else for all. */
  push: [message: AppEventMessage, owner: string | undefined];
}

/** The owner of requests that do not say (a single-window host). */
export const DEFAULT_OWNER = 'default';

export class AppCore extends EventEmitter<AppCoreEvents> {
  readonly #options: AppCoreOptions;
  readonly #registry: AccountRegistry;
  readonly #settingsFile: AppSettingsFile;
  readonly #mergeRecords: MergeRecords;
  readonly #browser: ClusterBrowser;
  readonly #userKubeconfig: string;
  #settings: Settings;
  #state: AppState;
  #tokens: BearerTokenSource | undefined;
  /** The session's relay tunnel, shared by the cluster browser and the proxy. */
  #tunnel: RelayTunnel | undefined;
  #watcher: StatusWatcher | undefined;
  #proxy: LocalProxyService | undefined;
  /** The proxy start under way: a second start joins it, a stop waits for it. */
  #proxyStarting: Promise<void> | undefined;
  #signIn: { abort: AbortController; done: Promise<void> } | undefined;
  #serial: Promise<unknown> = Promise.resolve();
  #statePushQueued = false;
  #closed = false;

  readonly #createWatcher: (options: StatusWatcherOptions) => StatusWatcher;

  private constructor(
    options: AppCoreOptions,
    settings: Settings,
    createWatcher: (options: StatusWatcherOptions) => StatusWatcher,
  ) {
    super();
    this.#options = options;
    this.#createWatcher = createWatcher;
    this.#registry = new AccountRegistry(options.configDirectory);
    this.#settingsFile = new AppSettingsFile(options.configDirectory, options.defaultSettings);
    this.#mergeRecords = new MergeRecords(options.configDirectory);
    this.#userKubeconfig = resolve(options.userKubeconfigPath ?? defaultKubeconfigPath());
    this.#settings = settings;
    this.#state = {
      signIn: 'no-relay',
      clusters: [],
      statusStream: 'idle',
      proxy: {
        enabled: settings.proxy.enabled,
        state: 'off',
        port: settings.proxy.port,
        merged: false,
        contexts: [],
      },
      settings: { backgroundMode: settings.backgroundMode },
    };
    this.#browser = new ClusterBrowser({
      push: (event, data, owner) => this.#push(event, data, owner),
      logger: options.logger,
      ...(options.batchIntervalMs !== undefined && { batchIntervalMs: options.batchIntervalMs }),
    });
  }

  /**
   * Reads the settings and the remembered relay; with tokens for it in the store, the session
   * starts at once (status watcher, and the proxy when it is switched on).
   */
  static async start(options: AppCoreOptions): Promise<AppCore> {
    const settingsFile = new AppSettingsFile(options.configDirectory, options.defaultSettings);
    const createWatcher =
      options.statusWatcher ??
      ((watcherOptions: StatusWatcherOptions) => new ClusterStatusWatcher(watcherOptions));
    const core = new AppCore(options, await settingsFile.read(), createWatcher);
    core.#state.proxy.merged = (await core.#mergeRecords.get(core.#userKubeconfig)) !== undefined;
    const relayUrl = options.relayUrl ?? (await core.#defaultRelay());
    if (relayUrl) {
      core.#state.relayUrl = normalizeRelayUrl(relayUrl);
      const tokens = await options.store.load(core.#state.relayUrl);
      if (tokens) {
        core.#state.account = accountViewOf(tokens);
        core.#state.signIn = 'signed-in';
        core.#beginSession();
      } else core.#state.signIn = 'signed-out';
    }
    return core;
  }

  get state(): AppState {
    return structuredClone(this.#state);
  }

  /** Validates and runs one request. Throws `AppRequestError` (or an error `toAppError` maps). */
  async request<M extends AppMethod>(
    method: M,
    params: unknown,
    owner: string = DEFAULT_OWNER,
  ): Promise<AppResponses[M]> {
    if (this.#closed) throw new AppRequestError('internal', 'Switchboard is shutting down');
    const schema = appRequestSchemas[method];
    if (!schema) throw new AppRequestError('invalid-request', `unknown method "${String(method)}"`);
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      const { kind, message } = toAppError(parsed.error);
      throw new AppRequestError(kind, message);
    }
    const valid = parsed.data as AppRequestParams<M>;
    try {
      return (await this.#dispatch(method, valid, owner)) as AppResponses[M];
    } catch (error) {
      if (error instanceof SignInRequiredError) this.#signInRequired(error.message);
      throw AppRequestError.from(error);
    }
  }

  /** A wire request (`{ id, method, params }`) from a host, answered as a wire response. */
  async handleMessage(raw: unknown, owner: string): Promise<AppResponseMessage | undefined> {
    const message = appRequestMessageSchema.safeParse(raw);
    if (!message.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id !== 'number') return undefined;
      return { id, ok: false, error: toAppError(message.error) };
    }
    const { id, method, params } = message.data;
    try {
      return { id, ok: true, result: await this.request(method, params, owner) };
    } catch (error) {
      const appError = toAppError(error);
      if (appError.kind === 'internal') {
        this.#options.logger.warn({ method, err: error }, 'request failed');
      }
      return { id, ok: false, error: appError };
    }
  }

  /** A window or tab went away: its watches, log streams and shells end. */
  closeOwner(owner: string): void {
    this.#browser.closeOwner(owner);
  }

  /** Stops everything (the app quits): sign-in, watcher, proxy (its kubeconfig removed), subscriptions. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#signIn?.abort.abort();
    // The sign-in's completion may still queue behind #serial: wait for it, then for the queue.
    await this.#signIn?.done;
    await this.#serial.catch(() => {});
    await this.#endSession();
    this.removeAllListeners();
  }

  #dispatch(method: AppMethod, params: unknown, owner: string): Promise<unknown> | unknown {
    const p = params as never;
    switch (method) {
      case 'getState':
        return this.state;
      case 'connectRelay':
        return this.#exclusively(() => this.#connectRelay((p as AppRequestParams<'connectRelay'>).relayUrl));
      case 'signIn':
        return this.#exclusively(async () => {
          this.#beginSignIn();
          return this.state;
        });
      case 'signOut':
        return this.#exclusively(() => this.#signOut());
      case 'setProxyEnabled':
        return this.#exclusively(() =>
          this.#setProxyEnabled((p as AppRequestParams<'setProxyEnabled'>).enabled),
        );
      case 'setProxyPort':
        return this.#exclusively(() => this.#setProxyPort((p as AppRequestParams<'setProxyPort'>).port));
      case 'mergeKubeconfig':
        return this.#exclusively(() => this.#merge());
      case 'unmergeKubeconfig':
        return this.#exclusively(() => this.#unmerge());
      case 'setSettings':
        return this.#exclusively(() => this.#setSettings(p));
      case 'watchResources':
        return this.#browser.watchResources(p, owner);
      case 'stopWatch':
        return this.#browser.stopWatch((p as AppRequestParams<'stopWatch'>).watchId);
      case 'getResourceYaml':
        return this.#browser.getResourceYaml(p);
      case 'deleteResource':
        return this.#browser.deleteResource(p);
      case 'startLogs':
        return this.#browser.startLogs(p, owner);
      case 'stopLogs':
        return this.#browser.stopLogs((p as AppRequestParams<'stopLogs'>).logsId);
      case 'startExec':
        return this.#browser.startExec(p, owner);
      case 'execInput':
        return this.#browser.execInput(p);
      case 'execResize':
        return this.#browser.execResize(p);
      case 'stopExec':
        return this.#browser.stopExec((p as AppRequestParams<'stopExec'>).execId);
      case 'openExternal':
        return this.#openExternal((p as AppRequestParams<'openExternal'>).url);
    }
  }

  // --- relay and sign-in ---

  async #connectRelay(input: string): Promise<AppState> {
    const relayUrl = normalizeRelayUrl(input);
    // Fail now, in the form, when the URL is not a Switchboard relay or cannot be reached.
    await fetchRelayConfiguration(relayUrl);
    if (this.#state.relayUrl !== relayUrl) {
      this.#signIn?.abort.abort();
      await this.#endSession();
      this.#state.relayUrl = relayUrl;
      delete this.#state.account;
      this.#state.clusters = [];
    }
    this.#beginSignIn();
    return this.state;
  }

  /** Starts the browser sign-in (unless one is running); its outcome arrives as `state` pushes. */
  #beginSignIn(): void {
    const relayUrl = this.#state.relayUrl;
    if (!relayUrl) {
      throw new AppRequestError('invalid-request', 'no relay chosen yet: enter the relay URL first');
    }
    // An aborted sign-in (a relay switch) is on its way out: a new one may start.
    if (this.#signIn && !this.#signIn.abort.signal.aborted) return;
    const previous = this.#state.signIn;
    this.#state.signIn = 'signing-in';
    delete this.#state.problem;
    this.#pushState();
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
        // With the other mutations, in order: a sign-out or relay switch cannot interleave.
        (tokens) => this.#exclusively(() => this.#completeSignIn(relayUrl, tokens, abort.signal)),
        (error: unknown) => {
          if (abort.signal.aborted) return;
          this.#state.signIn = previous;
          this.#state.problem = toAppError(error);
          this.#options.logger.info({ err: (error as Error).message }, 'sign-in did not complete');
        },
      )
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        if (this.#state.signIn === 'signing-in') this.#state.signIn = previous;
        this.#state.problem = toAppError(error);
        this.#options.logger.warn({ err: (error as Error).message }, 'could not start the signed-in session');
      });
    const signIn = {
      abort,
      done: done.finally(() => {
        if (this.#signIn === signIn) this.#signIn = undefined;
        this.#pushState();
      }),
    };
    this.#signIn = signIn;
  }

  /**
   * The browser sign-in succeeded: a fresh session starts (the token source, watcher and tunnel of
   * an expired one gave up). After each await, `close()` or a relay switch may have come in
   * between; then nothing more happens, so no watcher or proxy starts after shutdown or for
   * another relay.
   */
  async #completeSignIn(relayUrl: string, tokens: StoredTokens, signal: AbortSignal): Promise<void> {
    const wanted = () => !signal.aborted && !this.#closed && this.#state.relayUrl === relayUrl;
    if (!wanted()) return;
    await this.#registry.addSignedIn(relayUrl);
    if (!wanted()) return;
    this.#state.account = accountViewOf(tokens);
    this.#state.signIn = 'signed-in';
    delete this.#state.problem;
    await this.#endSession();
    if (!wanted()) return;
    this.#beginSession();
  }

  async #signOut(): Promise<AppState> {
    const relayUrl = this.#state.relayUrl;
    this.#signIn?.abort.abort();
    if (this.#state.proxy.merged) await this.#unmerge();
    await this.#endSession();
    if (relayUrl) await signOutOfRelay(relayUrl, this.#options.store, this.#options.logger);
    const { store, localIdentityStore } = this.#options;
    await removeLocalIdentityWhenSignedOutEverywhere(this.#registry, store, localIdentityStore);
    this.#state.signIn = relayUrl ? 'signed-out' : 'no-relay';
    delete this.#state.account;
    delete this.#state.problem;
    this.#state.clusters = [];
    this.#state.statusStream = 'idle';
    this.#pushState();
    return this.state;
  }

  #signInRequired(message: string): void {
    if (this.#state.signIn !== 'signed-in') return;
    this.#state.signIn = 'sign-in-required';
    this.#state.problem = {
      kind: 'sign-in-required',
      message: `Your sign-in to ${this.#state.relayUrl} has expired and could not be renewed (${message}). Sign in again.`,
    };
    this.#pushState();
  }

  // --- the signed-in session: status watcher and proxy ---

  #beginSession(): void {
    const relayUrl = this.#state.relayUrl!;
    this.#tokens = bearerTokenSource(relayUrl, this.#options.store, this.#options.logger);
    const tokens = this.#tokens;
    const watcherOptions = {
      relayUrl,
      bearerToken: () => tokens(),
      renewRejectedToken: tokens.renewRejected,
      logger: this.#options.logger,
    };
    const watcher = this.#createWatcher(watcherOptions);
    this.#watcher = watcher;
    watcher.on('change', () => {
      if (this.#watcher !== watcher) return;
      this.#state.clusters = watcher.clusters;
      this.#state.statusStream = watcher.state;
      if (watcher.signInRequired) this.#signInRequired('the relay refused the session');
      this.#pushState();
    });
    watcher.start();
    const tunnel = new RelayTunnel({
      relayUrl,
      bearerToken: tokens,
      renewRejectedToken: tokens.renewRejected,
      logger: this.#options.logger,
      ...(this.#options.proxyBackoff && { backoff: this.#options.proxyBackoff() }),
    });
    this.#tunnel = tunnel;
    tunnel.start();
    this.#browser.connect(tunnel);
    this.#startProxyIfEnabled();
  }

  #startProxyIfEnabled(): void {
    if (!this.#settings.proxy.enabled) return;
    this.#startProxy().catch((error: unknown) =>
      this.#options.logger.warn({ err: (error as Error).message }, 'the local proxy did not start'),
    );
  }

  async #endSession(): Promise<void> {
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#tokens = undefined;
    this.#state.statusStream = 'idle';
    await this.#stopProxy();
    const tunnel = this.#tunnel;
    this.#tunnel = undefined;
    this.#browser.disconnect({ kind: 'relay-unreachable', message: 'the session with the relay ended' });
    await tunnel?.close();
  }

  #startProxy(): Promise<void> {
    this.#proxyStarting ??= this.#launchProxy().finally(() => {
      this.#proxyStarting = undefined;
    });
    return this.#proxyStarting;
  }

  /** Only through `#startProxy`, so that one start runs at a time. */
  async #launchProxy(): Promise<void> {
    const tokens = this.#tokens;
    const relayUrl = this.#state.relayUrl;
    if (this.#proxy || !tokens || !relayUrl) return;
    // The session this start belongs to; `#endSession` (sign-out, relay switch, close) ends it.
    const sessionEnded = () => this.#tokens !== tokens;
    this.#setProxyView({ state: 'starting', error: undefined });
    let service: LocalProxyService;
    try {
      const { identity } = await loadOrCreateLocalIdentity(this.#options.localIdentityStore);
      if (sessionEnded()) return;
      service = await LocalProxyService.start({
        relayUrl,
        bearerToken: tokens,
        ...(this.#tunnel && { tunnel: this.#tunnel }),
        identity,
        port: this.#settings.proxy.port,
        kubeconfigPath: defaultSwitchboardKubeconfigPath(this.#options.configDirectory),
        logger: this.#options.logger,
      });
    } catch (error) {
      const appError =
        error instanceof PortInUseError
          ? {
              kind: 'port-in-use' as const,
              message: `Port ${error.port} on 127.0.0.1 is already in use (another Switchboard proxy?); pick another port.`,
            }
          : toAppError(error);
      this.#setProxyView({ state: 'error', error: appError });
      throw new AppRequestError(appError.kind, appError.message);
    }
    if (sessionEnded()) {
      await service.stop();
      return;
    }
    this.#proxy = service;
    this.#setProxyView({ state: 'starting', port: service.port, url: `https://127.0.0.1:${service.port}` });
    service.on('tunnel', (state) => this.#onTunnelState(service, state));
    service.on('kubeconfigChanged', () => this.#onKubeconfigWritten(service, { remerge: true }));
    service.ready().then(
      () => this.#onKubeconfigWritten(service, { remerge: false }),
      (error: unknown) => {
        if (this.#proxy !== service) return;
        this.#setProxyView({ state: 'error', error: toAppError(error) });
      },
    );
  }

  #onTunnelState(service: LocalProxyService, state: RelayTunnelState): void {
    if (this.#proxy !== service) return;
    if (state === 'up') {
      if (service.kubeconfig !== undefined) this.#setProxyView({ state: 'ready', error: undefined });
    } else if (state === 'down') {
      this.#setProxyView({
        state: 'starting',
        error: {
          kind: 'relay-unreachable',
          message: `The relay ${service.relayUrl} is unreachable (${service.lastFailure}); retrying.`,
        },
      });
    } else if (state === 'sign-in-required') {
      this.#setProxyView({
        state: 'error',
        error: { kind: 'sign-in-required', message: service.lastFailure },
      });
      this.#signInRequired(service.lastFailure);
    }
  }

  /** The kubeconfig is (re)written: the proxy is ready; after grant changes a merged copy follows. */
  #onKubeconfigWritten(service: LocalProxyService, { remerge }: { remerge: boolean }): void {
    if (this.#proxy !== service) return;
    this.#setProxyView({
      state: service.tunnelState === 'up' ? 'ready' : 'starting',
      ...(service.tunnelState === 'up' && { error: undefined }),
      kubeconfigPath: service.kubeconfigPath,
      exportLine:
        process.platform === 'win32'
          ? `$env:KUBECONFIG = "${service.kubeconfigPath}"`
          : `export KUBECONFIG=${shellQuote(service.kubeconfigPath)}`,
      contexts: service.clusters.map((cluster) => ({
        cluster: cluster.name,
        context: `${CONTEXT_PREFIX}${cluster.name}`,
      })),
    });
    if (remerge && this.#state.proxy.merged) {
      this.#exclusively(() => this.#merge()).catch((error: unknown) =>
        this.#options.logger.warn(
          { err: (error as Error).message },
          'could not update the merged kubeconfig',
        ),
      );
    }
  }

  async #stopProxy(): Promise<void> {
    // A start under way finishes first, so the service it brings up is stopped here too.
    await this.#proxyStarting?.catch(() => {});
    const service = this.#proxy;
    this.#proxy = undefined;
    await service?.stop();
    const { enabled, port, merged } = this.#state.proxy;
    this.#state.proxy = { enabled, state: 'off', port, merged, contexts: [] };
    this.#pushState();
  }

  async #setProxyEnabled(enabled: boolean): Promise<ProxyView> {
    await this.#saveSettings({ ...this.#settings, proxy: { ...this.#settings.proxy, enabled } });
    this.#state.proxy.enabled = enabled;
    if (!enabled) await this.#stopProxy();
    else if (!this.#tokens) {
      throw new AppRequestError(
        'sign-in-required',
        'sign in first: the proxy uses your sign-in to reach the relay',
      );
    } else await this.#startProxy();
    this.#pushState();
    return this.state.proxy;
  }

  async #setProxyPort(port: number): Promise<ProxyView> {
    await this.#saveSettings({ ...this.#settings, proxy: { ...this.#settings.proxy, port } });
    this.#state.proxy.port = port;
    // Also after a failed start (the old port was taken): the switch is on, so try the new port.
    if (this.#settings.proxy.enabled && this.#tokens) {
      await this.#stopProxy();
      await this.#startProxy();
    }
    // The merged contexts point at the port.
    if (this.#state.proxy.merged && this.#tokens) await this.#merge();
    this.#pushState();
    return this.state.proxy;
  }

  // --- kubeconfig merge ---

  async #merge(): Promise<AppResponses['mergeKubeconfig']> {
    const tokens = this.#tokens;
    const relayUrl = this.#state.relayUrl;
    if (!tokens || !relayUrl)
      throw new AppRequestError('sign-in-required', 'sign in first to merge your clusters');
    const proxy = this.#proxy;
    const port = proxy?.port ?? this.#settings.proxy.port;
    if (port === 0) {
      throw new AppRequestError(
        'invalid-request',
        'start the proxy first: the merged contexts need its port',
      );
    }
    const clusters =
      proxy?.kubeconfig !== undefined
        ? proxy.clusters.map((cluster) => cluster.name)
        : (await new RelayApiClient(relayUrl).listClusters(await tokens())).map((cluster) => cluster.name);
    const { identity } = await loadOrCreateLocalIdentity(this.#options.localIdentityStore);
    const entries = kubeconfigEntries({ clusters, port, identity });
    const result = await mergeKubeconfig(this.#userKubeconfig, entries, this.#mergeRecords);
    this.#state.proxy.merged = true;
    this.#pushState();
    return {
      kubeconfigPath: result.path,
      ...(result.backupPath !== undefined && { backupPath: result.backupPath }),
      contexts: entries.filter((entry) => entry.section === 'contexts').map((entry) => entry.name),
    };
  }

  async #unmerge(): Promise<AppResponses['unmergeKubeconfig']> {
    const result = await unmergeKubeconfig(this.#userKubeconfig, this.#mergeRecords);
    this.#state.proxy.merged = false;
    this.#pushState();
    return {
      kubeconfigPath: result.path,
      removedContexts: result.removed
        .filter((key) => key.startsWith('contexts/'))
        .map((key) => key.slice('contexts/'.length)),
    };
  }

  // --- settings, external links ---

  async #setSettings(changes: AppRequestParams<'setSettings'>): Promise<AppResponses['setSettings']> {
    const next = {
      ...this.#settings,
      ...(changes.backgroundMode !== undefined && { backgroundMode: changes.backgroundMode }),
    };
    await this.#saveSettings(next);
    this.#state.settings = { backgroundMode: next.backgroundMode };
    this.#pushState();
    return this.state.settings;
  }

  async #saveSettings(settings: Settings): Promise<void> {
    await this.#settingsFile.write(settings);
    this.#settings = settings;
  }

  async #openExternal(url: string): Promise<null> {
    const parsed = new URL(url);
    const allowed =
      parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHostname(parsed.hostname));
    if (!allowed) {
      throw new AppRequestError(
        'invalid-request',
        `only https:// links are opened in the browser, not ${parsed.protocol}`,
      );
    }
    await this.#options.openBrowser(parsed.href);
    return null;
  }

  // --- plumbing ---

  async #defaultRelay(): Promise<string | undefined> {
    try {
      return await this.#registry.selectRelay(undefined);
    } catch {
      return undefined;
    }
  }

  /** Mutating requests run one at a time, in order (two quick toggles must not interleave). */
  #exclusively<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#serial.then(operation, operation);
    this.#serial = run.catch(() => {});
    return run;
  }

  #setProxyView(changes: { [K in keyof ProxyView]?: ProxyView[K] | undefined }): void {
    const next: Record<string, unknown> = { ...this.#state.proxy };
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.#state.proxy = next as unknown as ProxyView;
    this.#pushState();
  }

  /** State is pushed whole, once per turn of the event loop however many fields changed. */
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

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
