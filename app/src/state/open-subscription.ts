import type { AppApi, AppError, AppEventName, AppEvents } from '@switchboard/contract/app';
import { toAppError } from '../host/core-request-error';

export interface SubscriptionOptions<E extends AppEventName> {
  api: AppApi;
  event: E;
  /** The subscription id an event belongs to (watchId, logsId, execId). */
  idOf(data: AppEvents[E]): string;
  /** Asks the core to start; resolves with the subscription id. */
  start(): Promise<string>;
  /** Asks the core to stop the subscription. */
  stop(id: string): Promise<unknown>;
  onStarted?(id: string): void;
  onEvent(data: AppEvents[E]): void;
  onStartError(error: AppError): void;
}

/**
 * Starts a core subscription (watch, logs, exec) and delivers only its events. The core may push the
 * first events before the start request's answer names the id, so events are held until then. The
 * returned function stops it — also when called before the id is known.
 */
export function openSubscription<E extends AppEventName>(options: SubscriptionOptions<E>): () => void {
  let id: string | undefined;
  let closed = false;
  const early: AppEvents[E][] = [];
  const unsubscribe = options.api.on(options.event, (data) => {
    if (closed) return;
    if (id === undefined) early.push(data);
    else if (options.idOf(data) === id) options.onEvent(data);
  });
  options.start().then(
    (startedId) => {
      if (closed) {
        void options.stop(startedId).catch(() => {});
        return;
      }
      id = startedId;
      options.onStarted?.(startedId);
      for (const data of early.splice(0)) {
        if (!closed && options.idOf(data) === startedId) options.onEvent(data);
      }
    },
    (reason: unknown) => {
      unsubscribe();
      if (!closed) options.onStartError(toAppError(reason));
    },
  );
  return () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    early.length = 0;
    // Stopping something that already ended (or a core that went away) is not worth telling anyone.
    if (id !== undefined) void options.stop(id).catch(() => {});
  };
}
