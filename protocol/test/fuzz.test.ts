import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket, type WebSocketServer } from 'ws';
import { FrameType, SettingId } from '../src/constants.js';
import { encodeFrame } from '../src/frame.js';
import { Session } from '../src/session.js';
import { connect, digest, listen, mutate, prng, randomBytes, sessionPair, sha256 } from './harness.js';

const escaped: unknown[] = [];
const record = (error: unknown) => escaped.push(error);
let wss: WebSocketServer;
let url: string;
const accepted: Session[] = [];

beforeAll(async () => {
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  ({ server: wss, url } = await listen());
  wss.on('connection', (socket) => {
    const session = new Session(socket, { role: 'server', initialWindow: 4096 });
    session.on('stream', (request) => {
      const stream = request.accept();
      stream.on('error', () => {});
      stream.pipe(stream);
    });
    accepted.push(session);
  });
});

afterAll(async () => {
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
  await new Promise((resolve) => wss.close(resolve));
});

const vectors: Buffer[] = JSON.parse(
  readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'),
).valid.map((v: { hex: string }) => Buffer.from(v.hex, 'hex'));
const settings = encodeFrame({
  type: FrameType.Settings,
  settings: [{ id: SettingId.InitialWindow, value: 4096 }],
});
/** Frames a real opener would send, so mutations reach deep into the stream state machine. */
const conversation = [
  encodeFrame({ type: FrameType.Open, streamId: 1, metadata: Buffer.from('{"cluster":"a"}') }),
  encodeFrame({ type: FrameType.Data, streamId: 1, fin: false, data: Buffer.alloc(100, 1) }),
  encodeFrame({ type: FrameType.Window, streamId: 1, increment: 8192 }),
  encodeFrame({ type: FrameType.Data, streamId: 1, fin: true, data: Buffer.alloc(10, 2) }),
  encodeFrame({ type: FrameType.Ping, opaque: Buffer.alloc(8) }),
  encodeFrame({ type: FrameType.Open, streamId: 3, metadata: Buffer.alloc(0) }),
  encodeFrame({ type: FrameType.Rst, streamId: 3, code: 6, reason: 'bye' }),
];

async function closeOf(socket: WebSocket): Promise<number> {
  if (socket.readyState === WebSocket.CLOSED) return -1;
  return new Promise((resolve) => socket.once('close', resolve));
}

test('garbage and mutated frames end only the session they arrive on, with a reason', async () => {
  const random = prng(0xf022);
  const sessionsBefore = accepted.length;
  const runs = 150;
  for (let run = 0; run < runs; run++) {
    const raw = await connect(url);
    raw.on('error', () => {});
    const closed = closeOf(raw);
    const messages: Buffer[] = [];
    if (run % 4 !== 0) messages.push(settings);
    if (run % 2 === 1) messages.push(...conversation.slice(0, Math.floor(random() * conversation.length)));
    for (let i = 0; i < 1 + Math.floor(random() * 6); i++) {
      const kind = random();
      if (kind < 0.3) messages.push(randomBytes(random, Math.floor(random() * 64)));
      else if (kind < 0.6) messages.push(mutate(vectors[Math.floor(random() * vectors.length)]!, random));
      else messages.push(mutate(conversation[Math.floor(random() * conversation.length)]!, random));
    }
    for (const message of messages) raw.send(message);
    // Whatever survived, an unknown frame type is always fatal.
    raw.send(Buffer.from('01ff000000000000', 'hex'));
    const code = await closed;
    expect([1000, 1002, 1008, 1011, -1]).toContain(code);
    const session = accepted.at(-1)!;
    await session.closed;
    expect(session.closeReason!.message.length).toBeGreaterThan(0);
  }
  expect(accepted.length - sessionsBefore).toBe(runs);
  expect(escaped).toEqual([]);
});

test('a session on the same server keeps working while others are fed garbage', async () => {
  const healthy = await sessionPair();
  healthy.server.on('stream', (request) => {
    const stream = request.accept();
    stream.pipe(stream);
  });
  const stream = await healthy.client.open(Buffer.from('{}'));
  const payload = randomBytes(prng(3), 4_000_000);
  const echoed = digest(stream);
  stream.write(payload.subarray(0, 2_000_000));
  const random = prng(9);
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      const raw = await connect(url);
      raw.on('error', () => {});
      const closed = closeOf(raw);
      raw.send(settings);
      raw.send(randomBytes(random, 32));
      raw.send(Buffer.from('01ff000000000000', 'hex'));
      await closed;
    }),
  );
  stream.end(payload.subarray(2_000_000));
  expect(await echoed).toEqual({ sha256: sha256(payload), bytes: payload.length });
  expect(escaped).toEqual([]);
  await healthy.close();
});
