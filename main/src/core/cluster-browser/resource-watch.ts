/**
 * One list+watch of a kind for the cluster browser, over the session's tunnel, in the apiserver's
 * Table output (as `kubectl get -w` asks for it, with the object's metadata only): a full list
 * (paged) becomes a `reset` with the Table's columns, then watch events become `upsert`/`delete`. A watch that ends is resumed from
 * the last resourceVersion seen; `410 Gone` (the version is too old) re-lists. Failures are pushed
 * as `error` events and retried with backoff until the watch is stopped.
 *
 * Changes are pushed at most every `batchIntervalMs` (50 ms): several changes to one object in
 * that window become one `upsert`, and when more objects changed than `resetAbove` the window is
 * sent as one `reset` with the whole list, so a burst over 10,000 pods is one message, not 10,000.
 */
import { createInterface } from 'node:readline';
import type {
  ResourceColumn,
  ResourceRow,
  ResourceTypeId,
  ResourceWatchEvent,
} from '@switchboard/contract/app';
import { ReconnectBackoff } from '@switchboard/protocol';
import { toAppError } from '../app/app-error.js';
import type { Logger } from '../logging/logger.js';
import type { ClusterClient } from './cluster-client.js';
import { collectionPath, type ResolvedKind } from './kind-discovery.js';
import { KubeApiError } from './kube-api-error.js';
import { columnsOf, type KubeTableOrObjects, rowsOf, TABLE_ACCEPT } from './resource-table.js';

export interface ResourceWatchOptions {
  watchId: string;
  kind: ResourceTypeId;
  namespace?: string;
  /** Only objects with these labels (`app=web,tier in (a,b)`), as `kubectl get -l`. */
  labelSelector?: string;
  /** The cluster, asked again before every list (the session, and with it the tunnel, may change). */
  client: () => ClusterClient;
  /** Where the kind lives, through the cluster's discovery; asked again before every list. */
  resolve: (client: ClusterClient) => Promise<ResolvedKind>;
  /** The cluster answered 404 for the kind's collection: what discovery said of it is out of date. */
  onNotFound: () => void;
  push: (event: ResourceWatchEvent) => void;
  logger: Logger;
  batchIntervalMs?: number;
  resetAbove?: number;
  /** Objects per list page. */
  pageSize?: number;
  backoff?: ReconnectBackoff;
}

/** One line of a watch: an event (its object a one-row Table), or (`ERROR`) a Status saying why the watch ended. */
interface KubeWatchEvent {
  type?: string;
  object?: KubeTableOrObjects & { code?: number; message?: string };
}

/** A watch that ran shorter than this before ending counts as a failure for the backoff. */
const HEALTHY_WATCH_MS = 1_000;

class GoneError extends Error {}

export class ResourceWatch {
  readonly #options: ResourceWatchOptions;
  readonly #rows = new Map<string, ResourceRow>();
  #columns: ResourceColumn[] = [];
  /** Changed since the last push: the row, or null when deleted. */
  readonly #pending = new Map<string, ResourceRow | null>();
  readonly #backoff: ReconnectBackoff;
  #flushTimer: NodeJS.Timeout | undefined;
  #current: AbortController | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;

  constructor(options: ResourceWatchOptions) {
    this.#options = options;
    this.#backoff = options.backoff ?? new ReconnectBackoff({ baseMs: 500, capMs: 15_000 });
  }

  start(): void {
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#flushTimer);
    this.#current?.abort();
    this.#wake?.();
  }

  async #run(): Promise<void> {
    let failing = false;
    while (!this.#stopped) {
      try {
        const client = this.#options.client();
        const kind = await this.#options.resolve(client);
        let resourceVersion = await this.#list(client, kind);
        failing = false;
        for (;;) {
          const started = Date.now();
          resourceVersion = await this.#watch(client, kind, resourceVersion);
          if (this.#stopped) return;
          if (Date.now() - started < HEALTHY_WATCH_MS) await this.#pause(this.#backoff.nextDelayMs());
          else this.#backoff.connected();
        }
      } catch (error) {
        if (this.#stopped) return;
        if (error instanceof GoneError) continue;
        if (error instanceof KubeApiError && error.code === 404) this.#options.onNotFound();
        // One error event per streak of failures, not one per retry.
        if (!failing)
          this.#options.push({ watchId: this.#options.watchId, type: 'error', error: toAppError(error) });
        failing = true;
        this.#options.logger.info(
          { watchId: this.#options.watchId, kind: this.#options.kind, err: (error as Error).message },
          'resource watch failed; retrying',
        );
        await this.#pause(this.#backoff.nextDelayMs());
      }
    }
  }

  /** Lists every page, replaces the rows, pushes a `reset`; returns the list's resourceVersion. */
  async #list(client: ClusterClient, kind: ResolvedKind): Promise<string> {
    const path = collectionPath(kind, this.#options.namespace);
    const rows: ResourceRow[] = [];
    let columns: ResourceColumn[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({
        limit: String(this.#options.pageSize ?? 500),
        includeObject: 'Metadata',
      });
      if (this.#options.labelSelector) query.set('labelSelector', this.#options.labelSelector);
      if (continueToken) query.set('continue', continueToken);
      this.#current = new AbortController();
      const page = await client.json<KubeTableOrObjects>('GET', `${path}?${query}`, this.#current.signal, {
        accept: TABLE_ACCEPT,
      });
      if (columns.length === 0) columns = columnsOf(page);
      for (const row of rowsOf(page)) rows.push(row);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken && !this.#stopped);
    this.#rows.clear();
    for (const row of rows) this.#rows.set(row.uid, row);
    this.#pending.clear();
    this.#columns = columns;
    if (!this.#stopped) this.#options.push({ watchId: this.#options.watchId, type: 'reset', columns, rows });
    return resourceVersion;
  }

  /** Watches from `resourceVersion` until the server ends the watch; returns the last version seen. */
  async #watch(client: ClusterClient, kind: ResolvedKind, resourceVersion: string): Promise<string> {
    const query = new URLSearchParams({
      watch: 'true',
      resourceVersion,
      allowWatchBookmarks: 'true',
      includeObject: 'Metadata',
    });
    if (this.#options.labelSelector) query.set('labelSelector', this.#options.labelSelector);
    this.#current = new AbortController();
    let latest = resourceVersion;
    try {
      const response = await client.stream(
        `${collectionPath(kind, this.#options.namespace)}?${query}`,
        this.#current.signal,
        TABLE_ACCEPT,
      );
      for await (const line of createInterface({ input: response, crlfDelay: Number.POSITIVE_INFINITY })) {
        const event = parseEvent(line);
        const object = event?.object;
        if (!object) continue;
        if (event.type === 'ERROR') {
          if (object.code === 410) throw new GoneError();
          throw new Error(`the watch failed: ${object.message ?? `code ${object.code}`}`);
        }
        const version = object.metadata?.resourceVersion;
        if (version) latest = version;
        if (event.type === 'BOOKMARK') continue;
        for (const row of rowsOf(object)) {
          if (event.type === 'DELETED') this.#change(row.uid, null);
          else if (event.type === 'ADDED' || event.type === 'MODIFIED') this.#change(row.uid, row);
        }
      }
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 410) throw new GoneError();
      // Stopping aborts the request: the watch just ends.
      if (!this.#stopped) throw error;
    }
    return latest;
  }

  #change(uid: string, row: ResourceRow | null): void {
    if (row) this.#rows.set(uid, row);
    else this.#rows.delete(uid);
    this.#pending.set(uid, row);
    this.#flushTimer ??= setTimeout(() => this.#flush(), this.#options.batchIntervalMs ?? 50);
  }

  #flush(): void {
    this.#flushTimer = undefined;
    if (this.#stopped || this.#pending.size === 0) return;
    const { watchId } = this.#options;
    if (this.#pending.size > (this.#options.resetAbove ?? 200)) {
      this.#pending.clear();
      this.#options.push({ watchId, type: 'reset', columns: this.#columns, rows: [...this.#rows.values()] });
      return;
    }
    for (const [uid, row] of this.#pending) {
      this.#options.push(row ? { watchId, type: 'upsert', row } : { watchId, type: 'delete', uid });
    }
    this.#pending.clear();
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** A watch line as JSON; a line that is not (cut off by a dropped connection) is skipped. */
function parseEvent(line: string): KubeWatchEvent | undefined {
  try {
    return JSON.parse(line) as KubeWatchEvent;
  } catch {
    return undefined;
  }
}
