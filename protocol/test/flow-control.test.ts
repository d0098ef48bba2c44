import { createHash } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../src/frame.js';
import { ErrorCode, FrameType, SettingId, webSocketOptions } from '../src/index.js';
import { ReceiveWindow } from '../src/receive-window.js';
import { Session } from '../src/session.js';
import type { Stream } from '../src/stream.js';
import {
  connect,
  digest,
  listen,
  type Pair,
  prng,
  randomBytes,
  sessionPair,
  sha256,
  sleep,
} from './harness.js';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

/** Writes `data` in random-sized chunks, honouring backpressure, then ends. */
async function writeRandomly(
  stream: Stream,
  data: Buffer,
  random: () => number,
  maxChunk: number,
): Promise<void> {
  for (let offset = 0; offset < data.length; ) {
    const size = 1 + Math.floor(random() * maxChunk);
    if (!stream.write(data.subarray(offset, offset + size)))
      await new Promise((r) => stream.once('drain', r));
    offset += size;
  }
  stream.end();
}

/**
 * Reads to the end with random pauses, checking on every chunk that what the stream buffers never
 * exceeds the window it granted.
 */
function readRandomly(stream: Stream, random: () => number): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      if (stream.bufferedInbound > stream.receiveWindow) {
        reject(new Error(`buffered ${stream.bufferedInbound} > window ${stream.receiveWindow}`));
      }
      if (random() < 0.05) {
        stream.pause();
        setTimeout(() => stream.resume(), random() * 4);
      }
    });
    stream.once('end', () => resolve({ sha256: hash.digest('hex'), bytes }));
    stream.once('error', reject);
  });
}

describe('per-stream flow control', () => {
  test.each([
    { name: 'defaults', options: {} },
    {
      name: 'tiny windows and frames',
      options: { initialWindow: 4096, maxWindow: 16384, maxFramePayload: 1024 },
    },
  ])('random interleavings of many streams deliver every byte in order ($name)', async ({ options }) => {
    pair = await sessionPair(options, options);
    const random = prng(42);
    const transfers: Array<Promise<void>> = [];
    const expectations = new Map<string, Promise<{ sha256: string; bytes: number }>>();
    const sink = (side: string) => (stream: Stream) => {
      expectations.set(`${side}:${stream.metadata}`, readRandomly(stream, random));
    };
    pair.server.on('stream', (request) => sink('server')(request.accept()));
    pair.client.on('stream', (request) => sink('client')(request.accept()));

    const sent = new Map<string, string>();
    for (let i = 0; i < 24; i++) {
      const [opener, side] = i % 3 === 0 ? [pair.server, 'client'] : [pair.client, 'server'];
      const payload = randomBytes(random, Math.floor(random() * 600_000));
      sent.set(`${side}:${i}`, sha256(payload));
      transfers.push(
        opener.open(Buffer.from(String(i))).then((stream) => writeRandomly(stream, payload, random, 100_000)),
      );
    }
    await Promise.all(transfers);
    while (expectations.size < sent.size) await sleep(5);
    for (const [key, digestSent] of sent) expect((await expectations.get(key))!.sha256, key).toBe(digestSent);
  });

  test('a reader that never reads holds at most its window; other streams still complete meanwhile', async () => {
    pair = await sessionPair();
    const stalled: Stream[] = [];
    const flowing: Array<Promise<{ sha256: string; bytes: number }>> = [];
    pair.server.on('stream', (request) => {
      const stream = request.accept();
      if (request.metadata.toString() === 'stalled') stalled.push(stream);
      else flowing.push(digest(stream));
    });

    const stalledSender = await pair.client.open(Buffer.from('stalled'));
    const chunk = Buffer.alloc(16 * 1024, 7);
    let acceptedByStalled = 0;
    let stalledWriting = true;
    const writeForever = (async () => {
      while (stalledWriting) {
        acceptedByStalled += chunk.length;
        if (!stalledSender.write(chunk)) await new Promise((r) => stalledSender.once('drain', r));
      }
    })();
    await sleep(50);

    const payload = randomBytes(prng(7), 8 * 1024 * 1024);
    const others = await Promise.all([1, 2, 3].map(() => pair!.client.open(Buffer.from('flowing'))));
    for (const stream of others) stream.end(payload);
    // They complete while the stalled stream still holds its whole window: the stall blocks nobody.
    const results = await Promise.all(flowing);
    expect(results).toEqual([1, 2, 3].map(() => ({ sha256: sha256(payload), bytes: payload.length })));

    const receiver = stalled[0]!;
    // The receiver holds exactly what it granted, no more.
    expect(receiver.bufferedInbound).toBe(receiver.receiveWindow);
    expect(receiver.receiveWindow).toBe(256 * 1024);
    // The sender holds one chunk in the session plus what its writable buffer allows; no credit left.
    expect(stalledSender.sendCredit).toBe(0);
    expect(stalledSender.writableLength).toBeLessThanOrEqual(
      stalledSender.writableHighWaterMark + chunk.length,
    );
    expect(acceptedByStalled).toBeLessThanOrEqual(
      receiver.receiveWindow + stalledSender.writableHighWaterMark + 2 * chunk.length,
    );

    stalledWriting = false;
    receiver.resume();
    await writeForever;
    stalledSender.end();
  });

  test('a peer sending beyond its credit ends the session with FLOW_CONTROL_ERROR and close code 1008', async () => {
    const { server: wss, url } = await listen();
    const accepted = new Promise<Session>((resolve) => {
      wss.once('connection', (socket) => {
        const session = new Session(socket, { role: 'server', initialWindow: 1024 });
        session.on('stream', (request) =>
          request
            .accept()
            .on('error', () => {})
            .resume(),
        );
        resolve(session);
      });
    });
    const raw = await connect(url);
    const frames: ReturnType<typeof decodeFrame>[] = [];
    raw.on('message', (data: Buffer) => frames.push(decodeFrame(data)));
    const closed = new Promise<number>((resolve) => raw.once('close', resolve));
    raw.send(
      encodeFrame({ type: FrameType.Settings, settings: [{ id: SettingId.InitialWindow, value: 65536 }] }),
    );
    raw.send(encodeFrame({ type: FrameType.Open, streamId: 1, metadata: Buffer.from('{}') }));
    const session = await accepted;
    while (!frames.some((f) => f.type === FrameType.OpenAck)) await sleep(2);
    raw.send(encodeFrame({ type: FrameType.Data, streamId: 1, fin: false, data: Buffer.alloc(1024) }));
    raw.send(encodeFrame({ type: FrameType.Data, streamId: 1, fin: false, data: Buffer.alloc(1) }));

    expect(await closed).toBe(1008);
    expect(frames.at(-1)).toMatchObject({ type: FrameType.GoAway, code: ErrorCode.FlowControlError });
    expect(session.closeReason).toMatchObject({ code: ErrorCode.FlowControlError, by: 'local' });
    await new Promise((r) => wss.close(r));
  });
});

describe('window auto-tuning', () => {
  let proxy: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => proxy?.close(r));
  });

  /** A TCP relay that delays every chunk by `delayMs` each way: a long, fat pipe on loopback. */
  async function delayingProxy(targetPort: number, delayMs: number): Promise<number> {
    proxy = createServer((inbound) => {
      const outbound = createConnection(targetPort, '127.0.0.1');
      for (const socket of [inbound, outbound]) sockets.add(socket);
      const forward = (from: Socket, to: Socket) => {
        from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
        from.on('close', () => setTimeout(() => to.destroy(), delayMs));
        from.on('error', () => {});
      };
      forward(inbound, outbound);
      forward(outbound, inbound);
    });
    await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
    return (proxy.address() as { port: number }).port;
  }

  test('a window that is the bottleneck doubles each round trip, up to the cap', async () => {
    const { server: wss, url } = await listen();
    const port = await delayingProxy(Number(new URL(url).port), 10);
    const windows = { initialWindow: 32 * 1024, maxWindow: 1024 * 1024 };
    // Doubling from 32 KiB to the cap takes five grants, about 0.5 MiB of data: by 2 MiB it is done.
    let windowAt2MiB = 0;
    const received = new Promise<{ window: number; bytes: number }>((resolve) => {
      wss.once('connection', (socket) => {
        const server = new Session(socket, { role: 'server', ...windows });
        server.on('stream', (request) => {
          const stream = request.accept();
          let seen = 0;
          stream.on('data', (chunk: Buffer) => {
            seen += chunk.length;
            if (windowAt2MiB === 0 && seen >= 2 * 1024 * 1024) windowAt2MiB = stream.receiveWindow;
          });
          digest(stream).then(({ bytes }) => resolve({ window: stream.receiveWindow, bytes }));
        });
      });
    });
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, webSocketOptions());
    const client = new Session(socket, { role: 'client', ...windows });
    const stream = await client.open(Buffer.from('{}'));
    // 4 MiB is enough to double 32 KiB to the 1 MiB cap; how fast that goes is the throughput
    // benchmark's business (protocol/scripts/throughput.mjs), not a test's.
    stream.end(Buffer.alloc(4 * 1024 * 1024));
    const { window, bytes } = await received;
    expect(bytes).toBe(4 * 1024 * 1024);
    expect(client.rttMs).toBeGreaterThanOrEqual(20);
    expect(windowAt2MiB).toBe(windows.maxWindow);
    expect(window).toBe(windows.maxWindow);
    client.close();
    await new Promise((r) => wss.close(r));
  }, 60_000);

  test("streams of one session share one stream's worth of window growth; a closed stream gives its share back", async () => {
    const { server: wss, url } = await listen();
    const port = await delayingProxy(Number(new URL(url).port), 10);
    const windows = { initialWindow: 32 * 1024, maxWindow: 1024 * 1024 };
    const finals: number[] = [];
    const live = new Set<Stream>();
    let peakGrowth = 0;
    let closed = 0;
    let allDone: () => void;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const BULK = 4;
    wss.once('connection', (socket) => {
      const server = new Session(socket, { role: 'server', ...windows });
      server.on('stream', (request) => {
        const stream = request.accept();
        stream.end(); // nothing to send back: the stream is released once the upload is read
        live.add(stream);
        // The growth of the streams live together, at every chunk any of them receives.
        stream.on('data', () => {
          let growth = 0;
          for (const other of live) growth += other.receiveWindow - windows.initialWindow;
          peakGrowth = Math.max(peakGrowth, growth);
        });
        digest(stream).then(() => finals.push(stream.receiveWindow));
        stream.once('close', () => {
          live.delete(stream);
          closed++;
          if (closed === BULK || closed === BULK + 1) allDone();
        });
      });
    });
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, webSocketOptions());
    const client = new Session(socket, { role: 'client', ...windows });
    const bulk = await Promise.all(Array.from({ length: BULK }, () => client.open(Buffer.from('{}'))));
    for (const stream of bulk) stream.resume().end(Buffer.alloc(4 * 1024 * 1024));
    await done;
    expect(peakGrowth).toBeGreaterThan(0);
    expect(peakGrowth).toBeLessThanOrEqual(windows.maxWindow - windows.initialWindow);

    // All four closed: the next bulk stream alone grows to the cap again.
    const alone = new Promise<void>((resolve) => (allDone = resolve));
    const last = await client.open(Buffer.from('{}'));
    last.resume().end(Buffer.alloc(4 * 1024 * 1024));
    await alone;
    expect(finals[BULK]).toBe(windows.maxWindow);
    client.close();
    await new Promise((r) => wss.close(r));
  }, 60_000);
});

describe('window auto-tuning (ReceiveWindow)', () => {
  const KiB = 1024;
  /** Consumes half the window and asks for a grant `sinceLastMs` after the previous one. */
  const grantAfter = (window: ReceiveWindow, clock: { now: number }, sinceLastMs: number, rttMs: number) => {
    clock.now += sinceLastMs;
    const half = window.size / 2;
    expect(window.receive(half)).toBe(true);
    return window.grant(0, clock.now, rttMs);
  };

  test('grants a round trip or a little more apart (a window-limited sender bursts once per round trip) double the window', () => {
    const clock = { now: 0 };
    const window = new ReceiveWindow(32 * KiB, 1024 * KiB, clock.now);
    const sizes: number[] = [];
    for (const sinceLast of [26, 28, 25, 27, 29, 26]) {
      grantAfter(window, clock, sinceLast, 26);
      sizes.push(window.size / KiB);
    }
    expect(sizes).toEqual([64, 128, 256, 512, 1024, 1024]);
  });

  test('grants more than two round trips apart (the reader, not the window, sets the pace) leave it as it is', () => {
    const clock = { now: 0 };
    const window = new ReceiveWindow(32 * KiB, 1024 * KiB, clock.now);
    for (const sinceLast of [60, 80, 53]) {
      expect(grantAfter(window, clock, sinceLast, 26)).toBe(16 * KiB);
      expect(window.size).toBe(32 * KiB);
    }
  });

  test('grows by the increment it grants, and only while the session budget allows', () => {
    const clock = { now: 0 };
    const window = new ReceiveWindow(32 * KiB, 1024 * KiB, clock.now);
    let budget = 48 * KiB;
    const mayGrow = (bytes: number) => {
      if (bytes > budget) return false;
      budget -= bytes;
      return true;
    };
    clock.now += 10;
    window.receive(16 * KiB);
    expect(window.grant(0, clock.now, 26, mayGrow)).toBe(48 * KiB); // the 16 KiB read plus 32 KiB growth
    clock.now += 10;
    window.receive(32 * KiB);
    expect(window.grant(0, clock.now, 26, mayGrow)).toBe(32 * KiB); // 64 KiB more would exceed the budget
    expect(window.size).toBe(64 * KiB);
  });
});
