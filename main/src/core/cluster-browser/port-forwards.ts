/**
 * The port-forwards the app runs: started from any window, listed to all of them (the `portForwards`
 * event carries the whole list, it is short), ended by Stop or when the app quits, not when a
 * window closes or the UI switches view: a forward is something kubectl users leave running. They
 * do end with the signed-in session (`stopAll`): they carry that user's identity.
 */
import { randomUUID } from 'node:crypto';
import type { AppRequestParams, PortForwardView } from '@switchboard/contract/app';
import type { ClusterClient } from './cluster-client.js';
import { objectPath, SERVICES } from './kind-discovery.js';
import type { KubeObject } from './kube-object.js';
import { PortForward } from './port-forward.js';
import { resolveServicePort } from './port-forward-target.js';

interface Entry {
  view: Omit<PortForwardView, 'localPort' | 'localAddress' | 'state' | 'connections' | 'error'>;
  forward: PortForward;
}

export interface PortForwardsOptions {
  client: (cluster: string) => ClusterClient;
  /** The whole list changed. */
  onChange: (forwards: PortForwardView[]) => void;
}

export class PortForwards {
  readonly #options: PortForwardsOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(options: PortForwardsOptions) {
    this.#options = options;
  }

  async start(params: AppRequestParams<'startPortForward'>): Promise<PortForwardView> {
    const { cluster, namespace, kind, name, port } = params;
    const { pod, podPort } = await this.#resolve(params);
    const forwardId = randomUUID();
    const forward = new PortForward({
      client: () => this.#options.client(cluster),
      namespace,
      pod,
      podPort,
      localPort: params.localPort ?? 0,
      onChange: () => {
        if (this.#entries.has(forwardId)) this.#changed();
      },
    });
    await forward.listen();
    const entry: Entry = {
      view: { forwardId, cluster, namespace, target: { kind, name, port }, pod, podPort },
      forward,
    };
    this.#entries.set(forwardId, entry);
    this.#changed();
    return viewOf(entry);
  }

  stop(forwardId: string): null {
    const entry = this.#entries.get(forwardId);
    if (!entry) return null;
    entry.forward.close();
    this.#entries.delete(forwardId);
    this.#changed();
    return null;
  }

  list(): PortForwardView[] {
    return [...this.#entries.values()].map(viewOf);
  }

  /** Ends every forward and says so (the session they belong to ended). */
  stopAll(): void {
    if (this.#entries.size === 0) return;
    this.close();
    this.#changed();
  }

  close(): void {
    for (const entry of this.#entries.values()) entry.forward.close();
    this.#entries.clear();
  }

  async #resolve(params: AppRequestParams<'startPortForward'>): Promise<{ pod: string; podPort: number }> {
    const { cluster, namespace, kind, name, port } = params;
    if (kind === 'pods') return { pod: name, podPort: port };
    const client = this.#options.client(cluster);
    const service = await client.json<KubeObject>('GET', objectPath(SERVICES, name, namespace));
    const selector = (service.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
    const labelSelector = Object.entries(selector)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const pods = labelSelector
      ? ((
          await client.json<{ items?: KubeObject[] }>(
            'GET',
            `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?${new URLSearchParams({ labelSelector })}`,
          )
        ).items ?? [])
      : [];
    return resolveServicePort(service, port, pods);
  }

  #changed(): void {
    this.#options.onChange(this.list());
  }
}

function viewOf({ view, forward }: Entry): PortForwardView {
  return {
    ...view,
    localPort: forward.localPort,
    localAddress: `127.0.0.1:${forward.localPort}`,
    state: forward.state,
    connections: forward.connections,
    ...(forward.error !== undefined && { error: forward.error }),
  };
}
