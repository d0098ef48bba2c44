/**
 * A pod's log as `logs` events (client-node `Log`, through the local proxy). Text is collected and
 * pushed at most every `batchIntervalMs`, in pieces of at most 64 KiB, so a chatty container costs a
 * few messages per second; the end of the log (or its failure) is pushed once.
 */
import { Writable } from 'node:stream';
import { type KubeConfig, Log } from '@kubernetes/client-node';
import type { AppError, AppEvents } from '@switchboard/contract/app';

const MAX_PUSH_CHARS = 64 * 1024;

export interface PodLogsOptions {
  logsId: string;
  kubeConfig: KubeConfig;
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  tailLines?: number;
  push: (event: AppEvents['logs']) => void;
  batchIntervalMs?: number;
}

export class PodLogs {
  readonly #options: PodLogsOptions;
  readonly #decoder = new TextDecoder();
  #buffered = '';
  #timer: NodeJS.Timeout | undefined;
  #controller: AbortController | undefined;
  #ended = false;

  constructor(options: PodLogsOptions) {
    this.#options = options;
  }

  /** Resolves once the cluster accepted the request; rejects (client-node `ApiException`) when not. */
  async start(): Promise<void> {
    const { kubeConfig, namespace, pod, container, follow, tailLines } = this.#options;
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.#append(this.#decoder.decode(chunk, { stream: true }));
        callback();
      },
      final: (callback) => {
        this.#append(this.#decoder.decode());
        this.#end();
        callback();
      },
    });
    this.#controller = await new Log(kubeConfig).log(namespace, pod, container, sink, {
      follow,
      ...(tailLines !== undefined && { tailLines }),
    });
    if (this.#ended) this.#controller.abort();
  }

  /** Stops following; nothing more is pushed. */
  stop(): void {
    this.#ended = true;
    clearTimeout(this.#timer);
    this.#controller?.abort();
  }

  /** Ends with an error the UI shows under the log. */
  fail(error: AppError): void {
    if (this.#ended) return;
    this.stop();
    this.#options.push({ logsId: this.#options.logsId, end: true, error });
  }

  #append(text: string): void {
    if (this.#ended || !text) return;
    this.#buffered += text;
    this.#timer ??= setTimeout(() => this.#flush(), this.#options.batchIntervalMs ?? 50);
  }

  #flush(): void {
    this.#timer = undefined;
    const { logsId } = this.#options;
    while (this.#buffered) {
      this.#options.push({ logsId, text: this.#buffered.slice(0, MAX_PUSH_CHARS) });
      this.#buffered = this.#buffered.slice(MAX_PUSH_CHARS);
    }
  }

  #end(): void {
    if (this.#ended) return;
    clearTimeout(this.#timer);
    this.#flush();
    this.#ended = true;
    this.#options.push({ logsId: this.#options.logsId, end: true });
  }
}
