/**
 * The local proxy as a user switches it on and off: at most one `LocalProxyService` at a time for
 * the signed-in relay, and what it is doing as a `ProxyStatus` (starting, ready, error), with the
 * contexts and the `export KUBECONFIG=…` line once its kubeconfig is written. The desktop core
 * drives it from the proxy switch and port; `switchboard proxy` runs one in the foreground.
 *
 * A start under way is joined by a second start and waited for by a stop, which then stops what it
 * brought up: a stop always leaves nothing listening and no kubeconfig behind.
 */
import { EventEmitter } from 'node:events';
import type { ProxyView } from '@switchboard/contract/app';
import type { Cluster } from '@switchboard/contract/relay-api';
import type { ReconnectBackoff } from '@switchboard/protocol';
import { toAppError } from '../app/app-error.js';
import { CONTEXT_PREFIX } from '../kubeconfig/switchboard-kubeconfig.js';
import type { Logger } from '../logging/logger.js';
import type { BearerTokenSource } from '../session/bearer-token-source.js';
import type { RelayTunnel, RelayTunnelState } from '../tunnel/relay-tunnel.js';
import { type LocalIdentityStore, loadOrCreateLocalIdentity } from './local-identity.js';
import { LOCAL_PROXY_HOST } from './local-proxy.js';
import { LocalProxyService } from './local-proxy-service.js';

export interface ProxyControllerOptions {
  localIdentityStore: LocalIdentityStore;
  /** Where the proxy's kubeconfig goes (mode 0600). */
  kubeconfigPath: string;
  logger: Logger;
  nextFreePort?: boolean;
  maxConnections?: number;
  /** Clusters in service-account-token mode, each with how to read its current Kubernetes token. */
  serviceAccountTokens?: ReadonlyMap<string, () => Promise<string>>;
  /** The reconnect backoff of a tunnel the proxy dials itself. */
  backoff?: () => ReconnectBackoff;
}

/** Whom the proxy serves: the signed-in relay, and the session's tunnel to share when there is one. */
export interface ProxyTarget {
  relayUrl: string;
  bearerToken: BearerTokenSource;
  tunnel?: RelayTunnel;
}

/** The app's `ProxyView` but for the switch, the merge and the live client count; `port` only once listening. */
export type ProxyStatus = Omit<ProxyView, 'enabled' | 'merged' | 'port' | 'activeSessions'> & {
  port?: number;
};

interface ProxyControllerEvents {
  change: [];
  /** The relay session's state, as the proxy sees it (`switchboard proxy` reports it). */
  tunnel: [state: RelayTunnelState];
  /** The kubeconfig was written: first when ready, again when the granted clusters changed. */
  kubeconfigWritten: [clusters: readonly Cluster[], grantsChanged: boolean];
}

const OFF: ProxyStatus = { state: 'off', contexts: [] };
/**
 * Client connection counts are told at most this often: kubectl opens and closes connections in
 * bursts, and each change pushes the app's whole state to every window.
 */
const CLIENTS_CHANGE_INTERVAL_MS = 250;

export class ProxyController extends EventEmitter<ProxyControllerEvents> {
  readonly #options: ProxyControllerOptions;
  #status: ProxyStatus = structuredClone(OFF);
  /** What the latest start was for; a stop clears it, so a start it overtook gives up. */
  #target: ProxyTarget | undefined;
  #starting: Promise<void> | undefined;
  #service: LocalProxyService | undefined;
  #ready: { clusters: Promise<readonly Cluster[]>; abort: AbortController } | undefined;
  #clientsChange: NodeJS.Timeout | undefined;

  constructor(options: ProxyControllerOptions) {
    super();
    this.#options = options;
  }

  get status(): ProxyStatus {
    return structuredClone(this.#status);
  }

  /** Client connections open on the running proxy (kubectl, Helm, Lens); 0 when it is off. */
  get activeSessions(): number {
    return this.#service?.clientConnections ?? 0;
  }

  /** The proxy once it listens (its port, and its clusters once the kubeconfig is written). */
  get running(): LocalProxyService | undefined {
    return this.#service;
  }

  /**
   * Starts the proxy on `port` (a busy one fails here with `PortInUseError`, the status says so);
   * resolves once it listens. Readiness (relay session up, kubeconfig written) follows in `status`.
   */
  start(target: ProxyTarget, port: number): Promise<void> {
    this.#target = target;
    this.#starting ??= this.#launch(target, port).finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  /** Resolves with the granted clusters once the kubeconfig is written; rejects when that failed. */
  whenReady(signal?: AbortSignal): Promise<readonly Cluster[]> {
    const ready = this.#ready;
    if (!ready) return Promise.reject(new Error('the local proxy is not running'));
    if (!signal) return ready.clusters;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      ready.clusters.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * The granted clusters changed (the status stream said so): the kubeconfig is rewritten with one
   * context per cluster granted now, and `kubeconfigWritten` follows when that changed anything.
   * Before the first write there is nothing to follow yet: `ready` lists the clusters itself.
   */
  async refreshKubeconfig(): Promise<void> {
    const service = this.#service;
    if (service?.kubeconfig === undefined) return;
    if (await service.refreshKubeconfig()) this.#onKubeconfigWritten(service, true);
  }

  /** Stops the proxy (after a start under way), which removes its kubeconfig. */
  async stop(): Promise<void> {
    this.#target = undefined;
    await this.#starting?.catch(() => {});
    const service = this.#service;
    this.#service = undefined;
    this.#ready?.abort.abort();
    this.#ready = undefined;
    clearTimeout(this.#clientsChange);
    this.#clientsChange = undefined;
    await service?.stop();
    this.#status = structuredClone(OFF);
    this.emit('change');
  }

  /** Only through `start`, so that one start runs at a time. */
  async #launch(target: ProxyTarget, port: number): Promise<void> {
    if (this.#service) return;
    const wanted = () => this.#target === target;
    this.#update({ state: 'starting', error: undefined });
    let service: LocalProxyService;
    try {
      const { identity } = await loadOrCreateLocalIdentity(this.#options.localIdentityStore);
      if (!wanted()) return;
      const { backoff, nextFreePort, maxConnections, serviceAccountTokens } = this.#options;
      service = await LocalProxyService.start({
        relayUrl: target.relayUrl,
        bearerToken: target.bearerToken,
        ...(target.tunnel && { tunnel: target.tunnel }),
        identity,
        port,
        ...(nextFreePort !== undefined && { nextFreePort }),
        ...(maxConnections !== undefined && { maxConnections }),
        ...(serviceAccountTokens && { serviceAccountTokens }),
        kubeconfigPath: this.#options.kubeconfigPath,
        logger: this.#options.logger,
        ...(backoff && { backoff: backoff() }),
      });
    } catch (error) {
      this.#update({ state: 'error', error: toAppError(error) });
      throw error;
    }
    if (!wanted()) {
      await service.stop();
      return;
    }
    this.#service = service;
    this.#update({
      state: 'starting',
      port: service.port,
      url: `https://${LOCAL_PROXY_HOST}:${service.port}`,
    });
    service.on('tunnel', (state) => this.#onTunnelState(service, state));
    service.on('kubeconfigChanged', () => this.#onKubeconfigWritten(service, true));
    service.on('clients', () => {
      if (this.#service !== service || this.#clientsChange) return;
      this.#clientsChange = setTimeout(() => {
        this.#clientsChange = undefined;
        if (this.#service === service) this.emit('change');
      }, CLIENTS_CHANGE_INTERVAL_MS);
      this.#clientsChange.unref?.();
    });
    const abort = new AbortController();
    const clusters = service.ready(abort.signal);
    this.#ready = { clusters, abort };
    clusters.then(
      () => this.#onKubeconfigWritten(service, false),
      (error: unknown) => {
        if (this.#service === service) this.#update({ state: 'error', error: toAppError(error) });
      },
    );
  }

  #onTunnelState(service: LocalProxyService, state: RelayTunnelState): void {
    if (this.#service !== service) return;
    if (state === 'up') {
      if (service.kubeconfig !== undefined) this.#update({ state: 'ready', error: undefined });
    } else if (state === 'down') {
      this.#update({
        state: 'starting',
        error: {
          kind: 'relay-unreachable',
          message: `The relay ${service.relayUrl} is unreachable (${service.lastFailure}); retrying.`,
        },
      });
    } else if (state === 'sign-in-required') {
      const reason = service.signInRequiredReason ?? service.lastFailure;
      this.#update({
        state: 'error',
        error: { kind: 'sign-in-required', message: `Sign in to ${service.relayUrl} again (${reason}).` },
      });
    }
    this.emit('tunnel', state);
  }

  #onKubeconfigWritten(service: LocalProxyService, grantsChanged: boolean): void {
    if (this.#service !== service) return;
    const up = service.tunnelState === 'up';
    this.#update({
      state: up ? 'ready' : 'starting',
      ...(up && { error: undefined }),
      kubeconfigPath: service.kubeconfigPath,
      exportLine: exportLine(service.kubeconfigPath),
      contexts: service.clusters.map((cluster) => ({
        cluster: cluster.name,
        context: `${CONTEXT_PREFIX}${cluster.name}`,
      })),
    });
    this.emit('kubeconfigWritten', service.clusters, grantsChanged);
  }

  /** Sets the fields given; `error: undefined` clears the error. */
  #update(changes: Partial<ProxyStatus>): void {
    const { error, ...rest } = { ...this.#status, ...changes };
    this.#status = error === undefined ? rest : { ...rest, error };
    this.emit('change');
  }
}

/** The line that points a shell's kubectl at the kubeconfig, ready to copy or `eval`. */
function exportLine(kubeconfigPath: string): string {
  return process.platform === 'win32'
    ? `$env:KUBECONFIG = "${kubeconfigPath}"`
    : `export KUBECONFIG=${shellQuote(kubeconfigPath)}`;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
