/**
 * The local proxy as one running unit, shared by `switchboard proxy` and the desktop app: the
 * loopback proxy kubectl talks to, on a relay tunnel (its own, or the desktop session's, which the
 * cluster browser uses too), and the kubeconfig pointing at it (one context per granted cluster,
 * rewritten when the grants changed while the relay was away, and whenever its owner asks).
 * Stopping it removes that kubeconfig, but only while it is still the file this service wrote, and
 * closes the tunnel only if it is its own.
 */
import { EventEmitter } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import type { Cluster } from '@switchboard/contract/relay-api';
import type { ReconnectBackoff } from '@switchboard/protocol';
import { writeSwitchboardKubeconfig } from '../kubeconfig/switchboard-kubeconfig.js';
import type { Logger } from '../logging/logger.js';
import { RelayApiClient } from '../relay-client/relay-api.js';
import type { BearerTokenSource } from '../session/bearer-token-source.js';
import { RelayTunnel, type RelayTunnelState } from '../tunnel/relay-tunnel.js';
import type { LocalIdentity } from './local-identity.js';
import { LocalProxy } from './local-proxy.js';

export interface LocalProxyServiceOptions {
  relayUrl: string;
  bearerToken: BearerTokenSource;
  /** A tunnel to `relayUrl` someone else owns and keeps up; without one the service dials its own. */
  tunnel?: RelayTunnel;
  identity: LocalIdentity;
  /** 0 lets the OS pick a free port. */
  port: number;
  nextFreePort?: boolean;
  /** Where the kubeconfig goes (mode 0600). */
  kubeconfigPath: string;
  /** Clusters in service-account-token mode, each with how to read its current Kubernetes token. */
  serviceAccountTokens?: ReadonlyMap<string, () => Promise<string>>;
  /** Concurrent client connections the proxy accepts (default `DEFAULT_MAX_LOCAL_CONNECTIONS`). */
  maxConnections?: number;
  logger: Logger;
  /** Its own tunnel's reconnect backoff. */
  backoff?: ReconnectBackoff;
}

interface LocalProxyServiceEvents {
  /** The relay session's state (`up`, `down`, `sign-in-required`, …). */
  tunnel: [state: RelayTunnelState];
  /** The kubeconfig was rewritten after a reconnect because the granted clusters changed. */
  kubeconfigChanged: [clusters: Cluster[]];
  /** Client connections open on the proxy (see `clientConnections`). */
  clients: [count: number];
}

export class LocalProxyService extends EventEmitter<LocalProxyServiceEvents> {
  readonly #options: LocalProxyServiceOptions;
  readonly #tunnel: RelayTunnel;
  readonly #ownsTunnel: boolean;
  readonly #proxy: LocalProxy;
  #written: string | undefined;
  #clusters: Cluster[] = [];
  /** Kubeconfig writes under way: `stop()` lets them finish before it removes the file. */
  readonly #writes = new Set<Promise<boolean>>();
  #stopping: Promise<void> | undefined;

  private constructor(options: LocalProxyServiceOptions, tunnel: RelayTunnel, proxy: LocalProxy) {
    super();
    this.#options = options;
    this.#tunnel = tunnel;
    this.#ownsTunnel = tunnel !== options.tunnel;
    this.#proxy = proxy;
    tunnel.on('state', this.#onTunnelState);
    proxy.on('clients', (count) => this.emit('clients', count));
  }

  /**
   * Listens (a busy port fails here with `PortInUseError`) and starts dialling the relay; `ready()`
   * tells when the session is up and the kubeconfig written.
   */
  static async start(options: LocalProxyServiceOptions): Promise<LocalProxyService> {
    const tunnel =
      options.tunnel ??
      new RelayTunnel({
        relayUrl: options.relayUrl,
        bearerToken: options.bearerToken,
        renewRejectedToken: options.bearerToken.renewRejected,
        logger: options.logger,
        ...(options.backoff && { backoff: options.backoff }),
      });
    let proxy: LocalProxy;
    try {
      proxy = await LocalProxy.start({
        tunnel,
        identity: options.identity,
        port: options.port,
        nextFreePort: options.nextFreePort ?? false,
        ...(options.serviceAccountTokens && { serviceAccountTokens: options.serviceAccountTokens }),
        ...(options.maxConnections !== undefined && { maxConnections: options.maxConnections }),
        logger: options.logger,
      });
    } catch (error) {
      if (tunnel !== options.tunnel) await tunnel.close();
      throw error;
    }
    const service = new LocalProxyService(options, tunnel, proxy);
    tunnel.start();
    return service;
  }

  get port(): number {
    return this.#proxy.port;
  }

  /** Client connections open on the proxy now: what stopping it would cut. */
  get clientConnections(): number {
    return this.#proxy.clientConnections;
  }

  get relayUrl(): string {
    return this.#tunnel.relayUrl;
  }

  get kubeconfigPath(): string {
    return this.#options.kubeconfigPath;
  }

  get identity(): LocalIdentity {
    return this.#options.identity;
  }

  get tunnelState(): RelayTunnelState {
    return this.#tunnel.state;
  }

  /** Why the relay session is not up, for messages. */
  get lastFailure(): string {
    return this.#tunnel.lastFailure;
  }

  /** Why a new sign-in is needed, in the app's words (see `RelayTunnel.signInRequiredReason`). */
  get signInRequiredReason(): string | undefined {
    return this.#tunnel.signInRequiredReason;
  }

  /** The clusters in the kubeconfig as last written (empty before `ready()`). */
  get clusters(): readonly Cluster[] {
    return this.#clusters;
  }

  /** The kubeconfig text as written, undefined before `ready()`. */
  get kubeconfig(): string | undefined {
    return this.#written;
  }

  /** Waits for the relay session, then writes the kubeconfig; returns the granted clusters. */
  async ready(signal?: AbortSignal): Promise<Cluster[]> {
    await this.#proxy.ready(signal);
    await this.refreshKubeconfig();
    return this.#clusters;
  }

  /**
   * Asks the relay for the granted clusters and rewrites the kubeconfig; true when it changed.
   * Fails once `stop()` began: the file (with the local credential) must not outlive the proxy.
   */
  async refreshKubeconfig(): Promise<boolean> {
    const token = await this.#options.bearerToken();
    const clusters = await new RelayApiClient(this.relayUrl).listClusters(token);
    if (this.#stopping) throw new Error('the local proxy stopped; its kubeconfig is not written again');
    const write = (async () => {
      const text = await writeSwitchboardKubeconfig(this.#options.kubeconfigPath, {
        clusters: clusters.map((cluster) => cluster.name),
        port: this.port,
        identity: this.#options.identity,
      });
      const changed = this.#written !== undefined && text !== this.#written;
      this.#written = text;
      this.#clusters = clusters;
      return changed;
    })();
    this.#writes.add(write);
    try {
      return await write;
    } finally {
      this.#writes.delete(write);
    }
  }

  /**
   * Stops listening (requests under way get a moment to finish), closes its own tunnel (GOAWAY), and
   * removes the kubeconfig if still ours.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#tunnel.off('state', this.#onTunnelState);
      await this.#proxy.close();
      if (this.#ownsTunnel) await this.#tunnel.close();
      // A write that began before the stop lands first, so the check below sees (and removes) it.
      await Promise.allSettled(this.#writes);
      if (this.#written !== undefined) {
        // Only if it is still the file we wrote: never delete something a user put there.
        const current = await readFile(this.#options.kubeconfigPath, 'utf8').catch(() => undefined);
        if (current === this.#written) await rm(this.#options.kubeconfigPath, { force: true });
      }
    })();
    return this.#stopping;
  }

  readonly #onTunnelState = (state: RelayTunnelState): void => {
    this.emit('tunnel', state);
    if (state !== 'up' || this.#written === undefined) return;
    // Grants may have changed while the relay was away.
    this.refreshKubeconfig().then(
      (changed) => changed && this.emit('kubeconfigChanged', this.#clusters),
      (error: Error) =>
        this.#options.logger.warn({ err: error.message }, 'could not refresh the cluster list'),
    );
  };
}
