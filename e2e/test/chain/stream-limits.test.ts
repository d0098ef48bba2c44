/**
 * The relay's per-user limits through the whole chain, with real kubectl: `maxStreamsPerSession`
 * (one stream past it is refused with a clear error, the streams already open keep working) and
 * the per-user OPEN rate (a burst past it gets 429 at the client; after the refill it works again).
 */
import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, type ChainClient, startChain } from '../../src/chain/index.js';
import { Kubectl } from './support.js';

const kubectl133 = requireKubectl(33);

const watchArgs = ['get', 'configmaps', '-n', 'shop', '-w', '--request-timeout=0', '-o', 'name'];

describe.skipIf(!kubectl133)('maxStreamsPerSession', () => {
  const MAX_STREAMS = 3;
  let chain: Chain;
  let kubectl: Kubectl;

  beforeAll(async () => {
    chain = await startChain({ relayTunnel: { maxStreamsPerSession: MAX_STREAMS } });
    kubectl = await Kubectl.create(33, chain.kubeconfigPath);
    // Discovery cached in kubectl's HOME: from here on each kubectl run is one request, one stream.
    await kubectl.ok(['get', 'configmaps', '-n', 'shop']);
  });
  afterAll(async () => {
    await kubectl?.close();
    await chain?.close();
  });

  it('the stream past the limit is refused with a clear error; the others keep working', async () => {
    const watches = [];
    try {
      for (let i = 0; i < MAX_STREAMS; i++) {
        const watch = kubectl.stream(watchArgs);
        watches.push(watch);
        await watch.waitFor(/configmap\/kube-root-ca\.crt/);
      }
      const refused = await kubectl.run(['get', 'configmaps', '-n', 'shop']);
      expect(refused.code).toBe(1);
      console.info(`stream ${MAX_STREAMS + 1}: ${refused.stderr.trim()}`);
      // A limit, not a failure: 429, saying which limit and what frees it.
      expect(refused.stderr).toContain(
        `Error from server (TooManyRequests): Switchboard: too many connections to the relay (this session to the relay is at its limit of ${MAX_STREAMS} concurrent streams;`,
      );

      await chain.kubeAdmin.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'while-full', namespace: 'shop' },
      });
      await Promise.all(watches.map((watch) => watch.waitFor(/configmap\/while-full/)));

      // One ends: its stream is free for the next request.
      await watches.pop()!.stop();
      expect(await kubectl.ok(['get', 'configmap', 'while-full', '-n', 'shop', '-o', 'name'])).toBe(
        'configmap/while-full\n',
      );
    } finally {
      await Promise.all(watches.map((watch) => watch.stop()));
    }
  });
});

/** A watch through the local proxy on its own connection, held open until `close`. */
async function openWatch(
  client: ChainClient,
  agent: Agent,
): Promise<{ status: number; body(): Promise<string> }> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request(
      {
        host: '127.0.0.1',
        port: client.port,
        path: `${new URL(client.serverUrl).pathname}/api/v1/namespaces/shop/configmaps?watch=1`,
        agent,
        headers: { authorization: `Bearer ${client.identity.credential}` },
      },
      resolve,
    )
      .on('error', reject)
      .end();
  });
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    text += chunk;
  });
  const ended = new Promise<void>((resolve) => response.once('end', resolve));
  return {
    status: response.statusCode ?? 0,
    body: async () => {
      await ended;
      return text;
    },
  };
}

describe.skipIf(!kubectl133)('per-user OPEN rate', () => {
  // Slow enough that the burst below always ends before one token refills.
  const RATE_PER_SECOND = 0.5;
  const BURST = 4;
  let chain: Chain;
  let bursty: ChainClient;
  let kubectl: Kubectl;

  beforeAll(async () => {
    chain = await startChain({
      users: [{ name: 'bursty', relayRole: 'connect', clusterAdmin: true }],
      relayTunnel: { userOpenRatePerSecond: RATE_PER_SECOND, userOpenBurst: BURST },
    });
    bursty = await chain.connectAs('bursty');
    kubectl = await Kubectl.create(33, bursty.kubeconfigPath);
    // Discovery cached in kubectl's HOME, so later runs are one request each.
    await kubectl.ok(['get', 'configmaps', '-n', 'shop']);
  });
  afterAll(async () => {
    await kubectl?.close();
    await chain?.close();
  });

  it('a burst past it gets 429 at the client; after the refill a new stream opens again', async () => {
    // Watches hold their streams, so none returns to the local proxy's pool for reuse: every
    // request below needs a new OPEN at the relay.
    const agent = new Agent({ ca: bursty.identity.caCertPem, keepAlive: false, maxSockets: Infinity });
    try {
      const watches = await Promise.all(Array.from({ length: BURST * 3 }, () => openWatch(bursty, agent)));
      const statuses = watches.map((watch) => watch.status);
      // What opened: the warm-up's pooled streams plus the tokens it left, so never more than the burst.
      const opened = statuses.filter((status) => status === 200).length;
      expect(opened).toBeGreaterThan(0);
      expect(opened).toBeLessThanOrEqual(BURST);
      const refused = watches.filter((watch) => watch.status !== 200);
      expect(refused.length).toBeGreaterThan(0);
      for (const watch of refused) {
        expect(watch.status).toBe(429);
        expect(JSON.parse(await watch.body())).toMatchObject({
          kind: 'Status',
          code: 429,
          reason: 'TooManyRequests',
          message: `Switchboard: too many connections to the relay (too many streams opened: at most ${RATE_PER_SECOND} per second)`,
        });
      }

      // kubectl right after the burst: refused too, with the same message.
      const burstEnded = Date.now();
      const right = await kubectl.run(['get', 'configmaps', '-n', 'shop']);
      expect(right.code).toBe(1);
      expect(right.stderr).toContain(
        'Error from server (TooManyRequests): Switchboard: too many connections to the relay (too many streams opened',
      );

      // The bucket refills at the rate: a run that begins one token's time after the burst finds a
      // token. When a run began is what counts, not how long it took: on a loaded machine kubectl
      // alone can take seconds.
      for (;;) {
        const attemptStarted = Date.now();
        const again = await kubectl.run(['get', 'configmaps', '-n', 'shop', '-o', 'name']);
        if (again.code === 0) {
          expect(again.stdout).toContain('configmap/kube-root-ca.crt');
          console.info(
            `OPEN rate: ${opened} of ${statuses.length} opened in the burst; ` +
              `a new stream opened again ${Date.now() - burstEnded} ms after it`,
          );
          break;
        }
        expect(again.stderr).toContain('(TooManyRequests)');
        expect(attemptStarted - burstEnded).toBeLessThan(1_000 / RATE_PER_SECOND);
      }
    } finally {
      agent.destroy();
    }
  });
});
