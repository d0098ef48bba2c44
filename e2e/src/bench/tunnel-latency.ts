#!/usr/bin/env node
/**
 * Small GET through the tunnel (kubectl → local proxy → relay → agent → kube-sim) vs the same GET
 * straight to kube-sim: latency p50/p99 of sequential requests on one keep-alive connection, and
 * requests/s of a closed loop of 16 keep-alive connections.
 */
import type { Agent } from 'node:https';
import { performance } from 'node:perf_hooks';
import { send, sequentialGets, startBenchChain } from './support/chain.js';
import { LAYOUT, SPLIT, startSplitChain } from './support/split-chain.js';
import { type Figure, header, ms, percentile, report, run } from './support/stats.js';

const PATH = '/api/v1/namespaces/default';
/**
 * The proxy, relay and agent are long-lived processes; V8 tiers their HTTP and tunnel paths up over
 * the first thousand or so requests. The figures are taken after that, and the warm-up itself is
 * reported (JIT-cold) beside them.
 */
const WARMUP = 2_000;
const SAMPLES = 2_000;
const ROUNDS = 4;
const CONCURRENCY = 16;
const LOAD_SECONDS = 5;
const LOAD_MAX_REQUESTS = 100_000;

async function throughput(agent: Agent, url: string, headers: Record<string, string>): Promise<number> {
  const deadline = performance.now() + LOAD_SECONDS * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline && done < LOAD_MAX_REQUESTS) {
        const answer = await send(agent, url, { headers });
        if (answer.status !== 200) throw new Error(`GET ${url}: ${answer.status}`);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  header(
    'small GET latency and requests/s: tunnel vs kube-sim directly',
    `GET ${PATH}; ${ROUNDS}×${SAMPLES / ROUNDS} sequential samples each (after ${WARMUP} warm-up), then ${CONCURRENCY} connections for ${LOAD_SECONDS} s; ${LAYOUT}`,
  );
  const bench = SPLIT ? await startSplitChain() : await startBenchChain();
  try {
    const tunnelUrl = `${bench.proxyBase}${PATH}`;
    const directUrl = `${bench.directBase}${PATH}`;
    const one = { tunnel: bench.proxyAgent({ maxSockets: 1 }), direct: bench.directAgent({ maxSockets: 1 }) };
    const coldTunnel = await sequentialGets(one.tunnel, tunnelUrl, bench.proxyHeaders, WARMUP);
    const coldDirect = await sequentialGets(one.direct, directUrl, {}, WARMUP);
    const tunnel: number[] = [];
    const direct: number[] = [];
    // Interleaved rounds, so drift (GC, JIT, CPU frequency) hits both sides alike.
    for (let round = 0; round < ROUNDS; round++) {
      direct.push(...(await sequentialGets(one.direct, directUrl, {}, SAMPLES / ROUNDS)));
      tunnel.push(...(await sequentialGets(one.tunnel, tunnelUrl, bench.proxyHeaders, SAMPLES / ROUNDS)));
    }
    const many = {
      tunnel: bench.proxyAgent({ maxSockets: CONCURRENCY }),
      direct: bench.directAgent({ maxSockets: CONCURRENCY }),
    };
    const rpsDirect = await throughput(many.direct, directUrl, {});
    const rpsTunnel = await throughput(many.tunnel, tunnelUrl, bench.proxyHeaders);
    for (const agent of [...Object.values(one), ...Object.values(many)]) agent.destroy();

    const p50 = { t: percentile(tunnel, 50), d: percentile(direct, 50) };
    const p99 = { t: percentile(tunnel, 99), d: percentile(direct, 99) };
    const figures: Figure[] = [
      {
        name: 'GET p50 (added by the tunnel)',
        value: ms(p50.t),
        baseline: ms(p50.d),
        ratio: `${(p50.t / p50.d).toFixed(2)}x, +${(p50.t - p50.d).toFixed(2)} ms`,
        target: 'added ≤ 1 ms',
        pass: p50.t - p50.d <= 1,
      },
      {
        name: 'GET p99 (added by the tunnel)',
        value: ms(p99.t),
        baseline: ms(p99.d),
        ratio: `${(p99.t / p99.d).toFixed(2)}x, +${(p99.t - p99.d).toFixed(2)} ms`,
        target: 'added ≤ 5 ms',
        pass: p99.t - p99.d <= 5,
      },
      {
        name: `GET p50 / p99 of the ${WARMUP} warm-up requests (JIT-cold)`,
        value: `${ms(percentile(coldTunnel, 50))} / ${ms(percentile(coldTunnel, 99))}`,
        baseline: `${ms(percentile(coldDirect, 50))} / ${ms(percentile(coldDirect, 99))}`,
        target: '(reported)',
      },
      {
        name: `GET requests/s (${CONCURRENCY} connections)`,
        value: `${rpsTunnel.toFixed(0)} req/s`,
        baseline: `${rpsDirect.toFixed(0)} req/s`,
        ratio: `${(rpsTunnel / rpsDirect).toFixed(2)}x`,
        target: '(reported)',
      },
    ];
    report('tunnel-latency', figures, [
      `layout: ${LAYOUT}`,
      SPLIT
        ? 'client and kube-sim share this process (as in the direct baseline); local proxy, relay and agent run in one child process each'
        : 'client, local proxy, relay, agent and kube-sim share one Node process (one event loop) on this machine',
    ]);
  } finally {
    await bench.close();
  }
}

run(main, 5 * 60_000);
