/**
 * The cluster browser's core side: the kinds a cluster serves (its discovery, grouped), resource
 * watches, YAML, delete, pod logs and shells, each
 * request going over the signed-in session's relay tunnel in this process (as the user, so with
 * the user's own RBAC, as kubectl has), whether the local proxy is on or off. Subscriptions
 * (watches, logs, shells) belong to an owner, the window or browser tab that started them, and end
 * with it. Port-forwards are the app's, not a window's: they run until stopped (`PortForwards`).
 */
import { randomUUID } from 'node:crypto';
import type {
  AppError,
  AppEventName,
  AppEvents,
  AppRequestParams,
  AppResponses,
  ResourceKindGroup,
  ResourceTypeId,
} from '@switchboard/contract/app';
import { AppRequestError } from '../app/app-error.js';
import type { Logger } from '../logging/logger.js';
import type { RelayTunnel } from '../tunnel/relay-tunnel.js';
import { ClusterClient } from './cluster-client.js';
import { AccessReviewer } from './details/access-review.js';
import { yamlOf } from './details/object-yaml.js';
import * as actions from './details/resource-actions.js';
import { applyEdited } from './details/resource-apply.js';
import { describeResource } from './details/resource-describer.js';
import {
  KindDiscovery,
  type KindDiscoveryOptions,
  objectPath,
  PODS,
  type ResolvedKind,
  SERVICES,
} from './kind-discovery.js';
import { groupKinds } from './kind-groups.js';
import { KubeApiError } from './kube-api-error.js';
import type { KubeObject } from './kube-object.js';
import { labelSelectorOf, NoSelectorError } from './label-selector.js';
import { listableKinds } from './list-access.js';
import { defaultContainer, podContainers } from './pod-containers.js';
import { PodExec } from './pod-exec.js';
import { PodLogs } from './pod-logs.js';
import { forwardablePorts } from './port-forward-target.js';
import { PortForwards } from './port-forwards.js';
import { ResourceWatch } from './resource-watch.js';
import { WorkloadLogs } from './workload-logs.js';

export interface ClusterBrowserOptions {
  /** Pushes an event to the owner of the subscription; no owner: to every window. */
  push: <E extends AppEventName>(event: E, data: AppEvents[E], owner: string | undefined) => void;
  logger: Logger;
  batchIntervalMs?: number;
  /** How long each cluster's discovery is kept, and how soon a miss asks again. */
  discovery?: KindDiscoveryOptions;
}

interface Subscription {
  owner: string;
  stop(): void;
}

export class ClusterBrowser {
  readonly #options: ClusterBrowserOptions;
  readonly #watches = new Map<string, Subscription>();
  readonly #logs = new Map<string, Subscription & { logs: PodLogs | WorkloadLogs }>();
  readonly #execs = new Map<string, Subscription & { exec: PodExec }>();
  #tunnel: RelayTunnel | undefined;
  readonly #clients = new Map<string, ClusterClient>();
  readonly #access = new AccessReviewer();
  readonly #discovery: KindDiscovery;
  readonly #portForwards: PortForwards;

  constructor(options: ClusterBrowserOptions) {
    this.#options = options;
    this.#discovery = new KindDiscovery(options.discovery);
    this.#portForwards = new PortForwards({
      client: (cluster) => this.#clientFor(cluster),
      onChange: (forwards) => this.#options.push('portForwards', { forwards }, undefined),
    });
  }

  /** A session began: clusters are reached over its tunnel from now on. */
  connect(tunnel: RelayTunnel): void {
    this.#closeClients();
    this.#access.clear();
    // Another person may be signed in now, who may list other CustomResourceDefinitions.
    this.#discovery.forget();
    this.#tunnel = tunnel;
  }

  /** The kinds the cluster serves, grouped for the sidebar, each saying whether the person may list it. */
  async discoverKinds(params: AppRequestParams<'discoverKinds'>): Promise<{ groups: ResourceKindGroup[] }> {
    const client = this.#clientFor(params.cluster);
    const served = await this.#discovery.kinds(params.cluster, client);
    const browsable = served.filter((kind) => kind.verbs.includes('list'));
    const allowed = await listableKinds(client, browsable);
    return { groups: groupKinds(served.map((kind) => ({ ...kind, listAllowed: allowed.has(kind.id) }))) };
  }

  /**
   * The session ended: its pooled streams close, log streams end with `error` and port-forwards
   * stop (watches retry once there is a session again, shells end with their connection).
   */
  disconnect(error: AppError): void {
    this.#closeClients();
    this.#tunnel = undefined;
    for (const { logs } of this.#logs.values()) logs.fail(error);
    this.#logs.clear();
    // A forward acts as the user who started it: it does not outlive their session.
    this.#portForwards.stopAll();
  }

  watchResources(params: AppRequestParams<'watchResources'>, owner: string): { watchId: string } {
    const watchId = randomUUID();
    const watch = new ResourceWatch({
      watchId,
      kind: params.kind,
      ...(params.namespace !== undefined && { namespace: params.namespace }),
      client: () => this.#clientFor(params.cluster),
      resolve: (client) => this.#discovery.resolve(params.cluster, client, params.kind),
      onNotFound: () => this.#discovery.forget(params.cluster),
      push: (event) => this.#options.push('resources', event, owner),
      logger: this.#options.logger,
      ...(this.#options.batchIntervalMs !== undefined && { batchIntervalMs: this.#options.batchIntervalMs }),
    });
    this.#watches.set(watchId, { owner, stop: () => watch.stop() });
    watch.start();
    return { watchId };
  }

  stopWatch(watchId: string): null {
    this.#watches.get(watchId)?.stop();
    this.#watches.delete(watchId);
    return null;
  }

  async getResourceYaml(params: AppRequestParams<'getResourceYaml'>): Promise<{ yaml: string }> {
    const object = await this.#onObject(params, (client, path) => client.json<KubeObject>('GET', path));
    return { yaml: yamlOf(object) };
  }

  async describeResource(
    params: AppRequestParams<'describeResource'>,
  ): Promise<AppResponses['describeResource']> {
    const client = this.#clientFor(params.cluster);
    return describeResource(client, await this.#locate(params), params.name, params.namespace);
  }

  async accessReview(params: AppRequestParams<'accessReview'>): Promise<AppResponses['accessReview']> {
    const location = await this.#locate(params);
    const client = this.#clientFor(params.cluster);
    return this.#access.review(params.cluster, client, location, params.name, params.namespace);
  }

  async applyResourceYaml(
    params: AppRequestParams<'applyResourceYaml'>,
  ): Promise<AppResponses['applyResourceYaml']> {
    const opened = { location: await this.#locate(params), name: params.name, namespace: params.namespace };
    return applyEdited(this.#clientFor(params.cluster), opened, params.yaml, params.force);
  }

  async scaleResource(params: AppRequestParams<'scaleResource'>): Promise<null> {
    const client = this.#clientFor(params.cluster);
    const location = await this.#locate(params);
    await actions.scale(client, location, params.name, params.namespace, params.replicas);
    return null;
  }

  async restartRollout(params: AppRequestParams<'restartRollout'>): Promise<null> {
    const location = await this.#locate(params);
    await actions.restartRollout(this.#clientFor(params.cluster), location, params.name, params.namespace);
    return null;
  }

  async setNodeSchedulable(params: AppRequestParams<'setNodeSchedulable'>): Promise<null> {
    await actions.setSchedulable(this.#clientFor(params.cluster), params.name, params.schedulable);
    return null;
  }

  planDrain(params: AppRequestParams<'planDrain'>): Promise<AppResponses['planDrain']> {
    return actions.planDrain(this.#clientFor(params.cluster), params.name);
  }

  drainNode(params: AppRequestParams<'drainNode'>): Promise<AppResponses['drainNode']> {
    return actions.drain(this.#clientFor(params.cluster), params.name);
  }

  /** Where the details' object lives, its kind resolved through the cluster's discovery. */
  #locate(params: { cluster: string; kind: ResourceTypeId }): Promise<ResolvedKind> {
    return this.#discovery.resolve(params.cluster, this.#clientFor(params.cluster), params.kind);
  }

  async deleteResource(params: AppRequestParams<'deleteResource'>): Promise<null> {
    await this.#onObject(params, (client, path) => client.json('DELETE', path));
    return null;
  }

  /**
   * Runs `request` on the object's path, the kind resolved through discovery; a 404 for a kind
   * discovery listed (its CRD went away) makes the next request ask discovery again.
   */
  async #onObject<T>(
    params: { cluster: string; kind: ResourceTypeId; name: string; namespace?: string | undefined },
    request: (client: ClusterClient, path: string) => Promise<T>,
  ): Promise<T> {
    const client = this.#clientFor(params.cluster);
    const kind = await this.#discovery.resolve(params.cluster, client, params.kind);
    try {
      return await request(client, objectPath(kind, params.name, this.#namespaceOf(kind, params.namespace)));
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 404) this.#discovery.forget(params.cluster);
      throw error;
    }
  }

  async startLogs(params: AppRequestParams<'startLogs'>, owner: string): Promise<{ logsId: string }> {
    const client = this.#clientFor(params.cluster);
    const container = params.container ?? (await firstContainer(client, params.namespace, params.pod));
    const logsId = randomUUID();
    const logs = new PodLogs({
      logsId,
      client,
      namespace: params.namespace,
      pod: params.pod,
      container,
      follow: params.follow,
      ...(params.tailLines !== undefined && { tailLines: params.tailLines }),
      ...(params.previous !== undefined && { previous: params.previous }),
      ...(params.timestamps !== undefined && { timestamps: params.timestamps }),
      ...(params.sinceTime !== undefined && { sinceTime: params.sinceTime }),
      push: (event) => {
        if ('end' in event) this.#logs.delete(logsId);
        this.#options.push('logs', event, owner);
      },
      ...(this.#options.batchIntervalMs !== undefined && { batchIntervalMs: this.#options.batchIntervalMs }),
    });
    this.#logs.set(logsId, { owner, logs, stop: () => logs.stop() });
    try {
      await logs.start();
    } catch (error) {
      this.#logs.delete(logsId);
      throw error;
    }
    return { logsId };
  }

  stopLogs(logsId: string): null {
    this.#logs.get(logsId)?.stop();
    this.#logs.delete(logsId);
    return null;
  }

  async startExec(params: AppRequestParams<'startExec'>, owner: string): Promise<{ execId: string }> {
    const client = this.#clientFor(params.cluster);
    const container = params.container ?? (await firstContainer(client, params.namespace, params.pod));
    const execId = randomUUID();
    const exec = new PodExec({
      execId,
      client,
      namespace: params.namespace,
      pod: params.pod,
      container,
      commands: [params.command, ...(params.fallbackCommand ? [params.fallbackCommand] : [])],
      columns: params.columns,
      rows: params.rows,
      push: (event) => this.#options.push('exec', event, owner),
      onClosed: () => this.#execs.delete(execId),
    });
    this.#execs.set(execId, { owner, exec, stop: () => exec.stop() });
    try {
      await exec.start();
    } catch (error) {
      this.#execs.delete(execId);
      throw error;
    }
    return { execId };
  }

  execInput(params: AppRequestParams<'execInput'>): null {
    this.#execOf(params.execId).input(params.data);
    return null;
  }

  execResize(params: AppRequestParams<'execResize'>): null {
    this.#execOf(params.execId).resize(params.columns, params.rows);
    return null;
  }

  stopExec(execId: string): null {
    this.#execs.get(execId)?.stop();
    return null;
  }

  async getPodContainers(
    params: AppRequestParams<'getPodContainers'>,
  ): Promise<AppResponses['getPodContainers']> {
    const pod = await this.#clientFor(params.cluster).json<KubeObject>(
      'GET',
      objectPath(PODS, params.pod, params.namespace),
    );
    return { containers: podContainers(pod) };
  }

  async startWorkloadLogs(
    params: AppRequestParams<'startWorkloadLogs'>,
    owner: string,
  ): Promise<{ logsId: string }> {
    const owningObject = await this.#onObject(params, (client, path) => client.json<KubeObject>('GET', path));
    let labelSelector: string;
    try {
      labelSelector = labelSelectorOf(owningObject);
    } catch (error) {
      if (error instanceof NoSelectorError) throw new AppRequestError('invalid-request', error.message);
      throw error;
    }
    const logsId = randomUUID();
    const logs = new WorkloadLogs({
      logsId,
      client: () => this.#clientFor(params.cluster),
      namespace: params.namespace,
      labelSelector,
      ...(params.container !== undefined && { container: params.container }),
      tailLines: params.tailLines ?? 200,
      push: (event) => {
        if ('end' in event) this.#logs.delete(logsId);
        this.#options.push('workloadLogs', event, owner);
      },
      logger: this.#options.logger,
    });
    this.#logs.set(logsId, { owner, logs, stop: () => logs.stop() });
    logs.start();
    return { logsId };
  }

  async getForwardablePorts(
    params: AppRequestParams<'getForwardablePorts'>,
  ): Promise<AppResponses['getForwardablePorts']> {
    const object = await this.#clientFor(params.cluster).json<KubeObject>(
      'GET',
      objectPath(params.kind === 'pods' ? PODS : SERVICES, params.name, params.namespace),
    );
    return { ports: forwardablePorts(params.kind, object) };
  }

  startPortForward(params: AppRequestParams<'startPortForward'>) {
    return this.#portForwards.start(params);
  }

  stopPortForward(forwardId: string): null {
    return this.#portForwards.stop(forwardId);
  }

  listPortForwards() {
    return { forwards: this.#portForwards.list() };
  }

  /** Ends every subscription of an owner (its window closed, its socket dropped). */
  closeOwner(owner: string): void {
    for (const subscriptions of [this.#watches, this.#logs, this.#execs] as Map<string, Subscription>[]) {
      for (const [id, subscription] of subscriptions) {
        if (subscription.owner !== owner) continue;
        subscription.stop();
        subscriptions.delete(id);
      }
    }
  }

  /** Ends every subscription and pooled stream (the app quits). */
  close(): void {
    for (const subscriptions of [this.#watches, this.#logs, this.#execs] as Map<string, Subscription>[]) {
      for (const subscription of subscriptions.values()) subscription.stop();
      subscriptions.clear();
    }
    this.#portForwards.close();
    this.#closeClients();
    this.#tunnel = undefined;
  }

  #clientFor(cluster: string): ClusterClient {
    const tunnel = this.#tunnel;
    if (!tunnel) {
      throw new AppRequestError(
        'sign-in-required',
        'sign in first: the app reaches clusters through your session with the relay',
      );
    }
    let client = this.#clients.get(cluster);
    if (!client) {
      client = new ClusterClient(tunnel, cluster);
      this.#clients.set(cluster, client);
    }
    return client;
  }

  #closeClients(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }

  #execOf(execId: string): PodExec {
    const entry = this.#execs.get(execId);
    if (!entry) throw new AppRequestError('not-found', `no shell session ${execId}; it has ended`);
    return entry.exec;
  }

  #namespaceOf(kind: ResolvedKind, namespace: string | undefined): string | undefined {
    if (!kind.namespaced) return undefined;
    if (!namespace) {
      throw new AppRequestError('invalid-request', `${kind.id} live in a namespace: say which one`);
    }
    return namespace;
  }
}

/** `kubectl logs`/`exec` without `-c`: the pod's first container. */
async function firstContainer(client: ClusterClient, namespace: string, pod: string): Promise<string> {
  const object = await client.json<KubeObject>('GET', objectPath(PODS, pod, namespace));
  const name = defaultContainer(object);
  if (!name) throw new AppRequestError('not-found', `pod ${namespace}/${pod} has no containers`);
  return name;
}
