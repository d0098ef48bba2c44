/**
 * StreamPool over a real protocol session pair. The far side answers requests and ends streams
 * the way the cluster agent ends a connection (its keep-alive timeout, or the token that opened it
 * expired): with a FIN, which leaves a tunnel stream half-open where a TCP socket would close.
 */
import { once } from 'node:events';
import { get } from 'node:http';
import type { Stream } from '@switchboard/protocol';
import { type Pair, sessionPair } from '@switchboard/test-support/protocol-session-pair';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamPool } from '../../src/core/tunnel/stream-pool.js';

describe('StreamPool', () => {
  let pair: Pair | undefined;
  afterEach(async () => {
    await pair?.close();
  });

  it('drops a stream the far side ended, while free or with its last answer, and opens a new one', async () => {
    pair = await sessionPair();
    const serverSide: Stream[] = [];
    let endWithAnswer = false;
    pair.server.on('stream', (incoming) => {
      const stream = incoming.accept();
      stream.on('error', () => {}); // the pool resets the streams it drops
      serverSide.push(stream);
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (!head.endsWith('\r\n\r\n')) return;
        head = '';
        stream.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
        if (endWithAnswer) stream.end();
      });
    });
    const client = pair.client;
    const clientSide: Stream[] = [];
    const pool = new StreamPool(async () => {
      const stream = await client.open(Buffer.from('{}'));
      clientSide.push(stream);
      return { stream, tokenExpiresAt: undefined, sessionDraining: new AbortController().signal };
    });
    const fetchOk = async () => {
      const request = get({ agent: pool, host: '127.0.0.1', path: '/' });
      const [response] = await once(request, 'response');
      let body = '';
      for await (const chunk of response) body += chunk;
      return body;
    };
    const closed = async (stream: Stream) => {
      if (stream.closed) return;
      await Promise.race([
        once(stream, 'close'),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('an ended stream stayed in the pool')), 5_000),
        ),
      ]);
    };

    expect(await fetchOk()).toBe('ok');
    expect(await fetchOk()).toBe('ok');
    expect(clientSide.length).toBe(1); // kept alive and reused
    serverSide[0]!.end(); // while the stream is free in the pool
    await closed(clientSide[0]!);

    endWithAnswer = true;
    expect(await fetchOk()).toBe('ok');
    await closed(clientSide[1]!);
    expect(Object.values(pool.freeSockets).flat()).toEqual([]);

    expect(await fetchOk()).toBe('ok');
    expect(clientSide.length).toBe(3);
    pool.destroy();
  });

  it('drops its free streams when their session drains, and opens the next on the new one', async () => {
    pair = await sessionPair();
    pair.server.on('stream', (incoming) => {
      const stream = incoming.accept();
      stream.on('error', () => {});
      stream.on('data', (chunk: Buffer) => {
        if (chunk.toString('latin1').endsWith('\r\n\r\n'))
          stream.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      });
    });
    const opened: { stream: Stream; draining: AbortController }[] = [];
    const pool = new StreamPool(async () => {
      const stream = await pair!.client.open(Buffer.from('{}'));
      const draining = new AbortController();
      opened.push({ stream, draining });
      return { stream, tokenExpiresAt: undefined, sessionDraining: draining.signal };
    });
    const fetchOk = async () => {
      const request = get({ agent: pool, host: '127.0.0.1', path: '/' });
      const [response] = await once(request, 'response');
      let body = '';
      for await (const chunk of response) body += chunk;
      return body;
    };
    expect(await fetchOk()).toBe('ok');
    expect(Object.values(pool.freeSockets).flat()).toHaveLength(1);
    // The relay sent GOAWAY on the stream's session: a free stream would hold it open.
    opened[0]!.draining.abort();
    expect(opened[0]!.stream.destroyed).toBe(true);
    expect(await fetchOk()).toBe('ok');
    expect(opened).toHaveLength(2);
    pool.destroy();
  });
});
