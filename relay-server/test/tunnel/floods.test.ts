/**
 * Floods against a real relay: control frames from a signed-in user with no grant, too many
 * tunnel sessions for one user, too many connections. The flood runs against the relay CLI in a
 * child process, whose memory is read from /proc.
 */
import { readFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { tunnelPaths } from '@switchboard/contract/tunnel';
import { decodeFrame, ErrorCode, encodeFrame, type Frame, FrameType, Session } from '@switchboard/protocol';
import { connectUser, dial, FAST_TIMERS } from '@switchboard/test-support/tunnel-peers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { startServe } from '../helpers/relay-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TestIssuer } from '../helpers/test-issuer.js';
import { PRINCIPALS, startTunnelRelay, waitFor } from './harness.js';

const MiB = 1024 * 1024;

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.close());

async function serve(env: Record<string, string> = {}) {
  const relay = await startServe(['--listen', '127.0.0.1:0', '--data', await tempDir()], {
    SWITCHBOARD_RELAY_TRUST_ISSUER: issuer.url,
    SWITCHBOARD_RELAY_TRUST_CLIENT_ID: 'switchboard-test',
    ...env,
  });
  return { ...relay, tunnelUrl: `${relay.url.replace(/^http/, 'ws')}${tunnelPaths.userTunnel}` };
}

/** Resident and peak resident memory of a process, in bytes (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** `count` PING frames as masked client WebSocket messages (zero mask), ready to write to the TCP socket. */
function pingMessages(count: number): Buffer {
  const message = Buffer.concat([
    Buffer.from([0x82, 0x80 | 16, 0, 0, 0, 0]),
    encodeFrame({ type: FrameType.Ping, opaque: Buffer.from('0123456789abcdef', 'hex') }),
  ]);
  return Buffer.concat(Array.from({ length: count }, () => message));
}

const HEALTHZ = 'GET /healthz HTTP/1.1\r\nhost: relay\r\n\r\n';

const tcp = (socket: WebSocket) => (socket as unknown as { _socket: Socket })._socket;

describe('control-frame floods against the relay process', () => {
  test('PINGs from a user with no grant who never reads: cut off with GOAWAY ENHANCE_YOUR_CALM, memory stays near baseline', async () => {
    const relay = await serve();
    const pid = relay.child.pid!;
    const token = await issuer.sign({ sub: 'mallory' });

    // Warm up: one ordinary session, so that what the tunnel loads is in the baseline.
    const warm = await dial(
      relay.tunnelUrl,
      token,
      (ws) => new Session(ws, { role: 'client', ...FAST_TIMERS }),
    );
    if (!(warm instanceof WebSocket)) throw new Error(`refused: ${JSON.stringify(warm)}`);
    warm.close();
    const sessionsClosed = () => relay.stderr().split('"user session closed"').length - 1;
    await waitFor(() => sessionsClosed() === 1);
    const baseline = memoryOf(pid).rss;

    const attacker = await dial(relay.tunnelUrl, token);
    if (!(attacker instanceof WebSocket)) throw new Error(`refused: ${JSON.stringify(attacker)}`);
    const frames: Frame[] = [];
    attacker.on('message', (data: Buffer) => frames.push(decodeFrame(data)));
    const closed = new Promise<number>((resolve) => attacker.once('close', resolve));
    const socket = tcp(attacker);
    socket.pause();
    attacker.send(encodeFrame({ type: FrameType.Settings, settings: [] }));
    const logStart = relay.stderr().length;
    const cutOff = () => sessionsClosed() === 2;
    // 64 MiB of PINGs (3 million), 1 MiB per write, until the relay ends the session.
    const chunk = pingMessages(Math.floor(MiB / 22));
    let sent = 0;
    while (sent < 64 * MiB && !cutOff()) {
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
      sent += chunk.length;
    }
    await waitFor(cutOff, 60_000);
    const during = memoryOf(pid);
    // Unpatched, every PING was answered into a buffer nobody read: 64 MiB of them took the
    // relay from 90 MB to 1.3 GB. Here it reads what the flooder sent until it was cut off, no more.
    expect(during.peak - baseline).toBeLessThan(64 * MiB);

    // The flooder learns why once it reads.
    socket.resume();
    expect(await closed).toBe(1008);
    const goAway = frames.find((frame) => frame.type === FrameType.GoAway);
    expect(goAway).toMatchObject({ code: ErrorCode.EnhanceYourCalm });
    expect((goAway as { reason: string }).reason).toContain('PINGs per second');
    const closeLine = relay
      .stderr()
      .slice(logStart)
      .split('\n')
      .find((line) => line.includes('"user session closed"'))!;
    expect(JSON.parse(closeLine)).toMatchObject({
      user: 'mallory',
      reason: expect.stringContaining('flood'),
    });

    attacker.terminate();
    await waitFor(() => memoryOf(pid).rss - baseline < 48 * MiB, 10_000);
  }, 120_000);
});

describe('OPEN floods against the relay', () => {
  test('a user with no grant who floods OPENs without reading: refused, then cut off with ENHANCE_YOUR_CALM', async () => {
    const { relay, token, logs } = await startTunnelRelay();
    const other = await token('other');
    const attacker = await dial(relay.tunnel.userUrl, other);
    if (!(attacker instanceof WebSocket)) throw new Error(`refused: ${JSON.stringify(attacker)}`);
    const frames: Frame[] = [];
    attacker.on('message', (data: Buffer) => frames.push(decodeFrame(data)));
    const closed = new Promise<number>((resolve) => attacker.once('close', resolve));
    tcp(attacker).pause();
    attacker.send(encodeFrame({ type: FrameType.Settings, settings: [] }));
    const metadata = Buffer.from(JSON.stringify({ cluster: 'prod', token: other, mode: 'impersonate' }));
    // Every OPEN costs the relay an RST (no grant, then its rate limits): 4,000 of them in one go.
    for (let id = 1; id < 8_000; id += 2)
      attacker.send(encodeFrame({ type: FrameType.Open, streamId: id, metadata }));
    await waitFor(() => logs().some((line) => line.msg === 'user session closed'), 20_000);
    expect(logs().find((line) => line.msg === 'user session closed')).toMatchObject({
      user: PRINCIPALS.other.username,
      reason: expect.stringContaining('refused OPENs'),
    });
    tcp(attacker).resume();
    expect(await closed).toBe(1008);
    const goAway = frames.find((frame) => frame.type === FrameType.GoAway);
    expect(goAway).toMatchObject({ code: ErrorCode.EnhanceYourCalm });
    // What it got before: refusals, each with its reason, and no more than the limits let through.
    const resets = frames.filter((frame) => frame.type === FrameType.Rst);
    expect(resets.length).toBeGreaterThan(100);
    expect(resets.length).toBeLessThan(1_000);
  });
});

describe('relay caps', () => {
  test('tunnel sessions per user: the next one gets a 429 problem and a log line; other users are unaffected', async () => {
    const { relay, token, logs } = await startTunnelRelay({ tunnel: { maxSessionsPerUser: 2 } });
    const dev = await token('dev');
    const first = await connectUser(relay, dev);
    await connectUser(relay, dev);

    const refused = await dial(relay.tunnel.userUrl, dev);
    expect(refused).toMatchObject({
      status: 429,
      body: {
        type: 'urn:switchboard:problem:too-many-requests',
        detail: expect.stringContaining('2 tunnel sessions'),
      },
    });
    expect(logs()).toContainEqual(
      expect.objectContaining({
        msg: 'user session refused: too many sessions',
        user: 'dev-bot',
        sessions: 2,
      }),
    );
    await connectUser(relay, await token('other'));

    // A session that ends frees its place.
    const before = relay.tunnel.server.sessionCount;
    first.session.close('done');
    await waitFor(() => relay.tunnel.server.sessionCount === before - 1);
    await connectUser(relay, dev);
  });

  test('concurrent connections: past the cap a new socket is closed at once, with one log line per burst', async () => {
    const relay = await serve({ SWITCHBOARD_RELAY_MAX_CONNECTIONS: '3' });
    const { port } = new URL(relay.url);
    const open = () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connectTcp(Number(port), '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    /** Resolves with what the relay said before the socket closed. */
    const outcome = (socket: Socket) =>
      new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk;
        });
        socket.on('error', () => {});
        socket.once('close', () => resolve(text));
      });
    // Each answers one request and stays busy with the next, unfinished one.
    const held = [await open(), await open(), await open()];
    for (const socket of held) socket.write(`${HEALTHZ}GET /healthz HTTP/1.1\r\n`);
    await Promise.all(held.map((socket) => new Promise((resolve) => socket.once('data', resolve))));

    const extra = await Promise.all([open(), open(), open()]);
    for (const socket of extra) socket.write(HEALTHZ);
    expect(await Promise.all(extra.map(outcome))).toEqual(['', '', '']);
    const warnings = () =>
      relay
        .stderr()
        .split('\n')
        .filter((line) => line.includes('maximum of concurrent connections'));
    await waitFor(() => warnings().length > 0);
    expect(warnings()).toHaveLength(1);
    expect(JSON.parse(warnings()[0]!)).toMatchObject({ maxConnections: 3 });

    // One place freed: the next connection is served (once the relay has seen the close).
    held[0]!.destroy();
    const healthz = () =>
      fetch(`${relay.url}/healthz`, { headers: { connection: 'close' } }).then(
        (response) => response.status,
        () => 0,
      );
    let status = await healthz();
    for (const deadline = Date.now() + 5_000; status !== 200 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await healthz();
    }
    expect(status).toBe(200);
    for (const socket of held) socket.destroy();
  });
});
