import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, test } from 'vitest';
import { ErrorCode, FrameType } from '../src/constants.js';
import { StreamResetError } from '../src/errors.js';
import { decodeFrame } from '../src/frame.js';
import type { IncomingStream } from '../src/incoming-stream.js';
import type { CloseReason, GoAwayNotice } from '../src/session.js';
import type { Stream } from '../src/stream.js';
import { closed, digest, once, type Pair, prng, randomBytes, sessionPair, sha256, sleep } from './harness.js';

let pair: Pair;
afterEach(async () => {
  await pair?.close();
});

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function acceptAll(pairSide: Pair['server'], handle: (stream: Stream) => void = () => {}): void {
  pairSide.on('stream', (request) => handle(request.accept()));
}

function echo(stream: Stream): void {
  stream.pipe(stream);
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

async function rejection(promise: Promise<unknown>): Promise<StreamResetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StreamResetError);
  return error as StreamResetError;
}

/** One stream opened by the client and accepted by the server. */
async function openStream(sessions: Pair): Promise<{ clientStream: Stream; serverStream: Stream }> {
  const accepted = once<IncomingStream>(sessions.server, 'stream');
  const opening = sessions.client.open(json({}));
  const serverStream = (await accepted).accept();
  return { clientStream: await opening, serverStream };
}

describe('opening streams', () => {
  test('metadata reaches the acceptor, and both directions carry bytes', async () => {
    pair = await sessionPair();
    const seen = once<IncomingStream>(pair.server, 'stream');
    const opening = pair.client.open(json({ cluster: 'prod', mode: 'impersonate' }));
    const request = await seen;
    expect(JSON.parse(request.metadata.toString())).toEqual({ cluster: 'prod', mode: 'impersonate' });
    expect(request.id % 2).toBe(1);
    echo(request.accept());
    const stream = await opening;
    const payload = randomBytes(prng(1), 1_000_000);
    const received = digest(stream);
    stream.end(payload);
    expect(await received).toEqual({ sha256: sha256(payload), bytes: payload.length });
  });

  test('the acceptor side can open streams too, with even ids', async () => {
    pair = await sessionPair();
    acceptAll(pair.client, echo);
    const stream = await pair.server.open(json({ probe: true }));
    expect(stream.id % 2).toBe(0);
    const received = digest(stream);
    stream.end('ping');
    expect((await received).bytes).toBe(4);
  });

  test('a rejection reaches open() with its code and reason', async () => {
    pair = await sessionPair();
    pair.server.on('stream', (request) => request.reject('cluster offline'));
    const error = await rejection(pair.client.open(json({ cluster: 'gone' })));
    expect(error).toMatchObject({ code: ErrorCode.Rejected, reason: 'cluster offline', remote: true });
  });

  test('a session without a stream handler refuses', async () => {
    pair = await sessionPair();
    const error = await rejection(pair.client.open(json({})));
    expect(error).toMatchObject({ code: ErrorCode.Refused, reason: 'no stream handler' });
  });

  test('an acceptor may answer later; an opener that gives up aborts the pending request', async () => {
    pair = await sessionPair();
    const requests: IncomingStream[] = [];
    pair.server.on('stream', (request) => requests.push(request));
    const controller = new AbortController();
    const abandoned = pair.client.open(json({ n: 1 }), { signal: controller.signal });
    const patient = pair.client.open(json({ n: 2 }));
    while (requests.length < 2) await sleep(1);
    controller.abort(new Error('user pressed ctrl-c'));
    await expect(abandoned).rejects.toThrow('user pressed ctrl-c');
    await aborted(requests[0]!.signal);
    expect(() => requests[0]!.accept()).toThrow(StreamResetError);
    await sleep(20);
    echo(requests[1]!.accept());
    const stream = await patient;
    const received = digest(stream);
    stream.end('late but fine');
    expect((await received).bytes).toBe(13);
    expect(pair.server.streamCount).toBeLessThanOrEqual(1);
  });

  test('a relay-style pairing passes the far side rejection reason through', async () => {
    pair = await sessionPair(); // user ⇄ relay
    const agentLink = await sessionPair(); // relay ⇄ agent
    try {
      agentLink.server.on('stream', (request) => {
        const { cluster } = JSON.parse(request.metadata.toString());
        if (cluster === 'offline') request.reject('cluster offline');
        else echo(request.accept());
      });
      pair.server.on('stream', async (request) => {
        try {
          const upstream = await agentLink.client.open(request.metadata);
          const downstream = request.accept();
          pipeline(downstream, upstream, downstream).catch(() => {});
        } catch (error) {
          const { code, reason } = error as StreamResetError;
          request.reject(reason, code);
        }
      });
      const refused = await rejection(pair.client.open(json({ cluster: 'offline' })));
      expect(refused).toMatchObject({ code: ErrorCode.Rejected, reason: 'cluster offline' });

      const stream = await pair.client.open(json({ cluster: 'prod' }));
      const payload = randomBytes(prng(2), 3_000_000);
      const received = digest(stream);
      stream.end(payload);
      expect(await received).toEqual({ sha256: sha256(payload), bytes: payload.length });
    } finally {
      await agentLink.close();
    }
  });
});

describe('framing', () => {
  test('the writes of one event-loop turn leave as few frames as the frame limit allows, bytes in order', async () => {
    pair = await sessionPair();
    const { clientStream, serverStream } = await openStream(pair);
    const dataFrames: number[] = [];
    pair.serverSocket.on('message', (bytes: Buffer) => {
      const frame = decodeFrame(bytes);
      if (frame.type === FrameType.Data && frame.streamId === clientStream.id)
        dataFrames.push(frame.data.length);
    });
    const received = digest(serverStream);
    // Eight 16 KiB writes in one turn (as a TLS upstream delivers 16 KiB records), then 1 byte.
    const sent = randomBytes(prng(7), 8 * 16 * 1024 + 1);
    for (let offset = 0; offset < sent.length; offset += 16 * 1024) {
      clientStream.write(sent.subarray(offset, offset + 16 * 1024));
    }
    clientStream.end();
    expect(await received).toEqual({ sha256: sha256(sent), bytes: sent.length });
    // 64 KiB is the default frame limit: two full frames, then the last byte, then the FIN.
    expect(dataFrames).toEqual([65_536, 65_536, 1, 0]);
  });
});

describe('half-close and reset', () => {
  test('the opener half-closes first; the acceptor keeps sending, then closes', async () => {
    pair = await sessionPair();
    const { clientStream, serverStream } = await openStream(pair);

    const serverReceived = digest(serverStream);
    clientStream.end('request');
    expect((await serverReceived).bytes).toBe(7);

    const clientReceived = digest(clientStream);
    serverStream.write('response part 1, ');
    await sleep(10);
    serverStream.end('part 2');
    expect((await clientReceived).bytes).toBe(23);
    await Promise.all([closed(clientStream), closed(serverStream)]);
    expect([pair.client.streamCount, pair.server.streamCount]).toEqual([0, 0]);
  });

  test('the acceptor half-closes first; the opener keeps sending', async () => {
    pair = await sessionPair();
    const { clientStream, serverStream } = await openStream(pair);

    const clientReceived = digest(clientStream);
    serverStream.end('banner');
    expect((await clientReceived).bytes).toBe(6);
    const serverReceived = digest(serverStream);
    clientStream.end(Buffer.alloc(500_000, 1));
    expect((await serverReceived).bytes).toBe(500_000);
    await Promise.all([closed(clientStream), closed(serverStream)]);
    expect([pair.client.streamCount, pair.server.streamCount]).toEqual([0, 0]);
  });

  test('reset() reaches the peer as a StreamResetError with code and reason', async () => {
    pair = await sessionPair();
    const { clientStream, serverStream } = await openStream(pair);
    const failed = once<Error>(clientStream, 'error');
    serverStream.reset(ErrorCode.Cancel, 'apiserver connection lost');
    expect(await failed).toMatchObject({
      code: ErrorCode.Cancel,
      reason: 'apiserver connection lost',
      remote: true,
    });
    await sleep(10);
    expect([pair.client.streamCount, pair.server.streamCount]).toEqual([0, 0]);
  });

  test('destroying a stream with an error resets the peer with that message', async () => {
    pair = await sessionPair();
    const { clientStream, serverStream } = await openStream(pair);
    clientStream.on('error', () => {});
    const failed = once<Error>(serverStream, 'error');
    clientStream.destroy(new Error('local socket ECONNRESET'));
    expect(await failed).toMatchObject({ code: ErrorCode.Cancel, reason: 'local socket ECONNRESET' });
  });
});

describe('limits', () => {
  test('OPENs beyond max concurrent streams are refused; closing one frees a slot', async () => {
    pair = await sessionPair({}, { maxStreams: 2 });
    acceptAll(pair.server, echo);
    const first = await pair.client.open(json({}));
    await pair.client.open(json({}));
    // The opener knows the peer's limit from SETTINGS and refuses locally.
    expect(await rejection(pair.client.open(json({})))).toMatchObject({
      code: ErrorCode.Refused,
      remote: false,
    });
    first.end();
    first.resume();
    await closed(first);
    await sleep(5);
    await expect(pair.client.open(json({}))).resolves.toBeDefined();
  });

  test('the acceptor refuses OPENs beyond its limit even when the opener ignores it', async () => {
    pair = await sessionPair({ maxStreams: 1 }, {});
    acceptAll(pair.client);
    // The server believes the client allows one stream; open two anyway by racing the checks.
    const results = await Promise.allSettled([pair.server.open(json({})), pair.server.open(json({}))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  test('OPENs beyond the rate limit are refused with a reason', async () => {
    pair = await sessionPair({}, { openRatePerSecond: 1, openBurst: 3 });
    acceptAll(pair.server);
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => pair.client.open(json({}))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: ErrorCode.Refused, reason: 'OPEN rate limit exceeded' });
  });

  test('metadata over the peer limit is refused before it is sent', async () => {
    pair = await sessionPair({}, { maxMetadata: 64 });
    await expect(pair.client.open(Buffer.alloc(65))).rejects.toThrow(RangeError);
    expect(pair.client.state).toBe('open');
  });
});

describe('GOAWAY and close', () => {
  test('drain: in-flight streams finish, new opens are refused both ways, then both sides close', async () => {
    pair = await sessionPair();
    acceptAll(pair.server, echo);
    acceptAll(pair.client, echo);
    const inFlight = await Promise.all([pair.client.open(json({ n: 1 })), pair.client.open(json({ n: 2 }))]);
    const payloads = inFlight.map((_, i) => randomBytes(prng(10 + i), 2_000_000));
    const received = inFlight.map((stream) => digest(stream));
    for (const [i, stream] of inFlight.entries()) stream.write(payloads[i]!.subarray(0, 1000));

    const notice = once<GoAwayNotice>(pair.client, 'goaway');
    const drained = pair.server.goAway('relay restarting');
    expect(await notice).toMatchObject({
      code: ErrorCode.NoError,
      reason: 'relay restarting',
      lastStreamId: 3,
    });
    expect(await rejection(pair.client.open(json({})))).toMatchObject({ code: ErrorCode.Refused });
    expect(await rejection(pair.server.open(json({})))).toMatchObject({ code: ErrorCode.Refused });
    expect(pair.client.state).toBe('draining');

    for (const [i, stream] of inFlight.entries()) stream.end(payloads[i]!.subarray(1000));
    const results = await Promise.all(received);
    expect(results).toEqual(payloads.map((p) => ({ sha256: sha256(p), bytes: p.length })));
    expect(await drained).toEqual({ code: ErrorCode.NoError, message: 'relay restarting', by: 'local' });
    expect((await pair.client.closed).code).toBe(ErrorCode.NoError);
  });

  test('an OPEN racing the GOAWAY is refused as retryable', async () => {
    pair = await sessionPair();
    acceptAll(pair.server);
    const racing = pair.client.open(json({}));
    void pair.server.goAway('bye');
    const error = await rejection(racing);
    expect(error.code).toBe(ErrorCode.Refused);
  });

  test('close() resets open streams on both sides and reports who closed', async () => {
    pair = await sessionPair();
    acceptAll(pair.server, (stream) => stream.on('error', () => {}));
    const stream = await pair.client.open(json({}));
    const streamClosed = closed(stream);
    const peerClosed = once<CloseReason>(pair.server, 'close');
    pair.client.close('user logged out');
    await streamClosed;
    expect(stream.destroyed).toBe(true);
    expect(pair.client.closeReason).toEqual({
      code: ErrorCode.NoError,
      message: 'user logged out',
      by: 'local',
    });
    expect(await peerClosed).toMatchObject({ code: ErrorCode.NoError, by: 'peer' });
    await expect(pair.client.open(json({}))).rejects.toThrow(StreamResetError);
  });
});
