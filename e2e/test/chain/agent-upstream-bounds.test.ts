/**
 * What a tunnel user can make the agent open towards the apiserver, through the real relay and
 * agent, with a TCP relay in front of kube-sim that counts the agent's apiserver connections. The
 * apiserver here speaks HTTP/1.1 only, where each request in flight is a connection of its own, so
 * the counted connections are the cap's units (over HTTP/2 they are streams on a few connections:
 * cluster-agent/test/http2-upstream.test.ts):
 * a flood of pipelined requests on many streams opens one upstream connection per stream (the rest
 * wait in the tunnel's window), never more than the agent's cap, and every one of them is closed
 * when its stream, the user's session or the agent's session ends, whatever its answer was doing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import type { Stream } from '@switchboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, type ChainClient, startChain } from '../../src/chain/index.js';
import { KubeAdminClient } from '../../src/chain/kube-admin.js';

const STREAMS = 20;
const PIPELINED = 200;
const MAX_UPSTREAM = 12;
/** Room for the agent's own requests (heartbeat metadata) and keep-alive connections of the pool. */
const SLACK = 4;

/** A TCP relay to `target` that counts the connections open through it and the most at once. */
async function countingRelay(target: URL) {
  const sockets = new Set<Socket>();
  let open = 0;
  let peak = 0;
  const server: Server = createServer((client) => {
    open += 1;
    peak = Math.max(peak, open);
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.once('close', () => {
      open -= 1;
      upstream.destroy();
    });
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open: () => open,
    /** The most connections open at once since the last reset. */
    peak: () => peak,
    resetPeak: () => {
      peak = open;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the agent’s connections to the apiserver under a pipelining flood', () => {
  let sim: KubeSim;
  let counter: Awaited<ReturnType<typeof countingRelay>>;
  let chain: Chain;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agent-upstream-bounds-'));
    sim = await startKubeSim({ scenario: 'demo', http2: false });
    // RBAC straight on kube-sim, so the counted connections are the agent's only.
    const admin = new KubeAdminClient(sim.adminKubeconfig);
    await admin.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'flooder-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'demo' }],
    });
    admin.close();
    counter = await countingRelay(new URL(sim.url));
    const kubeconfig = join(dir, 'counted.kubeconfig');
    await writeFile(kubeconfig, sim.adminKubeconfig.replace(sim.url, counter.url), { mode: 0o600 });
    chain = await startChain({
      upstreamKubeconfig: kubeconfig,
      agent: { maxUpstreamConnections: MAX_UPSTREAM },
    });
  });

  afterAll(async () => {
    await chain?.close();
    counter?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /**
   * `streams` tunnel streams, each with `PIPELINED` watches written at once and never read: each
   * answer streams forever, so an upstream connection serving one stays busy.
   */
  const flood = async (client: ChainClient, streams: number) => {
    const opened: Stream[] = [];
    const received: string[] = [];
    for (let i = 0; i < streams; i++) {
      const { stream } = await client.tunnel.openStream({ cluster: chain.cluster, mode: 'impersonate' });
      stream.on('error', () => {});
      received.push('');
      stream.on('data', (chunk: Buffer) => {
        if (received[i]!.length < 64 * 1024) received[i] += chunk.toString('latin1');
      });
      stream.write(
        `GET /api/v1/pods?watch=1 HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n`.repeat(PIPELINED),
      );
      opened.push(stream);
    }
    return { streams: opened, received };
  };

  it('opens one connection per stream, at most the cap, and closes each when its stream is reset', async () => {
    const baseline = counter.open();
    counter.resetPeak();
    const before = process.memoryUsage();

    // Fewer streams than the cap: one watch per stream reaches the apiserver, the rest wait.
    const few = await flood(chain.client, 8);
    await until(() => few.received.every((text) => text.includes('HTTP/1.1 200')), 'the first answers');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(counter.peak()).toBeLessThanOrEqual(baseline + 8 + SLACK);
    // Only the first watch of each stream has been answered.
    for (const text of few.received) expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1);

    // More streams than the cap: the cap holds, and the refused requests say why.
    const many = await flood(chain.client, STREAMS - 8);
    await until(
      () => many.received.some((text) => text.includes('HTTP/1.1 503')),
      'a request refused at the cap',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(counter.peak()).toBeLessThanOrEqual(baseline + MAX_UPSTREAM + SLACK);
    const refused = many.received.find((text) => text.includes('HTTP/1.1 503'))!;
    expect(refused).toContain(`at its limit of ${MAX_UPSTREAM} concurrent requests`);
    expect(refused).toMatch(/retry-after: 1/i);
    const grown = process.memoryUsage();
    console.log(
      `flood: peak ${counter.peak() - baseline} apiserver connections; ` +
        `heap +${((grown.heapUsed - before.heapUsed) / 1048576).toFixed(1)} MiB, ` +
        `rss +${((grown.rss - before.rss) / 1048576).toFixed(1)} MiB`,
    );
    // Everything runs in this process (kube-sim, relay, agent, proxy); unbounded, this was ~1 GB.
    expect(grown.rss - before.rss).toBeLessThan(200 * 1024 * 1024);

    for (const stream of [...few.streams, ...many.streams]) stream.destroy();
    await until(() => counter.open() <= baseline, 'the apiserver connections to close after the resets');
    expect(chain.agent.current!.liveSessions).toBeGreaterThan(0);
  });

  it('reads no further from a stream while a request waits for its answer: the rest stays in the window', async () => {
    const baseline = counter.open();
    const { stream } = await chain.client.tunnel.openStream({ cluster: chain.cluster, mode: 'impersonate' });
    stream.on('error', () => {});
    let received = '';
    stream.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    const padding = `X-Padding: ${'p'.repeat(1000)}\r\n`;
    const behind = `GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n${padding}\r\n`.repeat(8192);
    stream.write('GET /api/v1/pods?watch=1 HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n');
    stream.write(behind);
    await until(() => received.includes('HTTP/1.1 200'), 'the watch to answer');
    // The windows on the way (relay and agent side, ≤ 1 MiB each once grown) take part of the
    // 8 MiB; the agent has parsed a slice of it at most, and the rest waits here.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(stream.writableLength).toBeGreaterThan(4 * 1024 * 1024);
    expect(received.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    stream.destroy();
    await until(() => counter.open() <= baseline, 'the watch’s connection to close');
  });

  it('closes them when the user’s session ends, and when the agent’s session ends', async () => {
    const baseline = counter.open();
    const user = await chain.connectAs(chain.client.user.name);
    try {
      await flood(user, 8);
      await until(() => counter.open() >= baseline + 8, 'the watches to reach the apiserver');
      await user.tunnel.close(0);
      await until(
        () => counter.open() <= baseline,
        'the connections to close after the user’s session ended',
      );
    } finally {
      await user.close();
    }

    const again = await flood(chain.client, 8);
    await until(() => counter.open() >= baseline + 8, 'the watches to reach the apiserver again');
    for (const entry of chain.relay.current.tunnel.liveSessions.list(chain.cluster))
      entry.session.close('test');
    await until(() => counter.open() <= baseline, 'the connections to close after the agent’s session ended');
    for (const stream of again.streams) stream.destroy();
  });
});
