/**
 * Connectivity status with real parts: an in-process relay, agents built from the protocol, and
 * the live stream read over HTTP. Status rules, heartbeats, Expired on the relay's (injected)
 * clock, deletion, per-grant filtering of the stream, and slow subscribers.
 */
import { apiPaths, type ClusterView, clusterViewListSchema } from '@switchboard/contract/relay-api';
import type { AgentHeartbeat } from '@switchboard/contract/tunnel';
import type { Stream } from '@switchboard/protocol';
import { clusterIs, openEventStream } from '@switchboard/test-support/cluster-event-stream';
import {
  assertion as agentAssertion,
  connectAgent,
  dial,
  joinAgent,
  refusalOf,
} from '@switchboard/test-support/tunnel-peers';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { WebSocket } from 'ws';
import { parseRelayConfig } from '../../src/config/load.js';
import { openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { isOlderVersion } from '../../src/status/agent-version.js';
import { type PRINCIPALS, startTunnelRelay, type TunnelRelay, waitFor } from '../tunnel/harness.js';

const operator = { kind: 'operator' as const, name: 'operator:test' };
const DAY_MS = 24 * 3600 * 1000;

const HEARTBEAT: AgentHeartbeat = {
  type: 'heartbeat',
  agentVersion: '0.9.1',
  kubernetesVersion: 'v1.33.1',
  nodeCount: 3,
  vcpuTotal: 12,
  distribution: 'kind',
  infrastructure: 'bare-metal',
  agentCpuCores: 0.02,
  agentMemoryBytes: 48_000_000,
};

async function listClusters(relay: TunnelRelay, principal: keyof typeof PRINCIPALS): Promise<ClusterView[]> {
  const response = await fetch(`${relay.relay.url}${apiPaths.clusters}`, {
    headers: { authorization: `Bearer ${await relay.token(principal)}` },
  });
  expect(response.status).toBe(200);
  return clusterViewListSchema.parse(await response.json()).items;
}

/** Opens a report stream as the agent does and waits for the relay to close it. */
async function sendHeartbeat(
  session: import('@switchboard/protocol').Session,
  report: unknown,
): Promise<void> {
  const stream: Stream = await session.open(Buffer.from(JSON.stringify(report), 'utf8'));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  stream.resume();
  stream.end();
  await ended;
}

describe('cluster connectivity status', () => {
  it('connecting → connected → offline (last seen) → connected, on GET and on the live stream; a restart keeps last seen', async () => {
    const relay = await startTunnelRelay();
    const joinToken = await relay.cluster('alpha');
    const admin = await openEventStream(relay.relay.url, await relay.token('admin'));
    const snapshot = await admin.next((event) => event.event === 'snapshot');
    expect(
      snapshot.event === 'snapshot' && snapshot.data.items.map((view) => [view.name, view.status]),
    ).toEqual([['alpha', 'connecting']]);
    const [connecting] = await listClusters(relay, 'dev');
    expect(connecting).toMatchObject({ name: 'alpha', status: 'connecting', lastSeenAt: null, sessions: 0 });

    const agent = await joinAgent(relay.relay.url, joinToken);
    const first = await connectAgent(relay.relay, agent);
    const connected = await admin.next(clusterIs('alpha', 'connected'));
    expect(connected.event === 'cluster' && connected.data.sessions).toBe(1);
    expect((await listClusters(relay, 'dev'))[0]).toMatchObject({ status: 'connected', sessions: 1 });

    const from = admin.events.length;
    const closedAt = Date.now();
    first.session.close('agent stopping');
    const offline = await admin.next(clusterIs('alpha', 'offline'), from);
    const seenMs = offline.event === 'cluster' ? Date.parse(offline.data.lastSeenAt!) : Number.NaN;
    expect(seenMs).toBeGreaterThanOrEqual(closedAt - 1_000);
    expect((await listClusters(relay, 'dev'))[0]).toMatchObject({ status: 'offline', sessions: 0 });

    const again = admin.events.length;
    await connectAgent(relay.relay, agent);
    await admin.next(clusterIs('alpha', 'connected'), again);

    await relay.relay.close();
    expect(await admin.ended).toBe('end');
    const registry = await openSqliteRegistry(relay.dataDir);
    try {
      const presence = await registry.getPresence('alpha');
      // The drain closed the session: last seen is the shutdown.
      expect(presence?.lastSeenAt?.getTime()).toBeGreaterThanOrEqual(seenMs);
    } finally {
      await registry.close();
    }
  });

  it('a silent disconnect (half-open socket) shows Offline once the relay declares the session dead', async () => {
    const idleTimeoutMs = 1_500;
    const relay = await startTunnelRelay({ tunnel: { pingIntervalMs: 200, idleTimeoutMs } });
    const joinToken = await relay.cluster('silent');
    // The agent sends no pings of its own: once its socket stops reading it stays silent.
    const connected = await connectAgent(relay.relay, await joinAgent(relay.relay.url, joinToken), {
      session: { pingIntervalMs: 600_000, idleTimeoutMs: 600_000 },
    });
    const stream = await openEventStream(relay.relay.url, await relay.token('dev'));
    const snapshot = await stream.next((event) => event.event === 'snapshot');
    expect(snapshot.event === 'snapshot' && snapshot.data.items[0]?.status).toBe('connected');

    const since = Date.now();
    // No FIN, no RST: the agent's side simply stops reading (so it never answers a PING).
    (connected.socket as WebSocket & { _socket: import('node:net').Socket })._socket.pause();
    await stream.next(clusterIs('silent', 'offline'), 0, 30_000);
    expect(Date.now() - since).toBeGreaterThanOrEqual(idleTimeoutMs - 200);
  });

  it('heartbeats: metadata is stored and streamed, an older agent gets upgradeAvailable; a malformed report is refused and the session stays up', async () => {
    // Back-to-back heartbeats on one session: no spacing here (the next test covers it).
    const relay = await startTunnelRelay({ now: Date.now, tunnel: { minHeartbeatSpacingMs: 0 } });
    const joinToken = await relay.cluster('beta');
    const agent = await connectAgent(relay.relay, await joinAgent(relay.relay.url, joinToken));
    const stream = await openEventStream(relay.relay.url, await relay.token('dev'));
    await stream.next((event) => event.event === 'snapshot');

    const before = stream.events.length;
    await sendHeartbeat(agent.session, HEARTBEAT);
    const reported = await stream.next(
      (event) => event.event === 'cluster' && event.data.metadata !== null,
      before,
    );
    const { type: _type, ...expected } = HEARTBEAT;
    expect(reported.event === 'cluster' && reported.data.metadata).toMatchObject(expected);
    // The relay's own version is 0.1.0 (package.json): 0.9.1 is newer, no upgrade.
    expect(reported.event === 'cluster' && reported.data).toMatchObject({
      recommendedAgentVersion: '0.1.0',
      upgradeAvailable: false,
    });
    await sendHeartbeat(agent.session, { ...HEARTBEAT, agentVersion: '0.1.0-rc.2' });
    await stream.next(
      (event) =>
        event.event === 'cluster' &&
        event.data.metadata?.agentVersion === '0.1.0-rc.2' &&
        event.data.upgradeAvailable,
      before,
    );

    for (const bad of [
      { ...HEARTBEAT, nodeCount: -1 },
      { ...HEARTBEAT, type: 'gossip' },
      { ...HEARTBEAT, surprise: true },
      'not an object',
    ]) {
      const refusal = await refusalOf(agent.session.open(Buffer.from(JSON.stringify(bad), 'utf8')));
      expect(refusal.reason).toBe('bad-request');
    }
    const notJson = await refusalOf(agent.session.open(Buffer.from('{', 'utf8')));
    expect(notJson).toMatchObject({ reason: 'bad-request', message: 'the report is not JSON' });
    expect(agent.session.state).toBe('open');
    expect(relay.relay.tunnel.liveSessions.list('beta')).toHaveLength(1);
    await sendHeartbeat(agent.session, { ...HEARTBEAT, nodeCount: 4 });
    const [view] = await listClusters(relay, 'dev');
    expect(view).toMatchObject({ status: 'connected', metadata: { nodeCount: 4 } });
  });

  it('heartbeats are spaced per session (sooner ones refused, the session stays up) and coalesced per cluster', async () => {
    // Frozen while heartbeats are sent, so the spacing is measured on a clock the test moves.
    let frozenAt: number | undefined;
    const relay = await startTunnelRelay({ now: () => frozenAt ?? Date.now() });
    const joinToken = await relay.cluster('gamma');
    const agent = await connectAgent(relay.relay, await joinAgent(relay.relay.url, joinToken));
    const stream = await openEventStream(relay.relay.url, await relay.token('dev'));
    await stream.next((event) => event.event === 'snapshot');
    const before = stream.events.length;

    // The status queue is held: the heartbeats the relay takes wait there.
    let release!: () => void;
    const held = relay.relay.status.service.exclusive(
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    frozenAt = Date.now();
    await sendHeartbeat(agent.session, { ...HEARTBEAT, nodeCount: 1 });
    const tooSoon = Buffer.from(JSON.stringify({ ...HEARTBEAT, nodeCount: 2 }), 'utf8');
    expect(await refusalOf(agent.session.open(tooSoon))).toMatchObject({ reason: 'rate-limited' });
    expect(agent.session.state).toBe('open');
    frozenAt += 1_000;
    await sendHeartbeat(agent.session, { ...HEARTBEAT, nodeCount: 3 });
    frozenAt = undefined;
    release();
    await held;

    // Of the two heartbeats waiting, only the newer one is recorded.
    await stream.next((event) => event.event === 'cluster' && event.data.metadata?.nodeCount === 3, before);
    const reported = stream.events
      .slice(before)
      .flatMap((event) =>
        event.event === 'cluster' && event.data.metadata ? [event.data.metadata.nodeCount] : [],
      );
    expect(reported).toEqual([3]);
    expect(relay.relay.tunnel.liveSessions.list('gamma')).toHaveLength(1);
  });

  it('agents.recommendedVersion must be a semantic version', () => {
    expect(() =>
      parseRelayConfig({
        dataDir: '/nonexistent',
        devIdp: { enabled: true },
        agents: { recommendedVersion: 'latest' },
      }),
    ).toThrow(/agents\.recommendedVersion/);
    expect(
      parseRelayConfig({
        dataDir: '/nonexistent',
        devIdp: { enabled: true },
        agents: { recommendedVersion: '1.2.0' },
      }).agents.recommendedVersion,
    ).toBe('1.2.0');
  });

  it('Expired on the relay clock: the credential check closes the session and the stream shows expired; the refused reconnect is logged', async () => {
    let offsetMs = 0;
    const relay = await startTunnelRelay({
      now: () => Date.now() + offsetMs,
      tunnel: { credentialCheckIntervalMs: 100 },
    });
    const joinToken = await relay.cluster('gamma');
    const agent = await joinAgent(relay.relay.url, joinToken);
    await connectAgent(relay.relay, agent);
    const stream = await openEventStream(relay.relay.url, await relay.token('dev'));
    await stream.next((event) => event.event === 'snapshot');
    const from = stream.events.length;

    offsetMs = 91 * DAY_MS;
    const expired = await stream.next(clusterIs('gamma', 'expired'), from);
    expect(expired.event === 'cluster' && expired.data.sessions).toBe(0);
    // No intermediate "offline": the session closed because the credential expired.
    expect(stream.events.slice(from).filter(clusterIs('gamma', 'offline'))).toEqual([]);
    expect((await listClusters(relay, 'dev'))[0]?.status).toBe('expired');

    const refused = await dial(
      relay.relay.tunnel.agentUrl,
      await agentAssertion(relay.relay, agent, {
        iat: Math.floor((Date.now() + offsetMs) / 1000),
      }),
    );
    expect(refused).toMatchObject({ status: 401, body: { reason: 'credential-expired' } });
    expect(relay.logs().some((line) => line.msg === 'agent tunnel refused: credential-expired')).toBe(true);
  });

  it('Expired without polling: the relay re-evaluates at the credential expiry and the stream shows it', async () => {
    const relay = await startTunnelRelay({ agentCredentialTtlMs: 3_000 });
    const joinToken = await relay.cluster('delta');
    const agent = await connectAgent(relay.relay, await joinAgent(relay.relay.url, joinToken));
    const stream = await openEventStream(relay.relay.url, await relay.token('dev'));
    await stream.next((event) => event.event === 'snapshot');
    agent.session.close('agent stopping');
    await stream.next(clusterIs('delta', 'offline'));
    const from = stream.events.length;
    const expired = await stream.next(clusterIs('delta', 'expired'), from, 15_000);
    expect(expired.event === 'cluster' && expired.data.lastSeenAt).not.toBeNull();
  });

  it('deleting a cluster closes its agent sessions at once and the stream sends removed', async () => {
    const relay = await startTunnelRelay();
    const joinToken = await relay.cluster('epsilon');
    const agent = await connectAgent(relay.relay, await joinAgent(relay.relay.url, joinToken));
    const stream = await openEventStream(relay.relay.url, await relay.token('dev'));
    await stream.next((event) => event.event === 'snapshot');
    const response = await fetch(`${relay.relay.url}${apiPaths.cluster('epsilon')}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await relay.token('admin')}` },
    });
    expect(response.status).toBe(204);
    const reason = await agent.session.closed;
    expect(reason.message).toContain('was deleted');
    await stream.next((event) => event.event === 'removed' && event.data.name === 'epsilon');
    expect(relay.relay.tunnel.liveSessions.list('epsilon')).toEqual([]);
    expect(await listClusters(relay, 'admin')).toEqual([]);
  });

  it('the stream is filtered per subscriber at send time: a grant shows the cluster, a revocation removes it', async () => {
    const relay = await startTunnelRelay();
    await relay.cluster('north', ['dev']);
    await relay.cluster('south', ['other']);
    const dev = await openEventStream(relay.relay.url, await relay.token('dev'));
    const other = await openEventStream(relay.relay.url, await relay.token('other'));
    const names = async (stream: typeof dev) => {
      const snapshot = await stream.next((event) => event.event === 'snapshot');
      return snapshot.event === 'snapshot' ? snapshot.data.items.map((view) => view.name) : [];
    };
    expect(await names(dev)).toEqual(['north']);
    expect(await names(other)).toEqual(['south']);

    await relay.relay.admin.grant(operator, 'south', {
      subjectKind: 'group',
      subject: 'developers',
      role: 'connect',
    });
    await dev.next(clusterIs('south', 'connecting'));
    await relay.relay.admin.revoke(operator, 'south', 'group', 'developers');
    await dev.next((event) => event.event === 'removed' && event.data.name === 'south');

    // A change of a cluster other cannot see never reaches it; one it can see does.
    const northAgent = await relay.cluster('west', ['other']);
    await connectAgent(relay.relay, await joinAgent(relay.relay.url, northAgent));
    await other.next(clusterIs('west', 'connected'));
    expect(
      other.events.some(
        (event) => event.event !== 'snapshot' && 'name' in event.data && event.data.name === 'north',
      ),
    ).toBe(false);
    expect(dev.events.some((event) => event.event === 'cluster' && event.data.name === 'west')).toBe(false);
    expect(dev.comments).toBeGreaterThanOrEqual(0);
  });

  it('the stream tells each subscriber whether it may connect: a global admin sees every cluster, may open only those it holds a grant on', async () => {
    const relay = await startTunnelRelay();
    await relay.cluster('granted', ['admin']);
    await relay.cluster('seen', ['dev']);
    const admin = await openEventStream(relay.relay.url, await relay.token('admin'));
    const dev = await openEventStream(relay.relay.url, await relay.token('dev'));
    const mayConnect = async (stream: typeof admin) => {
      const snapshot = await stream.next((event) => event.event === 'snapshot');
      return snapshot.event === 'snapshot'
        ? snapshot.data.items.map((view) => [view.name, view.mayConnect])
        : [];
    };
    expect(await mayConnect(admin)).toEqual([
      ['granted', true],
      ['seen', false],
    ]);
    expect(await mayConnect(dev)).toEqual([['seen', true]]);

    // A grant given or revoked changes what the admin may do, and the stream says so at once.
    await relay.relay.admin.grant(operator, 'seen', {
      subjectKind: 'user',
      subject: 'admin-bot',
      role: 'connect',
    });
    await admin.next(
      (event) => event.event === 'cluster' && event.data.name === 'seen' && event.data.mayConnect === true,
    );
    await relay.relay.admin.revoke(operator, 'seen', 'user', 'admin-bot');
    await admin.next(
      (event) => event.event === 'cluster' && event.data.name === 'seen' && event.data.mayConnect === false,
    );
    expect(admin.events.some((event) => event.event === 'removed')).toBe(false);
  });

  it('keep-alive comments flow, and the stream ends when the subscriber token expires on the relay clock', async () => {
    let offsetMs = 0;
    const relay = await startTunnelRelay({
      now: () => Date.now() + offsetMs,
      statusStream: { keepAliveMs: 50 },
    });
    await relay.cluster('zeta');
    const token = await relay.token('dev');
    const stream = await openEventStream(relay.relay.url, token);
    await stream.next((event) => event.event === 'snapshot');
    await waitFor(() => stream.comments >= 2);
    stream.close();

    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    offsetMs = exp * 1000 - Date.now() - 500; // the token has half a second left on the relay clock
    const short = await openEventStream(relay.relay.url, token);
    await short.next((event) => event.event === 'snapshot');
    expect(await short.ended).toBe('end');
  });

  it('a subscriber that leaves while its snapshot is built does not stay subscribed', async () => {
    const relay = await startTunnelRelay();
    const { service, events } = relay.relay.status;
    // The hub's own HTTP side, in a server of this test: the test sees when the response closes.
    const http = await import('node:http');
    const closed = new Promise<void>((resolve) => {
      const server = http.createServer((_req, res) => {
        res.once('close', resolve);
        void events.subscribe({ username: 'dev', groups: [], expiresAt: new Date(Date.now() + DAY_MS) }, res);
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as import('node:net').AddressInfo;
        // Once the headers are in, the subscription waits in the status queue held below.
        const request = http.get(`http://127.0.0.1:${port}/`, () => request.destroy());
      });
      onTestFinished(() => new Promise((done) => server.close(() => done())));
    });
    let release!: () => void;
    const held = service.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
    await closed;
    release();
    await held;
    // The queue is in order: once this runs, the subscription's snapshot was built (or skipped).
    await service.exclusive(async () => {});
    expect(events.subscriberCount).toBe(0);
  });

  it('a subscriber that does not read is dropped; one that reads keeps every event', async () => {
    const relay = await startTunnelRelay({ statusStream: { maxBufferedBytes: 64 * 1024 } });
    const token = await relay.token('admin');
    const reader = await openEventStream(relay.relay.url, token);
    await reader.next((event) => event.event === 'snapshot');
    // A subscriber that never reads: its socket is paused once the headers are in.
    const http = await import('node:http');
    const stalled = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      http
        .get(
          `${relay.relay.url}${apiPaths.clusterEvents}`,
          { headers: { authorization: `Bearer ${token}` } },
          (res) => {
            res.pause();
            resolve(res);
          },
        )
        .on('error', reject);
    });
    stalled.on('error', () => {});
    await waitFor(() => relay.relay.status.events.subscriberCount === 2);

    // ~16 KiB of labels per cluster: each created cluster is a 16 KiB event.
    const labels = Object.fromEntries(
      Array.from({ length: 60 }, (_, index) => [`label-${index}`, 'x'.repeat(250)]),
    );
    let created = 0;
    while (relay.relay.status.events.subscriberCount === 2) {
      if (created >= 3_000) throw new Error('the stalled subscriber was never dropped');
      await relay.relay.admin.createCluster(operator, { name: `c-${created++}`, labels });
      // One change per turn of the event loop, as API requests arrive.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(
      relay
        .logs()
        .some((line) => line.msg === 'status stream subscriber dropped: it does not read its events'),
    ).toBe(true);
    stalled.destroy();
    const last = `c-${created - 1}`;
    await reader.next((event) => event.event === 'cluster' && event.data.name === last, 0, 30_000);
    expect(reader.events.filter((event) => event.event === 'cluster')).toHaveLength(created);
  });
});

describe('agent version comparison (semver precedence)', () => {
  it.each([
    ['0.9.1', '1.0.0', true],
    ['1.0.0', '1.0.0', false],
    ['v1.0.0', '1.0.0', false],
    ['1.0.0-rc.2', '1.0.0', true],
    ['1.0.0-rc.2', '1.0.0-rc.10', true],
    ['1.0.0-alpha', '1.0.0-alpha.1', true],
    ['1.0.0-alpha.beta', '1.0.0-alpha.1', false],
    ['1.0.0+build.7', '1.0.0', false],
    ['1.10.0', '1.9.9', false],
    ['custom-build', '1.0.0', false],
  ])('%s older than %s: %s', (reported, recommended, older) => {
    expect(isOlderVersion(reported, recommended)).toBe(older);
  });
});
