/**
 * The desktop app's session with the relay the user is signed in to: a bearer-token source, the
 * live cluster status, and one relay tunnel that the cluster browser and the local proxy share (a
 * relay admits only so many tunnel sessions per user). It begins once the user is signed in and
 * ends at sign-out, a relay switch, a new sign-in, or when the app quits.
 */
import { EventEmitter } from 'node:events';
import type { ClusterView } from '@switchboard/contract/app';
import type { ReconnectBackoff } from '@switchboard/protocol';
import type { Logger } from '../logging/logger.js';
import type { TokenStore } from '../token-store/token-store.js';
import { RelayTunnel } from '../tunnel/relay-tunnel.js';
import { type BearerTokenSource, bearerTokenSource } from './bearer-token-source.js';

/** What the session needs of the status watcher (`ClusterStatusWatcher`). */
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

export interface SignedInSessionOptions {
  relayUrl: string;
  store: TokenStore;
  logger: Logger;
  createWatcher: (options: StatusWatcherOptions) => StatusWatcher;
  /** The tunnel's reconnect backoff (tests shorten it). */
  tunnelBackoff?: () => ReconnectBackoff;
}

interface SignedInSessionEvents {
  /** The cluster list or the state of the status stream changed. */
  change: [];
  /** The relay refused the session, and renewing the token did not help: only a new sign-in will. */
  signInRequired: [reason: string];
}

export class SignedInSession extends EventEmitter<SignedInSessionEvents> {
  readonly relayUrl: string;
  readonly bearerToken: BearerTokenSource;
  readonly tunnel: RelayTunnel;
  readonly #watcher: StatusWatcher;

  private constructor(options: SignedInSessionOptions) {
    super();
    const { relayUrl, store, logger } = options;
    this.relayUrl = relayUrl;
    this.bearerToken = bearerTokenSource(relayUrl, store, logger);
    const bearerToken = this.bearerToken;
    this.#watcher = options.createWatcher({
      relayUrl,
      bearerToken: () => bearerToken(),
      renewRejectedToken: bearerToken.renewRejected,
      logger,
    });
    this.tunnel = new RelayTunnel({
      relayUrl,
      bearerToken,
      renewRejectedToken: bearerToken.renewRejected,
      logger,
      ...(options.tunnelBackoff && { backoff: options.tunnelBackoff() }),
    });
  }

  /** Starts watching the cluster status and dialling the tunnel. */
  static start(options: SignedInSessionOptions): SignedInSession {
    const session = new SignedInSession(options);
    const watcher = session.#watcher;
    watcher.on('change', () => {
      session.emit('change');
      if (watcher.signInRequired) session.emit('signInRequired', 'the relay refused the session');
    });
    session.tunnel.on('state', (state) => {
      if (state === 'sign-in-required') {
        session.emit('signInRequired', session.tunnel.signInRequiredReason ?? session.tunnel.lastFailure);
      }
    });
    watcher.start();
    session.tunnel.start();
    return session;
  }

  get clusters(): ClusterView[] {
    return this.#watcher.clusters;
  }

  get statusStream(): 'idle' | 'live' | 'reconnecting' {
    return this.#watcher.state;
  }

  /** Stops the status stream and drains the tunnel (GOAWAY); nothing is reported after this. */
  async close(): Promise<void> {
    this.removeAllListeners();
    this.#watcher.close();
    await this.tunnel.close();
  }
}
