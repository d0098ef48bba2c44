/**
 * The agent towards an apiserver that speaks HTTP/2 (kube-sim, which offers h2 by ALPN as
 * kube-apiserver does): watches multiplexed on a few connections under the server's stream limit,
 * a cancelled watch freeing its stream, recovery after the apiserver drops every connection with
 * GOAWAY, exec (HTTP/1.1 upgrade) beside HTTP/2 traffic, and HTTP/1.1 when the apiserver offers
 * only that.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stream } from '@switchboard/protocol';
import { StandInRelay } from '@switchboard/test-support/agent-stand-in-relay';
import { request, startCluster, type TestCluster } from '@switchboard/test-support/test-cluster';
import { TestTickets, type TicketFor } from '@switchboard/test-support/test-tickets';
import { waitFor } from '@switchboard/test-support/wait-for';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type RunningAgent, startAgent } from '../src/index.js';

/** kube-sim's announced SETTINGS_MAX_CONCURRENT_STREAMS for this file: low, so limits show. */
const STREAM_LIMIT = 50;
const alice: TicketFor = { username: 'oidc:alice', groups: ['oidc:devs'] };

let dir: string;
let tickets: TestTickets;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-h2-'));
  tickets = await TestTickets.create();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** kube-sim, a stand-in relay and an agent between them, each test's own. */
async function startChain(name: string, cluster: TestCluster, maxUpstreamConnections?: number) {
  const relay = await StandInRelay.start({ ticketKeys: tickets.keys });
  const kubeconfig = join(dir, `${name}.kubeconfig`);
  await writeFile(kubeconfig, cluster.sim.adminKubeconfig, { mode: 0o600 });
  const agent: RunningAgent = await startAgent({
    relay: relay.url,
    joinToken: relay.issueJoinToken(),
    kubeconfig,
    stateDir: join(dir, `${name}-state`),
    logLevel: 'silent',
    // The tunnel must not be what limits this many watches.
    session: { maxStreams: 4096 },
    ...(maxUpstreamConnections !== undefined && { maxUpstreamConnections }),
  });
  await relay.waitForSessions(1);
  return {
    relay,
    async close() {
      await agent.close({ graceMs: 50 });
      await relay.close();
      await cluster.close();
    },
  };
}

/** A watch on configmaps in `team`, through the tunnel as alice; `text()` is what arrived so far. */
async function watch(relay: StandInRelay): Promise<{ stream: Stream; text: () => string }> {
  const stream = await relay.open(await tickets.open(alice));
  let received = '';
  stream.on('data', (chunk: Buffer) => {
    received += chunk.toString();
  });
  stream.on('error', () => {});
  stream.write(
    'GET /api/v1/namespaces/team/configmaps?watch=1&resourceVersion=0 HTTP/1.1\r\nhost: x\r\n\r\n',
  );
  return { stream, text: () => received };
}

async function createConfigMap(cluster: TestCluster, name: string): Promise<void> {
  const { status } = await cluster.admin.json('POST', '/api/v1/namespaces/team/configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name },
  });
  expect(status).toBe(201);
}

/** Connections to kube-sim now, without the test's own admin client's. */
function agentConnections(cluster: TestCluster, adminConnections: number) {
  const { open, http2Open } = cluster.sim.connections();
  return { open: open - adminConnections, http2Open };
}

describe('HTTP/2 upstream', () => {
  it('multiplexes 300 watches on ceil(300 / limit) connections; every watch gets its events', async () => {
    const cluster = await startCluster({ http2MaxStreamsPerConnection: STREAM_LIMIT });
    const chain = await startChain('fanout', cluster);
    try {
      // The admin client speaks HTTP/1.1 (its small JSON calls): its keep-alive connection counts too.
      await createConfigMap(cluster, 'warm-up');
      const adminConnections = cluster.sim.connections().open - cluster.sim.connections().http2Open;
      const watches = await Promise.all(Array.from({ length: 300 }, () => watch(chain.relay)));
      await waitFor(() => watches.every((w) => w.text().includes('200 OK')), 'every watch answered', 20_000);
      const held = agentConnections(cluster, adminConnections);
      // At or above: each connection carries at most the limit (more would be refused).
      expect(held.http2Open).toBeGreaterThanOrEqual(Math.ceil(300 / STREAM_LIMIT));
      expect(held.open).toBeLessThanOrEqual(Math.ceil(300 / STREAM_LIMIT) + 2);
      await createConfigMap(cluster, 'fanned-out');
      await waitFor(
        () => watches.every((w) => w.text().includes('fanned-out')),
        'the event on every watch',
        10_000,
      );
      for (const w of watches) w.stream.destroy();
    } finally {
      await chain.close();
    }
  });

  it('a cancelled watch frees its stream: a full connection takes the next watch without another', async () => {
    const cluster = await startCluster({ http2MaxStreamsPerConnection: STREAM_LIMIT });
    const chain = await startChain('cancel', cluster);
    try {
      const watches = await Promise.all(Array.from({ length: STREAM_LIMIT }, () => watch(chain.relay)));
      await waitFor(() => watches.every((w) => w.text().includes('200 OK')), 'every watch answered', 20_000);
      const { http2Accepted } = cluster.sim.connections();
      expect(cluster.sim.connections().http2Open).toBe(1);
      expect(cluster.sim.connections().http2Streams).toBe(STREAM_LIMIT);
      // The one connection is full; cancelling a watch on the tunnel side resets its h2 stream.
      watches[0]!.stream.destroy();
      await waitFor(
        () => cluster.sim.connections().http2Streams === STREAM_LIMIT - 1,
        'the apiserver to see the stream end',
        5_000,
      );
      const next = await watch(chain.relay);
      await waitFor(() => next.text().includes('200 OK'), 'the next watch answered', 5_000);
      expect(cluster.sim.connections().http2Accepted).toBe(http2Accepted);
      await createConfigMap(cluster, 'after-cancel');
      await waitFor(() => next.text().includes('after-cancel'), 'the next watch sees events', 5_000);
      for (const w of [...watches, next]) w.stream.destroy();
    } finally {
      await chain.close();
    }
  });

  it('the agent’s cap counts HTTP/2 streams: past it a watch is refused, and the apiserver never holds more', async () => {
    const cluster = await startCluster({ http2MaxStreamsPerConnection: STREAM_LIMIT });
    const chain = await startChain('cap', cluster, 10);
    try {
      const watches = await Promise.all(Array.from({ length: 15 }, () => watch(chain.relay)));
      await waitFor(
        () => watches.every((w) => /HTTP\/1\.1 (200|503)/.test(w.text())),
        'every watch answered or refused',
        10_000,
      );
      // The agent's own requests (heartbeat metadata) share the cap with the users'.
      const refused = watches.filter((w) => w.text().includes('HTTP/1.1 503'));
      expect(refused.length).toBeGreaterThanOrEqual(5);
      expect(refused[0]!.text()).toContain('at its limit of 10 concurrent requests');
      expect(cluster.sim.connections().http2Streams).toBeLessThanOrEqual(10);
      for (const w of watches) w.stream.destroy();
    } finally {
      await chain.close();
    }
  });

  it('recovers after the apiserver drops every connection with GOAWAY during watches and requests', async () => {
    const cluster = await startCluster({ http2MaxStreamsPerConnection: STREAM_LIMIT });
    const chain = await startChain('goaway', cluster);
    try {
      const base = await chain.relay.forward(() => tickets.open(alice));
      const watches = await Promise.all(Array.from({ length: 10 }, () => watch(chain.relay)));
      await waitFor(() => watches.every((w) => w.text().includes('200 OK')), 'watches answered', 10_000);
      let closed = 0;
      for (const w of watches) w.stream.once('close', () => closed++);
      const during = Array.from({ length: 20 }, () => request(base, '/api/v1/namespaces/team/configmaps'));
      await cluster.sim.dropConnections();
      // Each watch ends as the apiserver ended it: its chunked answer completes, or (cut) its
      // stream closes; kubectl then watches again.
      await waitFor(
        () => closed === watches.length || watches.every((w) => w.text().endsWith('\r\n0\r\n\r\n')),
        'every watch ended',
        5_000,
      );
      // Requests caught by the drop either were answered or were sent again on a new connection.
      for (const answer of await Promise.allSettled(during)) {
        if (answer.status === 'fulfilled') expect([200, 503]).toContain(answer.value.status);
      }
      const after = await Promise.all(
        Array.from({ length: 20 }, () => request(base, '/api/v1/namespaces/team/configmaps')),
      );
      expect(after.map((a) => a.status)).toEqual(Array(20).fill(200));
      const again = await watch(chain.relay);
      await waitFor(() => again.text().includes('200 OK'), 'a new watch', 5_000);
      await createConfigMap(cluster, 'after-goaway');
      await waitFor(() => again.text().includes('after-goaway'), 'its event', 5_000);
      again.stream.destroy();
    } finally {
      await chain.close();
    }
  });

  it('execs (an HTTP/1.1 upgrade) beside watches on HTTP/2', async () => {
    const cluster = await startCluster({ http2MaxStreamsPerConnection: STREAM_LIMIT });
    const chain = await startChain('exec', cluster);
    try {
      const watches = await Promise.all(Array.from({ length: 20 }, () => watch(chain.relay)));
      await cluster.admin.json('POST', '/api/v1/namespaces/team/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'shell' },
        spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
      });
      await waitFor(async () => {
        const { body } = await cluster.admin.json('GET', '/api/v1/namespaces/team/pods/shell');
        return (body as { status?: { phase?: string } }).status?.phase === 'Running';
      }, 'pod Running');
      const base = await chain.relay.forward(() => tickets.open(alice));
      const kubeconfig = join(dir, 'exec-tunnel.kubeconfig');
      await writeFile(
        kubeconfig,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 't', cluster: { server: base } }],
          users: [{ name: 'u', user: { token: 'dropped-by-the-agent' } }],
          contexts: [{ name: 't', context: { cluster: 't', user: 'u', namespace: 'team' } }],
          'current-context': 't',
        }),
      );
      const result = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
        execFile(
          'kubectl',
          ['--kubeconfig', kubeconfig, 'exec', 'shell', '--', 'echo', 'beside-h2'],
          { timeout: 20_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
        ),
      );
      expect(result.stdout.trim()).toBe('beside-h2');
      // The watches stayed on HTTP/2 and still flow.
      expect(cluster.sim.connections().http2Open).toBe(1);
      await createConfigMap(cluster, 'after-exec');
      await waitFor(() => watches.every((w) => w.text().includes('after-exec')), 'events after exec', 5_000);
      for (const w of watches) w.stream.destroy();
    } finally {
      await chain.close();
    }
  });

  it('falls back to HTTP/1.1 when the apiserver offers only that', async () => {
    const cluster = await startCluster({ http2: false });
    const chain = await startChain('fallback', cluster);
    try {
      const base = await chain.relay.forward(() => tickets.open(alice));
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => request(base, '/api/v1/namespaces/team/configmaps')),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
      const w = await watch(chain.relay);
      await waitFor(() => w.text().includes('200 OK'), 'watch answered', 5_000);
      await createConfigMap(cluster, 'over-http1');
      await waitFor(() => w.text().includes('over-http1'), 'its event', 5_000);
      expect(cluster.sim.connections().http2Accepted).toBe(0);
      w.stream.destroy();
    } finally {
      await chain.close();
    }
  });
});
