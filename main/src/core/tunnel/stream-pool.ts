/**
 * The local proxy's keep-alive pool for one cluster: an `http.Agent` whose connections are tunnel
 * streams. A stream is authenticated once, by the token that opened it, and the cluster agent
 * serves it no new request after that token expired; so the pool stops reusing a stream a little
 * before: a free stream is closed then, a busy one once its response is done. What a stream is
 * serving at that moment (a watch, `logs -f`) runs on; the next request gets a new stream with a
 * fresh token. A free stream the agent ends is dropped too, and so is one whose tunnel session is
 * draining.
 */
import { Agent, type ClientRequestArgs } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Stream } from '@switchboard/protocol';
import type { OpenedStream } from './relay-tunnel.js';

/**
 * How long before its token's expiry a stream is retired (at most half of the token's remaining
 * life): room for a request in flight and for clock skew between this machine and the cluster,
 * on top of the 30 s the agent itself tolerates.
 */
const RETIRE_MARGIN_MS = 30_000;
const MAX_FREE_STREAMS = 16;
/** setTimeout's limit (~24.8 days): streams of tokens living longer are not retired; issuers hand out none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class StreamPool extends Agent {
  readonly #retired = new WeakSet<Duplex>();

  constructor(private readonly open: () => Promise<OpenedStream>) {
    super({ keepAlive: true, maxFreeSockets: MAX_FREE_STREAMS });
  }

  override createConnection(
    _options: ClientRequestArgs,
    callback?: (error: Error | null, socket: Duplex) => void,
  ): undefined {
    this.open().then(
      ({ stream, tokenExpiresAt, sessionDraining }) => {
        const socket = asSocket(stream);
        // A tunnel stream stays half-open after the peer's FIN (exec needs that) where a TCP socket
        // would close, so a stream the agent ended (idle too long, token expired) is dropped here
        // when it is free, and by `keepSocketAlive` when the FIN came with its last answer.
        socket.on('end', () => {
          if (this.#isFree(socket)) socket.destroy();
        });
        if (tokenExpiresAt !== undefined) this.#retireBefore(socket, tokenExpiresAt);
        // Its session is draining (the relay, or its replica, is going away): the stream serves what
        // it serves now, and nothing new, so the session can close and no request rides it to the end.
        sessionDraining.addEventListener('abort', () => this.#retire(socket), { once: true });
        callback?.(null, socket);
      },
      (error: Error) => callback?.(error, undefined as never),
    );
    return undefined;
  }

  override keepSocketAlive(socket: Duplex): boolean {
    if (this.#retired.has(socket) || socket.readableEnded) return false;
    super.keepSocketAlive(socket);
    return true;
  }

  #retireBefore(socket: Duplex, tokenExpiresAt: number): void {
    const remaining = tokenExpiresAt - Date.now();
    const delay = remaining - Math.min(RETIRE_MARGIN_MS, remaining / 2);
    if (delay > MAX_TIMER_MS) return;
    const timer = setTimeout(() => this.#retire(socket), Math.max(0, delay));
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  #retire(socket: Duplex): void {
    this.#retired.add(socket);
    if (this.#isFree(socket)) socket.destroy();
  }

  #isFree(socket: Duplex): boolean {
    return Object.values(this.freeSockets).some((free) => free?.includes(socket as Socket));
  }
}

/**
 * Gives a tunnel stream the few `net.Socket` methods Node's HTTP client and agent (and `ws`, on an
 * upgraded connection) call on their sockets. Stream liveness is the tunnel's job, so these are
 * no-ops.
 */
export function asSocket(stream: Stream): Socket {
  const socket = stream as unknown as Partial<Socket> & Duplex;
  socket.setKeepAlive = () => socket as Socket;
  socket.setNoDelay = () => socket as Socket;
  socket.setTimeout = () => socket as Socket;
  socket.ref = () => socket as Socket;
  socket.unref = () => socket as Socket;
  return socket as Socket;
}
