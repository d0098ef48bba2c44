/**
 * `GET /api/v1/clusters/events`: the live status stream as Server-Sent Events (see
 * `clusterEventSchemas` in the contract). Each subscriber gets a snapshot of the clusters it may
 * see, then `cluster` and `removed` events filtered at send time against the cluster's grants as
 * of that change: a grant given shows the cluster (`cluster`), a grant revoked hides it (`removed`).
 *
 * Bounded memory: a subscriber whose connection does not take the bytes (more than the snapshot
 * plus `maxBufferedBytes` written since its socket last drained) is dropped; it reconnects and
 * starts over from a fresh snapshot. The stream ends when the subscriber's token expires: the client reconnects with
 * a fresh token, so a revoked sign-in cannot keep watching.
 */
import type { ServerResponse } from 'node:http';
import type { Identity } from '@switchboard/contract/identity';
import type { ClusterEvent, Grant } from '@switchboard/contract/relay-api';
import type { AdminService } from '../admin/admin-service.js';
import type { Logger } from '../logging/logger.js';
import { grantSubjectsOf } from '../registry/registry.js';
import type { ClusterStatusChange, ClusterStatusService } from './cluster-status-service.js';

/** setTimeout's delay is a 32-bit signed integer. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface ClusterEventHubOptions {
  status: ClusterStatusService;
  admin: AdminService;
  logger: Logger;
  /** The relay's clock (ms since the epoch), for token expiry. */
  now: () => number;
  /** Interval of `: keep-alive` comments. */
  keepAliveMs: number;
  /** Bytes a subscriber may leave unread beyond its snapshot before it is dropped. */
  maxBufferedBytes: number;
}

export class ClusterEventHub {
  readonly #options: ClusterEventHubOptions;
  readonly #subscribers = new Set<Subscriber>();
  #closed = false;

  /**
   * Listens to status changes only while someone subscribes: a change carries the cluster's grants,
   * one registry query each, which a relay nobody watches (or a fleet replica reconciling thousands
   * of clusters) need not pay for.
   */
  readonly #deliver = (change: ClusterStatusChange): void => {
    for (const subscriber of [...this.#subscribers]) subscriber.deliver(change);
  };

  constructor(options: ClusterEventHubOptions) {
    this.#options = options;
  }

  /** Streams to `res` until the client goes away, its token expires, it falls behind, or the relay stops. */
  async subscribe(identity: Identity, res: ServerResponse): Promise<void> {
    const { status, admin } = this.#options;
    if (this.#closed) {
      res.writeHead(503, { 'retry-after': '1' }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Reverse proxies (nginx) would otherwise hold events back in their buffers.
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    // The snapshot is taken inside the status queue: every change after it reaches this subscriber.
    await status.exclusive(async () => {
      if (res.destroyed) return;
      const views = await status.views(await admin.listClusters({ kind: 'user', identity }));
      const globalAdmin = admin.isGlobalAdmin(identity);
      // A global admin sees every cluster but may open only those it holds a grant on.
      const granted = globalAdmin ? await admin.grantedClusterNames(identity) : undefined;
      const items = views.map((view) => ({ ...view, mayConnect: granted?.has(view.name) ?? true }));
      // A client that left while its snapshot was built: its 'close' has fired, nothing would unsubscribe it.
      if (res.destroyed) return;
      const subscriber = new Subscriber(identity, res, this.#options, globalAdmin, () => {
        this.#subscribers.delete(subscriber);
        if (this.#subscribers.size === 0) status.off('change', this.#deliver);
      });
      if (this.#subscribers.size === 0) status.on('change', this.#deliver);
      this.#subscribers.add(subscriber);
      subscriber.start(items, { event: 'snapshot', data: { items } });
    });
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Ends every stream (the relay is stopping) and refuses new ones. */
  close(): void {
    this.#closed = true;
    for (const subscriber of [...this.#subscribers]) subscriber.end();
  }
}

class Subscriber {
  /** The clusters this subscriber was told about and not told removed, with the `mayConnect` it was told. */
  readonly #known = new Map<string, boolean>();
  #allowance = 0;
  /**
   * Bytes written since the socket last drained. Counted here rather than read from
   * `writableLength`, which also holds whatever this tick wrote into the corked socket.
   */
  #backlog = 0;
  #keepAlive: NodeJS.Timeout | undefined;
  #expiry: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(
    private readonly identity: Identity,
    private readonly res: ServerResponse,
    private readonly options: ClusterEventHubOptions,
    private readonly globalAdmin: boolean,
    private readonly onEnd: () => void,
  ) {}

  start(told: readonly { name: string; mayConnect: boolean }[], snapshot: ClusterEvent): void {
    for (const { name, mayConnect } of told) this.#known.set(name, mayConnect);
    this.res.once('close', () => this.#cleanUp());
    this.res.on('drain', () => {
      this.#backlog = 0;
    });
    const text = frame(snapshot);
    this.#allowance = Buffer.byteLength(text) + this.options.maxBufferedBytes;
    this.#write(text);
    this.#keepAlive = setInterval(() => this.#send(': keep-alive\n\n'), this.options.keepAliveMs);
    this.#keepAlive.unref();
    const untilExpiry = this.identity.expiresAt.getTime() - this.options.now();
    this.#expiry = setTimeout(() => this.end(), Math.min(Math.max(0, untilExpiry), MAX_TIMER_DELAY_MS));
    this.#expiry.unref();
  }

  deliver(change: ClusterStatusChange): void {
    if (change.kind === 'removed') {
      if (this.#known.delete(change.name)) this.#event({ event: 'removed', data: { name: change.name } });
      return;
    }
    const { view, grants, changed } = change;
    const mayConnect = this.#holdsGrant(grants);
    if (mayConnect || this.globalAdmin) {
      // A grant given or revoked changes what a global admin may do, not what it sees.
      if (changed || this.#known.get(view.name) !== mayConnect) {
        this.#known.set(view.name, mayConnect);
        this.#event({ event: 'cluster', data: { ...view, mayConnect } });
      }
    } else if (this.#known.delete(view.name)) {
      this.#event({ event: 'removed', data: { name: view.name } });
    }
  }

  /** Ends the stream cleanly (token expired, relay stopping): the client reconnects. */
  end(): void {
    if (this.#ended) return;
    this.res.end();
    this.#cleanUp();
  }

  #holdsGrant(grants: readonly Grant[]): boolean {
    const mine = grantSubjectsOf(this.identity);
    return grants.some((grant) => mine[grant.subjectKind].includes(grant.subject));
  }

  #event(event: ClusterEvent): void {
    this.#send(frame(event));
  }

  #send(text: string): void {
    if (this.#ended) return;
    if (this.#backlog > this.#allowance) {
      this.options.logger.warn(
        { user: this.identity.username, bufferedBytes: this.#backlog },
        'status stream subscriber dropped: it does not read its events',
      );
      this.res.destroy();
      this.#cleanUp();
      return;
    }
    this.#write(text);
  }

  #write(text: string): void {
    const drained = this.res.write(text);
    this.#backlog = drained ? 0 : this.#backlog + Buffer.byteLength(text);
  }

  #cleanUp(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#keepAlive);
    clearTimeout(this.#expiry);
    this.onEnd();
  }
}

/** One SSE event: the name, then the JSON data on one line (JSON.stringify never emits a newline). */
function frame({ event, data }: ClusterEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
