/**
 * Switchboard's contexts in the user's own kubeconfig, as the app merges them on request: one per
 * granted cluster, pointing at the local proxy's port (the running proxy's, else the one it will
 * listen on), taken out again on request or at sign-out. It knows whether they are merged now.
 */
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import type { AppResponses } from '@switchboard/contract/app';
import { AppRequestError } from '../app/app-error.js';
import { type LocalIdentityStore, loadOrCreateLocalIdentity } from '../local-proxy/local-identity.js';
import type { ProxyController } from '../local-proxy/proxy-controller.js';
import { RelayApiClient } from '../relay-client/relay-api.js';
import { MergeRecords, mergeKubeconfig, unmergeKubeconfig } from './kubeconfig-merge.js';
import { defaultKubeconfigPath, kubeconfigEntries } from './switchboard-kubeconfig.js';

export interface KubeconfigMergeServiceOptions {
  /** Where the merge records live. */
  configDirectory: string;
  /** The kubeconfig merged into; default `$KUBECONFIG`'s first entry, else ~/.kube/config. */
  userKubeconfigPath?: string;
  localIdentityStore: LocalIdentityStore;
  /** The signed-in relay and its tokens; undefined when signed out. */
  session: () => { relayUrl: string; bearerToken: () => Promise<string> } | undefined;
  proxy: ProxyController;
  /** The port the proxy listens on when it runs (the setting). */
  proxyPort: () => number;
}

export class KubeconfigMergeService extends EventEmitter<{ change: [] }> {
  readonly #options: KubeconfigMergeServiceOptions;
  readonly #records: MergeRecords;
  readonly #userKubeconfig: string;
  #merged = false;

  constructor(options: KubeconfigMergeServiceOptions) {
    super();
    this.#options = options;
    this.#records = new MergeRecords(options.configDirectory);
    this.#userKubeconfig = resolve(options.userKubeconfigPath ?? defaultKubeconfigPath());
  }

  /** Reads whether the contexts are merged (a record of an earlier merge says so). */
  async load(): Promise<void> {
    this.#merged = (await this.#records.get(this.#userKubeconfig)) !== undefined;
  }

  get merged(): boolean {
    return this.#merged;
  }

  /** Merges (or updates) the contexts of the clusters the user is granted now. */
  async merge(): Promise<AppResponses['mergeKubeconfig']> {
    const session = this.#options.session();
    if (!session) throw new AppRequestError('sign-in-required', 'sign in first to merge your clusters');
    const running = this.#options.proxy.running;
    const port = running?.port ?? this.#options.proxyPort();
    if (port === 0) {
      throw new AppRequestError(
        'invalid-request',
        'start the proxy first: the merged contexts need its port',
      );
    }
    const clusters =
      running?.kubeconfig !== undefined
        ? running.clusters.map((cluster) => cluster.name)
        : (await new RelayApiClient(session.relayUrl).listClusters(await session.bearerToken())).map(
            (cluster) => cluster.name,
          );
    const { identity } = await loadOrCreateLocalIdentity(this.#options.localIdentityStore);
    const entries = kubeconfigEntries({ clusters, port, identity });
    const result = await mergeKubeconfig(this.#userKubeconfig, entries, this.#records);
    this.#merged = true;
    this.emit('change');
    return {
      kubeconfigPath: result.path,
      ...(result.backupPath !== undefined && { backupPath: result.backupPath }),
      contexts: entries.filter((entry) => entry.section === 'contexts').map((entry) => entry.name),
    };
  }

  /** Takes the contexts out again, leaving whatever the user changed. */
  async unmerge(): Promise<AppResponses['unmergeKubeconfig']> {
    const result = await unmergeKubeconfig(this.#userKubeconfig, this.#records);
    this.#merged = false;
    this.emit('change');
    return {
      kubeconfigPath: result.path,
      removedContexts: result.removed
        .filter((key) => key.startsWith('contexts/'))
        .map((key) => key.slice('contexts/'.length)),
    };
  }
}
