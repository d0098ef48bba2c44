import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, request } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError } from '../src/api/errors.js';
import type { KubeObject } from '../src/api/objects.js';
import { acceptPortForward, webSocketDuplex } from '../src/workloads/port-forward.js';
import {
  decodeFrame,
  decodeHeaderBlock,
  encodeFrame,
  encodeHeaderBlock,
  FLAG_FIN,
  type Frame,
  HeaderCodec,
  type SpdyHeaders,
  SpdyProtocolError,
} from '../src/workloads/spdy/frame.js';
import { SPDY3_HEADER_DICTIONARY } from '../src/workloads/spdy/header-dictionary.js';
import { SpdySession, type SpdyStream } from '../src/workloads/spdy/session.js';
import { acceptSpdyStreams, type SpdyStreamOptions } from '../src/workloads/spdy-streams.js';
import type { StreamSession, TerminalSize } from '../src/workloads/stream-session.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (condition()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('SPDY/3 header dictionary', () => {
  it('is byte for byte the one kubectl 1.28 carries', () => {
    expect(SPDY3_HEADER_DICTIONARY.length).toBe(1423);
    // SHA-256 of the 1423 bytes extracted from the kubectl.1.28 binary (moby/spdystream).
    expect(createHash('sha256').update(SPDY3_HEADER_DICTIONARY).digest('hex')).toBe(
      '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02',
    );
  });
});

describe('SPDY frames', () => {
  const vectors: [string, Frame, string][] = [
    ['PING', { type: 'ping', id: 1 }, '80030006 00000004 00000001'],
    ['RST_STREAM', { type: 'rst_stream', streamId: 3, status: 5 }, '80030003 00000008 00000003 00000005'],
    ['GOAWAY', { type: 'goaway', lastGoodStreamId: 5, status: 1 }, '80030007 00000008 00000005 00000001'],
    [
      'WINDOW_UPDATE',
      { type: 'window_update', streamId: 1, delta: 0x8000 },
      '80030009 00000008 00000001 00008000',
    ],
    [
      'SETTINGS',
      { type: 'settings', flags: 0, entries: [{ flags: 0, id: 7, value: 65536 }] },
      '80030004 0000000c 00000001 00000007 00010000',
    ],
    [
      'DATA with FIN',
      { type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.from('hi') },
      '00000001 01000002 6869',
    ],
    [
      'SYN_REPLY',
      { type: 'syn_reply', streamId: 1, flags: 0, headerBlock: hex('0102') },
      '80030002 00000006 00000001 0102',
    ],
    [
      'SYN_STREAM',
      {
        type: 'syn_stream',
        streamId: 3,
        associatedStreamId: 0,
        priority: 7,
        flags: 2,
        headerBlock: hex('ff'),
      },
      '80030001 0200000b 00000003 00000000 e000 ff',
    ],
  ];

  it.each(vectors)('%s encodes to the draft-3 layout and decodes back', (_name, frame, bytes) => {
    expect(encodeFrame(frame).toString('hex')).toBe(hex(bytes).toString('hex'));
    expect(decodeFrame(hex(bytes))).toEqual({ frame, length: hex(bytes).length });
  });

  it('waits for whole frames, skips frame types SPDY says to ignore', () => {
    const ping = hex('80030006 00000004 00000001');
    expect(decodeFrame(ping.subarray(0, 7))).toBeNull();
    expect(decodeFrame(ping.subarray(0, 11))).toBeNull();
    expect(decodeFrame(hex('80030005 00000000'))).toEqual({ frame: 'skip', length: 8 });
  });

  it.each([
    ['a SPDY/2 frame', '80020006 00000004 00000001'],
    ['a PING of the wrong length', '80030006 00000003 000000'],
    ['a RST_STREAM with status 0', '80030003 00000008 00000001 00000000'],
    ['a SYN_STREAM on stream 0', '80030001 0000000a 00000000 00000000 0000'],
    ['data on stream 0', '00000000 00000001 61'],
    ['SETTINGS whose count overruns the frame', '80030004 0000000c 00000002 00000007 00010000'],
  ])('rejects %s', (_name, bytes) => {
    expect(() => decodeFrame(hex(bytes))).toThrow(SpdyProtocolError);
  });
});

describe('SPDY header blocks', () => {
  // The first four SYN_STREAMs of `kubectl.1.28 exec -i p -- cat`, captured on the wire: each
  // block continues the zlib stream of the one before, so they only inflate in order.
  const kubectlSynStreams = [
    '80030001000000290000000100000000000078f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff',
    '800300010000001700000003000000000000c22e555c92929907000000ffff',
    '800300010000001900000005000000000000c22ac5565c92925f5a02000000ffff',
    '800300010000001500000007000000000000c229975a5404000000ffff',
  ];

  it('inflates kubectl blocks with one context for the whole session', async () => {
    const inflater = new HeaderCodec('inflate');
    const types: string[] = [];
    for (const [i, bytes] of kubectlSynStreams.entries()) {
      const frame = decodeFrame(hex(bytes))?.frame;
      if (!frame || frame === 'skip' || frame.type !== 'syn_stream') throw new Error('not a SYN_STREAM');
      expect(frame.streamId).toBe(2 * i + 1);
      types.push(decodeHeaderBlock(await inflater.process(frame.headerBlock)).streamtype ?? '');
    }
    expect(types).toEqual(['error', 'stdin', 'stdout', 'stderr']);
    inflater.close();
  });

  it('round-trips through our deflater, starting with the dictionary-tagged zlib header', async () => {
    const deflater = new HeaderCodec('deflate');
    const inflater = new HeaderCodec('inflate');
    const blocks: SpdyHeaders[] = [
      { streamtype: 'data', port: '8080', requestid: '0' },
      { streamtype: 'error', port: '8080', requestid: '0' },
      { 'x-multi': 'a\0b' },
      {},
    ];
    for (const [i, headers] of blocks.entries()) {
      const compressed = await deflater.process(encodeHeaderBlock(headers));
      // FDICT set, and the dictionary's Adler-32, exactly as spdystream starts its stream.
      if (i === 0) expect(compressed.subarray(0, 6).toString('hex')).toBe('78f9e3c6a7c2');
      expect(decodeHeaderBlock(await inflater.process(compressed))).toEqual(headers);
    }
    deflater.close();
    inflater.close();
  });

  it('rejects upper-case, duplicate and truncated names', () => {
    const block = (...pairs: string[]) => {
      const parts = [Buffer.alloc(4)];
      parts[0]?.writeUInt32BE(pairs.length / 2);
      for (const s of pairs) {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(s.length);
        parts.push(length, Buffer.from(s));
      }
      return Buffer.concat(parts);
    };
    expect(decodeHeaderBlock(block('streamtype', 'error'))).toEqual({ streamtype: 'error' });
    expect(() => decodeHeaderBlock(block('streamType', 'error'))).toThrow(SpdyProtocolError);
    expect(() => decodeHeaderBlock(block('port', '1', 'port', '2'))).toThrow(SpdyProtocolError);
    expect(() => decodeHeaderBlock(block('port', '1').subarray(0, 10))).toThrow(SpdyProtocolError);
  });

  it('fails, rather than hangs, on a corrupt compressed block', async () => {
    const inflater = new HeaderCodec('inflate');
    await expect(inflater.process(Buffer.from('not zlib at all'))).rejects.toThrow(SpdyProtocolError);
  });
});

/** A hand-driven SPDY peer on a raw TCP socket, facing a server SpdySession. */
async function rawPeer() {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const [serverSocket] = (await accepted) as [Socket];
  const session = new SpdySession(serverSocket, { role: 'server' });
  cleanups.push(() => {
    socket.destroy();
    serverSocket.destroy();
    server.close();
  });
  const frames: Frame[] = [];
  let input = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    input = Buffer.concat([input, chunk]);
    for (let next = decodeFrame(input); next; next = decodeFrame(input)) {
      if (next.frame !== 'skip') frames.push(next.frame);
      input = input.subarray(next.length);
    }
  });
  const deflater = new HeaderCodec('deflate');
  cleanups.push(() => deflater.close());
  return {
    session,
    socket,
    frames,
    send: (...list: Frame[]) => socket.write(Buffer.concat(list.map(encodeFrame))),
    synStream: async (streamId: number, headers: Record<string, string>): Promise<Frame> => ({
      type: 'syn_stream',
      streamId,
      associatedStreamId: 0,
      priority: 0,
      flags: 0,
      headerBlock: await deflater.process(encodeHeaderBlock(headers)),
    }),
    dataBytes: (streamId: number) =>
      frames.reduce((n, f) => n + (f.type === 'data' && f.streamId === streamId ? f.data.length : 0), 0),
  };
}

describe('SPDY session', () => {
  it('answers PING and accepts streams with SYN_REPLY', async () => {
    const peer = await rawPeer();
    const streams: SpdyStream[] = [];
    peer.session.on('stream', (stream) => {
      streams.push(stream);
      stream.reply();
    });
    peer.send({ type: 'ping', id: 7 }, await peer.synStream(1, { streamtype: 'error' }));
    await waitUntil(() => peer.frames.length >= 2, 'ping and reply');
    expect(peer.frames).toContainEqual({ type: 'ping', id: 7 });
    expect(peer.frames.find((f) => f.type === 'syn_reply')).toMatchObject({ streamId: 1, flags: 0 });
    expect(streams[0]?.headers).toEqual({ streamtype: 'error' });
  });

  it('writes within the peer windows, and WINDOW_UPDATE on stream and session unblocks it', async () => {
    const peer = await rawPeer();
    let written = false;
    peer.session.on('stream', (stream) => {
      stream.write(Buffer.alloc(100 * 1024, 1), () => {
        written = true;
      });
    });
    // SETTINGS is how the peer says it does SPDY/3.1 flow control.
    peer.send(
      { type: 'settings', flags: 0, entries: [{ flags: 0, id: 7, value: 65536 }] },
      await peer.synStream(1, { streamtype: 'stdout' }),
    );
    await waitUntil(() => peer.dataBytes(1) === 65536, 'one window of data');
    await sleep(50);
    expect(peer.dataBytes(1)).toBe(65536);
    expect(written).toBe(false);

    peer.send({ type: 'window_update', streamId: 1, delta: 40960 });
    await sleep(50);
    expect(peer.dataBytes(1)).toBe(65536); // the session window is still empty

    peer.send({ type: 'window_update', streamId: 0, delta: 10000 });
    await waitUntil(() => peer.dataBytes(1) === 75536, 'the session window update');
    peer.send({ type: 'window_update', streamId: 0, delta: 1 << 20 });
    await waitUntil(() => written, 'the write to complete');
    expect(peer.dataBytes(1)).toBe(100 * 1024);
  });

  it('does not hold back from a peer without flow control, as kubectl (spdystream) is', async () => {
    const peer = await rawPeer();
    let written = false;
    peer.session.on('stream', (stream) => {
      stream.end(Buffer.alloc(300 * 1024, 2), () => {
        written = true;
      });
    });
    peer.send(await peer.synStream(1, { streamtype: 'stdout' }));
    await waitUntil(() => written && peer.dataBytes(1) === 300 * 1024, 'all data');
    expect(peer.frames.at(-1)).toMatchObject({ type: 'data', streamId: 1, flags: FLAG_FIN });
  });

  it('gives the window back as data is consumed', async () => {
    const peer = await rawPeer();
    let received = 0;
    peer.session.on('stream', (stream) => {
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
    });
    peer.send(await peer.synStream(1, { streamtype: 'stdin' }), {
      type: 'data',
      streamId: 1,
      flags: 0,
      data: Buffer.alloc(40000),
    });
    await waitUntil(
      () => peer.frames.filter((f) => f.type === 'window_update').length === 2,
      'window updates',
    );
    expect(received).toBe(40000);
    expect(peer.frames).toContainEqual({ type: 'window_update', streamId: 1, delta: 40000 });
    expect(peer.frames).toContainEqual({ type: 'window_update', streamId: 0, delta: 40000 });
  });

  it('ends a stream on FIN and on RST_STREAM', async () => {
    const peer = await rawPeer();
    const ended: string[] = [];
    peer.session.on('stream', (stream) => {
      stream.reply();
      stream.on('end', () => ended.push(stream.headers.streamtype ?? ''));
      stream.on('reset', (status: number) => ended.push(`reset ${status}`));
      stream.resume();
    });
    peer.send(
      await peer.synStream(1, { streamtype: 'stdin' }),
      { type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.from('x') },
      await peer.synStream(3, { streamtype: 'resize' }),
      { type: 'rst_stream', streamId: 3, status: 5 },
    );
    await waitUntil(() => ended.length === 3, 'both streams to end');
    expect(ended.sort()).toEqual(['reset 5', 'resize', 'stdin']);
  });

  it.each([
    ['a frame of another SPDY version', () => hex('80020006 00000004 00000001')],
    ['a header block that is not zlib', () => hex('80030001 0000000e 00000001 00000000 0000 6e6f7065')],
    ['a WINDOW_UPDATE of the wrong length', () => hex('80030009 00000004 00000001')],
  ])('answers %s with GOAWAY(PROTOCOL_ERROR) and hangs up', async (_name, bytes) => {
    const peer = await rawPeer();
    peer.session.on('stream', (stream) => stream.reply());
    const closed = once(peer.socket, 'close');
    peer.socket.write(bytes());
    await closed;
    expect(peer.frames.at(-1)).toEqual({ type: 'goaway', lastGoodStreamId: 0, status: 1 });
    await waitUntil(() => peer.session.isClosed, 'the session to close');
  });

  it('ping() measures a round trip between two sessions', async () => {
    const peer = await rawPeer();
    const client = new SpdySession(peer.socket, { role: 'client' });
    await expect(client.ping()).resolves.toBeGreaterThanOrEqual(0);
    await expect(peer.session.ping()).resolves.toBeGreaterThanOrEqual(0);
  });
});

/** An HTTP server whose upgrade handler is the code under test. */
async function upgradeServer(onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void) {
  const server = createServer((_req, res) => res.end());
  server.on('upgrade', onUpgrade);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

type Upgrade =
  | { status: 101; headers: IncomingMessage['headers']; session: SpdySession }
  | { status: number; headers: IncomingMessage['headers']; body: string };

function spdyUpgrade(port: number, path: string, protocols: string[]): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { Connection: 'Upgrade', Upgrade: 'SPDY/3.1' };
    if (protocols.length) headers['X-Stream-Protocol-Version'] = protocols;
    const req = request({ port, host: '127.0.0.1', path, method: 'POST', headers });
    req.on('upgrade', (res, socket, head) => {
      const session = new SpdySession(socket, { role: 'client', head });
      cleanups.push(() => socket.destroy());
      resolve({ status: 101, headers: res.headers, session });
    });
    req.on('response', async (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: (await readAll(res)).toString() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('acceptSpdyStreams', () => {
  /** Echoes stdin to stdout, says something on stderr, exits with the code given as command. */
  function echoServer(options: SpdyStreamOptions, seen: { session?: StreamSession; error?: unknown } = {}) {
    return upgradeServer(async (req, socket, head) => {
      try {
        const session = await acceptSpdyStreams(req, socket, head, options);
        seen.session = session;
        session.stderr?.write('to stderr\n');
        if (session.stdin) for await (const chunk of session.stdin) session.stdout?.write(chunk);
        const code = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('code') ?? 0);
        session.finish({ kind: 'exit', code, command: ['sh', '-c', `exit ${code}`] });
      } catch (error) {
        seen.error = error;
      }
    });
  }

  const streamsOf = (session: SpdySession, types: string[]) =>
    Object.fromEntries(types.map((t) => [t, session.openStream({ streamtype: t })]));

  it('runs an exec over v4: stdin half-close, stdout, stderr, and the exit code as a Status', async () => {
    const port = await echoServer({ tty: false, stdin: true, stdout: true, stderr: true });
    const up = await spdyUpgrade(port, '/exec?code=3', [
      'v4.channel.k8s.io',
      'v3.channel.k8s.io',
      'channel.k8s.io',
    ]);
    if (up.status !== 101 || !('session' in up)) throw new Error(`upgrade failed: ${up.status}`);
    expect(up.headers).toMatchObject({
      connection: 'Upgrade',
      upgrade: 'SPDY/3.1',
      'x-stream-protocol-version': 'v4.channel.k8s.io',
    });
    const s = streamsOf(up.session, ['error', 'stdin', 'stdout', 'stderr']);
    s.stdin?.end('hello\nworld\n');
    const [stdout, stderr, status] = await Promise.all(
      ['stdout', 'stderr', 'error'].map((t) => readAll(s[t] as SpdyStream)),
    );
    expect(stdout?.toString()).toBe('hello\nworld\n');
    expect(stderr?.toString()).toBe('to stderr\n');
    expect(JSON.parse(status?.toString() ?? '')).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    await waitUntil(() => up.session.isClosed, 'the server to hang up');
  });

  it('speaks the bare-message error stream of v2, and says nothing on success', async () => {
    const port = await echoServer({ tty: false, stdin: false, stdout: true, stderr: false });
    for (const [code, expected] of [
      ['0', ''],
      [
        '2',
        'command terminated with non-zero exit code: error executing command [sh -c exit 2], exit code 2',
      ],
    ]) {
      const up = await spdyUpgrade(port, `/exec?code=${code}`, ['v2.channel.k8s.io']);
      if (!('session' in up)) throw new Error('upgrade failed');
      expect(up.headers['x-stream-protocol-version']).toBe('v2.channel.k8s.io');
      const s = streamsOf(up.session, ['error', 'stdout']);
      expect((await readAll(s.error as SpdyStream)).toString()).toBe(expected);
    }
  });

  it('decodes the resize stream incrementally in tty mode', async () => {
    const seen: { session?: StreamSession } = {};
    const port = await upgradeServer(async (req, socket, head) => {
      seen.session = await acceptSpdyStreams(req, socket, head, {
        tty: true,
        stdin: true,
        stdout: true,
        stderr: true,
      });
    });
    const up = await spdyUpgrade(port, '/exec', ['v4.channel.k8s.io']);
    if (!('session' in up)) throw new Error('upgrade failed');
    const s = streamsOf(up.session, ['error', 'stdin', 'stdout', 'resize']);
    await waitUntil(() => seen.session !== undefined, 'the stream session');
    expect(seen.session?.stderr).toBeUndefined();
    const sizes: TerminalSize[] = [];
    seen.session?.onResize((size) => sizes.push(size));
    s.resize?.write('{"Width":80,"Hei');
    s.resize?.write('ght":24}\n{"width":132,"height":40}');
    await waitUntil(() => sizes.length === 2, 'two resizes');
    expect(sizes).toEqual([
      { width: 80, height: 24 },
      { width: 132, height: 40 },
    ]);
  });

  it('tells the engine when the client goes away before the result', async () => {
    const seen: { session?: StreamSession } = {};
    const port = await upgradeServer(async (req, socket, head) => {
      seen.session = await acceptSpdyStreams(req, socket, head, {
        tty: false,
        stdin: false,
        stdout: true,
        stderr: false,
      });
    });
    const up = await spdyUpgrade(port, '/exec', ['v4.channel.k8s.io']);
    if (!('session' in up)) throw new Error('upgrade failed');
    streamsOf(up.session, ['error', 'stdout']);
    await waitUntil(() => seen.session !== undefined, 'the stream session');
    let gone = false;
    seen.session?.onClose(() => {
      gone = true;
    });
    up.session.close();
    await waitUntil(() => gone, 'onClose');
  });

  it('refuses like the kubelet when no protocol matches or none is offered', async () => {
    const seen: { error?: unknown } = {};
    const port = await echoServer({ tty: false, stdin: false, stdout: true, stderr: false }, seen);
    const refused = await spdyUpgrade(port, '/exec', ['v5.channel.k8s.io']);
    expect(refused.status).toBe(403);
    expect(refused.headers['x-accepted-stream-protocol-versions']).toBe(
      'v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io',
    );
    expect('body' in refused && refused.body).toBe(
      'unable to upgrade: unable to negotiate protocol: client supports [v5.channel.k8s.io], server accepts [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]\n',
    );
    expect(seen.error).toBeInstanceOf(ApiError);
    const missing = await spdyUpgrade(port, '/exec', []);
    expect(missing.status).toBe(400);
    expect('body' in missing && missing.body).toBe(
      'unable to upgrade: X-Stream-Protocol-Version is required\n',
    );
  });

  it('gives up and hangs up when the client never opens all its streams', async () => {
    const seen: { error?: unknown } = {};
    const port = await upgradeServer(async (req, socket, head) => {
      const options = { tty: false, stdin: false, stdout: true, stderr: false, streamCreationTimeoutMs: 100 };
      await acceptSpdyStreams(req, socket, head, options).catch((error: unknown) => {
        seen.error = error;
      });
    });
    const up = await spdyUpgrade(port, '/exec', ['v4.channel.k8s.io']);
    if (!('session' in up)) throw new Error('upgrade failed');
    streamsOf(up.session, ['error']);
    await waitUntil(() => up.session.isClosed, 'the server to hang up');
    expect(String(seen.error)).toContain('timed out waiting for client to create streams');
  });
});

describe('acceptPortForward', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  };
  const sandbox = createHash('sha256').update('u1').digest('hex');

  /** Port 80 echoes in upper case; any other port is refused. */
  async function forwardServer() {
    const echo = createNetServer((socket) => {
      socket.on('data', (chunk: Buffer) => socket.write(chunk.toString().toUpperCase()));
      socket.on('end', () => socket.end());
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    cleanups.push(() => echo.close());
    const echoPort = (echo.address() as AddressInfo).port;
    return upgradeServer((req, socket, head) =>
      acceptPortForward(req, socket, head, pod, async (port) => {
        if (port !== 80) throw new Error(`dial tcp4 127.0.0.1:${port}: connect: connection refused`);
        const target = connect(echoPort, '127.0.0.1');
        await once(target, 'connect');
        return target;
      }),
    );
  }

  /** One forwarded connection, as client-go makes it: an error stream, then a data stream. */
  async function forwardOnce(session: SpdySession, port: number, requestId: string, payload: string) {
    const headers = { port: String(port), requestid: requestId };
    const error = session.openStream({ ...headers, streamtype: 'error' });
    error.end();
    const data = session.openStream({ ...headers, streamtype: 'data' });
    data.end(payload);
    const [reply, message] = await Promise.all([readAll(data), readAll(error)]);
    return { reply: reply.toString(), error: message.toString() };
  }

  it('forwards paired SPDY streams, several connections on one session', async () => {
    const port = await forwardServer();
    const up = await spdyUpgrade(port, '/portforward', ['portforward.k8s.io']);
    if (!('session' in up)) throw new Error('upgrade failed');
    expect(up.headers['x-stream-protocol-version']).toBe('portforward.k8s.io');
    const results = await Promise.all([
      forwardOnce(up.session, 80, '0', 'first'),
      forwardOnce(up.session, 80, '1', 'second'),
    ]);
    expect(results).toEqual([
      { reply: 'FIRST', error: '' },
      { reply: 'SECOND', error: '' },
    ]);
    expect(await forwardOnce(up.session, 81, '2', 'x')).toEqual({
      reply: '',
      error: `error forwarding port 81 to pod ${sandbox}, uid : dial tcp4 127.0.0.1:81: connect: connection refused`,
    });
  });

  it('resets a stream without a usable port header', async () => {
    const port = await forwardServer();
    const up = await spdyUpgrade(port, '/portforward', ['portforward.k8s.io']);
    if (!('session' in up)) throw new Error('upgrade failed');
    const stream = up.session.openStream({ streamtype: 'data', port: 'http', requestid: '0' });
    const [status] = await once(stream, 'reset');
    expect(status).toBe(5);
  });

  it('tunnels the SPDY session through a WebSocket, as kubectl ≥1.31 does', async () => {
    const port = await forwardServer();
    // ws, like the server side, refuses a subprotocol with a '/', which gorilla (kubectl) sends:
    // offer it by hand and take the answer off the response before ws checks it.
    const tunnel = 'SPDY/3.1+portforward.k8s.io';
    const ws = new WebSocket(`ws://127.0.0.1:${port}/portforward`, {
      headers: { 'Sec-WebSocket-Protocol': tunnel },
    });
    cleanups.push(() => ws.terminate());
    let answered: string | string[] | undefined;
    ws.on('upgrade', (res: IncomingMessage) => {
      answered = res.headers['sec-websocket-protocol'];
      delete res.headers['sec-websocket-protocol'];
    });
    await once(ws, 'open');
    expect(answered).toBe(tunnel);
    const session = new SpdySession(webSocketDuplex(ws), { role: 'client' });
    expect(await forwardOnce(session, 80, '0', 'tunneled')).toEqual({ reply: 'TUNNELED', error: '' });
  });

  it('speaks v4.channel.k8s.io: port-tagged channel pairs, errors on the odd channel', async () => {
    const port = await forwardServer();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/portforward?ports=80,81`, [
      'v5.channel.k8s.io',
      'v4.channel.k8s.io',
    ]);
    cleanups.push(() => ws.terminate());
    const messages: Buffer[] = [];
    ws.on('message', (data: Buffer) => messages.push(data));
    const closed = once(ws, 'close');
    await once(ws, 'open');
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    await waitUntil(() => messages.length >= 4, 'the port announcements');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('over channels')]));
    await waitUntil(() => messages.some((m) => m[0] === 0 && m.length > 3), 'the echo');
    ws.close();
    await closed;
    const byChannel = (channel: number) => messages.filter((m) => m[0] === channel).map((m) => m.subarray(1));
    expect(byChannel(0).map((m) => m.toString('hex'))).toEqual([
      '5000',
      Buffer.from('OVER CHANNELS').toString('hex'),
    ]);
    expect(byChannel(1)).toEqual([hex('5000')]);
    expect(byChannel(2)).toEqual([hex('5100')]);
    expect(byChannel(3).map((m) => m.toString())).toEqual([
      'Q\0',
      `error forwarding port 81 to pod ${sandbox}, uid : dial tcp4 127.0.0.1:81: connect: connection refused`,
    ]);
  });
});
