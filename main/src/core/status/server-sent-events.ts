/**
 * A Server-Sent Events reader (the parsing rules of the HTML standard, §9.2.6): fields per line,
 * an event per blank line, comments ignored. `event` names and `data` lines are all Switchboard's
 * stream uses; `id` and `retry` are ignored (the relay does not resume streams).
 */

export interface ServerSentEvent {
  /** `message` when the event named none. */
  event: string;
  data: string;
}

/**
 * Reads events from a response body until it ends. `onActivity` runs for every chunk, comments
 * (keep-alives) included, so a caller can tell a quiet stream from a dead one.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onActivity: () => void = () => {},
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let pending = '';
  let event = '';
  let data: string[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    onActivity();
    pending += decoder.decode(chunk, { stream: true });
    // A trailing "\r" may be the first half of "\r\n": it waits for the next chunk.
    const heldBack = pending.endsWith('\r');
    const lines = (heldBack ? pending.slice(0, -1) : pending).split(/\r\n|\r|\n/);
    // The last piece has no line end yet.
    pending = (lines.pop() ?? '') + (heldBack ? '\r' : '');
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
  }
}
