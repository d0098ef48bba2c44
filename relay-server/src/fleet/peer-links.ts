/**
 * This replica's sessions to the other replicas, one per peer, dialed on first need and reused by
 * every stream forwarded there. Forwarded streams keep the tunnel protocol's per-stream windows end
 * to end (user ↔ this replica ↔ holder ↔ agent), so a forwarded stream holds no more relay memory
 * than a local one.
 *
 * With TLS, a peer is reached at its pod address, which no certificate names: the peer must present
 * the fleet's own certificate (every replica serves the same one), or one that verifies normally.
 */
import { checkServerIdentity, type PeerCertificate, rootCertificates } from 'node:tls';
import {
  clientWebSocketOptions,
  ErrorCode,
  Session,
  type SessionOptions,
  type Stream,
  StreamResetError,
} from '@switchboard/protocol';
import WebSocket from 'ws';
import type { Logger } from '../logging/logger.js';
import type { PeerReplica } from './fleet-view.js';
import type { PeerAuthenticator } from './peer-auth.js';
import { type ForwardOpen, PEER_TUNNEL_PATH } from './peer-protocol.js';

const DIAL_TIMEOUT_MS = 5_000;

export interface FleetCertificate {
  /** The PEM the replicas serve (leaf first), trusted as a peer's certificate. */
  pem: string;
  /** SHA-256 fingerprint of the leaf, as Node prints it (`AA:BB:…`). */
  fingerprint256: string;
}

export interface PeerLinksOptions {
  auth: PeerAuthenticator;
  session: Omit<SessionOptions, 'role'>;
  certificate?: FleetCertificate;
  logger: Logger;
}

export class PeerLinks {
  readonly #options: PeerLinksOptions;
  readonly #sessions = new Map<string, Promise<Session>>();
  #closed = false;

  constructor(options: PeerLinksOptions) {
    this.#options = options;
  }

  /**
   * Opens a forwarded stream at `peer`. Throws StreamResetError: `Refused` when the peer cannot be
   * reached or holds no usable session of the cluster (try another), `Rejected` with the agent's
   * refusal.
   */
  async open(peer: PeerReplica, forward: ForwardOpen, signal: AbortSignal): Promise<Stream> {
    let session: Session;
    try {
      session = await this.#session(peer);
    } catch (error) {
      throw new StreamResetError(
        ErrorCode.Refused,
        `cannot reach replica ${peer.replicaId}: ${(error as Error).message}`,
        false,
      );
    }
    return session.open(Buffer.from(JSON.stringify(forward), 'utf8'), { signal });
  }

  /** Closes every peer session (the replica stops; forwarded streams were drained before). */
  close(reason: string): void {
    this.#closed = true;
    for (const session of this.#sessions.values())
      void session.then(
        (s) => s.close(reason),
        () => {},
      );
    this.#sessions.clear();
  }

  #session(peer: PeerReplica): Promise<Session> {
    const known = this.#sessions.get(peer.replicaId);
    if (known) return known;
    if (this.#closed) return Promise.reject(new Error('this replica is stopping'));
    const dialing = this.#dial(peer);
    this.#sessions.set(peer.replicaId, dialing);
    const forget = () => {
      if (this.#sessions.get(peer.replicaId) === dialing) this.#sessions.delete(peer.replicaId);
    };
    dialing.then((session) => {
      // A draining peer takes no new streams: dial afresh next time (it may be back, or gone).
      session.once('goaway', forget);
      void session.closed.then(forget);
    }, forget);
    return dialing;
  }

  async #dial(peer: PeerReplica): Promise<Session> {
    const { auth, session: sessionOptions, certificate, logger } = this.#options;
    const url = `${peer.peerUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}${PEER_TUNNEL_PATH}`;
    const ws = new WebSocket(url, {
      ...clientWebSocketOptions(url, sessionOptions.maxFramePayload),
      headers: { authorization: `Bearer ${await auth.assertionFor(peer.replicaId)}` },
      handshakeTimeout: DIAL_TIMEOUT_MS,
      followRedirects: false,
      ...(certificate && {
        ca: [...rootCertificates, certificate.pem],
        checkServerIdentity: (host: string, cert: PeerCertificate) =>
          cert.fingerprint256 === certificate.fingerprint256 ? undefined : checkServerIdentity(host, cert),
      }),
    });
    const session = new Session(ws, { ...sessionOptions, role: 'client' });
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
        ws.once('unexpected-response', (_request, response) => {
          response.resume();
          reject(new Error(`HTTP ${response.statusCode}`));
        });
      });
    } catch (error) {
      ws.terminate();
      session.close('peer dial failed');
      logger.warn({ replica: peer.replicaId, reason: (error as Error).message }, 'cannot reach peer replica');
      throw error;
    }
    logger.info({ replica: peer.replicaId }, 'peer replica connected');
    void session.closed.then((reason) =>
      logger.info({ replica: peer.replicaId, reason: reason.message }, 'peer replica session closed'),
    );
    return session;
  }
}
