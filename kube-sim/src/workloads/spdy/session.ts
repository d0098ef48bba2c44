/**
 * A SPDY/3.1 session over any byte Duplex (a hijacked HTTP socket, or a WebSocket tunnel), in the
 * raw-streams dialect k8s.io/apimachinery/pkg/util/httpstream/spdy speaks through moby/spdystream:
 * no HTTP semantics, just header-tagged bidirectional streams. Written here because no maintained
 * Node library does this: the `spdy` npm package maps SPDY onto HTTP requests and responses and
 * cannot expose bare streams, and it has been unmaintained for years.
 *
 * Flow control: SPDY/3.1 gives every stream and the session a 64 KiB send window. spdystream, the
 * only peer kubectl and the kubelet use, implements none of it: it never sends WINDOW_UPDATE and
 * writes past any window. So we always announce what we consume (harmless to spdystream), always
 * account what we send, and enforce the peer's windows once it shows it does flow control (its
 * first SETTINGS or WINDOW_UPDATE); enforcing against spdystream would stall every stream after
 * 64 KiB. For the same reason we buffer, rather than reset, data beyond the window we granted.
 */
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  decodeFrame,
  decodeHeaderBlock,
  encodeFrame,
  encodeHeaderBlock,
  FLAG_FIN,
  FLAG_UNIDIRECTIONAL,
  FRAME_HEADER_LENGTH,
  type Frame,
  GoAwayStatus,
  HeaderCodec,
  RstStatus,
  SETTINGS_INITIAL_WINDOW_SIZE,
  type SpdyHeaders,
  SpdyProtocolError,
} from './frame.js';

export const INITIAL_WINDOW = 64 * 1024;
const MAX_WINDOW = 0x7fffffff;
const MAX_DATA_FRAME = 64 * 1024;
/** Consumed bytes are announced in batches, as Chrome did, rather than one WINDOW_UPDATE per frame. */
const ACK_THRESHOLD = INITIAL_WINDOW / 2;
/** How long a closed session waits for the peer to hang up before dropping the socket. */
const LINGER_MS = 1000;

export interface SpdySessionOptions {
  role: 'server' | 'client';
  /** Bytes the HTTP parser read past the upgrade response (Node's `head`). */
  head?: Buffer;
}

interface SessionEvents {
  stream: [SpdyStream];
  goaway: [];
  close: [];
}

/** Emits `reply` and `headers` (SpdyHeaders) and `reset` (RST_STREAM status) besides Duplex events. */
export class SpdyStream extends Duplex {
  /** Set when our FIN or a reset went out: nothing more may be sent. */
  localClosed = false;
  /** Set when the peer's FIN or a reset came in: nothing more will arrive. */
  remoteClosed = false;
  replied: boolean;
  sendWindow: number;
  received = 0;
  acknowledged = 0;
  private windowWaiters: (() => void)[] = [];

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: SpdyHeaders,
    sendWindow: number,
    initiatedLocally: boolean,
  ) {
    super({ allowHalfOpen: true });
    // The session never fails a stream with an error; what is left is misuse such as a write
    // after end, which must not take the whole simulator down with an unhandled 'error'.
    this.on('error', () => {});
    this.sendWindow = sendWindow;
    this.replied = initiatedLocally;
  }

  /** Accepts a stream the peer opened (SYN_REPLY). Writing also accepts it implicitly. */
  reply(headers: SpdyHeaders = {}): void {
    this.session.reply(this, headers);
  }

  reset(status: number = RstStatus.Cancel): void {
    this.session.resetStream(this, status);
  }

  /** Data is pushed as frames arrive; there is nothing to fetch on demand. */
  override _read(): void {}

  /**
   * Every way of consuming a Readable (flowing mode, pipe, async iteration) goes through read().
   * _read() would be too early: Node calls it before the chunk it returns leaves the buffer.
   */
  override read(size?: number): Buffer | null {
    const chunk = super.read(size) as Buffer | null;
    this.session.consumed(this);
    return chunk;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.session.sendData(this, chunk, false).then(() => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.session.sendData(this, Buffer.alloc(0), true).then(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.localClosed || !this.remoteClosed) this.reset(RstStatus.Cancel);
    callback(error);
  }

  waitForWindow(): Promise<void> {
    return new Promise((resolve) => this.windowWaiters.push(resolve));
  }

  wake(): void {
    for (const resolve of this.windowWaiters.splice(0)) resolve();
  }
}

export class SpdySession extends EventEmitter<SessionEvents> {
  readonly role: 'server' | 'client';
  private readonly streams = new Map<number, SpdyStream>();
  private readonly inflater = new HeaderCodec('inflate');
  private readonly deflater = new HeaderCodec('deflate');
  private input: Buffer[] = [];
  private inputLength = 0;
  private reading = false;
  private out: Promise<void> = Promise.resolve();
  private nextStreamId: number;
  private lastPeerStreamId = 0;
  private nextPingId: number;
  private readonly pings = new Map<number, (ok: boolean) => void>();
  private sendWindow = INITIAL_WINDOW;
  private initialSendWindow = INITIAL_WINDOW;
  private peerFlowControl = false;
  private sessionUnacknowledged = 0;
  /** GOAWAY sent or received: no new streams either way. */
  private goneAway = false;
  /** The socket is ended or destroyed: nothing more is written. */
  private dead = false;
  /** The session state is broken: nothing more is read either. */
  private failed = false;
  /** Frames already received are still handled after the socket closes; then the session closes. */
  private socketClosed = false;
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    options: SpdySessionOptions,
  ) {
    super();
    this.role = options.role;
    this.nextStreamId = options.role === 'client' ? 1 : 2;
    this.nextPingId = options.role === 'client' ? 1 : 2;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => this.endSocket());
    socket.on('close', () => {
      this.socketClosed = true;
      if (!this.reading) this.teardown();
    });
    socket.on('error', () => socket.destroy());
    if (options.role === 'client') {
      // Announcing our window tells a SPDY/3.1 server we flow-control; spdystream ignores it.
      this.sendControl({
        type: 'settings',
        flags: 0,
        entries: [{ flags: 0, id: SETTINGS_INITIAL_WINDOW_SIZE, value: INITIAL_WINDOW }],
      });
    }
    if (options.head?.length) this.receive(options.head);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  openStream(headers: SpdyHeaders, options: { fin?: boolean } = {}): SpdyStream {
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(this, id, headers, this.initialSendWindow, true);
    this.streams.set(id, stream);
    if (this.dead || this.goneAway) {
      this.terminate(stream);
      return stream;
    }
    if (options.fin) stream.localClosed = true;
    this.enqueue(async () =>
      encodeFrame({
        type: 'syn_stream',
        streamId: id,
        associatedStreamId: 0,
        priority: 0,
        flags: options.fin ? FLAG_FIN : 0,
        headerBlock: await this.deflater.process(encodeHeaderBlock(headers)),
      }),
    );
    return stream;
  }

  /** Resolves with the round trip in milliseconds; rejects if the session closes first. */
  ping(): Promise<number> {
    const id = this.nextPingId;
    this.nextPingId += 2;
    const start = performance.now();
    return new Promise((resolve, reject) => {
      this.pings.set(id, (ok) =>
        ok ? resolve(performance.now() - start) : reject(new Error('session closed')),
      );
      this.sendControl({ type: 'ping', id });
    });
  }

  /**
   * What httpstream's Connection.Close does: reset every stream we have not finished, send
   * GOAWAY, and hang up once everything queued is written.
   */
  close(): void {
    if (this.dead) return;
    for (const stream of this.streams.values()) {
      if (!stream.localClosed) this.resetStream(stream, RstStatus.Cancel);
    }
    this.goAway(GoAwayStatus.Ok);
    void this.out.then(() => this.endSocket());
  }

  reply(stream: SpdyStream, headers: SpdyHeaders): void {
    if (stream.replied || stream.localClosed) return;
    stream.replied = true;
    this.enqueue(async () =>
      encodeFrame({
        type: 'syn_reply',
        streamId: stream.id,
        flags: 0,
        headerBlock: await this.deflater.process(encodeHeaderBlock(headers)),
      }),
    );
  }

  resetStream(stream: SpdyStream, status: number): void {
    if (stream.localClosed && stream.remoteClosed) return;
    this.sendControl({ type: 'rst_stream', streamId: stream.id, status });
    this.terminate(stream);
  }

  /** Resolves once the data is handed to the socket; data for a closed stream is dropped. */
  async sendData(stream: SpdyStream, chunk: Buffer, fin: boolean): Promise<void> {
    if (chunk.length === 0 && !fin) return;
    if (!stream.replied) this.reply(stream, {});
    let offset = 0;
    for (;;) {
      if (stream.localClosed || this.dead) return;
      let size = Math.min(chunk.length - offset, MAX_DATA_FRAME);
      if (this.peerFlowControl && size > 0) {
        size = Math.min(size, stream.sendWindow, this.sendWindow);
        if (size <= 0) {
          await stream.waitForWindow();
          continue;
        }
      }
      stream.sendWindow -= size;
      this.sendWindow -= size;
      const data = chunk.subarray(offset, offset + size);
      offset += size;
      const last = offset >= chunk.length;
      const flags = fin && last ? FLAG_FIN : 0;
      const written = this.enqueue(() => encodeFrame({ type: 'data', streamId: stream.id, flags, data }));
      if (last) {
        if (fin) {
          stream.localClosed = true;
          this.forgetIfDone(stream);
        }
        return written;
      }
    }
  }

  /** Called as the reader drains a stream: gives the peer its stream window back. */
  consumed(stream: SpdyStream): void {
    const newlyConsumed = stream.received - stream.readableLength - stream.acknowledged;
    if (newlyConsumed < ACK_THRESHOLD || stream.remoteClosed) return;
    stream.acknowledged += newlyConsumed;
    this.sendControl({ type: 'window_update', streamId: stream.id, delta: newlyConsumed });
  }

  /**
   * The session window is credited on receipt, not consumption: stream windows already bound what
   * a slow reader buffers, and data left unread on a finished stream must not shrink it for good.
   */
  private creditSession(bytes: number): void {
    this.sessionUnacknowledged += bytes;
    if (this.sessionUnacknowledged < ACK_THRESHOLD) return;
    this.sendControl({ type: 'window_update', streamId: 0, delta: this.sessionUnacknowledged });
    this.sessionUnacknowledged = 0;
  }

  private goAway(status: number): void {
    if (this.goneAway && status === GoAwayStatus.Ok) return;
    this.goneAway = true;
    this.sendControl({ type: 'goaway', lastGoodStreamId: this.lastPeerStreamId, status });
  }

  private sendControl(frame: Frame): void {
    this.enqueue(() => encodeFrame(frame));
  }

  /**
   * Every frame goes through one queue: header compression is asynchronous, and a SYN_REPLY must
   * not be overtaken by the data that follows it. The queue also waits out socket backpressure.
   */
  private enqueue(produce: () => Buffer | Promise<Buffer>): Promise<void> {
    const run = this.out.then(async () => {
      if (this.dead) return;
      const frame = await produce();
      if (!this.dead && !this.socket.write(frame)) await drained(this.socket);
    });
    this.out = run.catch((error: unknown) => this.fail(error));
    return this.out;
  }

  private receive(chunk: Buffer): void {
    this.input.push(chunk);
    this.inputLength += chunk.length;
    if (!this.reading) void this.readFrames();
  }

  private nextFrame(): ReturnType<typeof decodeFrame> {
    if (this.inputLength < FRAME_HEADER_LENGTH) return null;
    let first = this.input[0] as Buffer;
    if (first.length < FRAME_HEADER_LENGTH) first = this.flattenInput();
    const length = FRAME_HEADER_LENGTH + (first.readUInt32BE(4) & 0xffffff);
    if (this.inputLength < length) return null;
    const buf = first.length >= length ? first : this.flattenInput();
    const decoded = decodeFrame(buf);
    const rest = buf.subarray(length);
    this.input.splice(0, 1, ...(rest.length ? [rest] : []));
    this.inputLength -= length;
    return decoded;
  }

  private flattenInput(): Buffer {
    const all = Buffer.concat(this.input);
    this.input = [all];
    return all;
  }

  private async readFrames(): Promise<void> {
    this.reading = true;
    try {
      for (let next = this.nextFrame(); next && !this.failed; next = this.nextFrame()) {
        if (next.frame !== 'skip') await this.handle(next.frame);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.reading = false;
      if (this.socketClosed) this.teardown();
    }
  }

  private async handle(frame: Frame): Promise<void> {
    switch (frame.type) {
      case 'data':
        return this.onData(frame.streamId, frame.data, (frame.flags & FLAG_FIN) !== 0);
      case 'syn_stream':
        return this.onSynStream(frame, decodeHeaderBlock(await this.inflater.process(frame.headerBlock)));
      case 'syn_reply':
      case 'headers': {
        const headers = decodeHeaderBlock(await this.inflater.process(frame.headerBlock));
        const stream = this.streams.get(frame.streamId);
        if (!stream) return;
        stream.emit(frame.type === 'syn_reply' ? 'reply' : 'headers', headers);
        if (frame.flags & FLAG_FIN) this.remoteFinished(stream);
        return;
      }
      case 'rst_stream': {
        const stream = this.streams.get(frame.streamId);
        if (!stream) return;
        this.terminate(stream);
        stream.emit('reset', frame.status);
        return;
      }
      case 'settings':
        for (const entry of frame.entries) {
          if (entry.id !== SETTINGS_INITIAL_WINDOW_SIZE) continue;
          if (entry.value > MAX_WINDOW) throw new SpdyProtocolError('initial window too large');
          this.peerFlowControl = true;
          const delta = entry.value - this.initialSendWindow;
          this.initialSendWindow = entry.value;
          for (const stream of this.streams.values()) {
            stream.sendWindow += delta;
            stream.wake();
          }
        }
        return;
      case 'ping':
        if (frame.id % 2 === this.nextPingId % 2) this.pings.get(frame.id)?.(true);
        else this.sendControl(frame);
        this.pings.delete(frame.id);
        return;
      case 'goaway':
        this.goneAway = true;
        this.emit('goaway');
        if (this.streams.size === 0) this.endSocket();
        return;
      case 'window_update':
        return this.onWindowUpdate(frame.streamId, frame.delta);
    }
  }

  private onData(streamId: number, data: Buffer, fin: boolean): void {
    this.creditSession(data.length);
    const stream = this.streams.get(streamId);
    // Data racing a reset, or for a stream we never had: spdystream drops it too.
    if (!stream || stream.remoteClosed) return;
    stream.received += data.length;
    if (data.length) stream.push(data);
    if (fin) this.remoteFinished(stream);
  }

  private onSynStream(frame: Extract<Frame, { type: 'syn_stream' }>, headers: SpdyHeaders): void {
    const peerParity = this.role === 'server' ? 1 : 0;
    if (frame.streamId % 2 !== peerParity || frame.streamId <= this.lastPeerStreamId) {
      this.sendControl({ type: 'rst_stream', streamId: frame.streamId, status: RstStatus.ProtocolError });
      return;
    }
    this.lastPeerStreamId = frame.streamId;
    if (this.goneAway || this.listenerCount('stream') === 0) {
      this.sendControl({ type: 'rst_stream', streamId: frame.streamId, status: RstStatus.RefusedStream });
      return;
    }
    const stream = new SpdyStream(this, frame.streamId, headers, this.initialSendWindow, false);
    this.streams.set(frame.streamId, stream);
    if (frame.flags & FLAG_UNIDIRECTIONAL) stream.localClosed = true;
    if (frame.flags & FLAG_FIN) this.remoteFinished(stream);
    this.emit('stream', stream);
  }

  private onWindowUpdate(streamId: number, delta: number): void {
    this.peerFlowControl = true;
    if (streamId === 0) {
      if (delta === 0 || this.sendWindow + delta > MAX_WINDOW) {
        throw new SpdyProtocolError('invalid session window update');
      }
      this.sendWindow += delta;
      for (const stream of this.streams.values()) stream.wake();
      return;
    }
    const stream = this.streams.get(streamId);
    if (!stream) return;
    if (delta === 0 || stream.sendWindow + delta > MAX_WINDOW) {
      this.resetStream(stream, RstStatus.FlowControlError);
      return;
    }
    stream.sendWindow += delta;
    stream.wake();
  }

  private remoteFinished(stream: SpdyStream): void {
    if (stream.remoteClosed) return;
    stream.remoteClosed = true;
    stream.push(null);
    this.forgetIfDone(stream);
  }

  /** Both directions over, whatever the reason; writers waiting for window are released. */
  private terminate(stream: SpdyStream): void {
    stream.localClosed = true;
    if (!stream.remoteClosed) {
      stream.remoteClosed = true;
      stream.push(null);
    }
    stream.wake();
    this.forgetIfDone(stream);
  }

  private forgetIfDone(stream: SpdyStream): void {
    if (!stream.localClosed || !stream.remoteClosed) return;
    this.streams.delete(stream.id);
    if (this.goneAway && this.streams.size === 0) void this.out.then(() => this.endSocket());
  }

  /** Malformed input or a failed compressor: the session cannot go on. */
  private fail(error: unknown): void {
    this.failed = true;
    if (this.dead) return;
    const status =
      error instanceof SpdyProtocolError ? GoAwayStatus.ProtocolError : GoAwayStatus.InternalError;
    this.goneAway = true;
    this.socket.write(encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastPeerStreamId, status }));
    this.endSocket();
  }

  private endSocket(): void {
    if (this.dead) return;
    this.dead = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  private teardown(): void {
    if (this.closed) return;
    this.dead = true;
    this.closed = true;
    for (const stream of this.streams.values()) this.terminate(stream);
    for (const settle of this.pings.values()) settle(false);
    this.pings.clear();
    this.inflater.close();
    this.deflater.close();
    this.emit('close');
  }
}

function drained(socket: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
