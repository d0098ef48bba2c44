/**
 * A live status stream client for tests: `fetch` with a bearer token, Server-Sent Events parsed
 * and validated with the contract's schemas, events awaitable in order.
 */
import { apiPaths, type ClusterEvent, clusterEventSchemas } from '@switchboard/contract/relay-api';
import { onTestFinished } from 'vitest';

export interface EventStream {
  /** Every event so far, in order. */
  events: ClusterEvent[];
  comments: number;
  /** Resolves with the first event at index ≥ `from` matching `predicate`. */
  next(predicate: (event: ClusterEvent) => boolean, from?: number, timeoutMs?: number): Promise<ClusterEvent>;
  /** Resolves when the relay ended the stream (cleanly or not). */
  ended: Promise<'end' | 'error'>;
  close(): void;
}

export async function openEventStream(relayUrl: string, token: string): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(`${relayUrl}${apiPaths.clusterEvents}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  if (response.status !== 200) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
  const events: ClusterEvent[] = [];
  const listeners = new Set<() => void>();
  const stream: EventStream = {
    events,
    comments: 0,
    next(predicate, from = 0, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find(predicate);
          if (!found) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(events.slice(from))}`),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    ended: undefined as unknown as Promise<'end' | 'error'>,
    close: () => abort.abort(),
  };
  stream.ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (block.startsWith(':')) stream.comments++;
          else {
            const name = /^event: (\w+)$/m.exec(block)?.[1] as keyof typeof clusterEventSchemas;
            const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
            events.push({
              event: name,
              data: clusterEventSchemas[name].parse(JSON.parse(data)),
            } as ClusterEvent);
          }
          boundary = buffer.indexOf('\n\n');
        }
        for (const listener of [...listeners]) listener();
      }
      return 'end';
    } catch {
      return 'error';
    }
  })();
  onTestFinished(() => abort.abort());
  return stream;
}

/** The event is a `cluster` event of this cluster with this status. */
export function clusterIs(name: string, status?: string) {
  return (event: ClusterEvent) =>
    event.event === 'cluster' &&
    event.data.name === name &&
    (status === undefined || event.data.status === status);
}
