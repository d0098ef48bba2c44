import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { webSocketOptions } from '../src/constants.js';
import { Session, type SessionOptions } from '../src/session.js';
import type { Stream } from '../src/stream.js';

type SideOptions = Omit<SessionOptions, 'role'>;

export interface Pair {
  client: Session;
  server: Session;
  clientSocket: WebSocket;
  serverSocket: WebSocket;
  close(): Promise<void>;
}

/** A WebSocketServer on an ephemeral loopback port. */
export async function listen(maxFramePayload?: number): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...webSocketOptions(maxFramePayload) });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function connect(url: string, maxFramePayload?: number): Promise<WebSocket> {
  const socket = new WebSocket(url, webSocketOptions(maxFramePayload));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Two sessions over a real WebSocket on loopback. */
export async function sessionPair(
  clientOptions: SideOptions = {},
  serverOptions: SideOptions = {},
): Promise<Pair> {
  const { server: wss, url } = await listen(serverOptions.maxFramePayload);
  const accepted = new Promise<{ socket: WebSocket; session: Session }>((resolve) => {
    wss.once('connection', (socket) =>
      resolve({ socket, session: new Session(socket, { role: 'server', ...serverOptions }) }),
    );
  });
  const clientSocket = new WebSocket(url, webSocketOptions(clientOptions.maxFramePayload));
  const client = new Session(clientSocket, { role: 'client', ...clientOptions });
  const { socket: serverSocket, session: server } = await accepted;
  return {
    client,
    server,
    clientSocket,
    serverSocket,
    async close() {
      client.close('test done');
      server.close('test done');
      clientSocket.terminate();
      serverSocket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Small seeded PRNG (mulberry32) so fuzz runs are reproducible. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(random: () => number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** Reads a stream to its end, returning the SHA-256 of everything and the byte count. */
export function digest(stream: Stream): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    stream.once('end', () => resolve({ sha256: hash.digest('hex'), bytes }));
    stream.once('error', reject);
  });
}

/** Flips, inserts, deletes or truncates a few bytes. */
export function mutate(frame: Buffer, random: () => number): Buffer {
  let bytes = Buffer.from(frame);
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (bytes.length + 1));
    const choice = random();
    if (choice < 0.5 && bytes.length > 0)
      bytes[Math.min(at, bytes.length - 1)]! ^= 1 << Math.floor(random() * 8);
    else if (choice < 0.7)
      bytes = Buffer.concat([bytes.subarray(0, at), randomBytes(random, 1), bytes.subarray(at)]);
    else if (choice < 0.9) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
    else bytes = bytes.subarray(0, at);
  }
  return bytes;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function once<T>(
  emitter: { once(event: string, listener: (value: T) => void): unknown },
  event: string,
) {
  return new Promise<T>((resolve) => emitter.once(event, resolve));
}

/** Resolves when the stream has emitted 'close', even if that already happened. */
export function closed(stream: Stream): Promise<void> {
  return stream.closed ? Promise.resolve() : new Promise((resolve) => stream.once('close', () => resolve()));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
