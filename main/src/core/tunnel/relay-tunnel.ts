/**
 * The user-side tunnel session: one `@switchboard/protocol` Session (role 'client') over a
 * WebSocket to `<relay>/api/v1/tunnel`, kept up by itself. Each tunnelled client connection is one
 * stream, opened with `userOpenSchema` metadata carrying a freshly obtained bearer token.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { type OpenRefusal, tunnelPaths, type UserOpen, userOpenSchema } from '@switchboard/contract/tunnel';
import { outboundAgent } from '@switchboard/http-edge/outbound';
import {
  clientWebSocketOptions,
  ErrorCode,
  ReconnectBackoff,
  Session,
  type SessionOptions,
  type Stream,
  StreamResetError,
} from '@switchboard/protocol';
import WebSocket from 'ws';
import type { Logger } from '../logging/logger.js';
import { SignInRequiredError } from '../session/sign-in-required-error.js';
import { jwtExpiry } from '../sign-in/token-response.js';
import { RelayUnavailableError, refusalOf, TunnelRefusedError } from './tunnel-errors.js';

/**
 * How long after a session ended a new stream waits for the next one, then fails at once: after a
 * GOAWAY the relay (or a replica of a fleet) is draining and the next session is moments away; after
 * a drop the relay may be gone, so the wait is shorter.
 */
const NEXT_SESSION_WAIT_AFTER_GOAWAY_MS = 10_000;
const NEXT_SESSION_WAIT_AFTER_DROP_MS = 3_000;

export type RelayTunnelState = 'connecting' | 'up' | 'down' | 'sign-in-required' | 'closed';

export interface RelayTunnelOptions {
  relayUrl: string;
  /** A valid bearer token for the relay; throws `SignInRequiredError` when only a new sign-in helps. */
  bearerToken: () => Promise<string>;
  /**
   * The relay answered 401 to this unexpired token: obtain a new one now (the issuer's keys may
   * have changed, e.g. a development provider restarted). Tried once per refused token, then the
   * tunnel redials at once; without it a refused token means "sign-in required" until it expires.
   */
  renewRejectedToken?: (rejected: string) => Promise<string>;
  logger?: Logger;
  backoff?: ReconnectBackoff;
  /** Passed to the protocol session (tests shorten liveness intervals). */
  sessionOptions?: Omit<SessionOptions, 'role'>;
  handshakeTimeoutMs?: number;
}

/** A tunnel stream and when the token that opened it expires (the agent serves it no new request after). */
export interface OpenedStream {
  stream: Stream;
  /** Epoch milliseconds; undefined when the token does not say. */
  tokenExpiresAt: number | undefined;
  /** Aborts when the stream's session is draining (GOAWAY) or closed: reuse it for nothing new. */
  sessionDraining: AbortSignal;
}

interface RelayTunnelEvents {
  state: [state: RelayTunnelState];
}

export class RelayTunnel extends EventEmitter<RelayTunnelEvents> {
  readonly relayUrl: string;
  #state: RelayTunnelState = 'connecting';
  #session: Session | undefined;
  #lastFailure = 'not connected yet';
  #signInError: SignInRequiredError | undefined;
  /** Until when new streams wait for the next session (the last one just ended). */
  #nextSessionDeadline: number | undefined;
  readonly #backoff: ReconnectBackoff;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  /** Sessions draining after a GOAWAY while a new one takes over. */
  readonly #draining = new Set<Session>();
  #wakeUp: (() => void) | undefined;

  constructor(private readonly options: RelayTunnelOptions) {
    super();
    this.relayUrl = options.relayUrl.replace(/\/+$/, '');
    this.#backoff = options.backoff ?? new ReconnectBackoff();
  }

  get state(): RelayTunnelState {
    return this.#state;
  }

  /** Why the session is not up, for messages. */
  get lastFailure(): string {
    return this.#lastFailure;
  }

  /**
   * In `sign-in-required`: why, without `lastFailure`'s advice to run `switchboard login` (the app
   * offers its own button).
   */
  get signInRequiredReason(): string | undefined {
    return this.#state === 'sign-in-required' ? this.#signInError?.reason : undefined;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Resolves once the session is up (SETTINGS exchanged and a PING answered). */
  whenUp(signal?: AbortSignal): Promise<void> {
    if (this.#state === 'up') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onState = (state: RelayTunnelState) => {
        if (state === 'up') {
          cleanup();
          resolve();
        } else if (state === 'closed') {
          cleanup();
          reject(new Error('the relay tunnel was closed'));
        }
      };
      const onAbort = () => {
        cleanup();
        reject(signal!.reason);
      };
      const cleanup = () => {
        this.off('state', onState);
        signal?.removeEventListener('abort', onAbort);
      };
      this.on('state', onState);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Opens one tunnel stream to `metadata.cluster`. Throws `RelayUnavailableError` while the relay
   * session is down, `SignInRequiredError` when the user must sign in, `TunnelRefusedError` when the
   * relay or agent refuses (with the contract's reason), or the protocol's `StreamResetError`.
   */
  async openStream(metadata: Omit<UserOpen, 'token'>): Promise<OpenedStream> {
    for (let attempt = 0; ; attempt++) {
      if (this.#state !== 'up' && this.#nextSessionDeadline !== undefined && attempt === 0) {
        // The session just ended (the relay drained it, or a relay replica went away): the next one
        // is being dialled, so wait for it rather than fail a request that would succeed in a moment.
        const left = this.#nextSessionDeadline - performance.now();
        if (left > 0) await Promise.race([this.whenUp(), sleep(left)]).catch(() => {});
      }
      const session = this.#session;
      if (this.#state === 'sign-in-required' && this.#signInError) throw this.#signInError;
      if (this.#state !== 'up' || !session) {
        throw new RelayUnavailableError(this.relayUrl, this.#lastFailure);
      }
      const token = await this.#token();
      const open: UserOpen = userOpenSchema.parse({ ...metadata, token });
      try {
        const stream = await session.open(Buffer.from(JSON.stringify(open), 'utf8'));
        return { stream, tokenExpiresAt: jwtExpiry(token), sessionDraining: drainingSignal(session) };
      } catch (error) {
        const refusal = refusalOf(error) ?? sessionLimitOf(error, session);
        if (refusal) throw new TunnelRefusedError(refusal, metadata.cluster);
        // A session that went away under us (GOAWAY, drop): one retry on its successor.
        if (error instanceof StreamResetError && session.state !== 'open' && attempt === 0) {
          await Promise.race([this.whenUp(), sleep(5_000)]).catch(() => {});
          continue;
        }
        throw error;
      }
    }
  }

  /** Throws `SignInRequiredError` when the user's session needs a new sign-in (cheap otherwise: tokens are cached). */
  async assertSignedIn(): Promise<void> {
    await this.#token();
  }

  /** Drains: GOAWAY to the relay, lets open streams finish (at most `graceMs`), then closes. */
  async close(graceMs = 2_000): Promise<void> {
    if (this.#state === 'closed') return;
    this.#stop.abort();
    this.#wakeUp?.();
    const sessions = [...this.#draining, ...(this.#session ? [this.#session] : [])];
    this.#session = undefined;
    this.#setState('closed');
    await Promise.all(
      sessions.map(async (session) => {
        const timer = setTimeout(() => session.close('local proxy stopped'), graceMs);
        await session.goAway('local proxy stopped');
        clearTimeout(timer);
      }),
    );
    await this.#loop;
  }

  async #token(): Promise<string> {
    try {
      const token = await this.options.bearerToken();
      this.#signInError = undefined;
      return token;
    } catch (error) {
      if (error instanceof SignInRequiredError) {
        this.#signInError = error;
        this.#lastFailure = error.message;
      }
      throw error;
    }
  }

  #setState(state: RelayTunnelState): void {
    if (this.#state === state) return;
    if (this.#state === 'closed') return;
    this.#state = state;
    this.emit('state', state);
  }

  async #run(): Promise<void> {
    const { signal } = this.#stop;
    let renewedFor: string | undefined;
    while (!signal.aborted) {
      let session: Session | undefined;
      try {
        session = await this.#connect(signal);
      } catch (caught) {
        if (signal.aborted) break;
        let error = caught;
        const renew = this.options.renewRejectedToken;
        if (caught instanceof TokenRefusedError && renew && caught.token !== renewedFor) {
          renewedFor = caught.token;
          this.options.logger?.info({ relay: this.relayUrl }, 'the relay refused the token; renewing it');
          try {
            if ((await renew(caught.token)) !== caught.token) continue;
          } catch (renewError) {
            error = renewError;
          }
        }
        if (error instanceof SignInRequiredError) {
          this.#signInError = error;
          this.#lastFailure = error.message;
          this.#setState('sign-in-required');
        } else {
          this.#lastFailure = describe(error);
          this.#setState('down');
        }
        this.options.logger?.warn({ relay: this.relayUrl, reason: this.#lastFailure }, 'relay tunnel not up');
      }
      if (session) {
        this.#session = session;
        this.#nextSessionDeadline = undefined;
        this.#backoff.connected();
        this.#setState('up');
        this.options.logger?.info({ relay: this.relayUrl }, 'relay tunnel up');
        const ended = await Promise.race([
          session.closed.then((reason) => `session closed: ${reason.message}`),
          new Promise<string>((resolve) =>
            session!.once('goaway', (n) => resolve(`relay sent GOAWAY: ${n.reason}`)),
          ),
        ]);
        this.#backoff.disconnected();
        if (signal.aborted) break;
        if (session.state !== 'closed') {
          // Make-before-break: the old session drains while the next one is dialled now.
          this.#draining.add(session);
          void session.closed.then(() => this.#draining.delete(session!));
        }
        this.#session = undefined;
        this.#lastFailure = ended;
        this.#nextSessionDeadline =
          performance.now() +
          (ended.startsWith('relay sent GOAWAY')
            ? NEXT_SESSION_WAIT_AFTER_GOAWAY_MS
            : NEXT_SESSION_WAIT_AFTER_DROP_MS);
        this.#setState('down');
        this.options.logger?.warn({ relay: this.relayUrl, reason: ended }, 'relay tunnel down; reconnecting');
        if (ended.startsWith('relay sent GOAWAY')) continue;
      }
      const delay = this.#backoff.nextDelayMs();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeUp = undefined;
    }
  }

  async #connect(signal: AbortSignal): Promise<Session> {
    const token = await this.#token();
    const url = new URL(tunnelPaths.userTunnel, `${this.relayUrl}/`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url, {
      ...clientWebSocketOptions(url, this.options.sessionOptions?.maxFramePayload),
      agent: outboundAgent(url),
      headers: { authorization: `Bearer ${token}` },
      handshakeTimeout: this.options.handshakeTimeoutMs ?? 15_000,
    });
    // Attached before the socket opens: the relay's SETTINGS can arrive in the same read as the
    // handshake response, and a listener added after an await would miss it.
    const session = new Session(socket, { ...this.options.sessionOptions, role: 'client' });
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        socket.terminate();
        reject(new Error('stopped'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('open', () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      socket.once('unexpected-response', (_request, response) => {
        signal.removeEventListener('abort', onAbort);
        const status = response.statusCode ?? 0;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (body.length < 2_000) body += chunk;
        });
        response.on('end', () => {
          socket.terminate();
          if (status === 401) {
            reject(
              new TokenRefusedError(
                this.relayUrl,
                `the relay refused the token (401${detailOf(body)})`,
                token,
              ),
            );
          } else reject(new Error(`the relay answered the tunnel request with ${status}${detailOf(body)}`));
        });
      });
      socket.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      });
    });
    socket.on('error', () => {}); // the session records socket errors through its close
    // Up means the relay speaks the protocol: SETTINGS arrived and a PING came back.
    await session.ping();
    return session;
  }
}

/** A 401 on the tunnel upgrade, with the token the relay refused. */
class TokenRefusedError extends SignInRequiredError {
  constructor(
    relayUrl: string,
    reason: string,
    readonly token: string,
  ) {
    super(relayUrl, reason);
  }
}

/**
 * A stream refused while its session stays open met a limit of that session (concurrent streams,
 * OPEN rate), not a failure: the client is told "too many" and what frees a stream.
 */
function sessionLimitOf(error: unknown, session: Session): OpenRefusal | undefined {
  if (!(error instanceof StreamResetError) || error.code !== ErrorCode.Refused || session.state !== 'open') {
    return undefined;
  }
  const message = error.remote
    ? `the relay refused another stream on this session (${error.reason})`
    : `this session to the relay is at its limit of ${session.streamCount} concurrent streams; one is freed when a watch, logs -f, exec or port-forward ends`;
  return { reason: 'rate-limited', message };
}

function detailOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { detail?: string; title?: string; message?: string };
    const text = parsed.detail ?? parsed.message ?? parsed.title;
    return text ? `: ${text}` : '';
  } catch {
    return body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'ECONNREFUSED') return 'connection refused';
  return err?.message ?? String(error);
}

const drainingSignals = new WeakMap<Session, AbortSignal>();

/** One signal per session, aborted at its GOAWAY (either way) or close. */
function drainingSignal(session: Session): AbortSignal {
  let signal = drainingSignals.get(session);
  if (!signal) {
    const controller = new AbortController();
    signal = controller.signal;
    if (session.state !== 'open') controller.abort();
    else {
      session.once('goaway', () => controller.abort());
      void session.closed.then(() => controller.abort());
    }
    drainingSignals.set(session, signal);
  }
  return signal;
}
