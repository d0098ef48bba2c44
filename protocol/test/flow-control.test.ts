import { createHash } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../src/frame.js';
import { ErrorCode, FrameType, SettingId, webSocketOptions } from '../src/index.js';
import { ReceiveWindow, smallestWindow } from '../src/receive-window.js';
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

/** The receive windows of `streams`, summed: what their peer may have in flight towards them. */
function windowsOf(streams: Iterable<Stream>): number {
  let sum = 0;
  for (const stream of streams) sum += stream.receiveWindow;
  return sum;
}

describe('window sizing', () => {
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

  /**
   * Uploads `bytes` on each of `count` streams of one session through a proxy delaying `delayMs`
   * each way; samples the receiver's windows (summed over its live streams) and budget at every
   * chunk it receives.
   */
  async function uploads(count: number, bytes: number, delayMs: number, windows: object) {
    const { server: wss, url } = await listen();
    const port = await delayingProxy(Number(new URL(url).port), delayMs);
    const live = new Set<Stream>();
    const samples: Array<{ windows: number; budget: number; active: number }> = [];
    const finals: number[] = [];
    const done = new Promise<void>((resolve) => {
      wss.once('connection', (socket) => {
        const server = new Session(socket, { role: 'server', ...windows });
        server.on('stream', (request) => {
          const stream = request.accept();
          stream.end();
          live.add(stream);
          stream.on('data', () => {
            samples.push({ windows: windowsOf(live), budget: server.receiveBudget, active: live.size });
          });
          digest(stream).then(() => {
            finals.push(stream.receiveWindow);
            live.delete(stream);
            if (finals.length === count) resolve();
          });
        });
      });
    });
    const client = new Session(new WebSocket(`ws://127.0.0.1:${port}`, webSocketOptions()), {
      role: 'client',
      ...windows,
    });
    const streams = await Promise.all(Array.from({ length: count }, () => client.open(Buffer.from('{}'))));
    for (const stream of streams) stream.resume().end(Buffer.alloc(bytes));
    await done;
    client.close();
    await new Promise((r) => wss.close(r));
    return { samples, finals };
  }

  test('a bulk stream over a long, fat pipe grows its window with the measured bandwidth-delay product', async () => {
    // 10 ms each way on loopback: tens of MB/s × 20 ms, several times the 128 KiB floor (twice the
    // 64 KiB initial window) that the budget starts from.
    const { samples, finals } = await uploads(1, 8 * 1024 * 1024, 10, {
      initialWindow: 64 * 1024,
      maxWindow: 1024 * 1024,
    });
    expect(Math.max(...samples.map((s) => s.budget))).toBeGreaterThanOrEqual(512 * 1024);
    expect(finals[0]).toBeGreaterThanOrEqual(512 * 1024);
    expect(finals[0]).toBeLessThanOrEqual(1024 * 1024);
  }, 60_000);

  test('streams of one session share its budget: four bulk streams put no more in flight than one would', async () => {
    const initialWindow = 64 * 1024;
    const { samples } = await uploads(4, 4 * 1024 * 1024, 10, { initialWindow, maxWindow: 1024 * 1024 });
    // Each grant fills a stream's window up to its share of the budget at that moment; a window
    // granted before the budget was split (or before it shrank) drains away, it is not taken back.
    for (const { windows, budget, active } of samples.slice(samples.length / 2)) {
      expect(windows).toBeLessThanOrEqual(Math.max(budget, active * initialWindow) + active * initialWindow);
    }
    // Without the budget, four streams would each have grown to the 1 MiB cap.
    expect(Math.max(...samples.map((s) => s.windows))).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);
});

describe('window sizing on loopback', () => {
  test('four bulk streams on a fast path share one budget instead of growing a window each', async () => {
    const maxWindow = 16 * 1024 * 1024;
    pair = await sessionPair({}, { maxWindow });
    const live = new Set<Stream>();
    let peak = 0;
    let peakBudget = 0;
    let finished = 0;
    let allFinished!: () => void;
    const done = new Promise<void>((resolve) => (allFinished = resolve));
    pair.server.on('stream', (request) => {
      const stream = request.accept();
      stream.end();
      live.add(stream);
      stream.on('data', () => {
        peak = Math.max(peak, windowsOf(live));
        peakBudget = Math.max(peakBudget, pair!.server.receiveBudget);
      });
      digest(stream).then(() => {
        live.delete(stream);
        if (++finished === 4) allFinished();
      });
    });
    const streams = await Promise.all([1, 2, 3, 4].map(() => pair!.client.open(Buffer.from('bulk'))));
    for (const stream of streams) stream.resume().end(Buffer.alloc(16 * 1024 * 1024));
    await done;
    // The budget is twice the 256 KiB initial window unless the measured product (rate × the
    // event loop's round trip, here) is larger; windows that grew towards the 16 MiB cap would
    // put that in flight on the one socket. A stream that started first took the whole budget
    // while alone, and gives it back as its credit drains: the others still hold their initial
    // windows meanwhile.
    expect(peakBudget).toBeLessThan(4 * 1024 * 1024);
    expect(peak).toBeLessThanOrEqual(peakBudget + 3 * 256 * 1024);
  }, 60_000);
});

describe('ReceiveWindow', () => {
  const KiB = 1024;

  test('grants once a quarter of a large window is consumed, and fills up to the target', () => {
    const window = new ReceiveWindow(512 * KiB);
    window.receive(512 * KiB);
    expect(window.grant(512 * KiB - 127 * KiB, 512 * KiB)).toBe(0); // 127 KiB consumed
    expect(window.grant(512 * KiB - 128 * KiB, 512 * KiB)).toBe(128 * KiB);
    expect(window.size).toBe(512 * KiB);
  });

  test('a small window waits for half of it, and no grant is below 64 KiB unless that is over half', () => {
    const small = new ReceiveWindow(32 * KiB);
    small.receive(32 * KiB);
    expect(small.grant(17 * KiB, 32 * KiB)).toBe(0);
    expect(small.grant(16 * KiB, 32 * KiB)).toBe(16 * KiB);
    const medium = new ReceiveWindow(192 * KiB);
    medium.receive(192 * KiB);
    expect(medium.grant(192 * KiB - 63 * KiB, 192 * KiB)).toBe(0);
    expect(medium.grant(192 * KiB - 64 * KiB, 192 * KiB)).toBe(64 * KiB);
  });

  test('where the path needs fine grants, every eighth of the window goes back at once, however small', () => {
    const window = new ReceiveWindow(128 * KiB);
    window.receive(128 * KiB);
    expect(window.grant(113 * KiB, 128 * KiB, true)).toBe(0);
    expect(window.grant(112 * KiB, 128 * KiB)).toBe(0);
    expect(window.grant(112 * KiB, 128 * KiB, true)).toBe(16 * KiB);
  });

  test('a reader that drained its buffer always gets the peer going again, whatever the window shrank to', () => {
    // A stream asks for a grant when its reader drains the readable buffer (at most a quarter of
    // the initial window); if nothing can be granted then, and the peer has no credit left, no
    // byte arrives to ask again: a deadlock. So every size a window may take must allow a grant.
    for (const initialWindow of [1024, 64 * KiB, 256 * KiB, 1024 * KiB]) {
      const readable = Math.min(64 * KiB, initialWindow / 4);
      const smallest = smallestWindow(initialWindow);
      for (const size of [smallest, initialWindow, 4 * initialWindow]) {
        for (const target of [smallest, initialWindow, 2 * initialWindow]) {
          for (const fine of [false, true]) {
            const window = new ReceiveWindow(size);
            window.receive(size); // the peer used all its credit
            expect(window.grant(readable, target, fine)).toBeGreaterThan(0);
          }
        }
      }
    }
  });

  test('growth alone is never worth a frame: a fresh stream grants nothing until it consumed enough', () => {
    const window = new ReceiveWindow(256 * KiB);
    expect(window.grant(0, 1024 * KiB)).toBe(0);
    window.receive(64 * KiB);
    expect(window.grant(0, 1024 * KiB)).toBe(64 * KiB + 768 * KiB);
    expect(window.size).toBe(1024 * KiB);
  });

  test('a smaller target takes effect as credit already granted is used up; held bytes never exceed the size', () => {
    const window = new ReceiveWindow(1024 * KiB);
    window.receive(1024 * KiB);
    // Half consumed, but the target is now 128 KiB and 512 KiB are still unconsumed: nothing to grant.
    expect(window.grant(512 * KiB, 128 * KiB)).toBe(0);
    expect(window.size).toBe(1024 * KiB);
    expect(window.grant(64 * KiB, 128 * KiB)).toBe(64 * KiB);
    expect(window.size).toBe(128 * KiB);
    expect(window.receive(64 * KiB)).toBe(true);
    expect(window.receive(1)).toBe(false);
  });
});
