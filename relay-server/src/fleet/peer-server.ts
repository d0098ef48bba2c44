/**
 * The holder's side of forwarding: accepts sessions from the other replicas at `PEER_TUNNEL_PATH`
 * and serves each forwarded stream from one of this replica's agent sessions of the cluster. The
 * forwarding replica authenticated the user, checked the grant and signed the ticket; the agent
 * checks the ticket again, as for a local stream.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_TYPES } from '@switchboard/contract/problem-details';
import {
  ErrorCode,
  type IncomingStream,
  Session,
  type SessionOptions,
  type Stream,
  StreamResetError,
  spliceStreams,
  webSocketOptions,
} from '@switchboard/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { HttpProblem } from '../api/http-problem.js';
import type { Logger } from '../logging/logger.js';
import { describeFirstIssue } from '../validation/first-issue.js';
import { PeerAuthError, type PeerAuthenticator } from './peer-auth.js';
import { type ForwardOpen, forwardOpenSchema } from './peer-protocol.js';

export interface PeerServerOptions {
  auth: PeerAuthenticator;
  session: Omit<SessionOptions, 'role'>;
  /** Opens a stream on one of THIS replica's agent sessions of the cluster (never forwards again). */
  openLocalAgentStream: (cluster: string, metadata: Buffer, signal: AbortSignal) => Promise<Stream>;
  logger: Logger;
}

export class PeerServer {
  readonly #options: PeerServerOptions;
  readonly #wss: WebSocketServer;
  readonly #sessions = new Map<Session, WebSocket>();

  constructor(options: PeerServerOptions) {
    this.#options = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      ...webSocketOptions(options.session.maxFramePayload),
    });
  }

  /** Authenticates a peer's upgrade and runs its session; throws HttpProblem when refused. */
  async accept(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    let peer: string;
    try {
      if (!match) throw new PeerAuthError('the peer tunnel needs "Authorization: Bearer <peer assertion>"');
      peer = await this.#options.auth.verify(match[1]!);
    } catch (error) {
      if (!(error instanceof PeerAuthError)) throw error;
      this.#options.logger.warn({ detail: error.message }, 'peer tunnel refused');
      throw new HttpProblem(401, PROBLEM_TYPES.unauthorized, 'Unauthorized', error.message);
    }
    if (socket.destroyed) return;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, { ...this.#options.session, role: 'server' });
      this.#sessions.set(session, ws);
      this.#options.logger.info({ replica: peer }, 'peer replica session opened');
      session.on('stream', (incoming) => this.#onStream(peer, incoming));
      void session.closed.then(() => this.#sessions.delete(session));
    });
  }

  /** GOAWAY on every peer session; they close as their streams finish (the caller bounds the wait). */
  drain(reason: string): Promise<unknown> {
    return Promise.all([...this.#sessions.keys()].map((session) => session.goAway(reason)));
  }

  close(reason: string): void {
    for (const [session, ws] of this.#sessions) {
      session.close(reason);
      ws.terminate();
    }
    this.#wss.close();
  }

  #onStream(peer: string, incoming: IncomingStream): void {
    const forward = parseForwardOpen(incoming.metadata);
    if (typeof forward === 'string') {
      this.#options.logger.warn({ replica: peer, detail: forward }, 'malformed forwarded OPEN');
      incoming.reject(`malformed forwarded OPEN: ${forward}`, ErrorCode.ProtocolError);
      return;
    }
    // The tunnel bounds the wait for the agent (its OPEN timeout); the forwarder may give up sooner.
    this.#options
      .openLocalAgentStream(forward.cluster, Buffer.from(forward.agentOpen, 'utf8'), incoming.signal)
      .then(
        (agentStream) => {
          if (incoming.signal.aborted) {
            agentStream.reset(ErrorCode.Cancel, 'the forwarding replica gave up');
            return;
          }
          spliceStreams(incoming.accept(), agentStream);
        },
        (error: unknown) => {
          if (incoming.signal.aborted) return;
          if (error instanceof StreamResetError && error.code === ErrorCode.Rejected) {
            incoming.reject(error.reason, ErrorCode.Rejected); // the agent's refusal, unchanged
          } else {
            incoming.reject(
              `replica cannot serve cluster "${forward.cluster}": ${(error as Error).message}`,
              ErrorCode.Refused,
            );
          }
        },
      );
  }
}

/** The forwarded OPEN, or what is wrong with it. */
function parseForwardOpen(metadata: Buffer): ForwardOpen | string {
  let json: unknown;
  try {
    json = JSON.parse(metadata.toString('utf8'));
  } catch {
    return 'not JSON';
  }
  const result = forwardOpenSchema.safeParse(json);
  if (result.success) return result.data;
  const { path, message } = describeFirstIssue(result.error);
  return `${path ? `${path}: ` : ''}${message}`;
}
