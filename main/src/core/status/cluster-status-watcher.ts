/**
 * Follows the relay's live status stream (`GET /api/v1/clusters/events`) and keeps the list of
 * the user's clusters current: a snapshot, then changes. It reconnects by itself with full-jitter
 * backoff when the stream drops, the relay restarts or the token expires (the relay ends the
 * stream then; the next connection asks for a fresh token). A stream that stays silent past two
 * keep-alive intervals is taken for dead (a half-open connection) and replaced.
 *
 * When there is no usable sign-in any more it stops and says so (`signInRequired`) instead of
 * retrying: only the user can fix that, and `start()` after signing in resumes.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { problemSchema } from '@switchboard/contract/problem-details';
import {
  apiPaths,
  CLUSTER_EVENTS_KEEPALIVE_MS,
  type ClusterEvent,
  type ClusterView,
  clusterEventSchemas,
} from '@switchboard/contract/relay-api';
import { ReconnectBackoff } from '@switchboard/protocol';
import type { Logger } from '../logging/logger.js';
import { outboundFetch } from '../outbound/outbound-fetch.js';
import { describeFetchFailure } from '../relay-client/relay-configuration.js';
import { SignInRequiredError } from '../session/sign-in-required-error.js';
import { readServerSentEvents } from './server-sent-events.js';

/** No byte for this long (two keep-alives and some slack) and the stream is taken for dead. */
const SILENCE_LIMIT_MS = 2 * CLUSTER_EVENTS_KEEPALIVE_MS + 15_000;

export type ClusterStatusWatcherState = 'idle' | 'live' | 'reconnecting';

export interface ClusterStatusWatcherOptions {
  relayUrl: string;
  /** A valid bearer token for the relay; throws SignInRequiredError when there is none. */
  bearerToken: () => Promise<string>;
  /**
   * The relay refused this unexpired token (401), e.g. after the issuer rotated its keys: renew it
   * now. Tried once per refused token, then the watcher backs off as for any failure.
   */
  renewRejectedToken?: (rejected: string) => Promise<string>;
  logger: Logger;
  /** How the event stream is requested (tests cut it); `outboundFetch` by default. */
  fetch?: typeof outboundFetch;
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  /** Every event as the relay sent it, after it was applied (the CLI's `--watch` prints them). */
  onEvent?: (event: ClusterEvent) => void;
}

/** The relay answered 401 to this token. */
class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
  constructor(
    readonly token: string,
    message: string,
  ) {
    super(message);
  }
}

/** The stream's data did not match the contract: a bug or a relay of another version. */
class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

export class ClusterStatusWatcher extends EventEmitter<{ change: [] }> {
  readonly #options: ClusterStatusWatcherOptions;
  readonly #fetch: typeof outboundFetch;
  readonly #backoff: ReconnectBackoff;
  readonly #clusters = new Map<string, ClusterView>();
  #state: ClusterStatusWatcherState = 'idle';
  #signInRequired = false;
  /** Aborts the running loop (its fetch, its backoff wait); replaced on every start(). */
  #stop: AbortController | undefined;

  constructor(options: ClusterStatusWatcherOptions) {
    super();
    this.#options = options;
    this.#fetch = options.fetch ?? outboundFetch;
    this.#backoff = new ReconnectBackoff({
      ...(options.backoff?.baseDelayMs !== undefined && { baseMs: options.backoff.baseDelayMs }),
      ...(options.backoff?.maxDelayMs !== undefined && { capMs: options.backoff.maxDelayMs }),
    });
  }

  /** Connects (and keeps reconnecting); after a sign-in-required stop, call again once signed in. */
  start(): void {
    if (this.#stop) return;
    const stop = new AbortController();
    this.#stop = stop;
    if (this.#signInRequired) {
      this.#signInRequired = false;
      this.emit('change');
    }
    void this.#run(stop.signal);
  }

  close(): void {
    this.#stop?.abort();
    this.#stop = undefined;
    this.#setState('idle');
  }

  /** The user's clusters, sorted by name (the last known list while reconnecting). */
  get clusters(): ClusterView[] {
    return [...this.#clusters.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get state(): ClusterStatusWatcherState {
    return this.#state;
  }

  /** The stored sign-in is gone or no longer works: the watcher stopped until start() is called again. */
  get signInRequired(): boolean {
    return this.#signInRequired;
  }

  async #run(stop: AbortSignal): Promise<void> {
    const { logger, relayUrl, renewRejectedToken } = this.#options;
    let renewedFor: string | undefined;
    while (!stop.aborted) {
      try {
        await this.#follow(stop);
        if (stop.aborted) return;
        logger.info({ relay: relayUrl }, 'the relay ended the status stream; reconnecting');
      } catch (caught) {
        if (stop.aborted) return;
        let error = caught;
        if (caught instanceof TokenRefusedError && renewRejectedToken && caught.token !== renewedFor) {
          renewedFor = caught.token;
          logger.info({ relay: relayUrl }, 'the relay refused the token; renewing it');
          try {
            if ((await renewRejectedToken(caught.token)) !== caught.token) continue;
          } catch (renewError) {
            error = renewError;
          }
        }
        if (error instanceof SignInRequiredError) {
          logger.warn({ relay: relayUrl, reason: error.reason }, 'status stream stopped: sign-in required');
          this.#stop = undefined;
          this.#signInRequired = true;
          this.#setState('idle', true);
          return;
        }
        logger.warn({ relay: relayUrl, reason: (error as Error).message }, 'status stream failed');
      }
      this.#backoff.disconnected();
      this.#setState('reconnecting');
      await untilAborted(this.#backoff.nextDelayMs(), stop);
    }
  }

  /** One connection: resolves when the relay ends the stream, throws when it fails. */
  async #follow(stop: AbortSignal): Promise<void> {
    const { relayUrl } = this.#options;
    const token = await this.#options.bearerToken();
    const attempt = new AbortController();
    const onStop = () => attempt.abort();
    stop.addEventListener('abort', onStop);
    let silence: NodeJS.Timeout | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(
        () => attempt.abort(new Error(`no data from the relay for ${SILENCE_LIMIT_MS / 1000} s`)),
        SILENCE_LIMIT_MS,
      );
      silence.unref?.();
    };
    try {
      heard();
      let response: Response;
      try {
        response = await this.#fetch(`${relayUrl}${apiPaths.clusterEvents}`, {
          headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
          signal: attempt.signal,
        });
      } catch (error) {
        throw new Error(`cannot reach the relay ${relayUrl}: ${describeFetchFailure(error)}`);
      }
      if (!response.ok || !response.body) {
        const message = `the relay answered ${response.status}${await problemMessage(response)}`;
        throw response.status === 401 ? new TokenRefusedError(token, message) : new Error(message);
      }
      try {
        for await (const sse of readServerSentEvents(response.body, heard)) this.#apply(sse);
      } catch (error) {
        if (attempt.signal.aborted && attempt.signal.reason instanceof Error) throw attempt.signal.reason;
        throw error;
      }
    } finally {
      clearTimeout(silence);
      stop.removeEventListener('abort', onStop);
      attempt.abort();
    }
  }

  #apply(sse: { event: string; data: string }): void {
    if (!(sse.event in clusterEventSchemas)) return; // a newer relay's event this client does not know
    const name = sse.event as keyof typeof clusterEventSchemas;
    let json: unknown;
    try {
      json = JSON.parse(sse.data);
    } catch {
      throw new MalformedEventError(`the relay sent a "${name}" event that is not JSON`);
    }
    const parsed = clusterEventSchemas[name].safeParse(json);
    if (!parsed.success) throw new MalformedEventError(`the relay sent a malformed "${name}" event`);
    const event = { event: name, data: parsed.data } as ClusterEvent;
    if (event.event === 'snapshot') {
      this.#clusters.clear();
      for (const view of event.data.items) this.#clusters.set(view.name, view);
      this.#backoff.connected();
      this.#state = 'live';
    } else if (event.event === 'cluster') {
      this.#clusters.set(event.data.name, event.data);
    } else {
      this.#clusters.delete(event.data.name);
    }
    this.#options.onEvent?.(event);
    this.emit('change');
  }

  #setState(state: ClusterStatusWatcherState, force = false): void {
    if (this.#state === state && !force) return;
    this.#state = state;
    this.emit('change');
  }
}

/** ` (title: detail)` of the relay's problem answer, or nothing when it sent none. */
async function problemMessage(response: Response): Promise<string> {
  const parsed = problemSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) return '';
  return ` (${parsed.data.title}${parsed.data.detail ? `: ${parsed.data.detail}` : ''})`;
}

/** Waits `ms`, or less when `signal` aborts first (then resolves too: the caller checks why it woke). */
function untilAborted(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => {});
}
