import type { Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { WebSocket } from 'ws';
import { ErrorCode, FrameType } from '../src/constants.js';
import { encodeFrame } from '../src/frame.js';
import { Session } from '../src/session.js';
import { connect, listen, type Pair, sessionPair, sleep } from './harness.js';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

/** The TCP socket under a ws WebSocket; pausing it makes that end stop reading, as a hung peer would. */
const tcp = (socket: WebSocket) => (socket as unknown as { _socket: Socket })._socket;

describe('liveness', () => {
  test('ping() measures a round trip and feeds the smoothed RTT', async () => {
    pair = await sessionPair();
    const rtt = await pair.client.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(1_000);
    expect(pair.client.rttMs).toBeDefined();
    expect(pair.server.rttMs).toBeDefined();
  });

  test('periodic PINGs keep an idle session alive past the idle timeout', async () => {
    const fast = { pingIntervalMs: 20, idleTimeoutMs: 120, writeTimeoutMs: 120 };
    pair = await sessionPair(fast, fast);
    await sleep(400);
    expect([pair.client.state, pair.server.state]).toEqual(['open', 'open']);
  });

  test('a peer that stops reading is declared dead once the idle timeout has passed, not long after', async () => {
    const fast = { pingIntervalMs: 20, idleTimeoutMs: 200, writeTimeoutMs: 10_000 };
    pair = await sessionPair(fast, { pingIntervalMs: 50, idleTimeoutMs: 60_000 });
    await pair.client.ping();
    // The server keeps its timers (and keeps sending PINGs) but no longer reads anything, so only
    // the unanswered PINGs can tell.
    tcp(pair.serverSocket).pause();
    const started = performance.now();
    const reason = await pair.client.closed;
    const elapsed = performance.now() - started;
    expect(reason).toMatchObject({ code: ErrorCode.Timeout, by: 'local' });
    expect(reason.message).toContain('PING unanswered');
    expect(elapsed).toBeGreaterThanOrEqual(150);
    // Declared dead about when the timeout says, not much later; the margin absorbs a loaded CI box.
    expect(elapsed).toBeLessThan(200 + 1_500);
  });

  test('a peer that sends nothing at all is declared dead', async () => {
    const { server: wss, url } = await listen();
    const session = new Promise<Session>((resolve) =>
      wss.once('connection', (socket) =>
        resolve(new Session(socket, { role: 'server', pingIntervalMs: 20, idleTimeoutMs: 150 })),
      ),
    );
    const silent = await connect(url);
    tcp(silent).pause();
    const reason = await (await session).closed;
    expect(reason).toMatchObject({ code: ErrorCode.Timeout });
    expect(reason.message).toMatch(/nothing received|PING unanswered/);
    silent.terminate();
    await new Promise((r) => wss.close(r));
  });

  test('the write watchdog kills a session whose socket stops taking bytes', async () => {
    const sender = { pingIntervalMs: 60_000, idleTimeoutMs: 60_000, writeTimeoutMs: 200 };
    // A huge window so the sender can fill every kernel buffer on the way.
    pair = await sessionPair(sender, { initialWindow: 64 * 1024 * 1024, maxWindow: 64 * 1024 * 1024 });
    pair.server.on('stream', (request) => request.accept().on('error', () => {}));
    const stream = await pair.client.open(Buffer.from('{}'));
    stream.on('error', () => {});
    tcp(pair.serverSocket).pause();
    const started = performance.now();
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 48; i++) stream.write(chunk);
    const reason = await pair.client.closed;
    expect(reason).toMatchObject({ code: ErrorCode.Timeout });
    expect(reason.message).toContain('have still not left');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('PING payloads are random: a peer that never reads cannot answer them blind', async () => {
    const { server: wss, url } = await listen();
    const victim = new Promise<Session>((resolve) =>
      wss.once('connection', (socket) =>
        resolve(
          new Session(socket, {
            role: 'server',
            pingIntervalMs: 30,
            idleTimeoutMs: 300,
            writeTimeoutMs: 300,
          }),
        ),
      ),
    );
    const attacker = await connect(url);
    tcp(attacker).pause();
    const session = await victim;
    attacker.send(encodeFrame({ type: FrameType.Settings, settings: [] }));
    // Keeps sending, and answers the PINGs a counter would have carried (0, 1, 2, …) without reading.
    const started = performance.now();
    const guesses = setInterval(() => {
      const latest = Math.floor((performance.now() - started) / 30) + 2;
      for (let id = 0n; id <= BigInt(latest); id++) {
        const opaque = Buffer.alloc(8);
        opaque.writeBigUInt64BE(id);
        attacker.send(encodeFrame({ type: FrameType.Pong, opaque }));
      }
    }, 10);
    try {
      const reason = await session.closed;
      expect(reason).toMatchObject({ code: ErrorCode.Timeout });
      expect(reason.message).toContain('PING unanswered');
      expect(performance.now() - started).toBeLessThan(300 + 1_500);
    } finally {
      clearInterval(guesses);
      attacker.terminate();
      await new Promise((r) => wss.close(r));
    }
  });

  test('the write watchdog follows our queued bytes: a peer that trickles reads does not keep it alive', async () => {
    const victim = {
      highWaterMark: 64 * 1024 * 1024,
      pingIntervalMs: 60_000,
      idleTimeoutMs: 60_000,
      writeTimeoutMs: 500,
    };
    // The peer keeps talking (PINGs every 50 ms) and grants a window larger than anything sent.
    const big = { initialWindow: 64 * 1024 * 1024, maxWindow: 64 * 1024 * 1024, pingIntervalMs: 50 };
    pair = await sessionPair(victim, big);
    pair.server.on('stream', (request) =>
      request
        .accept()
        .resume()
        .on('error', () => {}),
    );
    const stream = await pair.client.open(Buffer.from('{}'));
    stream.on('error', () => {});
    // The peer reads 16 KiB every 20 ms while we queue 32 KiB every 5 ms: some of our writes
    // complete all along, yet the backlog only grows.
    const reader = tcp(pair.serverSocket);
    reader.pause();
    const trickle = setInterval(() => reader.read(16 * 1024), 20);
    const chunk = Buffer.alloc(32 * 1024);
    // When a backlog has formed that the reader never catches up with.
    let backlogSince: number | undefined;
    const producer = setInterval(() => {
      if (backlogSince === undefined && pair!.clientSocket.bufferedAmount > 256 * 1024) {
        backlogSince = performance.now();
      }
      stream.write(chunk);
    }, 5);
    try {
      const reason = await pair.client.closed;
      expect(reason).toMatchObject({ code: ErrorCode.Timeout });
      expect(reason.message).toContain('have still not left');
      // Its oldest bytes are half a second old about half a second after it formed; the writes
      // that do complete meanwhile do not count as progress.
      expect(backlogSince).toBeDefined();
      expect(performance.now() - backlogSince!).toBeLessThan(500 + 1_000);
    } finally {
      clearInterval(trickle);
      clearInterval(producer);
    }
  }, 20_000);
});
