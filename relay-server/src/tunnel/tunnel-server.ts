/**
 * The rendezvous: agents and users dial WebSocket sessions to the relay (`tunnelPaths`), and every
 * stream a user opens is paired with a stream the relay opens on one of the cluster's agent
 * sessions. Only bytes pass through; HTTP is never parsed. Authentication happens before the
 * WebSocket upgrade completes: a refused caller gets a 401/403 problem on the raw socket.
 *
 * The user's token stays here: the agent gets an identity ticket for its cluster and that one
 * stream, signed with the relay's ticket keys, which the relay announces on every agent session.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Identity } from '@switchboard/contract/identity';
import { IdentityRefusedError, validateKubernetesIdentity } from '@switchboard/contract/identity';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '@switchboard/contract/problem-details';
import type { Role } from '@switchboard/contract/relay-api';
import {
  type AgentHeartbeat,
  type AgentOpen,
  agentHeartbeatSchema,
  type OpenRefusal,
  tunnelPaths,
  type UserOpen,
  userOpenSchema,
} from '@switchboard/contract/tunnel';
import type { IncomingStream } from '@switchboard/protocol';
import {
  ErrorCode,
  Session,
  type SessionOptions,
  type Stream,
  StreamResetError,
  spliceStreams,
  webSocketOptions,
} from '@switchboard/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { type AgentAssertionVerifier, AgentAuthError } from '../agents/agent-assertion.js';
import { authenticate } from '../api/bearer-auth.js';
import { HttpProblem, registryUnavailable } from '../api/http-problem.js';
import { problemBody } from '../api/responses.js';
import type { PeerReplica } from '../fleet/fleet-view.js';
import { type ForwardOpen, PEER_TUNNEL_PATH } from '../fleet/peer-protocol.js';
import { IssuerUnavailableError, TokenRejectedError } from '../identity/token-rejected-error.js';
import type { TokenVerifier } from '../identity/token-verifier.js';
import type { Logger } from '../logging/logger.js';
import { type ClusterRegistry, RegistryUnavailableError } from '../registry/registry.js';
import type { TicketKeyRing } from '../tickets/ticket-key-ring.js';
import { describeFirstIssue } from '../validation/first-issue.js';
import type { AgentPresenceListener } from './agent-presence.js';
import type { AgentSessionEntry, LiveSessionIndex } from './live-sessions.js';
import { type TunnelSettings, tunnelSessionOptions } from './tunnel-settings.js';
import { LocalUserLimits, type UserLimits } from './user-limits.js';

/** Agents open streams towards the relay only for reports (heartbeats), each closed at once. */
const AGENT_SESSION_MAX_STREAMS = 16;
/** Past this many clusters with recent session changes, those older than the grace are forgotten. */
const SESSION_ACTIVITY_PRUNE_AT = 10_000;

/** The other replicas of a fleet, as routing sees them (absent for a single relay). */
export interface Forwarder {
  /** The other live replicas holding a session of the cluster. */
  holders(cluster: string): PeerReplica[];
  /** Opens the stream at `peer` (see `PeerLinks.open`). */
  open(peer: PeerReplica, forward: ForwardOpen, signal: AbortSignal): Promise<Stream>;
}

export interface TunnelServerOptions {
  registry: ClusterRegistry;
  verifier: TokenVerifier;
  assertions: AgentAssertionVerifier;
  /** Signs identity tickets and announces the keys to agents. */
  tickets: Pick<TicketKeyRing, 'sign' | 'announcement' | 'refresh'>;
  /** Global admins may learn that a cluster does not exist; others may not. */
  isGlobalAdmin(identity: Identity): boolean;
  liveSessions: LiveSessionIndex;
  settings: TunnelSettings;
  logger: Logger;
  /** Hears agent sessions open and close and their heartbeats. */
  presence?: AgentPresenceListener;
  /** The relay's clock (ms since the epoch), for credential expiry and heartbeat spacing; tests inject one. */
  now?: () => number;
  /** Reaches agents held by other replicas of the fleet. */
  forwarder?: Forwarder;
  /** Serves the fleet's replica-to-replica upgrades (`PEER_TUNNEL_PATH`). */
  peerUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;
  /** Counts each user's streams, OPENs and sessions; by default in this process, per `settings`. */
  userLimits?: UserLimits;
}

/** Bytes the relay holds for one paired stream, per direction, and the windows it granted. */
export interface RelayedStreamStats {
  requestId: string;
  cluster: string;
  user: string;
  /** Agent → user: unread on the agent-side stream plus queued on the user-side stream. */
  toUser: { bufferedBytes: number; grantedWindow: number };
  /** User → agent: unread on the user-side stream plus queued on the agent-side stream. */
  toAgent: { bufferedBytes: number; grantedWindow: number };
}

interface RelayedStream {
  requestId: string;
  cluster: string;
  /** Who opened it, as verified then: its grant is checked again when grants change. */
  identity: Identity;
  userStream: Stream;
  agentStream: Stream;
}

class Refusal extends Error {
  constructor(
    readonly refusal: OpenRefusal,
    readonly code: number = ErrorCode.Rejected,
  ) {
    super(refusal.message);
  }
}

export class TunnelServer {
  readonly #options: TunnelServerOptions;
  readonly #wss: WebSocketServer;
  /** Every live session and its WebSocket (terminated if a peer ignores the close handshake). */
  readonly #sessions = new Map<Session, WebSocket>();
  readonly #userLimits: UserLimits;
  readonly #relayed = new Set<RelayedStream>();
  /** When each agent session's last heartbeat was taken (relay clock). */
  readonly #lastHeartbeatAt = new WeakMap<AgentSessionEntry, number>();
  readonly #checkTimer: NodeJS.Timeout;
  #draining: Promise<void> | undefined;
  /** When each cluster's sessions last changed anywhere in the fleet (performance.now()). */
  readonly #sessionActivity = new Map<string, number>();
  /** OPENs waiting for a session of the cluster to come back. */
  readonly #sessionWaiters = new Map<string, Set<() => void>>();

  constructor(options: TunnelServerOptions) {
    this.#options = options;
    this.#userLimits = options.userLimits ?? new LocalUserLimits(options.settings);
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      ...webSocketOptions(options.settings.maxFramePayload),
    });
    // Grants too: a change nobody announced (the operator CLI of a fleet without Redis at hand)
    // still ends the streams it forbids within one interval.
    this.#checkTimer = setInterval(() => {
      void this.checkCredentials();
      void this.checkGrants();
      void this.refreshTicketKeys();
    }, options.settings.credentialCheckIntervalMs);
    this.#checkTimer.unref();
  }

  /** The HTTP server's 'upgrade' listener. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => {});
    const path = (req.url ?? '').split('?', 1)[0];
    const started = Date.now();
    const work =
      this.#draining !== undefined
        ? Promise.reject(
            new HttpProblem(
              503,
              PROBLEM_TYPES.notReady,
              'Going away',
              'the relay is shutting down; reconnect',
              {
                'retry-after': '1',
              },
            ),
          )
        : req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket'
          ? Promise.reject(
              new HttpProblem(
                400,
                PROBLEM_TYPES.invalidRequest,
                'Invalid request',
                'expected a WebSocket upgrade (GET)',
              ),
            )
          : path === tunnelPaths.agentTunnel
            ? this.#acceptAgent(req, socket, head)
            : path === tunnelPaths.userTunnel
              ? this.#acceptUser(req, socket, head)
              : path === PEER_TUNNEL_PATH && this.#options.peerUpgrade
                ? this.#options.peerUpgrade(req, socket, head)
                : Promise.reject(
                    new HttpProblem(
                      404,
                      PROBLEM_TYPES.notFound,
                      'Not found',
                      `no WebSocket is served at ${path}`,
                    ),
                  );
    work.catch((error: unknown) => {
      const problem =
        error instanceof HttpProblem
          ? error
          : error instanceof RegistryUnavailableError
            ? registryUnavailable()
            : new HttpProblem(
                500,
                PROBLEM_TYPES.internal,
                'Internal error',
                'the relay failed to answer; see its log',
              );
      if (error instanceof RegistryUnavailableError) {
        this.#options.logger.warn(
          { path, reason: error.message },
          'tunnel upgrade failed: registry unavailable',
        );
      } else if (problem.status >= 500 && !(error instanceof HttpProblem)) {
        this.#options.logger.error({ err: error, path }, 'tunnel upgrade failed');
      }
      this.#options.logger.info(
        { method: req.method, path, status: problem.status, ms: Date.now() - started, upgrade: true },
        'request',
      );
      rejectUpgrade(socket, problem);
    });
  };

  /** Closes every live agent session of the cluster now (it was deleted or its credentials revoked). */
  closeCluster(cluster: string, reason: string): void {
    for (const entry of this.#options.liveSessions.list(cluster)) entry.session.close(reason);
  }

  /**
   * Closes agent sessions whose credential is revoked, expired or gone. Runs periodically; the
   * relay also calls it when a cluster is deleted through the API.
   */
  async checkCredentials(): Promise<void> {
    const now = (this.#options.now ?? Date.now)();
    for (const entry of this.#options.liveSessions.list()) {
      let reason: string | undefined;
      try {
        const credential = await this.#options.registry.getAgentCredential(entry.credentialId);
        if (!credential) reason = 'the agent credential no longer exists';
        else if (credential.revokedAt) reason = 'the agent credential was revoked';
        else if (credential.expiresAt.getTime() <= now) reason = 'the agent credential expired';
      } catch (error) {
        this.#options.logger.warn({ err: error }, 'cannot check agent credentials');
        return;
      }
      if (reason && entry.session.state !== 'closed') {
        this.#options.logger.info(
          { cluster: entry.cluster, credentialId: entry.credentialId, session: entry.id, reason },
          'closing agent session',
        );
        entry.session.close(reason);
      }
    }
  }

  /**
   * Runs the ticket key schedule (the relay calls it periodically); when the announced set
   * changed, announces it on every live agent session.
   */
  async refreshTicketKeys(): Promise<void> {
    let changed: boolean;
    try {
      changed = await this.#options.tickets.refresh();
    } catch (error) {
      this.#options.logger.error({ err: error }, 'cannot rotate the ticket keys');
      return;
    }
    if (!changed) return;
    const sessions = this.#options.liveSessions.list();
    this.#options.logger.info(
      { agentSessions: sessions.length },
      'ticket keys changed; announcing them to agents',
    );
    await Promise.all(sessions.map((entry) => this.#announceTicketKeys(entry)));
  }

  /**
   * Ends relayed streams whose user no longer holds a grant on their cluster, so a watch, `logs -f`
   * or exec session does not outlive the access that opened it. Runs after every grant change made
   * through this relay (`cluster` given) and after changes another process made to the registry.
   */
  async checkGrants(cluster?: string): Promise<void> {
    const { registry, logger } = this.#options;
    const allowed = new Map<string, Promise<boolean>>();
    for (const relayed of [...this.#relayed]) {
      if (cluster !== undefined && relayed.cluster !== cluster) continue;
      const { identity } = relayed;
      const key = JSON.stringify([relayed.cluster, identity.username, identity.groups]);
      let check = allowed.get(key);
      if (!check) {
        check = registry.roleOf(identity, relayed.cluster).then(mayConnect);
        allowed.set(key, check);
      }
      try {
        if (await check) continue;
      } catch (error) {
        logger.warn({ err: error }, 'cannot check the grants of relayed streams');
        return;
      }
      const reason = `the grant of ${identity.username} on cluster "${relayed.cluster}" was revoked`;
      logger.info(
        { requestId: relayed.requestId, user: identity.username, cluster: relayed.cluster },
        'ending stream: grant revoked',
      );
      relayed.userStream.reset(ErrorCode.Cancel, reason);
      relayed.agentStream.reset(ErrorCode.Cancel, reason);
    }
  }

  /**
   * Graceful drain for a restart: GOAWAY on every session (agents and proxies reconnect, to this
   * relay once it is back or to another replica), streams may finish for `drainTimeoutMs`, then
   * whatever is left is closed. New upgrades are refused meanwhile.
   */
  drain(reason = 'relay shutting down'): Promise<void> {
    this.#draining ??= (async () => {
      clearInterval(this.#checkTimer);
      const sessions = [...this.#sessions.keys()];
      this.#options.logger.info({ sessions: sessions.length }, 'draining tunnel sessions');
      const closed = Promise.all(sessions.map((session) => session.goAway(reason)));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#options.settings.drainTimeoutMs);
      });
      await Promise.race([closed, timeout]);
      clearTimeout(timer);
      for (const session of this.#sessions.keys()) session.close(reason);
      // A peer that does not answer the close handshake is cut after a moment, not after ws's 30 s.
      const sockets = [...this.#sessions.values()];
      if (sockets.some((ws) => ws.readyState !== ws.CLOSED)) {
        // Not unref'd: `close()` awaits this, and with every socket gone an unref'd timer let the
        // event loop run dry mid-shutdown (the CLI then exited 13 before "relay stopped").
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        for (const ws of sockets) if (ws.readyState !== ws.CLOSED) ws.terminate();
      }
      this.#wss.close();
    })();
    return this.#draining;
  }

  /** What the relay buffers per paired stream right now (observability and tests). */
  relayedStreams(): RelayedStreamStats[] {
    return [...this.#relayed].map(({ requestId, cluster, identity, userStream, agentStream }) => ({
      requestId,
      cluster,
      user: identity.username,
      toUser: {
        bufferedBytes: agentStream.bufferedInbound + userStream.unsentBytes,
        grantedWindow: agentStream.receiveWindow,
      },
      toAgent: {
        bufferedBytes: userStream.bufferedInbound + agentStream.unsentBytes,
        grantedWindow: userStream.receiveWindow,
      },
    }));
  }

  /** True once the relay started draining (readiness says so). */
  get draining(): boolean {
    return this.#draining !== undefined;
  }

  /** Live sessions by kind, for readiness and tests. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  #sessionOptions(maxStreams: number): SessionOptions {
    return { ...tunnelSessionOptions(this.#options.settings, maxStreams), role: 'server' };
  }

  #track(session: Session, ws: WebSocket): void {
    this.#sessions.set(session, ws);
    void session.closed.then(() => this.#sessions.delete(session));
  }

  async #acceptAgent(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { logger, assertions, liveSessions } = this.#options;
    let credential: Awaited<ReturnType<AgentAssertionVerifier['verify']>>;
    try {
      const assertion = bearerOf(req);
      if (!assertion) {
        throw new AgentAuthError(
          'invalid-assertion',
          'the agent tunnel needs "Authorization: Bearer <assertion>"',
        );
      }
      credential = await assertions.verify(assertion);
    } catch (error) {
      if (!(error instanceof AgentAuthError)) throw error;
      logger.warn(
        {
          reason: error.reason,
          cluster: error.cluster,
          credentialId: error.credentialId,
          detail: error.message,
        },
        `agent tunnel refused: ${error.reason}`,
      );
      throw new HttpProblem(
        error.status,
        error.status === 403 ? PROBLEM_TYPES.forbidden : PROBLEM_TYPES.unauthorized,
        error.status === 403 ? 'Forbidden' : 'Unauthorized',
        error.message,
        error.status === 401
          ? { 'www-authenticate': 'Bearer realm="switchboard-agent", error="invalid_token"' }
          : {},
        { reason: error.reason },
      );
    }
    if (socket.destroyed) return;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, this.#sessionOptions(AGENT_SESSION_MAX_STREAMS));
      const entry: AgentSessionEntry = {
        id: `ags_${randomBytes(6).toString('base64url')}`,
        cluster: credential.cluster,
        credentialId: credential.id,
        connectedAt: new Date(),
        session,
      };
      this.#track(session, ws);
      // The agent pins the current ticket keys before any ticket can reach it on this session.
      void this.#announceTicketKeys(entry);
      liveSessions.add(entry);
      this.sessionsChanged(entry.cluster);
      this.#options.presence?.sessionOpened(entry);
      session.on('stream', (incoming) => this.#onAgentStream(entry, incoming));
      logger.info(
        {
          cluster: entry.cluster,
          credentialId: entry.credentialId,
          session: entry.id,
          sessions: liveSessions.list(entry.cluster).length,
        },
        'agent connected',
      );
      session.on('goaway', (notice) =>
        logger.info({ cluster: entry.cluster, session: entry.id, reason: notice.reason }, 'agent going away'),
      );
      void session.closed.then((reason) => {
        liveSessions.remove(entry);
        this.#noteSessionActivity(entry.cluster);
        this.#options.presence?.sessionClosed(entry);
        logger.info(
          {
            cluster: entry.cluster,
            session: entry.id,
            reason: reason.message,
            by: reason.by,
            sessions: liveSessions.list(entry.cluster).length,
          },
          'agent disconnected',
        );
      });
    });
  }

  /** Opens a key announcement stream on the agent session; the agent ends it (FIN) or refuses it. */
  async #announceTicketKeys(entry: AgentSessionEntry): Promise<void> {
    const { logger, tickets, settings } = this.#options;
    try {
      const open: AgentOpen = { type: 'ticket-keys', announcement: await tickets.announcement() };
      const stream = await entry.session.open(Buffer.from(JSON.stringify(open), 'utf8'), {
        signal: AbortSignal.timeout(settings.agentOpenTimeoutMs),
      });
      stream.on('error', () => {});
      stream.resume();
      stream.end();
      logger.debug({ cluster: entry.cluster, session: entry.id }, 'ticket keys announced');
    } catch (error) {
      if (entry.session.state === 'closed') return;
      // The agent keeps the keys it pins; the next session or key change announces again.
      logger.warn(
        { cluster: entry.cluster, session: entry.id, err: (error as Error).message },
        'the agent did not take the ticket key announcement',
      );
    }
  }

  /** A report the agent opened a stream for: recorded, then the stream is closed without payload. */
  #onAgentStream(entry: AgentSessionEntry, incoming: IncomingStream): void {
    let heartbeat: AgentHeartbeat;
    try {
      heartbeat = parseAgentReport(incoming.metadata);
      const now = (this.#options.now ?? Date.now)();
      const { minHeartbeatSpacingMs } = this.#options.settings;
      if (now - (this.#lastHeartbeatAt.get(entry) ?? Number.NEGATIVE_INFINITY) < minHeartbeatSpacingMs) {
        throw refused('rate-limited', `heartbeats at most every ${minHeartbeatSpacingMs} ms per session`);
      }
      this.#lastHeartbeatAt.set(entry, now);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      // A flood of too-soon heartbeats must not become a flood of warnings.
      const level = error.refusal.reason === 'rate-limited' ? 'debug' : 'warn';
      this.#options.logger[level](
        { cluster: entry.cluster, session: entry.id, detail: error.message },
        'agent report refused',
      );
      incoming.reject(JSON.stringify(error.refusal), ErrorCode.Rejected);
      return;
    }
    const stream = incoming.accept();
    stream.on('error', () => {});
    stream.resume(); // a report has no payload; anything sent anyway is discarded
    stream.end();
    this.#options.presence?.heartbeat(entry, heartbeat);
  }

  async #acceptUser(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const identity = await authenticate(req, this.#options.verifier);
    if (socket.destroyed) return;
    const { username } = identity;
    const { settings, logger } = this.#options;
    // Counted as it is admitted: no other upgrade can slip in between the check and the count.
    const admission = await this.#userLimits.admitSession(username);
    if (!admission.admitted) {
      logger.warn(
        { user: username, sessions: admission.held, maxSessionsPerUser: settings.maxSessionsPerUser },
        'user session refused: too many sessions',
      );
      throw new HttpProblem(429, PROBLEM_TYPES.tooManyRequests, 'Too many sessions', admission.message, {
        'retry-after': '10',
      });
    }
    // ws completes an upgrade synchronously, calling back before handleUpgrade returns; when it does
    // not (the socket closed meanwhile), the session never existed and its place is given back.
    let upgraded = false;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      const session = new Session(ws, this.#sessionOptions(settings.maxStreamsPerSession));
      this.#track(session, ws);
      logger.info({ user: username }, 'user session opened');
      session.on('stream', (incoming) => this.#onUserStream(username, incoming));
      void session.closed.then((reason) => {
        admission.release();
        logger.info({ user: username, reason: reason.message, by: reason.by }, 'user session closed');
      });
    });
    if (!upgraded) admission.release();
  }

  #onUserStream(sessionUser: string, incoming: IncomingStream): void {
    const requestId = randomBytes(8).toString('hex');
    const { logger } = this.#options;
    let release = () => {};
    let cluster: string | undefined;
    (async () => {
      const admission = await this.#userLimits.admitStream(sessionUser);
      if (!admission.admitted) throw refused('rate-limited', admission.message);
      release = admission.release;
      if (incoming.signal.aborted) return release();
      const relayed = await this.#route(sessionUser, incoming, requestId, (name) => {
        cluster = name;
      });
      if (!relayed) return release();
      this.#splice(relayed, release);
    })().catch((caught: unknown) => {
      release();
      // The grant check needs the registry: while its database is away, say so (and retry), as the
      // API's 503 does, instead of an internal error.
      const error =
        caught instanceof RegistryUnavailableError
          ? new Refusal(
              {
                reason: 'cluster-offline',
                message: 'the relay cannot reach its registry database to check your access; retry shortly',
              },
              ErrorCode.Refused,
            )
          : caught;
      if (!(error instanceof Refusal)) {
        logger.error({ err: error, requestId }, 'stream routing failed');
        if (!incoming.signal.aborted) incoming.reject('relay internal error', ErrorCode.InternalError);
        return;
      }
      logger.info(
        { requestId, user: sessionUser, cluster, refusal: error.refusal.reason, detail: error.message },
        'stream refused',
      );
      if (incoming.signal.aborted) return;
      incoming.reject(
        error.code === ErrorCode.Rejected ? JSON.stringify(error.refusal) : error.refusal.message,
        error.code,
      );
    });
  }

  /** Validates the OPEN and pairs it with an agent stream; undefined when the user gave up meanwhile. */
  async #route(
    sessionUser: string,
    incoming: IncomingStream,
    requestId: string,
    noteCluster: (name: string) => void,
  ): Promise<RelayedStream | undefined> {
    const { verifier, registry, logger } = this.#options;
    const open = parseUserOpen(incoming.metadata);
    noteCluster(open.cluster);

    let identity: Identity;
    try {
      identity = await verifier.verify(open.token);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        throw refused(
          'unauthenticated',
          `the token was refused: ${error.reason}; sign in again (switchboard login)`,
        );
      }
      if (error instanceof IssuerUnavailableError) {
        throw new Refusal(
          {
            reason: 'cluster-offline',
            message: 'the relay cannot reach its OpenID issuer to check the token; retry shortly',
          },
          ErrorCode.Refused,
        );
      }
      throw error;
    }
    if (identity.username !== sessionUser) {
      throw refused('unauthenticated', 'the OPEN token belongs to another user than the tunnel session');
    }

    // The identity exactly as the apiserver will see it, checked once here and again at the agent.
    let validated: ReturnType<typeof validateKubernetesIdentity>;
    try {
      validated = validateKubernetesIdentity(identity, open.mode);
    } catch (error) {
      if (!(error instanceof IdentityRefusedError)) throw error;
      logger.warn(
        { requestId, user: JSON.stringify(identity.username), cluster: open.cluster, detail: error.message },
        'identity refused: Kubernetes must not see it',
      );
      throw refused('forbidden', error.message);
    }
    if (validated.droppedGroups.length > 0) {
      logger.warn(
        { requestId, user: identity.username, groups: validated.droppedGroups },
        'dropping reserved system: groups from the identity (configure a groups prefix on the relay)',
      );
    }
    // No caching: a revoked grant applies to the next stream.
    const role = await registry.roleOf(identity, open.cluster);
    if (!mayConnect(role)) {
      // Existence is told only to those who may list every cluster (as the admin API does).
      if (this.#options.isGlobalAdmin(identity)) {
        if (!(await registry.getCluster(open.cluster))) {
          throw refused('unknown-cluster', `no cluster "${open.cluster}"`);
        }
        throw refused(
          'forbidden',
          `you hold no grant on cluster "${open.cluster}" (grant yourself the connect role)`,
        );
      }
      throw refused(
        'forbidden',
        `no access to cluster "${open.cluster}": it does not exist or you hold no grant on it`,
      );
    }

    // A fresh ticket per agent session tried: each is presented once.
    const metadataFor = async (): Promise<Buffer> => {
      const ticket = await this.#options.tickets.sign({
        cluster: open.cluster,
        username: validated.username,
        groups: validated.groups,
        requestId,
        mode: open.mode,
        tokenExpiresAt: identity.expiresAt,
      });
      const agentOpen: AgentOpen = {
        type: 'request',
        ticket,
        requestId,
        ...(open.serviceAccountToken !== undefined && { serviceAccountToken: open.serviceAccountToken }),
      };
      return Buffer.from(JSON.stringify(agentOpen), 'utf8');
    };
    let agentStream: Stream;
    try {
      agentStream = await this.#openAgentStream(open.cluster, metadataFor, incoming.signal, true);
    } catch (error) {
      if (incoming.signal.aborted) return undefined;
      if (error instanceof StreamResetError && error.code === ErrorCode.Rejected) {
        // The agent's own refusal (JSON `openRefusalSchema`), passed through unchanged.
        logger.info(
          { requestId, user: sessionUser, cluster: open.cluster, reason: error.reason },
          'agent refused stream',
        );
        incoming.reject(error.reason, ErrorCode.Rejected);
        return undefined;
      }
      throw error;
    }
    if (incoming.signal.aborted) {
      agentStream.reset(ErrorCode.Cancel, 'the user gave up');
      return undefined;
    }
    logger.debug({ requestId, user: sessionUser, cluster: open.cluster }, 'stream paired');
    return { requestId, cluster: open.cluster, identity, userStream: incoming.accept(), agentStream };
  }

  /**
   * A stream forwarded by another replica: opened on one of this replica's own agent sessions of
   * the cluster, never forwarded again. Throws StreamResetError (`Rejected`: the agent's refusal;
   * `Refused`: no usable session here) or a Refusal.
   */
  openLocalAgentStream(cluster: string, metadata: Buffer, signal: AbortSignal): Promise<Stream> {
    return this.#openAgentStream(cluster, async () => metadata, signal, false);
  }

  /**
   * The fleet-wide sessions of the cluster may have changed (another replica's agent came or went):
   * wakes OPENs waiting for the cluster's agent to come back.
   */
  sessionsChanged(cluster: string): void {
    this.#noteSessionActivity(cluster);
    const waiters = this.#sessionWaiters.get(cluster);
    if (!waiters) return;
    this.#sessionWaiters.delete(cluster);
    for (const wake of waiters) wake();
  }

  /**
   * Opens a stream to one of the cluster's agents: this replica's sessions first (fewest streams),
   * then, when `mayForward`, the other replicas holding one. When none is left but the cluster had a
   * session moments ago (its relay replica drained, or the agent is reconnecting), it waits for the
   * agent to come back rather than tell the user it is offline.
   */
  async #openAgentStream(
    cluster: string,
    metadataFor: () => Promise<Buffer>,
    userSignal: AbortSignal,
    mayForward: boolean,
  ): Promise<Stream> {
    const { liveSessions, settings, forwarder } = this.#options;
    const timeout = AbortSignal.timeout(settings.agentOpenTimeoutMs);
    const signal = AbortSignal.any([userSignal, timeout]);
    const tried = new Set<AgentSessionEntry>();
    const triedReplicas = new Set<string>();
    /** When a holder first refused (it is going away): its agent is about to come back elsewhere. */
    let refusedAt: number | undefined;
    for (;;) {
      let attempt: Promise<Stream> | undefined;
      const entry = liveSessions.pick(cluster, tried);
      if (entry) {
        tried.add(entry);
        attempt = entry.session.open(await metadataFor(), { signal });
      } else if (mayForward && forwarder) {
        const holder = forwarder.holders(cluster).find((peer) => !triedReplicas.has(peer.replicaId));
        if (holder) {
          triedReplicas.add(holder.replicaId);
          const agentOpen = (await metadataFor()).toString('utf8');
          attempt = forwarder.open(holder, { type: 'forward', cluster, agentOpen }, signal);
        }
      }
      if (!attempt) {
        // A single relay has nothing to wait for: its agents come back only after it restarted.
        if (mayForward && forwarder && (await this.#sessionReturns(cluster, signal, refusedAt))) {
          tried.clear();
          triedReplicas.clear();
          continue;
        }
        signal.throwIfAborted();
        throw refused(
          'cluster-offline',
          `cluster "${cluster}" is offline: no agent is connected to the relay`,
        );
      }
      try {
        return await attempt;
      } catch (error) {
        if (userSignal.aborted) throw error;
        if (error instanceof StreamResetError && error.code === ErrorCode.Rejected) throw error;
        if (error instanceof StreamResetError && error.code === ErrorCode.Refused) {
          refusedAt ??= performance.now();
          continue; // try another session
        }
        if (timeout.aborted) {
          throw refused(
            'cluster-offline',
            `the agent of cluster "${cluster}" did not answer within ${settings.agentOpenTimeoutMs} ms`,
          );
        }
        throw refused(
          'cluster-offline',
          `the agent of cluster "${cluster}" failed: ${(error as Error).message}`,
        );
      }
    }
  }

  /**
   * Waits, within the grace after the cluster's sessions last changed or a holder refused (it is
   * draining), for a session to appear; false at once when neither happened lately (the cluster is
   * simply offline).
   */
  async #sessionReturns(cluster: string, signal: AbortSignal, refusedAt?: number): Promise<boolean> {
    const changedAt = Math.max(
      this.#sessionActivity.get(cluster) ?? Number.NEGATIVE_INFINITY,
      refusedAt ?? Number.NEGATIVE_INFINITY,
    );
    const now = performance.now();
    const { sessionReturnGraceMs } = this.#options.settings;
    if (now - changedAt >= sessionReturnGraceMs || signal.aborted) return false;
    return new Promise<boolean>((resolve) => {
      const waiters = this.#sessionWaiters.get(cluster) ?? new Set();
      this.#sessionWaiters.set(cluster, waiters);
      const done = (appeared: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        waiters.delete(wake);
        if (waiters.size === 0 && this.#sessionWaiters.get(cluster) === waiters)
          this.#sessionWaiters.delete(cluster);
        resolve(appeared);
      };
      const wake = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), changedAt + sessionReturnGraceMs - now);
      signal.addEventListener('abort', onAbort, { once: true });
      waiters.add(wake);
    });
  }

  #noteSessionActivity(cluster: string): void {
    const now = performance.now();
    const { sessionReturnGraceMs } = this.#options.settings;
    // Bounded by the clusters whose sessions changed within the grace: older entries are dropped.
    if (this.#sessionActivity.size >= SESSION_ACTIVITY_PRUNE_AT) {
      for (const [name, at] of this.#sessionActivity) {
        if (now - at >= sessionReturnGraceMs) this.#sessionActivity.delete(name);
      }
    }
    this.#sessionActivity.set(cluster, now);
  }

  /** Pipes both directions; half-close passes through, a reset on either side resets the other. */
  #splice(relayed: RelayedStream, release: () => void): void {
    const { userStream, agentStream } = relayed;
    this.#relayed.add(relayed);
    let closed = 0;
    const onClose = () => {
      if (++closed < 2) return;
      this.#relayed.delete(relayed);
      release();
    };
    userStream.once('close', onClose);
    agentStream.once('close', onClose);
    // Credit on each inbound stream returns only as its partner frames the bytes out, so the relay
    // holds at most the window it granted per direction.
    spliceStreams(userStream, agentStream);
  }
}

/** Tunnel streams need the `connect` or `admin` role on the cluster. */
function mayConnect(role: Role | undefined): boolean {
  return role === 'connect' || role === 'admin';
}

function refused(reason: OpenRefusal['reason'], message: string): Refusal {
  return new Refusal({ reason, message: message.slice(0, 400) });
}

function parseUserOpen(metadata: Buffer): UserOpen {
  let json: unknown;
  try {
    json = JSON.parse(metadata.toString('utf8'));
  } catch {
    throw refused('bad-request', 'the OPEN metadata is not JSON');
  }
  const result = userOpenSchema.safeParse(json);
  if (!result.success) {
    // The path and message only: never the value, which may be a token.
    const { path, message } = describeFirstIssue(result.error);
    throw refused('bad-request', `malformed OPEN metadata: ${path ? `${path}: ` : ''}${message}`);
  }
  return result.data;
}

function parseAgentReport(metadata: Buffer): AgentHeartbeat {
  let json: unknown;
  try {
    json = JSON.parse(metadata.toString('utf8'));
  } catch {
    throw refused('bad-request', 'the report is not JSON');
  }
  const result = agentHeartbeatSchema.safeParse(json);
  if (!result.success) {
    const { path, message } = describeFirstIssue(result.error);
    throw refused('bad-request', `malformed heartbeat: ${path ? `${path}: ` : ''}${message}`);
  }
  return result.data;
}

function bearerOf(req: IncomingMessage): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** Answers an upgrade request with a problem and closes the socket (no WebSocket was opened). */
function rejectUpgrade(socket: Duplex, problem: HttpProblem): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(problemBody(problem));
  const headers = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    connection: 'close',
    ...problem.headers,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n${head}\r\n${body}`);
  socket.once('finish', () => socket.destroy());
}
