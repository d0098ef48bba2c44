import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { listenRoute } from '../../src/bench/support/delay-line.js';

const DELAY_MS = 30;
const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.close();
    await once(server, 'close');
  }
});

/** A TCP server on loopback, with `onConnection` for each accepted socket; resolves with its port. */
async function target(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.push(socket);
    onConnection(socket);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function throughLine(targetPort: number, capacityBytes = 1024 * 1024): Promise<Socket> {
  const server = await listenRoute(
    { listen: { host: '127.0.0.1' }, target: { host: '127.0.0.1', port: targetPort } },
    { delayMs: DELAY_MS, capacityBytes },
  );
  servers.push(server);
  const client = connect({
    port: (server.address() as AddressInfo).port,
    host: '127.0.0.1',
    allowHalfOpen: true,
  });
  sockets.push(client);
  await once(client, 'connect');
  return client;
}

describe('the delay line', () => {
  it('delays each direction, so a round trip takes at least twice the delay', async () => {
    const client = await throughLine(await target((socket) => socket.pipe(socket)));
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      client.write('x');
      await once(client, 'data');
      expect(performance.now() - start).toBeGreaterThanOrEqual(2 * DELAY_MS);
    }
  });

  it('keeps byte order and loses nothing', async () => {
    const payload = randomBytes(8 * 1024 * 1024);
    const received: Buffer[] = [];
    const done = new Promise<void>((resolve) => {
      void target((socket) => {
        socket.on('data', (chunk: Buffer) => received.push(chunk));
        socket.on('end', () => resolve());
      }).then(async (port) => {
        const client = await throughLine(port);
        for (let offset = 0; offset < payload.length; offset += 100_000) {
          if (!client.write(payload.subarray(offset, offset + 100_000))) await once(client, 'drain');
        }
        client.end();
      });
    });
    await done;
    const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex');
    expect(digest(Buffer.concat(received))).toBe(digest(payload));
  });

  it('passes a half-close on after the data, and the other direction goes on', async () => {
    const events: string[] = [];
    const port = await target((socket) => {
      socket.on('data', (chunk: Buffer) => events.push(`target got ${chunk}`));
      socket.on('end', () => {
        events.push('target got FIN');
        socket.end('answer after FIN');
      });
    });
    const client = await throughLine(port);
    client.end('last words');
    const answer: Buffer[] = [];
    client.on('data', (chunk: Buffer) => answer.push(chunk));
    await once(client, 'end');
    expect(events).toEqual(['target got last words', 'target got FIN']);
    expect(Buffer.concat(answer).toString()).toBe('answer after FIN');
  });

  it('resets the other side when one side resets', async () => {
    let reset: Promise<string | undefined> | undefined;
    const port = await target((socket) => {
      reset = new Promise((resolve) =>
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code)),
      );
    });
    const client = await throughLine(port);
    while (!reset) await new Promise((resolve) => setTimeout(resolve, 5));
    client.resetAndDestroy();
    expect(await reset).toBe('ECONNRESET');
  });

  it('stops reading when it holds its capacity, instead of buffering without bound', async () => {
    // The target never reads: what the client manages to write is bounded by the kernel's socket
    // buffers and the line's capacity, not by the 256 MiB offered.
    const port = await target((socket) => socket.pause());
    const client = await throughLine(port, 256 * 1024);
    const chunk = Buffer.alloc(64 * 1024);
    let accepted = 0;
    const deadline = performance.now() + 3_000;
    while (accepted < 256 * 1024 * 1024 && performance.now() < deadline) {
      const written = client.write(chunk);
      accepted += chunk.length;
      if (!written) {
        const drained = await Promise.race([
          once(client, 'drain').then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), 500)),
        ]);
        if (!drained) break;
      }
    }
    expect(accepted).toBeLessThan(128 * 1024 * 1024);
  });
});
