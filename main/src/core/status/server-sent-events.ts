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
 * The most text one line, or one event's data lines together, may hold. Far above any real event
 * (a snapshot of thousands of clusters is a few MiB); a stream past it is broken or hostile, and
 * buffering it would only grow memory until the process dies.
 */
export const MAX_SERVER_SENT_EVENT_LENGTH = 16 * 1024 * 1024;

export class ServerSentEventTooLongError extends Error {
  constructor() {
    super(
      `the stream sent a line or event longer than ${MAX_SERVER_SENT_EVENT_LENGTH / 1024 / 1024} MiB; ` +
        'closing the connection',
    );
    this.name = 'ServerSentEventTooLongError';
  }
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * Reads events from a response body until it ends. `onActivity` runs for every chunk, comments
 * (keep-alives) included, so a caller can tell a quiet stream from a dead one. Throws
 * `ServerSentEventTooLongError` (ending the read, so the body is cancelled) past the length limit.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onActivity: () => void = () => {},
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  // The current line's text from earlier chunks: kept in pieces and joined once, when its line end
  // arrives, so each chunk costs only its own length (not the whole unfinished line again).
  let partial: string[] = [];
  let partialLength = 0;
  // The last chunk ended with "\r": a "\n" starting the next one is the second half of "\r\n".
  let afterCarriageReturn = false;
  let event = '';
  let data: string[] = [];
  let dataLength = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    onActivity();
    let text = decoder.decode(chunk, { stream: true });
    if (text === '') continue;
    if (afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    afterCarriageReturn = text.endsWith('\r');
    let start = 0;
    for (const lineEnd of text.matchAll(LINE_END)) {
      if (partialLength + lineEnd.index - start > MAX_SERVER_SENT_EVENT_LENGTH) {
        throw new ServerSentEventTooLongError();
      }
      const line = partial.join('') + text.slice(start, lineEnd.index);
      partial = [];
      partialLength = 0;
      start = lineEnd.index + lineEnd[0].length;
      if (line === '') {
        if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
        event = '';
        data = [];
        dataLength = 0;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') {
        dataLength += value.length + 1;
        if (dataLength > MAX_SERVER_SENT_EVENT_LENGTH) throw new ServerSentEventTooLongError();
        data.push(value);
      }
    }
    // The rest has no line end yet.
    const rest = text.slice(start);
    if (rest === '') continue;
    partial.push(rest);
    partialLength += rest.length;
    if (partialLength > MAX_SERVER_SENT_EVENT_LENGTH) throw new ServerSentEventTooLongError();
  }
}
