import { ErrorCode } from './constants.js';
import { StreamResetError } from './errors.js';
import type { Stream } from './stream.js';

/**
 * A stream the peer asked to open. The application answers once, possibly after async work (the
 * relay validates a token and reaches the agent first): `accept()` sends OPEN_ACK, `reject()` an RST
 * whose reason the opener sees. `signal` aborts if the peer gives up or the session ends meanwhile.
 */
export class IncomingStream {
  readonly #controller = new AbortController();
  #answered = false;

  constructor(
    private readonly stream: Stream,
    private readonly acknowledge: (stream: Stream) => void,
  ) {
    stream.once('close', () => {
      if (!this.#answered) {
        this.#controller.abort(
          stream.resetError ??
            new StreamResetError(ErrorCode.Cancel, 'stream closed before it was answered', true),
        );
      }
    });
  }

  get id(): number {
    return this.stream.id;
  }

  /** The opener's OPEN payload, uninterpreted. */
  get metadata(): Buffer {
    return this.stream.metadata;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  accept(): Stream {
    this.#answer();
    this.acknowledge(this.stream);
    return this.stream;
  }

  reject(reason: string, code: ErrorCode = ErrorCode.Rejected): void {
    this.#answer();
    this.stream.reset(code, reason);
  }

  #answer(): void {
    if (this.#controller.signal.aborted) throw this.#controller.signal.reason;
    if (this.#answered) throw new Error(`stream ${this.id} was already answered`);
    this.#answered = true;
  }
}
