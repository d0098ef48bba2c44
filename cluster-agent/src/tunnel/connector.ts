/**
 * Holds the agent's sessions to the relay: dials `/api/v1/agent/tunnel` with a fresh assertion,
 * runs a `@switchboard/protocol` session over it, and redials on any close with full-jitter
 * backoff. On GOAWAY it dials the replacement at once while the old session drains
 * (make-before-break). A refused credential backs off to the cap and says what to do.
 */
import type http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { agentAssertionAudience } from '@switchboard/contract/agent-assertion';
import {
  type CloseReason,
  clientWebSocketOptions,
  type IncomingStream,
  ReconnectBackoff,
  Session,
  type SessionOptions,
} from '@switchboard/protocol';
import type { CryptoKey } from 'jose';
import WebSocket from 'ws';
import type { Logger } from '../logger.js';
import type { AgentState } from '../state/state.js';
import { signAssertion } from './assertion.js';
import { problemDetail } from './join.js';
import { tunnelWebSocketUrl } from './relay-urls.js';

export interface Credential {
  state: AgentState;
  key: CryptoKey;
}

/** Something that wants to know about live sessions (heartbeats and metadata hook in here). */
export interface SessionObserver {
  sessionStarted?(session: Session, slot: number): void;
  sessionEnded?(session: Session, slot: number, reason: CloseReason): void;
}

export interface ConnectorOptions {
  relay: URL;
  /** The current credential; read at every dial, so a re-join takes effect on the next one. */
  credential: () => Credential;
  /** Connection factory for the relay (proxy, custom CA). */
  agent: () => http.Agent;
  /** Serves each stream the relay opens. */
  onStream: (request: IncomingStream, session: Session) => void;
  /**
   * The relay refused the credential (expired, revoked, superseded or unknown). Resolves true when
   * a new credential is in place (a pending rotation completed, or re-joined with a fresh join
   * token), so the next dial may go at once.
   */
  onCredentialRejected?: (refusal: DialError) => Promise<boolean>;
  sessions?: number;
  session?: Partial<Omit<SessionOptions, 'role'>>;
  backoff?: { baseMs?: number; capMs?: number; healthyAfterMs?: number };
  handshakeTimeoutMs?: number;
  observer?: SessionObserver;
  logger: Logger;
}

export class DialError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly credentialRejected = false,
    /** The `reason` of the relay's problem answer (tunnel contract), when it gave one. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'DialError';
  }
}

/** `reason`s of a refused upgrade (tunnel contract) after which the credential is useless. */
const CREDENTIAL_FAILURES = new Set([
  'unknown-credential',
  'credential-expired',
  'credential-revoked',
  'credential-superseded',
]);

/** What happened to a refused credential (and when, where the agent knows), for the log line. */
function refusedCredential(reason: string | undefined, state: AgentState): string {
  switch (reason) {
    case 'credential-expired':
      return `the agent credential expired at ${state.expiresAt}`;
    case 'credential-revoked':
      return 'the relay revoked the agent credential (the cluster was deleted or rejoined)';
    case 'credential-superseded':
      return 'the relay has a newer credential for this agent (this key was rotated away, maybe by another copy of its state)';
    case 'unknown-credential':
      return 'the relay does not know the agent credential';
    default:
      return 'the relay refused the agent credential';
  }
}

/** A session that ended because of GOAWAY within this long of connecting is treated like a failure. */
const MIN_HEALTHY_BEFORE_GOAWAY_MS = 2_000;

export class Connector {
  readonly #slots: Slot[] = [];

  constructor(options: ConnectorOptions) {
    const count = options.sessions ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 16) {
      throw new RangeError(`sessions must be an integer from 1 to 16, got ${count}`);
    }
    for (let slot = 0; slot < count; slot++) this.#slots.push(new Slot(slot, options));
  }

  start(): void {
    for (const slot of this.#slots) slot.start();
  }

  /** Sessions currently open (not draining). */
  get liveSessions(): Session[] {
    return this.#slots.flatMap((slot) => slot.sessions.filter((session) => session.state === 'open'));
  }

  /** Resolves once at least `count` sessions are open. */
  async waitForSessions(count = this.#slots.length, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.liveSessions.length < count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} sessions after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops dialing, drains open sessions for up to `graceMs`, then closes them. */
  async close(graceMs = 5_000): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.close(graceMs)));
  }
}

class Slot {
  readonly sessions: Session[] = [];
  readonly #backoff: ReconnectBackoff;
  readonly #stop = new AbortController();
  #running: Promise<void> | undefined;
  #ws: WebSocket | undefined;

  constructor(
    readonly index: number,
    private readonly options: ConnectorOptions,
  ) {
    this.#backoff = new ReconnectBackoff(options.backoff);
  }

  get #log(): Logger {
    return this.options.logger;
  }

  start(): void {
    this.#running ??= this.#loop().catch((error: Error) =>
      this.#log.error({ slot: this.index, err: error.message }, 'session loop failed'),
    );
  }

  async close(graceMs: number): Promise<void> {
    this.#stop.abort();
    this.#ws?.terminate();
    await this.#running;
    await Promise.all(
      this.sessions.map(async (session) => {
        const timer = setTimeout(() => session.close('agent shutting down'), graceMs);
        await session.goAway('agent shutting down');
        clearTimeout(timer);
      }),
    );
  }

  async #loop(): Promise<void> {
    const signal = this.#stop.signal;
    const capMs = this.options.backoff?.capMs ?? 30_000;
    while (!signal.aborted) {
      let session: Session;
      try {
        session = await this.#dial();
      } catch (error) {
        if (signal.aborted) return;
        const dialError = error instanceof DialError ? error : new DialError((error as Error).message);
        let delay: number;
        if (dialError.credentialRejected) {
          const replaced = (await this.options.onCredentialRejected?.(dialError)) ?? false;
          delay = replaced ? 0 : capMs;
          if (!replaced) {
            const { state } = this.options.credential();
            this.#log.error(
              {
                slot: this.index,
                status: dialError.status,
                reason: dialError.reason,
                detail: dialError.message,
                credentialId: state.credentialId,
                expiresAt: state.expiresAt,
                retryInMs: delay,
              },
              `${refusedCredential(dialError.reason, state)}: ask the relay admin to run ` +
                `\`switchboard-relay clusters rejoin ${state.cluster}\` and restart the agent with the new join token`,
            );
          }
        } else {
          delay = this.#backoff.nextDelayMs();
          this.#log.warn(
            {
              slot: this.index,
              reason: dialError.message,
              attempt: this.#backoff.attempts,
              retryInMs: delay,
            },
            'cannot connect to the relay',
          );
        }
        await untilAborted(delay, signal);
        continue;
      }
      if (signal.aborted) {
        session.close('agent shutting down');
        return;
      }
      const connectedAt = Date.now();
      this.#backoff.connected();
      this.sessions.push(session);
      const { cluster } = this.options.credential().state;
      this.#log.info(
        { slot: this.index, cluster, relay: this.options.relay.origin },
        'connected to the relay',
      );
      let draining = false;
      session.on('stream', (request) => this.options.onStream(request, session));
      session.once('goaway', () => {
        draining = true;
      });
      this.options.observer?.sessionStarted?.(session, this.index);
      session.closed.then((reason) => {
        this.sessions.splice(this.sessions.indexOf(session), 1);
        this.options.observer?.sessionEnded?.(session, this.index, reason);
        const fields = { slot: this.index, by: reason.by, code: reason.code, reason: reason.message };
        if (draining && reason.code === 0) this.#log.info(fields, 'drained session closed');
        else if (!signal.aborted) this.#log.warn(fields, 'disconnected from the relay');
      });

      const ending = await Promise.race([
        session.closed.then((reason) => ({ kind: 'closed' as const, reason })),
        new Promise<{ kind: 'goaway'; reason: string }>((resolve) =>
          session.once('goaway', (notice) => resolve({ kind: 'goaway', reason: notice.reason })),
        ),
        new Promise<{ kind: 'stopped' }>((resolve) =>
          signal.addEventListener('abort', () => resolve({ kind: 'stopped' }), { once: true }),
        ),
      ]);
      if (ending.kind === 'stopped') return;
      this.#backoff.disconnected();
      if (ending.kind === 'goaway') {
        // Make-before-break: the old session keeps serving its streams while the new one comes up.
        this.#log.info(
          { slot: this.index, reason: ending.reason },
          'the relay is draining this session; connecting a new one',
        );
        if (Date.now() - connectedAt < MIN_HEALTHY_BEFORE_GOAWAY_MS) {
          await untilAborted(this.#backoff.nextDelayMs(), signal);
        }
        continue;
      }
      const delay = this.#backoff.nextDelayMs();
      this.#log.info({ slot: this.index, retryInMs: delay }, 'reconnecting');
      await untilAborted(delay, signal);
    }
  }

  async #dial(): Promise<Session> {
    const { relay, credential, handshakeTimeoutMs } = this.options;
    const { state, key } = credential();
    const assertion = await signAssertion(key, state, agentAssertionAudience(relay.href));
    const agent = this.options.agent();
    const sessionOptions = this.options.session ?? {};
    const url = tunnelWebSocketUrl(relay);
    const ws = new WebSocket(url, {
      ...clientWebSocketOptions(url, sessionOptions.maxFramePayload),
      agent,
      headers: { authorization: `Bearer ${assertion}` },
      handshakeTimeout: handshakeTimeoutMs ?? 30_000,
      followRedirects: false,
    });
    this.#ws = ws;
    // The session listens from the start: the relay's SETTINGS may arrive with the 101 itself.
    const session = new Session(ws, { ...sessionOptions, role: 'client' });
    let opened = false;
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', (error) => reject(new DialError(error.message)));
        ws.once('unexpected-response', (_request, response) => {
          readBody(response).then((body) => {
            ws.terminate();
            const status = response.statusCode ?? 0;
            const problem = parseMaybeJson(body);
            const detail = problemDetail(problem) ?? `HTTP ${status}`;
            const reason =
              typeof problem === 'object' && problem !== null && 'reason' in problem
                ? String(problem.reason)
                : undefined;
            // A bad or replayed assertion is worth retrying (clock skew, a race); a credential the
            // relay no longer knows, or that expired or was revoked, is not.
            const rejected =
              reason !== undefined ? CREDENTIAL_FAILURES.has(reason) : status === 401 || status === 403;
            reject(new DialError(`HTTP ${status}: ${detail}`, status, rejected, reason));
          }, reject);
        });
      });
      opened = true;
    } finally {
      this.#ws = undefined;
      // The upgraded socket has left the agent by now; on failure, drop whatever it still holds.
      if (!opened) {
        agent.destroy();
        session.close('connection failed');
      }
    }
    return session;
  }
}

function readBody(response: http.IncomingMessage, limit = 16 * 1024): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').slice(0, limit)));
    response.on('error', () => resolve(''));
  });
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Waits `ms`, or less when `signal` aborts first (then resolves too: the caller checks why it woke). */
function untilAborted(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => {});
}
