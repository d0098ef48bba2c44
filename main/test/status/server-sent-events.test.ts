/**
 * The Server-Sent Events reader on real web streams: events survive any chunking (line ends split
 * between chunks included), and a line or event past the length limit fails the read and cancels
 * the body instead of buffering without end.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_SERVER_SENT_EVENT_LENGTH,
  readServerSentEvents,
  ServerSentEventTooLongError,
} from '../../src/core/status/server-sent-events.js';

const encoder = new TextEncoder();

function streamOf(chunks: Iterable<string>): { body: ReadableStream<Uint8Array>; cancelled: Promise<void> } {
  const iterator = chunks[Symbol.iterator]();
  let onCancel = () => {};
  const cancelled = new Promise<void>((resolve) => {
    onCancel = resolve;
  });
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    cancel: () => onCancel(),
  });
  return { body, cancelled };
}

async function readAll(chunks: Iterable<string>) {
  const events = [];
  for await (const event of readServerSentEvents(streamOf(chunks).body)) events.push(event);
  return events;
}

describe('readServerSentEvents', () => {
  const stream =
    ': keep-alive\r\nevent: snapshot\r\ndata: {"items":[]}\r\n\r\n' +
    'data: first\rdata:second\r\rid: 7\nevent: cluster\ndata: {"name":"é"}\n\n';
  const expected = [
    { event: 'snapshot', data: '{"items":[]}' },
    { event: 'message', data: 'first\nsecond' },
    { event: 'cluster', data: '{"name":"é"}' },
  ];

  it('reads events whole however the stream is cut into chunks', async () => {
    expect(await readAll([stream])).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(await readAll([stream.slice(0, cut), stream.slice(cut)])).toEqual(expected);
    }
    expect(await readAll([...stream])).toEqual(expected);
  });

  it('fails and cancels the body when a line grows past the limit without a line end', async () => {
    const piece = 'x'.repeat(1024 * 1024);
    const pieces = function* () {
      yield 'data: ';
      // Endless: only the limit stops the read.
      for (;;) yield piece;
    };
    const { body, cancelled } = streamOf(pieces());
    const read = (async () => {
      for await (const _ of readServerSentEvents(body)) throw new Error('no event expected');
    })();
    await expect(read).rejects.toBeInstanceOf(ServerSentEventTooLongError);
    await cancelled;
  });

  it('fails when one event gathers more data lines than the limit', async () => {
    const line = `data: ${'y'.repeat(1024 * 1024)}\n`;
    const lines = Array.from({ length: MAX_SERVER_SENT_EVENT_LENGTH / (1024 * 1024) + 1 }, () => line);
    await expect(readAll([...lines, '\n'])).rejects.toBeInstanceOf(ServerSentEventTooLongError);
  });

  it('still reads a long line under the limit', async () => {
    const data = 'z'.repeat(4 * 1024 * 1024);
    const chunks = ['data: ', ...(data.match(/.{1,65536}/gs) ?? []), '\n\n'];
    expect(await readAll(chunks)).toEqual([{ event: 'message', data }]);
  });
});
