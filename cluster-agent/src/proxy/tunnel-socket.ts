/**
 * Makes a tunnel stream look enough like a net.Socket for Node's HTTP server: the socket methods
 * it calls (setTimeout with a real idle timer, setNoDelay, setKeepAlive, address fields), with
 * backpressure passed straight through (the inner stream is paused while this one is full, so
 * the tunnel grants no credit the HTTP server has not asked for).
 */
import { Duplex } from 'node:stream';

export class TunnelSocket<Context = unknown> extends Duplex {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  readonly remoteFamily = 'IPv4';
  readonly localAddress = '127.0.0.1';
  readonly localPort = 0;
  #idleMs = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly inner: Duplex,
    /** Who is on the other end: what the stream was authenticated as. */
    readonly context: Context,
  ) {
    super({ allowHalfOpen: true, readableHighWaterMark: 64 * 1024, writableHighWaterMark: 64 * 1024 });
    inner.on('data', (chunk: Buffer) => {
      this.#touch();
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
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
    this.inner.resume();
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
