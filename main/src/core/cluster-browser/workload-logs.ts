/**
 * The logs of every pod a workload selects, interleaved by time (`LogInterleaver`), as
 * `workloadLogs` events: the owner's selector feeds a pod watch; each pod that has started is
 * followed with `timestamps=true`, pods that join are followed from their start, pods that leave
 * end. The list of pods and each one's state is pushed whenever it changes. The first lines wait
 * until every pod there at the start has its stream open (at most `WARM_UP_MS`), so the tails they
 * send come out interleaved rather than one pod after another.
 */
import type { AppError, ResourceRow, WorkloadLogPod, WorkloadLogsEvent } from '@switchboard/contract/app';
import { toAppError } from '../app/app-error.js';
import type { Logger } from '../logging/logger.js';
import type { ClusterClient } from './cluster-client.js';
import { objectPath, PODS } from './kind-discovery.js';
import type { KubeObject } from './kube-object.js';
import { LogInterleaver } from './log-interleave.js';
import { defaultContainer } from './pod-containers.js';
import { PodLogs } from './pod-logs.js';
import { ResourceWatch } from './resource-watch.js';

/** Pod states whose containers have not started: no log to read yet. */
/** What a pod's Status column (as `kubectl get pods` prints it) says before its containers run. */
const NOT_STARTED = new Set(['Pending', 'ContainerCreating', 'PodInitializing']);
/** Lines pushed per event, so one burst does not become one huge message. */
const MAX_LINES_PER_PUSH = 2_000;
/** The longest the first lines wait for the other pods' streams to open. */
const WARM_UP_MS = 3_000;

export interface WorkloadLogsOptions {
  logsId: string;
  client: () => ClusterClient;
  namespace: string;
  labelSelector: string;
  /** Each pod's container of this name; omitted: each pod's first container. */
  container?: string;
  tailLines: number;
  push: (event: WorkloadLogsEvent) => void;
  logger: Logger;
  batchIntervalMs?: number;
  /** How long a line waits for earlier lines of other pods (see `LogInterleaver`). */
  settleMs?: number;
}

interface FollowedPod {
  view: WorkloadLogPod;
  /** Set while its log request is being made: a change to the pod meanwhile must not start another. */
  starting?: boolean;
  logs?: PodLogs;
}

export class WorkloadLogs {
  readonly #options: WorkloadLogsOptions;
  readonly #interleaver: LogInterleaver;
  readonly #pods = new Map<string, FollowedPod>();
  readonly #watch: ResourceWatch;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Streams being opened, and until when the first lines wait for them (set by the first list). */
  #opening = 0;
  /** Where the Status cell is in the rows (the Table's columns arrive with each list). */
  #statusColumn = -1;
  #warmUpUntil: number | undefined;
  #warmedUp = false;

  constructor(options: WorkloadLogsOptions) {
    this.#options = options;
    this.#interleaver = new LogInterleaver(options.settleMs ?? 250);
    this.#watch = new ResourceWatch({
      watchId: options.logsId,
      kind: PODS.id,
      namespace: options.namespace,
      labelSelector: options.labelSelector,
      client: options.client,
      // Pods are in every cluster's core group: no discovery needed.
      resolve: async () => PODS,
      onNotFound: () => {},
      push: (event) => {
        if (event.type === 'reset') {
          this.#statusColumn = event.columns.findIndex((column) => column.name === 'Status');
          this.#podsAre(event.rows);
        } else if (event.type === 'upsert') this.#podChanged(event.row);
        else if (event.type === 'delete') this.#podGone(event.uid);
        // Pods that could never be listed (RBAC, a bad selector) end it with why; a watch that
        // broke off later is retried by ResourceWatch while the pods already known go on.
        else if (this.#warmUpUntil === undefined) this.fail(event.error);
      },
      logger: options.logger,
      ...(options.batchIntervalMs !== undefined && { batchIntervalMs: options.batchIntervalMs }),
    });
  }

  start(): void {
    this.#watch.start();
    this.#timer = setInterval(() => this.#flush(false), this.#options.batchIntervalMs ?? 100);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#watch.stop();
    clearInterval(this.#timer);
    for (const pod of this.#pods.values()) pod.logs?.stop();
  }

  /** Ends with an error (the session ended). */
  fail(error: AppError): void {
    if (this.#stopped) return;
    this.#flush(true);
    this.stop();
    this.#options.push({ logsId: this.#options.logsId, end: true, error });
  }

  #podsAre(rows: ResourceRow[]): void {
    this.#warmUpUntil ??= Date.now() + WARM_UP_MS;
    const present = new Set(rows.map((row) => row.uid));
    for (const uid of this.#pods.keys()) if (!present.has(uid)) this.#podGone(uid, false);
    for (const row of rows) this.#podChanged(row, false);
    this.#pushPods();
  }

  #podChanged(row: ResourceRow, announce = true): void {
    const known = this.#pods.get(row.uid);
    const status = row.cells[this.#statusColumn];
    const started = typeof status === 'string' && !NOT_STARTED.has(status) && !status.startsWith('Init:');
    // A pod whose log could not be read yet (still starting) is tried again once it has started.
    const idle = known === undefined || (!known.starting && ['failed', 'waiting'].includes(known.view.state));
    if (started && idle) {
      this.#follow(row);
    } else if (!known) {
      this.#pods.set(row.uid, {
        view: { name: row.name, container: this.#options.container ?? '', state: 'waiting' },
      });
    }
    if (announce) this.#pushPods();
  }

  #podGone(uid: string, announce = true): void {
    const pod = this.#pods.get(uid);
    if (!pod) return;
    pod.logs?.stop();
    this.#interleaver.endStream(pod.view.name, pod.view.container, Date.now());
    this.#pods.delete(uid);
    if (announce) this.#pushPods();
  }

  #follow(row: ResourceRow): void {
    const entry: FollowedPod = {
      view: { name: row.name, container: this.#options.container ?? '', state: 'waiting' },
      starting: true,
    };
    this.#pods.set(row.uid, entry);
    this.#opening += 1;
    void this.#startFollowing(row, entry)
      .catch((error: unknown) => {
        if (this.#stopped || this.#pods.get(row.uid) !== entry) return;
        entry.view = { ...entry.view, state: 'failed', error: toAppError(error) };
        this.#pushPods();
      })
      .finally(() => {
        entry.starting = false;
        this.#opening -= 1;
      });
  }

  async #startFollowing(row: ResourceRow, entry: FollowedPod): Promise<void> {
    const { namespace } = this.#options;
    const client = this.#options.client();
    let container = this.#options.container;
    if (container === undefined) {
      const pod = await client.json<KubeObject>('GET', objectPath(PODS, row.name, namespace));
      container = defaultContainer(pod) ?? '';
    }
    if (this.#stopped || this.#pods.get(row.uid) !== entry) return;
    entry.view = { ...entry.view, container };
    const name = row.name;
    const logs = new PodLogs({
      logsId: this.#options.logsId,
      client,
      namespace,
      pod: name,
      container,
      follow: true,
      timestamps: true,
      tailLines: this.#options.tailLines,
      push: (event) => {
        if ('text' in event) {
          this.#interleaver.add(name, container, event.text, Date.now());
          return;
        }
        this.#interleaver.endStream(name, container, Date.now());
        if (this.#pods.get(row.uid) !== entry) return;
        entry.view = {
          ...entry.view,
          state: event.error ? 'failed' : 'ended',
          ...(event.error && { error: event.error }),
        };
        this.#pushPods();
      },
      batchIntervalMs: 0,
    });
    entry.logs = logs;
    await logs.start();
    if (this.#stopped || this.#pods.get(row.uid) !== entry) {
      logs.stop();
      return;
    }
    if (entry.view.state === 'waiting') entry.view = { ...entry.view, state: 'following' };
    this.#pushPods();
  }

  #flush(all: boolean): void {
    if (!all && !this.#warmedUp) {
      const waiting =
        this.#warmUpUntil === undefined || (this.#opening > 0 && Date.now() < this.#warmUpUntil);
      if (waiting) return;
      this.#warmedUp = true;
    }
    const lines = this.#interleaver.take(Date.now(), all);
    for (let start = 0; start < lines.length; start += MAX_LINES_PER_PUSH) {
      this.#options.push({
        logsId: this.#options.logsId,
        lines: lines.slice(start, start + MAX_LINES_PER_PUSH),
      });
    }
  }

  #pushPods(): void {
    if (this.#stopped) return;
    const pods = [...this.#pods.values()].map((pod) => pod.view).sort((a, b) => a.name.localeCompare(b.name));
    this.#options.push({ logsId: this.#options.logsId, pods });
  }
}
