import { Duplex } from 'node:stream';
import { ErrorCode, FrameType, MAX_WINDOW } from './constants.js';
import { ProtocolError, StreamResetError } from './errors.js';
import { encodeDataFrame, encodeFrame, type Frame } from './frame.js';
import { ReceiveWindow } from './receive-window.js';

/** What a stream needs from its session. */
export interface StreamLink {
  sendControl(frame: Frame): void;
  /** The stream has DATA (or a FIN) it may send now. */
  scheduleData(stream: Stream): void;
  /** Both directions are finished or the stream was reset: forget it. */
  release(stream: Stream): void;
  /** DATA payload arrived on this stream (the session measures its delivery rate). */
  received(stream: Stream, bytes: number): void;
  /**
   * The receive window this stream's next grant fills up to (its share of the session's budget),
   * and whether the path needs fine-grained grants (see `ReceiveWindow`).
   */
  windowFor(): { size: number; fine: boolean };
}

export interface StreamWindows {
  initialWindow: number;
  /** The peer's initial window: what this side may send before the first WINDOW frame. */
  sendCredit: number;
}

const EMPTY = Buffer.alloc(0);
const WRITABLE_HIGH_WATER_MARK = 64 * 1024;
/**
 * Written bytes a stream takes in (completing the write) before they are framed. The session frames
 * at the end of the event-loop turn, so the small writes of one turn leave as one frame: a TLS
 * upstream is read 16 KiB record by record, and four of them per 64 KiB frame quarter the frames,
 * WebSocket messages and system calls at every hop after the agent.
 */
const COALESCE_BYTES = 64 * 1024;
const READABLE_HIGH_WATER_MARK = 64 * 1024;

/**
 * One tunnelled byte stream, usable anywhere a socket is: `pipeline(socket, stream, socket)`.
 * `end()` half-closes (FIN), `reset()` aborts both directions (RST). Peer resets arrive as a
 * StreamResetError 'error' event, so attach an error listener or use `pipeline`.
 */
export class Stream extends Duplex {
  #established = false;
  #localClosed = false;
  #remoteClosed = false;
  #endPushed = false;
  #released = false;
  #resetCode: ErrorCode | undefined;
  #resetReason = '';
  #resetError: StreamResetError | undefined;

  readonly #receiveWindow: ReceiveWindow;
  readonly #inbox: Buffer[] = [];
  #inboxBytes = 0;
  #consumerWaiting = false;
  #grantScheduled = false;
  /**
   * The stream this one's bytes are piped into on the same side (a relay's splice): what waits in
   * its writable buffer still counts against this stream's window, and credit returns only as it
   * frames those bytes onto its own session.
   */
  #forwardsTo: Stream | undefined;
  #forwardedFrom: Stream | undefined;

  #sendCredit: number;
  /** Written, not yet framed: the first chunk from `#outgoingOffset` on, then the rest whole. */
  readonly #outgoing: Buffer[] = [];
  #outgoingOffset = 0;
  #outgoingBytes = 0;
  /** The write that took `#outgoing` to `COALESCE_BYTES`: it completes once enough of it is framed. */
  #writeDone: ((error?: Error) => void) | undefined;
  #writeDoneLength = 0;
  #finDone: ((error?: Error) => void) | undefined;

  constructor(
    readonly id: number,
    /** The OPEN metadata, as the opener sent it. */
    readonly metadata: Buffer,
    private readonly link: StreamLink,
    windows: StreamWindows,
  ) {
    // The readable buffer must stay well under half the window, or a consumer could drain it
    // without `_read` ever noticing that credit is due (see `#grantCredit`).
    super({
      allowHalfOpen: true,
      readableHighWaterMark: Math.min(READABLE_HIGH_WATER_MARK, Math.floor(windows.initialWindow / 4)),
      writableHighWaterMark: WRITABLE_HIGH_WATER_MARK,
    });
    this.#receiveWindow = new ReceiveWindow(windows.initialWindow);
    this.#sendCredit = windows.sendCredit;
  }

  /** Aborts both directions and tells the peer why. */
  reset(code: ErrorCode = ErrorCode.Cancel, reason = ''): void {
    this.#resetCode = code;
    this.#resetReason = reason;
    this.destroy();
  }

  /** Bytes this side may still send before the peer grants more. */
  get sendCredit(): number {
    return this.#sendCredit;
  }

  /** The receive window last granted to the peer (its size follows the session's budget). */
  get receiveWindow(): number {
    return this.#receiveWindow.size;
  }

  /** Bytes received and not yet read by the consumer; never more than `receiveWindow`. */
  get bufferedInbound(): number {
    return this.#inboxBytes + this.readableLength;
  }

  /** Why the stream ended abnormally, if it did. @internal */
  get resetError(): StreamResetError | undefined {
    return this.#resetError;
  }

  /**
   * Counts the bytes this stream's consumer `partner` has taken but not yet sent as part of this
   * stream's window (see `spliceStreams`). @internal
   */
  forwardInto(partner: Stream): void {
    this.#forwardsTo = partner;
    partner.#forwardedFrom = this;
  }

  /** @internal */
  get established(): boolean {
    return this.#established;
  }

  /** OPEN_ACK sent or received: DATA may flow. @internal */
  establish(remoteFin: boolean): void {
    this.#established = true;
    if (remoteFin) this.handleData(EMPTY, true);
  }

  /** @internal */
  handleData(data: Buffer, fin: boolean): void {
    if (!this.#established)
      throw new ProtocolError(ErrorCode.ProtocolError, `DATA on stream ${this.id} before OPEN_ACK`);
    if (this.#remoteClosed)
      throw new ProtocolError(ErrorCode.ProtocolError, `DATA on stream ${this.id} after FIN`);
    if (!this.#receiveWindow.receive(data.length)) {
      throw new ProtocolError(ErrorCode.FlowControlError, `peer sent beyond its credit on stream ${this.id}`);
    }
    if (data.length > 0) {
      this.link.received(this, data.length);
      this.#inbox.push(data);
      this.#inboxBytes += data.length;
    }
    if (fin) {
      this.#remoteClosed = true;
      this.#releaseIfDone();
    }
    this.#deliver();
  }

  /** @internal */
  handleWindow(increment: number): void {
    this.#sendCredit += increment;
    if (this.#sendCredit > MAX_WINDOW) {
      throw new ProtocolError(ErrorCode.FlowControlError, `send window of stream ${this.id} overflowed`);
    }
    if (this.#outgoingBytes > 0) this.link.scheduleData(this);
  }

  /** The peer reset the stream. @internal */
  handleReset(code: ErrorCode, reason: string): void {
    this.abort(new StreamResetError(code, reason, true));
  }

  /**
   * Ends the stream without telling the peer (it reset the stream, or the session is gone). With
   * `quietly`, as after a deliberate local `close()`, it is destroyed without an 'error' event.
   * @internal
   */
  abort(error: StreamResetError, quietly = false): void {
    this.#resetError = error;
    if (!this.#released) {
      this.#released = true;
      this.link.release(this);
    }
    // A stream nobody holds yet (still opening) has no 'error' listener; the opener learns via open().
    this.destroy(this.#established && !quietly ? error : undefined);
  }

  /** Bytes of DATA waiting to be framed (0 for a lone FIN): what the next frames will carry. @internal */
  get pendingBytes(): number {
    return this.#outgoingBytes;
  }

  /** Bytes written to this stream and not yet framed onto its session (its share of a relay's memory). */
  get unsentBytes(): number {
    return this.#outgoingBytes + this.writableLength - (this.#writeDone ? this.#writeDoneLength : 0);
  }

  /** @internal */
  get hasSendable(): boolean {
    if (this.#outgoingBytes > 0) return this.#sendCredit > 0;
    return this.#finDone !== undefined;
  }

  /**
   * Hands the next DATA frame to the session writer; only called while `hasSendable`. The frame is
   * written before callbacks run, so nothing they trigger (an RST, the session closing once drained)
   * can overtake it. @internal
   */
  writeNext(maxPayload: number, write: (frame: Buffer) => void): void {
    if (this.#outgoingBytes === 0) {
      const done = this.#finDone!;
      this.#finDone = undefined;
      this.#localClosed = true;
      write(encodeFrame({ type: FrameType.Data, streamId: this.id, fin: true, data: EMPTY }));
      // Released before `done` because finishing may auto-destroy, which must not send an RST.
      this.#releaseIfDone();
      done();
      return;
    }
    const size = Math.min(this.#outgoingBytes, this.#sendCredit, maxPayload);
    write(encodeDataFrame(this.id, this.#takeOutgoing(size)));
    this.#sendCredit -= size;
    // The bytes now live in the socket's buffer, which the session bounds by its high-water mark.
    if (this.#writeDone && this.#outgoingBytes < COALESCE_BYTES) {
      const done = this.#writeDone;
      this.#writeDone = undefined;
      done();
    }
    // They have left this side: the stream they came from may hand the credit back.
    if (this.#forwardedFrom) this.#forwardedFrom.#scheduleGrant();
  }

  /** The next `size` outgoing bytes, as the chunks (or parts of chunks) that hold them. */
  #takeOutgoing(size: number): Buffer[] {
    const parts: Buffer[] = [];
    let remaining = size;
    while (remaining > 0) {
      const chunk = this.#outgoing[0]!;
      const end = Math.min(chunk.length, this.#outgoingOffset + remaining);
      parts.push(chunk.subarray(this.#outgoingOffset, end));
      remaining -= end - this.#outgoingOffset;
      if (end === chunk.length) {
        this.#outgoing.shift();
        this.#outgoingOffset = 0;
      } else {
        this.#outgoingOffset = end;
      }
    }
    this.#outgoingBytes -= size;
    return parts;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    if (chunk.length === 0) {
      done();
      return;
    }
    this.#outgoing.push(chunk);
    this.#outgoingBytes += chunk.length;
    this.link.scheduleData(this);
    if (this.#outgoingBytes < COALESCE_BYTES) {
      done();
    } else {
      this.#writeDone = done;
      this.#writeDoneLength = chunk.length;
    }
  }

  override _final(done: (error?: Error) => void): void {
    this.#finDone = done;
    this.link.scheduleData(this);
  }

  override _read(): void {
    this.#consumerWaiting = true;
    this.#deliver();
    this.#scheduleGrant();
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    if (!this.#released) {
      const code = this.#resetCode ?? (error instanceof StreamResetError ? error.code : ErrorCode.Cancel);
      const reason = this.#resetCode !== undefined ? this.#resetReason : (error?.message ?? '');
      this.#released = true;
      this.link.sendControl({ type: FrameType.Rst, streamId: this.id, code, reason });
      this.link.release(this);
    }
    this.#outgoing.length = 0;
    this.#outgoingOffset = 0;
    this.#outgoingBytes = 0;
    this.#writeDone = undefined;
    this.#finDone = undefined;
    done(error);
  }

  #deliver(): void {
    while (this.#consumerWaiting && this.#inbox.length > 0) {
      const chunk = this.#inbox.shift()!;
      this.#inboxBytes -= chunk.length;
      this.#consumerWaiting = this.push(chunk);
    }
    if (this.#remoteClosed && this.#inbox.length === 0 && !this.#endPushed) {
      this.#endPushed = true;
      this.push(null);
    }
  }

  /** Deferred so that the read (or write) that triggered it has taken its bytes out of the buffer. */
  #scheduleGrant(): void {
    if (this.#grantScheduled) return;
    this.#grantScheduled = true;
    process.nextTick(() => this.#grantCredit());
  }

  /**
   * Credit goes back only for bytes the consumer took (and, when forwarding, that left this side).
   * `_read` runs whenever the consumer drains the readable buffer below its high-water mark after a
   * push; when it finds nothing to push, either the peer still holds credit, and its next DATA frame
   * restarts the cycle, or a grant goes out now: no window is smaller than twice the readable
   * buffer (`smallestWindow`), so no grant can be missed.
   */
  #grantCredit(): void {
    this.#grantScheduled = false;
    if (this.#remoteClosed || this.destroyed) return;
    const held = this.bufferedInbound + (this.#forwardsTo?.unsentBytes ?? 0);
    const { size, fine } = this.link.windowFor();
    const increment = this.#receiveWindow.grant(held, size, fine);
    if (increment > 0) this.link.sendControl({ type: FrameType.Window, streamId: this.id, increment });
  }

  #releaseIfDone(): void {
    if (this.#localClosed && this.#remoteClosed && !this.#released) {
      this.#released = true;
      this.link.release(this);
    }
  }
}
