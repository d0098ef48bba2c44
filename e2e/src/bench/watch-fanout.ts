#!/usr/bin/env node
/**
 * 1,000 concurrent watches through one agent: event delivery time from a write in kube-sim (the
 * moment the client sends the ConfigMap POST) to the event's arrival at each watcher, its p50/p99
 * over every (write, watcher) pair; the same with 1,000 watches straight on kube-sim (same run,
 * first; each on its own connection). Also the time to open the watches, the
 * sockets the agent holds to kube-sim meanwhile (from /proc), and events missing or duplicated,
 * counted per watcher. The relay's per-user stream limit and open rate, and the agent's per-session stream limit,
 * are raised for this run (see docs/benchmarks.md). Split layout by default (local proxy, relay and
 * agent in child processes, kube-sim and the watchers here); `BENCH_SPLIT=0` for one process.
 */
import type { IncomingMessage } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { type Agent, type AgentOptions, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { DEFAULT_HTTP2_MAX_STREAMS_PER_CONNECTION } from '@switchboard/kube-sim';
import { send, startBenchChain } from './support/chain.js';
import { tcpConnectionsTo } from './support/process-sockets.js';
import { LAYOUT, SPLIT, type SplitChainOptions, startSplitChain } from './support/split-chain.js';
import { type Figure, header, ms, percentile, report, run, sleep } from './support/stats.js';

const WATCHES = Number(process.env.BENCH_WATCHES ?? 1_000);
const WRITES = 20;
const WRITE_GAP_MS = 250;
const STREAMS = 4_096;
/**
 * The direct baseline's protocol: one HTTP/1.1 keep-alive connection per watch by default.
 * kubectl (client-go) would speak HTTP/2, one connection per client (`h2`), but kube-sim (Node's
 * http2) fans an event out to 1,000 HTTP/2 connections 2–3× slower than to 1,000 HTTP/1.1 ones,
 * which Go's kube-apiserver does not: that baseline would flatter the tunnel, so it is opt-in.
 */
const DIRECT_PROTOCOL = process.env.BENCH_DIRECT_PROTOCOL === 'h2' ? 'h2' : 'http/1.1';

const WATCH_PATH = '/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=false';

/** How the watchers reach the API: HTTP/1.1 (the local proxy speaks only that) or HTTP/2. */
type Target =
  | { protocol: 'http/1.1'; base: string; headers: Record<string, string>; agent: Agent }
  | { protocol: 'h2'; base: string; tls: AgentOptions };

/**
 * What every watcher saw of the creations being measured: for each creation, per watcher, how
 * often its ADDED event arrived and when it first did. Counted per watcher, so that a duplicate
 * on one watcher cannot hide an event missing on another.
 */
class Arrivals {
  readonly #counts = new Map<string, Uint16Array>();
  readonly #first = new Map<string, Float64Array>();

  expect(name: string): void {
    this.#counts.set(name, new Uint16Array(WATCHES));
    this.#first.set(name, new Float64Array(WATCHES).fill(Number.NaN));
  }

  saw(name: string, watcher: number, at: number): void {
    const counts = this.#counts.get(name);
    if (!counts) return;
    counts[watcher]! += 1;
    if (counts[watcher] === 1) this.#first.get(name)![watcher] = at;
  }

  /** Delays from each creation's send time to each watcher's first arrival; missing and duplicate counts. */
  tally(sent: Map<string, number>): { delays: number[]; missing: number; duplicates: number } {
    const delays: number[] = [];
    let missing = 0;
    let duplicates = 0;
    for (const [name, counts] of this.#counts) {
      const first = this.#first.get(name)!;
      const at = sent.get(name)!;
      for (let watcher = 0; watcher < WATCHES; watcher++) {
        if (counts[watcher] === 0) missing++;
        else {
          delays.push(first[watcher]! - at);
          duplicates += counts[watcher]! - 1;
        }
      }
    }
    return { delays, missing, duplicates };
  }
}

/** Splits a watch's body into events and hands each ADDED one to `arrivals`. */
function eventReader(watcher: number, arrivals: Arrivals): (text: string) => void {
  let pending = '';
  return (text) => {
    const now = performance.now();
    pending += text;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const event = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
      if (event.type === 'ADDED') arrivals.saw(event.object.metadata.name, watcher, now);
      newline = pending.indexOf('\n');
    }
  };
}

/** Opens one watch as watcher `index`; resolves with how to close it once it answered 200. */
async function openWatch(target: Target, index: number, arrivals: Arrivals): Promise<() => void> {
  const onText = eventReader(index, arrivals);
  if (target.protocol === 'h2') {
    const session = http2Connect(target.base, target.tls);
    session.on('error', () => {});
    const stream = session.request({ ':path': WATCH_PATH, accept: 'application/json' });
    stream.on('error', () => {});
    const status = await new Promise<number>((resolve, reject) => {
      stream.once('response', (headers) => resolve(Number(headers[':status'])));
      stream.once('close', () => reject(new Error('watch closed before its answer')));
    });
    if (status !== 200) throw new Error(`watch: ${status}`);
    stream.setEncoding('utf8');
    stream.on('data', onText);
    return () => session.destroy();
  }
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(`${target.base}${WATCH_PATH}`, {
      agent: target.agent,
      headers: { accept: 'application/json', ...target.headers },
    });
    req.on('error', reject);
    req.on('response', resolve);
    req.end();
  });
  if (res.statusCode !== 200) throw new Error(`watch: ${res.statusCode}`);
  res.setEncoding('utf8');
  res.on('data', onText);
  res.on('error', () => {});
  return () => res.destroy();
}

/** Opens `WATCHES` watches on configmaps in `default`, 50 at a time. */
async function openWatches(target: Target, arrivals: Arrivals): Promise<(() => void)[]> {
  const watches: (() => void)[] = [];
  // 50 at a time: the opens are bounded, the relay's open-rate bucket is raised for this run.
  for (let i = 0; i < WATCHES; i += 50) {
    const batch = Array.from({ length: Math.min(50, WATCHES - i) }, (_, k) =>
      openWatch(target, i + k, arrivals),
    );
    watches.push(...(await Promise.all(batch)));
  }
  return watches;
}

interface Run {
  delays: number[];
  missing: number;
  duplicates: number;
  openSeconds: number;
  /** What `whileOpen` returned, asked once every watch is open. */
  heldSockets: number | undefined;
}

/** WRITES ConfigMap creations (via the admin client, straight to kube-sim); per-arrival delays. */
async function measure(
  target: Target,
  writer: { base: string; agent: Agent },
  prefix: string,
  whileOpen: () => Promise<number | undefined> = async () => undefined,
): Promise<Run> {
  const arrivals = new Arrivals();
  const opened = performance.now();
  const watches = await openWatches(target, arrivals);
  const openSeconds = (performance.now() - opened) / 1000;
  await sleep(1_000);
  const heldSockets = await whileOpen();
  const sent = new Map<string, number>();
  for (let i = 0; i < WRITES; i++) {
    const name = `${prefix}-${i}`;
    arrivals.expect(name);
    sent.set(name, performance.now());
    const answer = await send(writer.agent, `${writer.base}/api/v1/namespaces/default/configmaps`, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } },
    });
    if (answer.status !== 201) throw new Error(`create configmap: ${answer.status} ${answer.text}`);
    await sleep(WRITE_GAP_MS);
  }
  await sleep(2_000);
  for (const close of watches) close();
  return { ...arrivals.tally(sent), openSeconds, heldSockets };
}

async function main(): Promise<void> {
  header(
    'watch fan-out: 1,000 concurrent watches through one agent',
    `${WATCHES} watches on configmaps, ${WRITES} creations ${WRITE_GAP_MS} ms apart; delivery p50/p99 over every (write, watcher), direct first (${DIRECT_PROTOCOL}, one connection per watch), then through the tunnel; ${LAYOUT}`,
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
    const writer = { base: bench.directBase, agent: bench.directAgent() };
    const direct: Target =
      DIRECT_PROTOCOL === 'h2'
        ? { protocol: 'h2', base: bench.directBase, tls: bench.directTls }
        : {
            protocol: 'http/1.1',
            base: bench.directBase,
            headers: {},
            agent: bench.directAgent({ maxSockets: WATCHES + 10 }),
          };
    process.stdout.write('  … direct watches\n');
    const directRun = await measure(direct, writer, 'direct');
    if (direct.protocol === 'http/1.1') direct.agent.destroy();
    const tunnel: Target = {
      protocol: 'http/1.1',
      base: bench.proxyBase,
      headers: bench.proxyHeaders,
      agent: bench.proxyAgent({ maxSockets: WATCHES + 10 }),
    };
    // The agent runs in a child process in the split layout: its sockets to kube-sim, from /proc.
    const apiserverPort = Number(new URL(bench.directBase).port);
    const agentSockets =
      'agentPid' in bench ? () => tcpConnectionsTo(bench.agentPid, apiserverPort) : undefined;
    process.stdout.write('  … tunnel watches\n');
    const tunnelRun = await measure(tunnel, writer, 'tunnel', agentSockets);
    tunnel.agent.destroy();
    writer.agent.destroy();

    const p = (values: number[], q: number) => percentile(values, q);
    const p99Ratio = p(tunnelRun.delays, 99) / p(directRun.delays, 99);
    const openRatio = tunnelRun.openSeconds / directRun.openSeconds;
    const complete = (r: Run) => r.missing === 0 && r.duplicates === 0;
    const figures: Figure[] = [
      {
        name: `watch event delivery p99, ${WATCHES} watches`,
        value: ms(p(tunnelRun.delays, 99)),
        baseline: `${ms(p(directRun.delays, 99))} direct`,
        ratio: `+${(p(tunnelRun.delays, 99) - p(directRun.delays, 99)).toFixed(2)} ms`,
        target: '≤ 100 ms, none missing',
        pass: p(tunnelRun.delays, 99) <= 100 && complete(tunnelRun),
      },
      {
        name: 'watch event delivery p99 vs direct',
        value: ms(p(tunnelRun.delays, 99)),
        baseline: `${ms(p(directRun.delays, 99))} direct`,
        ratio: `${p99Ratio.toFixed(2)}×`,
        target: '≤ 1.3× direct',
        pass: p99Ratio <= 1.3,
      },
      {
        name: `watch event delivery p50, ${WATCHES} watches`,
        value: ms(p(tunnelRun.delays, 50)),
        baseline: `${ms(p(directRun.delays, 50))} direct`,
        target: '(reported)',
      },
      {
        name: `opening ${WATCHES} watches`,
        value: `${tunnelRun.openSeconds.toFixed(2)} s`,
        baseline: `${directRun.openSeconds.toFixed(2)} s direct`,
        ratio: `${openRatio.toFixed(2)}×`,
        target: '≤ 1.5× direct',
        pass: openRatio <= 1.5,
      },
      {
        name: 'agent sockets to the apiserver, watches open',
        value: tunnelRun.heldSockets === undefined ? 'n/a' : String(tunnelRun.heldSockets),
        baseline: `${WATCHES} watches`,
        target: '≤ 100',
        ...(tunnelRun.heldSockets !== undefined && { pass: tunnelRun.heldSockets <= 100 }),
      },
      {
        name: `events missing / duplicated, of ${WATCHES * WRITES}`,
        value: `${tunnelRun.missing} / ${tunnelRun.duplicates}`,
        baseline: `${directRun.missing} / ${directRun.duplicates} direct`,
        target: '0 / 0',
        pass: complete(tunnelRun),
      },
    ];
    report('watch-fanout', figures, [
      `layout: ${LAYOUT}`,
      `direct baseline: ${WATCHES} separate watches, each on its own ${DIRECT_PROTOCOL === 'h2' ? 'HTTP/2 connection (as kubectl speaks to kube-apiserver)' : 'HTTP/1.1 keep-alive connection'}; tunnel: each watch on its own HTTP/1.1 connection to the local proxy (which speaks only HTTP/1.1), the agent forwarding over HTTP/2 to kube-sim (its default stream limit, ${DEFAULT_HTTP2_MAX_STREAMS_PER_CONNECTION} per connection)`,
      `events counted per watcher: each of the ${WRITES} creations must arrive once on each of the ${WATCHES} watches; tunnel ${tunnelRun.delays.length} delivered, ${tunnelRun.missing} missing, ${tunnelRun.duplicates} duplicates; direct ${directRun.delays.length} delivered, ${directRun.missing} missing, ${directRun.duplicates} duplicates`,
      `max: tunnel ${ms(Math.max(...tunnelRun.delays))}, direct ${ms(Math.max(...directRun.delays))}`,
      ...(tunnelRun.heldSockets === undefined
        ? [
            'agent sockets not counted: one-process layout (BENCH_SPLIT=0) shares the agent’s process with the clients',
          ]
        : []),
      `raised for this run: relay maxStreamsPerUser/maxStreamsPerSession ${STREAMS} (default 128), userOpenRatePerSecond 10000 (50), userOpenBurst ${STREAMS} (100); agent session maxStreams ${STREAMS} (1024)`,
    ]);
  } finally {
    await bench.close();
  }
}

run(main, 5 * 60_000);
