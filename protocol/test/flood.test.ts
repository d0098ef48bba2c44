import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { WebSocket, WebSocketServer } from 'ws';
import { ErrorCode, FrameType } from '../src/constants.js';
import { decodeFrame, encodeFrame, type Frame } from '../src/frame.js';
import { Session, type SessionOptions } from '../src/session.js';
import { connect, listen } from './harness.js';

/** The TCP socket under a ws WebSocket; pausing it makes that end stop reading. */
const tcp = (socket: WebSocket) => (socket as unknown as { _socket: Socket })._socket;

interface Attack {
  victim: Session;
  /** A raw WebSocket that speaks frames by hand and reads nothing until told to. */
  attacker: WebSocket;
  send(frame: Frame): void;
  /** Starts reading: everything the victim sent, decoded, up to its WebSocket close. */
  readAll(): Promise<{ frames: Frame[]; closeCode: number }>;
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup) await step();
  cleanup = [];
});

/** A victim session (the server side) and an attacker that has sent its SETTINGS and stopped reading. */
async function attack(victimOptions: Omit<SessionOptions, 'role'> = {}): Promise<Attack> {
  const { server: wss, url } = await listen();
  const accepted = new Promise<Session>((resolve) =>
    wss.once('connection', (socket) => resolve(new Session(socket, { role: 'server', ...victimOptions }))),
  );
  const attacker = await connect(url);
  tcp(attacker).pause();
  const victim = await accepted;
  const send = (frame: Frame) => attacker.send(encodeFrame(frame));
  send({ type: FrameType.Settings, settings: [] });
  cleanup.push(
    () => victim.close('test done'),
    () => attacker.terminate(),
    () => new Promise<void>((resolve) => (wss as WebSocketServer).close(() => resolve())),
  );
  return {
    victim,
    attacker,
    send,
    readAll: () =>
      new Promise((resolve) => {
        const frames: Frame[] = [];
        attacker.on('message', (data: Buffer) => frames.push(decodeFrame(data)));
        attacker.once('close', (closeCode) => resolve({ frames, closeCode }));
        tcp(attacker).resume();
      }),
  };
}

function goAwayOf(frames: Frame[]) {
  const goAway = frames.find((frame) => frame.type === FrameType.GoAway);
  expect(goAway).toBeDefined();
  return goAway as Extract<Frame, { type: typeof FrameType.GoAway }>;
}

describe('control-frame floods end the session with ENHANCE_YOUR_CALM', () => {
  test('a PING flood from a peer that does not read', async () => {
    const { victim, send, readAll } = await attack();
    for (let i = 0; i < 20_000; i++) send({ type: FrameType.Ping, opaque: randomBytes(8) });
    const reason = await victim.closed;
    expect(reason).toMatchObject({ code: ErrorCode.EnhanceYourCalm, by: 'local' });
    expect(reason.message).toContain('more than 50 PINGs per second');

    const { frames, closeCode } = await readAll();
    // The burst was answered, nothing after it; the flooder is told why it was cut off.
    const pongs = frames.filter((frame) => frame.type === FrameType.Pong).length;
    expect(pongs).toBeGreaterThanOrEqual(500);
    expect(pongs).toBeLessThan(550); // the burst, and what the rate refilled while the flood arrived
    expect(goAwayOf(frames)).toMatchObject({ code: ErrorCode.EnhanceYourCalm });
    expect(goAwayOf(frames).reason).toContain('PINGs per second');
    expect(closeCode).toBe(1008);
  });

  test('a flood of OPENs the protocol refuses (each would cost an RST)', async () => {
    const { victim, send, readAll } = await attack({ maxStreams: 0 });
    for (let id = 1; id < 4_000; id += 2)
      send({ type: FrameType.Open, streamId: id, metadata: Buffer.alloc(0) });
    const reason = await victim.closed;
    expect(reason).toMatchObject({ code: ErrorCode.EnhanceYourCalm });
    expect(reason.message).toContain('refused OPENs');
    const { frames } = await readAll();
    const resets = frames.filter((frame) => frame.type === FrameType.Rst).length;
    expect(resets).toBeGreaterThanOrEqual(400);
    expect(resets).toBeLessThan(500);
  });

  test('frames that achieve nothing: unmatched PONGs, WINDOWs and RSTs for closed streams, empty DATA', async () => {
    const { victim, send } = await attack({ floodLimits: { unproductive: { perSecond: 1, burst: 100 } } });
    // Streams 1…99 opened and refused (the victim has no handler), so frames for them are in-flight leftovers.
    for (let id = 1; id < 200; id += 2)
      send({ type: FrameType.Open, streamId: id, metadata: Buffer.alloc(0) });
    for (let i = 0; i < 30; i++) {
      send({ type: FrameType.Pong, opaque: randomBytes(8) });
      send({ type: FrameType.Window, streamId: 1, increment: 65_536 });
      send({ type: FrameType.Rst, streamId: 3, code: ErrorCode.Cancel, reason: '' });
      send({ type: FrameType.Data, streamId: 5, fin: true, data: Buffer.alloc(0) });
    }
    const reason = await victim.closed;
    expect(reason).toMatchObject({ code: ErrorCode.EnhanceYourCalm });
    expect(reason.message).toContain('frames that achieve nothing');
  });

  test('a peer that does not read cannot make control frames pile up: RSTs with long reasons', async () => {
    const maxQueuedControlBytes = 64 * 1024;
    const { victim, send, readAll } = await attack({
      maxQueuedControlBytes,
      openRatePerSecond: 1e9,
      openBurst: 1e9,
      floodLimits: { refusedOpen: { perSecond: 1e9, burst: 1e9 } },
    });
    // Each 14-byte OPEN costs a 520-byte RST: an amplifier, were the RSTs queued without bound.
    const reason = 'x'.repeat(500);
    victim.on('stream', (request) => request.reject(reason));
    const flood = async () => {
      for (let id = 1; victim.state !== 'closed' && id < 200_000; id += 2) {
        send({ type: FrameType.Open, streamId: id, metadata: Buffer.alloc(0) });
        if (id % 2_000 === 1) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await flood();
    const closed = await victim.closed;
    expect(closed).toMatchObject({ code: ErrorCode.EnhanceYourCalm });
    expect(closed.message).toContain(`more than ${maxQueuedControlBytes} bytes of control frames queued`);
    const { frames } = await readAll();
    expect(goAwayOf(frames).code).toBe(ErrorCode.EnhanceYourCalm);
  }, 30_000);

  test("the session's own OPENs queued towards a peer that does not read are not a control flood", async () => {
    // Only the peer's own frames may end the session (two unmatched PONGs past a burst of one);
    // before that, 16 MiB of this side's OPENs sit queued behind the peer's full socket.
    const { victim, send } = await attack({ floodLimits: { unproductive: { perSecond: 1e-9, burst: 1 } } });
    const opens = Array.from({ length: 1_000 }, () =>
      victim.open(Buffer.alloc(16 * 1024)).catch(() => undefined),
    );
    while (victim.streamCount < opens.length) await new Promise((resolve) => setImmediate(resolve));
    send({ type: FrameType.Pong, opaque: randomBytes(8) });
    send({ type: FrameType.Pong, opaque: randomBytes(8) });
    const reason = await victim.closed;
    await Promise.all(opens);
    expect(reason.message).toContain('frames that achieve nothing');
  }, 30_000);

  test('WebSocket-level pings are not answered (ws would queue a pong for each)', async () => {
    const { attacker, victim, send } = await attack();
    let pongs = 0;
    attacker.on('pong', () => pongs++);
    tcp(attacker).resume();
    for (let i = 0; i < 100; i++) attacker.ping(randomBytes(8));
    // A session round trip after the pings: had they been answered, their pongs would be here first.
    const opaque = randomBytes(8);
    const answered = new Promise<void>((resolve) =>
      attacker.on('message', (data: Buffer) => {
        const frame = decodeFrame(data);
        if (frame.type === FrameType.Pong && frame.opaque.equals(opaque)) resolve();
      }),
    );
    send({ type: FrameType.Ping, opaque });
    await answered;
    expect(pongs).toBe(0);
    expect(victim.state).toBe('open');
  });
});
