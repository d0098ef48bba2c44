#!/usr/bin/env node
/**
 * 1,000 concurrent watches through one agent: event delivery time from a write in kube-sim (the
 * moment the client sends the ConfigMap POST) to the event's arrival at each watcher, its p50/p99
 * over every (write, watcher) pair; the same with 1,000 watches straight on kube-sim (same run,
 * first). The relay's per-user stream limit and open rate, and the agent's per-session stream limit,
 * are raised for this run (see docs/benchmarks.md). Split layout by default (local proxy, relay and
 * agent in child processes, kube-sim and the watchers here); `BENCH_SPLIT=0` for one process.
 */
import type { IncomingMessage } from 'node:http';
import { type Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { send, startBenchChain } from './support/chain.js';
import { LAYOUT, SPLIT, type SplitChainOptions, startSplitChain } from './support/split-chain.js';
import { type Figure, header, ms, percentile, report, run, sleep } from './support/stats.js';

const WATCHES = Number(process.env.BENCH_WATCHES ?? 1_000);
const WRITES = 20;
const WRITE_GAP_MS = 250;
const STREAMS = 4_096;

interface Target {
  base: string;
  headers: Record<string, string>;
  agent: Agent;
}

/** Opens `WATCHES` watches on configmaps in `default`; each arrival time goes into `arrivals`. */
async function openWatches(target: Target, arrivals: Map<string, number[]>): Promise<IncomingMessage[]> {
  const open = async (): Promise<IncomingMessage> => {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(
        `${target.base}/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=false`,
        { agent: target.agent, headers: { accept: 'application/json', ...target.headers } },
      );
      req.on('error', reject);
      req.on('response', resolve);
      req.end();
    });
    if (res.statusCode !== 200) throw new Error(`watch: ${res.statusCode}`);
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (text: string) => {
      const now = performance.now();
      pending += text;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const event = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
        if (event.type === 'ADDED') arrivals.get(event.object.metadata.name)?.push(now);
        newline = pending.indexOf('\n');
      }
    });
    res.on('error', () => {});
    return res;
  };
  const watches: IncomingMessage[] = [];
  // 50 at a time: the opens are bounded, the relay's open-rate bucket is raised for this run.
  for (let i = 0; i < WATCHES; i += 50)
    watches.push(...(await Promise.all(Array.from({ length: Math.min(50, WATCHES - i) }, open))));
  return watches;
}

/** WRITES ConfigMap creations (via the admin client, straight to kube-sim); per-arrival delays. */
async function measure(
  target: Target,
  writer: Target,
  prefix: string,
): Promise<{ delays: number[]; missing: number; openSeconds: number }> {
  const arrivals = new Map<string, number[]>();
  const opened = performance.now();
  const watches = await openWatches(target, arrivals);
  const openSeconds = (performance.now() - opened) / 1000;
  await sleep(1_000);
  const sent = new Map<string, number>();
  for (let i = 0; i < WRITES; i++) {
    const name = `${prefix}-${i}`;
    arrivals.set(name, []);
    sent.set(name, performance.now());
    const answer = await send(writer.agent, `${writer.base}/api/v1/namespaces/default/configmaps`, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } },
    });
    if (answer.status !== 201) throw new Error(`create configmap: ${answer.status} ${answer.text}`);
    await sleep(WRITE_GAP_MS);
  }
  await sleep(2_000);
  for (const res of watches) res.destroy();
  const delays: number[] = [];
  let missing = 0;
  for (const [name, times] of arrivals) {
    const at = sent.get(name)!;
    for (const t of times) delays.push(t - at);
    missing += WATCHES - times.length;
  }
  return { delays, missing, openSeconds };
}

async function main(): Promise<void> {
  header(
    'watch fan-out: 1,000 concurrent watches through one agent',
    `${WATCHES} watches on configmaps, ${WRITES} creations ${WRITE_GAP_MS} ms apart; delivery p50/p99 over every (write, watcher), direct first, then through the tunnel; ${LAYOUT}`,
  );
  const raised: SplitChainOptions = {
    relayTunnel: {
      maxStreamsPerUser: STREAMS,
      maxStreamsPerSession: STREAMS,
      userOpenRatePerSecond: 10_000,
      userOpenBurst: STREAMS,
    },
    agent: { session: { maxStreams: STREAMS } },
  };
  const bench = SPLIT ? await startSplitChain(raised) : await startBenchChain(raised);
  try {
    const writer: Target = { base: bench.directBase, headers: {}, agent: bench.directAgent() };
    const direct: Target = {
      base: bench.directBase,
      headers: {},
      agent: bench.directAgent({ maxSockets: WATCHES + 10 }),
    };
    process.stdout.write('  … direct watches\n');
    const directRun = await measure(direct, writer, 'direct');
    direct.agent.destroy();
    const tunnel: Target = {
      base: bench.proxyBase,
      headers: bench.proxyHeaders,
      agent: bench.proxyAgent({ maxSockets: WATCHES + 10 }),
    };
    process.stdout.write('  … tunnel watches\n');
    const tunnelRun = await measure(tunnel, writer, 'tunnel');
    tunnel.agent.destroy();
    writer.agent.destroy();

    const p = (values: number[], q: number) => percentile(values, q);
    const figures: Figure[] = [
      {
        name: `watch event delivery p99, ${WATCHES} watches`,
        value: ms(p(tunnelRun.delays, 99)),
        baseline: `${ms(p(directRun.delays, 99))} direct`,
        ratio: `+${(p(tunnelRun.delays, 99) - p(directRun.delays, 99)).toFixed(2)} ms`,
        target: '≤ 100 ms',
        pass: p(tunnelRun.delays, 99) <= 100 && tunnelRun.missing === 0,
      },
      {
        name: `watch event delivery p50, ${WATCHES} watches`,
        value: ms(p(tunnelRun.delays, 50)),
        baseline: `${ms(p(directRun.delays, 50))} direct`,
        target: '(reported)',
      },
    ];
    report('watch-fanout', figures, [
      `layout: ${LAYOUT}`,
      `events delivered: tunnel ${tunnelRun.delays.length} (${tunnelRun.missing} missing), direct ${directRun.delays.length} (${directRun.missing} missing) of ${WATCHES * WRITES}`,
      `max: tunnel ${ms(Math.max(...tunnelRun.delays))}, direct ${ms(Math.max(...directRun.delays))}; opening ${WATCHES} watches took ${tunnelRun.openSeconds.toFixed(1)} s tunnel, ${directRun.openSeconds.toFixed(1)} s direct`,
      `raised for this run: relay maxStreamsPerUser/maxStreamsPerSession ${STREAMS} (default 128), userOpenRatePerSecond 10000 (50), userOpenBurst ${STREAMS} (100); agent session maxStreams ${STREAMS} (1024)`,
    ]);
  } finally {
    await bench.close();
  }
}

run(main, 5 * 60_000);
