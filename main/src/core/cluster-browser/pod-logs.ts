/**
 * A pod's log as `logs` events (the `log` subresource, over the session's tunnel). Text is
 * collected and pushed at most every `batchIntervalMs`, in pieces of at most 64 KiB, so a chatty
 * container costs a few messages per second; the end of the log (or its failure) is pushed once.
 */
import { finished } from 'node:stream';
import type { AppError, AppEvents } from '@switchboard/contract/app';
import { toAppError } from '../app/app-error.js';
import type { ClusterClient } from './cluster-client.js';
import { objectPath, PODS } from './kind-discovery.js';

const MAX_PUSH_CHARS = 64 * 1024;

export interface PodLogsOptions {
  logsId: string;
  client: ClusterClient;
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
  /** RFC 3339; the apiserver counts whole seconds. */
  sinceTime?: string;
  push: (event: AppEvents['logs']) => void;
  batchIntervalMs?: number;
}

export class PodLogs {
  readonly #options: PodLogsOptions;
  readonly #decoder = new TextDecoder();
  #buffered = '';
  #timer: NodeJS.Timeout | undefined;
  /** Stopping aborts the request, whether it is still being answered or streaming. */
  readonly #abort = new AbortController();
  #ended = false;

  constructor(options: PodLogsOptions) {
    this.#options = options;
  }

  /** Resolves once the cluster accepted the request; rejects (`KubeApiError`, a tunnel error) when not. */
  async start(): Promise<void> {
    const { client, namespace, pod, container, follow, tailLines, previous, timestamps, sinceTime } =
      this.#options;
    const query = new URLSearchParams({ container, follow: String(follow) });
    if (tailLines !== undefined) query.set('tailLines', String(tailLines));
    if (previous) query.set('previous', 'true');
    if (timestamps) query.set('timestamps', 'true');
    if (sinceTime !== undefined) query.set('sinceTime', sinceTime);
    const response = await client.stream(
      `${objectPath(PODS, pod, namespace)}/log?${query}`,
      this.#abort.signal,
    );
    response.on('data', (chunk: Buffer) => this.#append(this.#decoder.decode(chunk, { stream: true })));
    finished(response, (error) => {
      if (!error) {
        this.#append(this.#decoder.decode());
        this.#end();
      } else if (!this.#ended) {
        const cause = toAppError(error);
        this.fail({ ...cause, message: `the log stream broke off: ${cause.message}` });
      }
    });
  }

  /** Stops following; nothing more is pushed. */
  stop(): void {
    this.#ended = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
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
