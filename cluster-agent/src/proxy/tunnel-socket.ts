/**
 * Makes a tunnel stream look enough like a net.Socket for Node's HTTP server: the socket methods
 * it calls (setTimeout with a real idle timer, setNoDelay, setKeepAlive, address fields), with
 * backpressure passed straight through (the inner stream is paused while this one is full, so
 * the tunnel grants no credit the HTTP server has not asked for).
 *
 * The reader can also hold reads (`holdReadsWhile`): Node's HTTP parser turns every request in a
 * chunk into a request object at once, so a peer that pipelines thousands of small requests in one
 * window would have them all parsed and started. While a hold is set, bytes are handed over in
 * small slices and the hold is checked before each one; what is not handed over stays in the
 * tunnel stream, bounded by its flow-control window.
 */
import { Duplex } from 'node:stream';

/** Bytes handed to the reader at a time while a hold is set: ~40 minimal requests at most. */
const HELD_SLICE = 1024;

export class TunnelSocket<Context = unknown> extends Duplex {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  readonly remoteFamily = 'IPv4';
  readonly localAddress = '127.0.0.1';
  readonly localPort = 0;
  #idleMs = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  /** Received from the inner stream, not yet handed to the reader. */
  #pending: Buffer | undefined;
  #innerEnded = false;
  /** The reader asked for more (`_read`) and has not been given any since. */
  #wanted = false;
  #held: (() => boolean) | undefined;

  constructor(
    private readonly inner: Duplex,
    /** Who is on the other end: what the stream was authenticated as. */
    readonly context: Context,
  ) {
    // A small readable buffer: what sits in it reaches the reader even while reads are held.
    super({ allowHalfOpen: true, readableHighWaterMark: HELD_SLICE, writableHighWaterMark: 64 * 1024 });
    inner.on('data', (chunk: Buffer) => {
      this.#touch();
      this.#pending = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
      this.#deliver();
    });
    inner.on('end', () => {
      this.#innerEnded = true;
      this.#deliver();
    });
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => {
      if (!this.destroyed && !(this.readableEnded && this.writableFinished)) this.destroy();
    });
    this.on('end', () => {
      if (this.writableFinished) this.destroy();
    });
    this.on('finish', () => {
      if (this.readableEnded) this.destroy();
    });
  }

  override _read(): void {
    this.#wanted = true;
    this.#deliver();
  }

  /**
   * While `held()` returns true, no more bytes reach the reader; call `checkHold` once it may have
   * turned false. `undefined` lifts the hold for good, and chunks pass whole again.
   */
  holdReadsWhile(held: (() => boolean) | undefined): void {
    this.#held = held;
    this.#deliver();
  }

  checkHold(): void {
    this.#deliver();
  }

  /** Hands the reader one slice (or chunk) per request for more; asks the stream for more when empty. */
  #deliver(): void {
    if (this.destroyed) return;
    const held = this.#held?.() ?? false;
    if (this.#wanted && !held) {
      if (this.#pending) {
        const size = this.#held ? HELD_SLICE : this.#pending.length;
        const slice = this.#pending.subarray(0, size);
        this.#pending = this.#pending.length > size ? this.#pending.subarray(size) : undefined;
        this.#wanted = false;
        this.push(slice);
      } else if (this.#innerEnded) {
        this.#wanted = false;
        this.push(null);
      }
    }
    if (this.#wanted && !held && !this.#pending && !this.#innerEnded) this.inner.resume();
    else this.inner.pause();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.#touch();
    this.inner.write(chunk, encoding, done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.inner.end(done);
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (!this.inner.destroyed) this.inner.destroy(error ?? undefined);
    done(error);
  }

  /** Like net.Socket#setTimeout: 'timeout' after `ms` without reads or writes; 0 turns it off. */
  setTimeout(ms: number, callback?: () => void): this {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#idleMs = ms;
    if (callback) this.once('timeout', callback);
    this.#touch();
    return this;
  }

  setNoDelay(_noDelay?: boolean): this {
    return this;
  }

  setKeepAlive(_enable?: boolean, _initialDelay?: number): this {
    return this;
  }

  address(): { address: string; family: string; port: number } {
    return { address: this.localAddress, family: 'IPv4', port: this.localPort };
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  /** Runs on every chunk, so it re-arms the one timer (`refresh`) rather than making a new one. */
  #touch(): void {
    if (this.#idleMs > 0 && !this.destroyed) {
      if (this.#idleTimer) this.#idleTimer.refresh();
      else this.#idleTimer = setTimeout(() => this.emit('timeout'), this.#idleMs).unref();
    } else if (this.#idleTimer) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
  }
}
