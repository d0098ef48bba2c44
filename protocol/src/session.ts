import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import {
  CloseCode,
  DEFAULTS,
  ErrorCode,
  type FloodLimits,
  FrameType,
  MAX_FRAME_PAYLOAD,
  MAX_STREAM_ID,
  MAX_WINDOW,
  MIN_FRAME_PAYLOAD,
  MIN_INITIAL_WINDOW,
  SettingId,
} from './constants.js';
import { codeName, ProtocolError, StreamResetError } from './errors.js';
import { FloodGuard, type FloodKind } from './flood-guard.js';
import { decodeFrame, encodeFrame, type Frame, type Setting, truncateUtf8 } from './frame.js';
import { IncomingStream } from './incoming-stream.js';
import { Liveness } from './liveness.js';
import { ReceiveBudget } from './receive-budget.js';
import { smallestWindow } from './receive-window.js';
import { Stream } from './stream.js';
import { TokenBucket } from './token-bucket.js';

/**
 * The part of a `ws` WebSocket a session uses. Create it (or its WebSocketServer) with
 * `webSocketOptions(maxFramePayload)`: no compression, `maxPayload` equal to the frame limit.
 */
export interface SessionSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  binaryType: string;
  send(data: Buffer, callback: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', listener: () => void): unknown;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface SessionOptions {
  /** 'client' dialed the WebSocket and opens odd stream ids; 'server' accepted it and opens even ones. */
  role: 'client' | 'server';
  /** Receive window each new stream starts with (bytes). */
  initialWindow?: number;
  /** Auto-tuning never grows a stream's receive window past this. */
  maxWindow?: number;
  /** Largest frame payload this side accepts; must match the WebSocket's `maxPayload` minus the header. */
  maxFramePayload?: number;
  /** Concurrent streams the peer may have open towards this side. */
  maxStreams?: number;
  maxMetadata?: number;
  openRatePerSecond?: number;
  openBurst?: number;
  pingIntervalMs?: number;
  idleTimeoutMs?: number;
  writeTimeoutMs?: number;
  /** DATA waits while the socket buffers more than this many bytes. */
  highWaterMark?: number;
  /** Control frames queued towards the peer (not yet taken by the socket) beyond this end the session. */
  maxQueuedControlBytes?: number;
  /** Rates of frames the peer may make this side handle for nothing; the defaults for kinds left out. */
  floodLimits?: Partial<FloodLimits>;
}

type ResolvedOptions = Required<Omit<SessionOptions, 'floodLimits'>> & { floodLimits: FloodLimits };

export interface CloseReason {
  code: ErrorCode;
  message: string;
  /** Who ended it: this side, the peer (GOAWAY or close frame), or the transport failing. */
  by: 'local' | 'peer' | 'transport';
}

export interface GoAwayNotice {
  code: ErrorCode;
  reason: string;
  /** Streams this side opened with a higher id were not processed and may be retried elsewhere. */
  lastStreamId: number;
}

interface SessionEvents {
  stream: [request: IncomingStream];
  goaway: [notice: GoAwayNotice];
  close: [reason: CloseReason];
}

interface PeerSettings {
  initialWindow: number;
  maxFramePayload: number;
  maxStreams: number;
  maxMetadata: number;
}

/** The TCP socket `ws` keeps as `_socket` (not part of its typed API, present since ws 1.x). */
interface CorkableSocket {
  cork(): void;
  uncork(): void;
}

interface PendingOpen {
  resolve: (stream: Stream) => void;
  reject: (error: unknown) => void;
}

const OPEN = 1;
const CONNECTING = 0;
const MAX_CLOSE_REASON_BYTES = 123;
/** A stream with at most this much queued is "small" and may pass bulk streams at the high-water mark. */
const SMALL_FRAME_BYTES = 4 * 1024;
/** How far past the high-water mark small frames may fill the socket buffer. */
const SMALL_LANE_BYTES = 64 * 1024;
/** A conforming receiver grants at least half its window, and no window is smaller than the minimum. */
const MIN_USEFUL_WINDOW_INCREMENT = MIN_INITIAL_WINDOW / 2;
/** A stream that received DATA within this long shares the session's receive budget. */
const ACTIVE_STREAM_MS = 100;

/**
 * A multiplexed, flow-controlled session over one WebSocket. Either side may open streams.
 * Incoming streams arrive as 'stream' events carrying an IncomingStream to accept or reject.
 *
 * Construct it while the WebSocket is still CONNECTING (right after `new WebSocket(...)`): the
 * peer's SETTINGS can arrive in the same read as the 101 response, and a message delivered before
 * the session listens is lost, which fails the handshake.
 */
export class Session extends EventEmitter<SessionEvents> {
  readonly #socket: SessionSocket;
  readonly #options: ResolvedOptions;
  readonly #liveness: Liveness;
  readonly #openRate: TokenBucket;
  readonly #flood: FloodGuard;
  /** Bytes of control frames handed to the socket that it has not taken yet. */
  #queuedControlBytes = 0;
  readonly #streams = new Map<number, Stream>();
  readonly #opening = new Map<number, PendingOpen>();
  /** Streams with DATA they may send, in round-robin order. */
  readonly #ready = new Set<Stream>();
  #pumping = false;
  #nextStreamId: number;
  #lastPeerStreamId = 0;
  #state: 'open' | 'draining' | 'closed' = 'open';
  #goAwaySent = false;
  #goAwayReceived = false;
  #drainReason: CloseReason | undefined;
  #peer: PeerSettings;
  #peerSettingsReceived = false;
  readonly #peerReady: Promise<void>;
  #settlePeerReady!: (error?: Error) => void;
  readonly #closed: Promise<CloseReason>;
  #resolveClosed!: (reason: CloseReason) => void;
  #closeReason: CloseReason | undefined;
  #timer: NodeJS.Timeout | undefined;
  #turnEndScheduled = false;
  #corkedSocket: CorkableSocket | undefined;
  /**
   * Bytes in flight towards this side, across streams: the path's bandwidth-delay product, not the
   * sum of the windows, since every byte beyond it waits in a queue in front of every stream (an
   * exec keystroke behind 4 downloads).
   */
  readonly #budget: ReceiveBudget;
  /** Streams that received DATA lately, and when: they share the budget. */
  readonly #receiving = new Map<Stream, number>();
  #activeStreams = 1;
  #activeCountedAt = Number.NEGATIVE_INFINITY;

  constructor(socket: SessionSocket, options: SessionOptions) {
    super();
    this.#options = resolveOptions(options);
    if (socket.readyState !== OPEN && socket.readyState !== CONNECTING) {
      throw new Error('the WebSocket is already closing or closed');
    }
    this.#socket = socket;
    this.#nextStreamId = options.role === 'client' ? 1 : 2;
    this.#peer = { ...DEFAULTS };
    this.#liveness = new Liveness(this.#options, performance.now());
    this.#openRate = new TokenBucket(
      this.#options.openRatePerSecond,
      this.#options.openBurst,
      performance.now(),
    );
    this.#flood = new FloodGuard(this.#options.floodLimits, performance.now());
    this.#budget = new ReceiveBudget(2 * this.#options.initialWindow, this.#options.maxFramePayload);
    this.#peerReady = new Promise((resolve, reject) => {
      this.#settlePeerReady = (error) => (error ? reject(error) : resolve());
    });
    this.#peerReady.catch(() => {});
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });

    socket.binaryType = 'nodebuffer';
    socket.on('message', this.#onMessage);
    socket.on('close', this.#onSocketClose);
    socket.on('error', this.#onSocketError);
    if (socket.readyState === OPEN) this.#start();
    else socket.on('open', () => this.#start());
  }

  /** Opens a stream; resolves on OPEN_ACK, rejects with StreamResetError on RST (its reason intact). */
  async open(metadata: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<Stream> {
    await this.#peerReady;
    options.signal?.throwIfAborted();
    if (this.#state !== 'open') {
      const why = this.#closeReason
        ? `session closed: ${this.#closeReason.message}`
        : 'session is going away';
      throw new StreamResetError(ErrorCode.Refused, why, false);
    }
    const metadataLimit = Math.min(this.#peer.maxMetadata, this.#peer.maxFramePayload);
    if (metadata.length > metadataLimit) {
      throw new RangeError(
        `OPEN metadata of ${metadata.length} bytes exceeds the peer's limit of ${metadataLimit}`,
      );
    }
    if (this.#countStreams('local') >= this.#peer.maxStreams) {
      throw new StreamResetError(ErrorCode.Refused, 'the peer allows no more concurrent streams', false);
    }
    if (this.#nextStreamId > MAX_STREAM_ID) {
      throw new StreamResetError(ErrorCode.Refused, 'stream ids exhausted; open a new session', false);
    }
    const stream = this.#createStream(this.#nextStreamId, Buffer.from(metadata));
    this.#nextStreamId += 2;
    // Not counted as control bytes: that cap bounds what the peer makes this side queue, and an
    // OPEN is this side's own (bounded by the peer's stream limit), up to 16 KiB of metadata each.
    this.#write(encodeFrame({ type: FrameType.Open, streamId: stream.id, metadata: stream.metadata }), false);
    return new Promise<Stream>((resolve, reject) => {
      const { signal } = options;
      const onAbort = () => {
        this.#opening.delete(stream.id);
        reject(signal!.reason);
        stream.reset(ErrorCode.Cancel, 'open aborted');
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#opening.set(stream.id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
    });
  }

  /** Measures one round trip. */
  async ping(): Promise<number> {
    await this.#peerReady;
    if (this.#state === 'closed') throw this.#closedError();
    const rtt = new Promise<number>((resolve) => {
      this.#sendControl({ type: FrameType.Ping, opaque: this.#liveness.ping(performance.now(), resolve) });
    });
    return Promise.race([
      rtt,
      this.#closed.then(() => {
        throw this.#closedError();
      }),
    ]);
  }

  /**
   * Graceful drain: tells the peer, refuses new streams both ways, lets existing streams finish,
   * then closes. Resolves when the session is closed.
   */
  goAway(reason = 'going away'): Promise<CloseReason> {
    if (this.#state === 'closed') return this.#closed;
    this.#state = 'draining';
    this.#drainReason ??= { code: ErrorCode.NoError, message: reason, by: 'local' };
    if (!this.#goAwaySent) {
      this.#goAwaySent = true;
      this.#sendControl({
        type: FrameType.GoAway,
        code: ErrorCode.NoError,
        lastStreamId: this.#lastPeerStreamId,
        reason,
      });
    }
    this.#closeIfDrained();
    return this.#closed;
  }

  /** Closes now. Open streams are reset on the peer and destroyed here without an 'error' event. */
  close(reason = 'closed'): void {
    this.#shutdown({ code: ErrorCode.NoError, message: reason, by: 'local' }, 'goaway');
  }

  /** Resolves once, when the session has closed, with why. */
  get closed(): Promise<CloseReason> {
    return this.#closed;
  }

  get state(): 'open' | 'draining' | 'closed' {
    return this.#state;
  }

  get closeReason(): CloseReason | undefined {
    return this.#closeReason;
  }

  /** Smoothed round-trip time from PING/PONG, once measured. */
  get rttMs(): number | undefined {
    return this.#liveness.rttMs;
  }

  /**
   * Bytes this side lets the peer have in flight towards it, across its active streams: the
   * measured bandwidth-delay product with headroom, at least twice the initial window.
   */
  get receiveBudget(): number {
    return this.#budget.bytes;
  }

  get streamCount(): number {
    return this.#streams.size;
  }

  #start(): void {
    const { initialWindow, maxFramePayload, maxStreams, maxMetadata } = this.#options;
    const settings: Setting[] = [
      { id: SettingId.InitialWindow, value: initialWindow },
      { id: SettingId.MaxFramePayload, value: maxFramePayload },
      { id: SettingId.MaxStreams, value: maxStreams },
      { id: SettingId.MaxMetadata, value: maxMetadata },
    ];
    this.#sendControl({ type: FrameType.Settings, settings });
    // An early RTT sample lets stream windows auto-tune from the first transfer on.
    this.#sendControl({ type: FrameType.Ping, opaque: this.#liveness.ping(performance.now()) });
    this.#timer = setInterval(this.#checkLiveness, this.#liveness.checkEveryMs);
    this.#timer.unref();
  }

  readonly #onMessage = (data: unknown, isBinary: boolean): void => {
    if (this.#state === 'closed') return;
    try {
      this.#liveness.inbound(performance.now());
      if (!isBinary || !Buffer.isBuffer(data)) {
        throw new ProtocolError(ErrorCode.ProtocolError, 'only binary messages carry frames');
      }
      this.#handleFrame(decodeFrame(data, this.#options));
      const flood = this.#controlQueueFlood();
      if (flood) throw new ProtocolError(ErrorCode.EnhanceYourCalm, flood);
    } catch (error) {
      if (error instanceof ProtocolError) this.#fail(error.code, error.message);
      else this.#fail(ErrorCode.InternalError, `internal error: ${(error as Error)?.message ?? error}`);
    }
  };

  #handleFrame(frame: Frame): void {
    if (!this.#peerSettingsReceived && frame.type !== FrameType.Settings) {
      throw new ProtocolError(ErrorCode.ProtocolError, 'the first frame must be SETTINGS');
    }
    switch (frame.type) {
      case FrameType.Settings:
        this.#onSettings(frame.settings);
        break;
      case FrameType.Ping:
        this.#count('ping');
        this.#sendControl({ type: FrameType.Pong, opaque: frame.opaque });
        break;
      case FrameType.Pong: {
        const now = performance.now();
        const rtt = this.#liveness.pong(frame.opaque, now);
        if (rtt === undefined) this.#count('unproductive');
        else this.#budget.roundTrip(rtt, now);
        break;
      }
      case FrameType.GoAway:
        this.#onGoAway(frame);
        break;
      case FrameType.Open:
        this.#onOpen(frame.streamId, frame.metadata);
        break;
      case FrameType.OpenAck:
        this.#onOpenAck(frame.streamId, frame.fin);
        break;
      case FrameType.Data: {
        const stream = this.#knownStream(frame.streamId);
        if (stream) stream.handleData(frame.data, frame.fin);
        else if (frame.data.length === 0) this.#count('unproductive');
        break;
      }
      case FrameType.Window: {
        const stream = this.#knownStream(frame.streamId);
        if (!stream || frame.increment < MIN_USEFUL_WINDOW_INCREMENT) this.#count('unproductive');
        stream?.handleWindow(frame.increment);
        break;
      }
      case FrameType.Rst: {
        const stream = this.#knownStream(frame.streamId);
        if (stream) stream.handleReset(frame.code, frame.reason);
        else this.#count('unproductive');
        break;
      }
    }
  }

  /** Counts a frame the peer made this side handle for nothing; throws once that is a flood. */
  #count(kind: FloodKind): void {
    const flood = this.#flood.count(kind, performance.now());
    if (flood) throw new ProtocolError(ErrorCode.EnhanceYourCalm, flood);
  }

  /**
   * Control frames are not held back by the high-water mark, so a peer that sends without reading
   * could make them pile up here; past the cap it is cut off.
   */
  #controlQueueFlood(): string | undefined {
    const { maxQueuedControlBytes } = this.#options;
    if (this.#queuedControlBytes <= maxQueuedControlBytes) return undefined;
    return `flood: more than ${maxQueuedControlBytes} bytes of control frames queued (the peer sends but does not read)`;
  }

  #onSettings(settings: Setting[]): void {
    if (this.#peerSettingsReceived) throw new ProtocolError(ErrorCode.ProtocolError, 'SETTINGS sent twice');
    this.#peerSettingsReceived = true;
    for (const { id, value } of settings) {
      if (id === SettingId.InitialWindow) this.#peer.initialWindow = value;
      else if (id === SettingId.MaxFramePayload) this.#peer.maxFramePayload = value;
      else if (id === SettingId.MaxStreams) this.#peer.maxStreams = value;
      else if (id === SettingId.MaxMetadata) this.#peer.maxMetadata = value;
    }
    this.#settlePeerReady();
  }

  #onOpen(id: number, metadata: Buffer): void {
    if (this.#isLocal(id) || id <= this.#lastPeerStreamId) {
      throw new ProtocolError(ErrorCode.ProtocolError, `OPEN with out-of-sequence stream id ${id}`);
    }
    this.#lastPeerStreamId = id;
    const refusal =
      this.#state !== 'open'
        ? 'session is going away'
        : this.#countStreams('peer') >= this.#options.maxStreams
          ? 'too many concurrent streams'
          : !this.#openRate.take(performance.now())
            ? 'OPEN rate limit exceeded'
            : undefined;
    if (refusal) {
      this.#count('refusedOpen');
      this.#sendControl({ type: FrameType.Rst, streamId: id, code: ErrorCode.Refused, reason: refusal });
      return;
    }
    // Copied so a small metadata slice does not pin the whole socket read buffer.
    const request = new IncomingStream(this.#createStream(id, Buffer.from(metadata)), this.#acknowledge);
    if (this.listenerCount('stream') === 0) request.reject('no stream handler', ErrorCode.Refused);
    else this.emit('stream', request);
  }

  readonly #acknowledge = (stream: Stream): void => {
    this.#sendControl({ type: FrameType.OpenAck, streamId: stream.id, fin: false });
    stream.establish(false);
  };

  #onOpenAck(id: number, fin: boolean): void {
    const stream = this.#knownStream(id);
    if (!stream) return;
    const pending = this.#opening.get(id);
    if (!pending) throw new ProtocolError(ErrorCode.ProtocolError, `unexpected OPEN_ACK for stream ${id}`);
    this.#opening.delete(id);
    stream.establish(fin);
    pending.resolve(stream);
  }

  #onGoAway(notice: GoAwayNotice): void {
    if (notice.code !== ErrorCode.NoError) {
      this.#shutdown(
        { code: notice.code, message: notice.reason || codeName(notice.code), by: 'peer' },
        'close',
      );
      return;
    }
    // A peer that closes after draining repeats its GOAWAY; nothing in the repeat is news.
    if (this.#goAwayReceived) {
      this.#count('unproductive');
      return;
    }
    this.#goAwayReceived = true;
    if (this.#state === 'open') this.#state = 'draining';
    this.#drainReason ??= { code: ErrorCode.NoError, message: notice.reason, by: 'peer' };
    const unprocessed = new StreamResetError(ErrorCode.Refused, `peer is going away: ${notice.reason}`, true);
    for (const [id, stream] of this.#streams) {
      if (this.#isLocal(id) && !stream.established && id > notice.lastStreamId) stream.abort(unprocessed);
    }
    this.emit('goaway', notice);
    this.#closeIfDrained();
  }

  /**
   * The stream a frame refers to, or undefined for one that already closed (frames in flight when
   * it closed are dropped). An id that was never opened is a protocol error.
   */
  #knownStream(id: number): Stream | undefined {
    const stream = this.#streams.get(id);
    if (stream) return stream;
    const issued = this.#isLocal(id) ? id < this.#nextStreamId : id <= this.#lastPeerStreamId;
    if (!issued)
      throw new ProtocolError(ErrorCode.ProtocolError, `frame for stream ${id}, which was never opened`);
    return undefined;
  }

  #createStream(id: number, metadata: Buffer): Stream {
    const stream = new Stream(id, metadata, this.#streamLink, {
      initialWindow: this.#options.initialWindow,
      sendCredit: this.#peer.initialWindow,
    });
    this.#streams.set(id, stream);
    return stream;
  }

  readonly #streamLink = {
    sendControl: (frame: Frame) => this.#sendControl(frame),
    scheduleData: (stream: Stream) => {
      this.#ready.add(stream);
      this.#atTurnEnd();
    },
    release: (stream: Stream) => this.#release(stream),
    received: (stream: Stream, bytes: number) => {
      const now = performance.now();
      // A stream that starts receiving takes its share at once, not after the next count.
      if (!this.#receiving.has(stream)) this.#activeCountedAt = Number.NEGATIVE_INFINITY;
      this.#receiving.set(stream, now);
      this.#budget.received(bytes, now);
      if (this.#liveness.probeDue(now)) {
        this.#sendControl({ type: FrameType.Ping, opaque: this.#liveness.ping(now) });
      }
    },
    windowFor: () => {
      const { initialWindow, maxWindow } = this.#options;
      const share = Math.floor(this.#budget.bytes / this.#countActiveStreams());
      const size = Math.min(maxWindow, Math.max(smallestWindow(initialWindow), share));
      return { size, fine: this.#budget.needsFineGrants };
    },
  };

  /** Streams that received DATA within `ACTIVE_STREAM_MS`, counted at most once per few ms. */
  #countActiveStreams(): number {
    const now = performance.now();
    if (now - this.#activeCountedAt < 5) return this.#activeStreams;
    for (const [stream, at] of this.#receiving) {
      if (now - at > ACTIVE_STREAM_MS) this.#receiving.delete(stream);
    }
    this.#activeCountedAt = now;
    this.#activeStreams = Math.max(1, this.#receiving.size);
    return this.#activeStreams;
  }

  #release(stream: Stream): void {
    this.#receiving.delete(stream);
    this.#streams.delete(stream.id);
    this.#ready.delete(stream);
    const pending = this.#opening.get(stream.id);
    if (pending) {
      this.#opening.delete(stream.id);
      pending.reject(
        stream.resetError ?? new StreamResetError(ErrorCode.Cancel, 'stream closed while opening', false),
      );
    }
    this.#closeIfDrained();
  }

  #closeIfDrained(): void {
    if (this.#state === 'draining' && this.#streams.size === 0) this.#shutdown(this.#drainReason!, 'close');
  }

  /**
   * Control frames bypass the DATA queue and the high-water mark: they are small and unblock the
   * peer. What the peer can make this side queue is bounded by `maxQueuedControlBytes` and the
   * flood limits instead.
   */
  #sendControl(frame: Frame): void {
    this.#write(encodeFrame(frame), true);
  }

  /**
   * The one writer: round-robin over streams that have both data and credit, one frame per turn,
   * while the socket buffers less than the high-water mark. Above it, streams with only a little to
   * send (an exec keystroke, a watch event, a small response) still go, up to `SMALL_LANE_BYTES`
   * more: they must not wait behind other streams' bulk DATA.
   */
  #pump(): void {
    if (this.#pumping || this.#state === 'closed') return;
    this.#pumping = true;
    try {
      const { highWaterMark } = this.#options;
      while (this.#ready.size > 0) {
        const buffered = this.#socket.bufferedAmount;
        const stream =
          buffered < highWaterMark
            ? this.#ready.values().next().value!
            : buffered < highWaterMark + SMALL_LANE_BYTES
              ? this.#smallSender()
              : undefined;
        if (!stream) break;
        this.#ready.delete(stream);
        if (!stream.hasSendable) continue;
        stream.writeNext(this.#peer.maxFramePayload, this.#writeFrame);
        if (stream.hasSendable) this.#ready.add(stream);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #smallSender(): Stream | undefined {
    for (const stream of this.#ready) if (stream.pendingBytes <= SMALL_FRAME_BYTES) return stream;
    return undefined;
  }

  readonly #writeFrame = (bytes: Buffer): void => this.#write(bytes, false);

  #write(bytes: Buffer, control: boolean): void {
    if (this.#socket.readyState !== OPEN) return;
    this.#corkUntilTurnEnds();
    const { length } = bytes;
    this.#liveness.queued(length);
    if (control) this.#queuedControlBytes += length;
    this.#socket.send(bytes, (error) => this.#onWritten(length, control, error));
  }

  /**
   * DATA is framed, and frames leave, at the end of the event-loop turn (`setImmediate`, after this
   * turn's I/O callbacks). The writes of one turn become few frames (see `COALESCE_BYTES` in
   * stream.ts), and the TCP socket under the WebSocket stays corked until then, so frames written
   * in one turn leave in one system call: a watch event reaches the agent on 1,000 upstream
   * sockets, each in a read callback of its own, and goes out in one `writev`, not 1,000. Nothing
   * waits past the current turn.
   */
  #atTurnEnd(): void {
    if (this.#turnEndScheduled) return;
    this.#turnEndScheduled = true;
    setImmediate(this.#endTurn);
  }

  readonly #endTurn = (): void => {
    this.#pump();
    this.#turnEndScheduled = false;
    if (this.#corkedSocket) {
      this.#corkedSocket.uncork();
      this.#corkedSocket = undefined;
    }
  };

  #corkUntilTurnEnds(): void {
    if (this.#corkedSocket) return;
    const tcp = (this.#socket as { _socket?: CorkableSocket })._socket;
    if (!tcp || typeof tcp.cork !== 'function') return;
    tcp.cork();
    this.#corkedSocket = tcp;
    this.#atTurnEnd();
  }

  /** `ws` has no drain event for bufferedAmount; each send's callback fires as the socket takes it. */
  #onWritten(length: number, control: boolean, error: Error | undefined): void {
    if (control) this.#queuedControlBytes -= length;
    if (error) return;
    this.#liveness.flushed(length);
    if (this.#ready.size > 0) this.#pump();
  }

  readonly #checkLiveness = (): void => {
    const now = performance.now();
    const flood = this.#controlQueueFlood();
    if (flood) {
      this.#fail(ErrorCode.EnhanceYourCalm, flood);
      return;
    }
    const death = this.#liveness.deathReason(now);
    if (death) {
      this.#shutdown(
        { code: ErrorCode.Timeout, message: `peer unresponsive: ${death}`, by: 'local' },
        'terminate',
      );
    } else if (this.#liveness.pingDue(now)) {
      this.#sendControl({ type: FrameType.Ping, opaque: this.#liveness.ping(now) });
    }
  };

  readonly #onSocketClose = (code: number, reason: Buffer): void => {
    const text = reason.toString('utf8');
    const clean = code === CloseCode.Normal || code === 1001;
    this.#shutdown(
      {
        code: clean ? ErrorCode.NoError : ErrorCode.InternalError,
        message: `WebSocket closed with code ${code}${text ? `: ${text}` : ''}`,
        by: code === 1006 ? 'transport' : 'peer',
      },
      'none',
    );
  };

  readonly #onSocketError = (error: Error & { code?: string }): void => {
    const code =
      error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
        ? ErrorCode.FrameSizeError
        : error.code?.startsWith('WS_ERR_')
          ? ErrorCode.ProtocolError
          : ErrorCode.InternalError;
    // ws closes the socket itself after an error; the session only records why.
    this.#shutdown({ code, message: `WebSocket error: ${error.message}`, by: 'transport' }, 'none');
  };

  #fail(code: ErrorCode, message: string): void {
    this.#shutdown({ code, message, by: 'local' }, 'goaway');
  }

  #shutdown(reason: CloseReason, how: 'goaway' | 'close' | 'terminate' | 'none'): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#closeReason = reason;
    clearInterval(this.#timer);
    this.#closeSocket(reason, how);
    const error = this.#closedError();
    const deliberate = reason.by === 'local' && reason.code === ErrorCode.NoError;
    for (const stream of this.#streams.values()) stream.abort(error, deliberate);
    this.#ready.clear();
    this.#settlePeerReady(error);
    this.#resolveClosed(reason);
    this.emit('close', reason);
  }

  #closeSocket(reason: CloseReason, how: 'goaway' | 'close' | 'terminate' | 'none'): void {
    if (how === 'none') return;
    if (how === 'terminate' || this.#socket.readyState !== OPEN) {
      this.#socket.terminate();
      return;
    }
    if (how === 'goaway') {
      const { code, message } = reason;
      this.#write(
        encodeFrame({ type: FrameType.GoAway, code, lastStreamId: this.#lastPeerStreamId, reason: message }),
        true,
      );
    }
    this.#socket.close(
      closeCodeFor(reason.code),
      truncateUtf8(reason.message, MAX_CLOSE_REASON_BYTES).toString(),
    );
  }

  #closedError(): StreamResetError {
    const reason = this.#closeReason!;
    return new StreamResetError(reason.code, `session closed: ${reason.message}`, reason.by !== 'local');
  }

  #isLocal(id: number): boolean {
    return id % 2 === (this.#options.role === 'client' ? 1 : 0);
  }

  #countStreams(initiator: 'local' | 'peer'): number {
    let count = 0;
    for (const id of this.#streams.keys()) if (this.#isLocal(id) === (initiator === 'local')) count++;
    return count;
  }
}

function closeCodeFor(code: ErrorCode): number {
  if (code === ErrorCode.NoError) return CloseCode.Normal;
  if (code === ErrorCode.FlowControlError || code === ErrorCode.EnhanceYourCalm) {
    return CloseCode.PolicyViolation;
  }
  if (code === ErrorCode.InternalError) return CloseCode.InternalError;
  return CloseCode.ProtocolError;
}

function resolveOptions(options: SessionOptions): ResolvedOptions {
  const maxFramePayload = options.maxFramePayload ?? DEFAULTS.maxFramePayload;
  const maxMetadata = Math.min(DEFAULTS.maxMetadata, maxFramePayload);
  const resolved = {
    ...DEFAULTS,
    maxMetadata,
    ...options,
    floodLimits: { ...DEFAULTS.floodLimits, ...options.floodLimits },
  };
  const inRange = (name: keyof SessionOptions, min: number, max: number) => {
    const value = resolved[name] as number;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
    }
  };
  inRange('maxFramePayload', MIN_FRAME_PAYLOAD, MAX_FRAME_PAYLOAD);
  inRange('initialWindow', MIN_INITIAL_WINDOW, MAX_WINDOW);
  inRange('maxWindow', resolved.initialWindow, MAX_WINDOW);
  inRange('maxMetadata', 0, resolved.maxFramePayload);
  inRange('maxStreams', 0, 0xffff_ffff);
  inRange('maxQueuedControlBytes', 1024, Number.MAX_SAFE_INTEGER);
  for (const [kind, { perSecond, burst }] of Object.entries(resolved.floodLimits)) {
    if (!(perSecond > 0) || !Number.isInteger(burst) || burst < 1) {
      throw new RangeError(
        `floodLimits.${kind} needs perSecond > 0 and a whole burst ≥ 1, got ${perSecond}/${burst}`,
      );
    }
  }
  return resolved;
}
