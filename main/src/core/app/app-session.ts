/**
 * The app's signed-in session, one at a time: begun when sign-in has tokens for a relay, ended at
 * sign-out, on another relay or at shutdown. The cluster browser and the local proxy follow it, and
 * its cluster list and status stream are kept for the `AppState` (the list also while it restarts).
 * It says when the set of granted clusters changed (`grantsChanged`), for the contexts to follow.
 */
import { EventEmitter } from 'node:events';
import type { AppState, ClusterView } from '@switchboard/contract/app';
import type { ReconnectBackoff } from '@switchboard/protocol';
import type { ClusterBrowser } from '../cluster-browser/cluster-browser.js';
import type { ProxyController } from '../local-proxy/proxy-controller.js';
import type { ProxySwitch } from '../local-proxy/proxy-switch.js';
import type { Logger } from '../logging/logger.js';
import {
  SignedInSession,
  type StatusWatcher,
  type StatusWatcherOptions,
} from '../session/signed-in-session.js';
import { onGrantedClustersChange } from '../status/granted-clusters.js';
import type { TokenStore } from '../token-store/token-store.js';

export interface AppSessionOptions {
  store: TokenStore;
  logger: Logger;
  createWatcher: (options: StatusWatcherOptions) => StatusWatcher;
  /** The session tunnel's relay reconnect backoff. */
  tunnelBackoff?: () => ReconnectBackoff;
  browser: ClusterBrowser;
  proxy: ProxyController;
  proxySwitch: ProxySwitch;
  /** The relay refused the session's tokens. */
  signInRequired: (reason: string) => void;
}

export class AppSession extends EventEmitter<{ change: []; grantsChanged: [] }> {
  readonly #options: AppSessionOptions;
  #current: SignedInSession | undefined;
  /** The last cluster list, kept while a session restarts, dropped with the account. */
  #clusters: ClusterView[] = [];
  #statusStream: AppState['statusStream'] = 'idle';

  constructor(options: AppSessionOptions) {
    super();
    this.#options = options;
  }

  /** The session now; undefined when signed out. */
  get current(): SignedInSession | undefined {
    return this.#current;
  }

  get clusters(): ClusterView[] {
    return structuredClone(this.#clusters);
  }

  get statusStream(): AppState['statusStream'] {
    return this.#statusStream;
  }

  begin(relayUrl: string): void {
    const { store, logger, createWatcher, tunnelBackoff } = this.#options;
    const session = SignedInSession.start({
      relayUrl,
      store,
      logger,
      createWatcher,
      ...(tunnelBackoff && { tunnelBackoff }),
    });
    this.#current = session;
    session.on('change', () => {
      this.#clusters = session.clusters;
      this.#statusStream = session.statusStream;
      this.emit('change');
    });
    onGrantedClustersChange(session, () => this.emit('grantsChanged'));
    session.on('signInRequired', (reason) => this.#options.signInRequired(reason));
    this.#options.browser.connect(session.tunnel);
    this.#options.proxySwitch.follow(session);
  }

  /** `forget`: the account is gone (sign-out, another relay), and with it the cluster list. */
  async end(forget: boolean): Promise<void> {
    const session = this.#current;
    this.#current = undefined;
    this.#statusStream = 'idle';
    if (forget) this.#clusters = [];
    await this.#options.proxy.stop();
    this.#options.browser.disconnect({
      kind: 'relay-unreachable',
      message: 'the session with the relay ended',
    });
    await session?.close();
    this.emit('change');
  }
}
