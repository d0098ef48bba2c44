#!/usr/bin/env node
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { downloadRate, send, sequentialGets } from './support/chain.js';
import { echoes } from './support/exec-echo.js';
import { type ExecTarget, openExec } from './support/kube.js';
import { type LinkChain, startLinkChain, type Target } from './support/link-chain.js';
import { cpuSecondsOfTree } from './support/process-cpu.js';
import { LinkUnavailableError, shapedLinkUnavailable } from './support/shaped-link.js';
import { type Figure, header, ms, percentile, report, run, sleep } from './support/stats.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const RATE_BITS = 100e6;
const ONE_WAY_DELAY_MS = 20;
const RTT_MS = 2 * ONE_WAY_DELAY_MS;
/** The bandwidth-delay product of the path: what must be in flight to fill it. */
const BDP_BYTES = (RATE_BITS / 8) * (RTT_MS / 1000);
const SHAPE = {
  rateBitsPerSecond: RATE_BITS,
  // A WAN bottleneck's queue: 80 ms at the rate (1 MB), within the 50–100 ms such routers keep.
  queueMs: 80,
  // Ten full Ethernet frames (~1.2 ms at the rate): a bottleneck sends frames at its own pace.
  burstBytes: 10 * 1514,
};
const POD = 'echo';

const DOWNLOAD_BYTES = Number(process.env.BENCH_LINK_BYTES ?? 256 * MiB);
const RUNS = Number(process.env.BENCH_LINK_RUNS ?? 1);
const GETS = Number(process.env.BENCH_LINK_GETS ?? 400);
const GET_ROUNDS = 4;
/** Warm-up GETs per path, on this many connections at once (40 ms each, one after another, is slow). */
const GET_WARMUP = 800;
const GET_WARMUP_CONNECTIONS = 8;
const ECHOES = Number(process.env.BENCH_LINK_ECHOES ?? 500);
const ECHOES_ALONE = 100;
const ECHO_LIMITS = { phaseLimitMs: 30_000, echoTimeoutMs: 3_000 };
const BULK = 4;
/** Bulk streams run this long before the echoes start: windows grow, queues fill. */
const BULK_RAMP_MS = 3_000;
/** How often the relay's accounting is asked during the first tunnel download. */
const WINDOW_SAMPLE_MS = 25;
const WINDOW_TARGET_S = 3;
const GET_ADDED_TARGET_MS = 2;
const ECHO_ADDED_TARGET_MS = 15;
const RATE_TARGET = 0.95;

const mbit = (bytesPerSecond: number) => `${((8 * bytesPerSecond) / 1e6).toFixed(1)} Mbit/s`;
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

/** The small GET of (c). */
const namespaceUrl = (target: Target) => `${target.base}/api/v1/namespaces/default`;

/** (c) Small GET, tunnel vs direct, interleaved rounds on one keep-alive connection each. */
async function smallGets(chain: LinkChain) {
  const paths = { tunnel: chain.tunnel.sim, direct: chain.direct.sim };
  const times = { tunnel: [] as number[], direct: [] as number[] };
  for (const [name, target] of Object.entries(paths) as [keyof typeof paths, Target][]) {
    const many = target.agent({ maxSockets: GET_WARMUP_CONNECTIONS });
    await Promise.all(
      Array.from({ length: GET_WARMUP_CONNECTIONS }, () =>
        sequentialGets(many, namespaceUrl(target), target.headers, GET_WARMUP / GET_WARMUP_CONNECTIONS),
      ),
    );
    many.destroy();
    process.stdout.write(`  … ${name}: ${GET_WARMUP} warm-up GETs done\n`);
  }
  const one = {
    tunnel: paths.tunnel.agent({ maxSockets: 1 }),
    direct: paths.direct.agent({ maxSockets: 1 }),
  };
  for (let round = 0; round < GET_ROUNDS; round++) {
    times.direct.push(
      ...(await sequentialGets(
        one.direct,
        namespaceUrl(paths.direct),
        paths.direct.headers,
        GETS / GET_ROUNDS,
      )),
    );
    times.tunnel.push(
      ...(await sequentialGets(
        one.tunnel,
        namespaceUrl(paths.tunnel),
        paths.tunnel.headers,
        GETS / GET_ROUNDS,
      )),
    );
  }
  one.tunnel.destroy();
  one.direct.destroy();
  return times;
}

interface WindowGrowth {
  /** Seconds from the request until the relay's receive window on the stream reached the BDP. */
  reachedBdpS: number | undefined;
  /** The largest window seen, and what the relay held for the stream at most. */
  maxWindow: number;
  maxHeld: number;
  samples: number;
  /** A stream of the cluster had a window of the BDP or more before the download. */
  grownBefore: boolean;
}

/** Samples the relay's accounting for the `bytes` cluster's streams until `done` settles. */
async function watchWindow(chain: LinkChain, done: Promise<unknown>): Promise<WindowGrowth> {
  const start = performance.now();
  const bytesStreams = async () => (await chain.relayedStreams()).filter((s) => s.cluster === 'bytes');
  const growth: WindowGrowth = {
    reachedBdpS: undefined,
    maxWindow: 0,
    maxHeld: 0,
    samples: 0,
    grownBefore: (await bytesStreams()).some((s) => s.toUser.grantedWindow >= BDP_BYTES),
  };
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    const streams = await bytesStreams();
    growth.samples++;
    for (const stream of streams) {
      growth.maxWindow = Math.max(growth.maxWindow, stream.toUser.grantedWindow);
      growth.maxHeld = Math.max(growth.maxHeld, stream.toUser.bufferedBytes);
    }
    if (growth.reachedBdpS === undefined && growth.maxWindow >= BDP_BYTES) {
      growth.reachedBdpS = (performance.now() - start) / 1000;
    }
    await sleep(WINDOW_SAMPLE_MS);
  }
  return growth;
}

/** CPU seconds of each process (with its descendants: sshd forks per connection) over `work`. */
async function cpuOver<T>(
  pids: Record<string, number | undefined>,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOfTree(pid)]));
  const result = await work();
  const cpu: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const after = cpuSecondsOfTree(pid);
    const was = before[name];
    if (after !== undefined && was !== undefined) cpu[name] = after - was;
  }
  return { result, cpu };
}

/** (a) The download through the link, the tunnel and ssh -R, interleaved. */
async function downloads(chain: LinkChain) {
  const paths: {
    name: 'link' | 'tunnel' | 'ssh';
    target: Target;
    pids: Record<string, number | undefined>;
  }[] = [
    { name: 'link', target: chain.direct.bytes, pids: { 'delay line': chain.pids.delayLine } },
    {
      name: 'tunnel',
      target: chain.tunnel.bytes,
      pids: {
        proxy: chain.pids.proxy,
        relay: chain.pids.relay,
        agent: chain.pids.bytesAgent,
        'delay line': chain.pids.delayLine,
      },
    },
  ];
  if (typeof chain.ssh !== 'string') {
    paths.push({
      name: 'ssh',
      target: chain.ssh.bytes,
      pids: { ...chain.ssh.pids, 'delay line': chain.pids.delayLine },
    });
  }
  const agents = new Map(paths.map((p) => [p.name, p.target.agent({ maxSockets: 1 })]));
  // Connections (and the tunnel's stream) open before timing: one small answer each, which grows no window.
  for (const p of paths) {
    const answer = await send(agents.get(p.name)!, `${p.target.base}/small`, { headers: p.target.headers });
    if (answer.status !== 200) throw new Error(`GET ${p.target.base}/small: ${answer.status}`);
  }
  const rates: Record<string, number[]> = { link: [], tunnel: [], ssh: [] };
  const cpu: Record<string, Record<string, number>> = {};
  let window: WindowGrowth | undefined;
  for (let round = 0; round < RUNS; round++) {
    for (const p of paths) {
      const measured = await cpuOver(p.pids, async () => {
        const rate = downloadRate(agents.get(p.name)!, p.target.base, p.target.headers, DOWNLOAD_BYTES);
        if (p.name === 'tunnel' && round === 0) window = await watchWindow(chain, rate);
        return rate;
      });
      rates[p.name]!.push(measured.result);
      const sum = cpu[p.name] ?? {};
      cpu[p.name] = sum;
      for (const [name, seconds] of Object.entries(measured.cpu)) sum[name] = (sum[name] ?? 0) + seconds;
      process.stdout.write(`  … ${p.name}: ${mbit(measured.result)}\n`);
    }
  }
  for (const agent of agents.values()) agent.destroy();
  const gib = (RUNS * DOWNLOAD_BYTES) / GiB;
  const cpuPerGiB = Object.fromEntries(
    Object.entries(cpu).map(([path, each]) => [
      path,
      Object.entries(each)
        .map(([name, seconds]) => `${name} ${(seconds / gib).toFixed(2)}`)
        .join(', '),
    ]),
  );
  return { rates, window: window!, cpuPerGiB };
}

/** (b) Echo p99 alone and beside BULK `cat /dev/zero` exec streams on the same connection. */
async function echoUnderLoad(target: Target) {
  const exec: ExecTarget = { base: target.base, headers: target.headers, agent: target.agent() };
  const echo = await openExec(exec, POD, ['cat'], true);
  await echoes(echo, 20, ECHO_LIMITS);
  const alone = await echoes(echo, ECHOES_ALONE, ECHO_LIMITS);
  let bulkBytes = 0;
  const bulk: WebSocket[] = await Promise.all(
    Array.from({ length: BULK }, () => openExec(exec, POD, ['cat', '/dev/zero'], false)),
  );
  for (const ws of bulk) ws.on('message', (data: Buffer) => (bulkBytes += data.length));
  await sleep(BULK_RAMP_MS);
  const start = performance.now();
  const bytesAtStart = bulkBytes;
  const loaded = await echoes(echo, ECHOES, ECHO_LIMITS);
  const seconds = (performance.now() - start) / 1000;
  const bulkRate = (bulkBytes - bytesAtStart) / seconds;
  for (const ws of bulk) ws.terminate();
  echo.terminate();
  exec.agent.destroy();
  if (bulkBytes === 0) throw new Error(`the bulk streams through ${target.base} carried nothing`);
  // What the bulk left in the link's queue and socket buffers drains before the next phase.
  await sleep(2_000);
  return { alone: alone.times, loaded: loaded.times, timedOut: loaded.timedOut, seconds, bulkRate };
}

async function main(): Promise<void> {
  header(
    'a shaped WAN hop: relay ↔ agent across 100 Mbit/s, 40 ms RTT',
    `client, local proxy, relay here; agents, kube-sim and the byte server in a network namespace across a veth pair shaped by tbf, with a delay line (${ONE_WAY_DELAY_MS} ms each way); (a) ${(DOWNLOAD_BYTES / MiB).toFixed(0)} MiB download × ${RUNS}, (b) exec echo beside ${BULK} bulk exec streams, (c) small GETs`,
  );
  const unavailable = shapedLinkUnavailable();
  if (unavailable) {
    report('link', [], [`skipped: ${unavailable}`]);
    return;
  }
  let chain: LinkChain;
  try {
    chain = await startLinkChain({ shape: SHAPE, oneWayDelayMs: ONE_WAY_DELAY_MS, pod: POD });
  } catch (error) {
    if (!(error instanceof LinkUnavailableError)) throw error;
    report('link', [], [`skipped: ${error.message}`]);
    return;
  }
  // A hard time limit or Ctrl-C leaves no namespace, veth, qdisc, process or temp directory behind.
  process.on('exit', () => chain.abandon());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}, removing the link\n`);
      process.exit(130);
    });
  }
  const live = chain;
  try {
    process.stdout.write(`  link: ${live.link.describe}\n`);
    process.stdout.write('  (c) small GETs\n');
    const get = await smallGets(live);
    process.stdout.write('  (a) downloads\n');
    const bulk = await downloads(live);
    process.stdout.write('  (b) exec echo beside bulk: tunnel\n');
    const tunnelEcho = await echoUnderLoad(live.tunnel.sim);
    process.stdout.write('  (b) exec echo beside bulk: direct (alone only) and ssh -R\n');
    const directEcho = await directEchoAlone(live.direct.sim);
    const sshEcho = typeof live.ssh === 'string' ? undefined : await echoUnderLoad(live.ssh.sim);

    const p = percentile;
    const median = (values: number[]) => p(values, 50);
    const nominal = RATE_BITS / 8;
    const rate = {
      link: median(bulk.rates.link!),
      tunnel: median(bulk.rates.tunnel!),
      ssh: bulk.rates.ssh!.length > 0 ? median(bulk.rates.ssh!) : undefined,
    };
    const echoTarget = RTT_MS + ECHO_ADDED_TARGET_MS;
    const tunnelLoaded99 = p(tunnelEcho.loaded, 99);
    const figures: Figure[] = [
      {
        name: '(a) download, tunnel vs the link',
        value: mbit(rate.tunnel),
        baseline: `${mbit(rate.link)} link`,
        ratio: percent(rate.tunnel, rate.link),
        target: `≥ ${100 * RATE_TARGET}% of the link`,
        pass: rate.tunnel >= RATE_TARGET * rate.link,
      },
      {
        name: '(a) download, tunnel vs nominal',
        value: mbit(rate.tunnel),
        baseline: `${mbit(nominal)} nominal`,
        ratio: `${percent(rate.tunnel, nominal)} (the link itself ${percent(rate.link, nominal)})`,
        target: `≥ ${100 * RATE_TARGET}% of nominal`,
        pass: rate.tunnel >= RATE_TARGET * nominal,
      },
      {
        name: '(a) relay window on the stream reached the BDP',
        value: bulk.window.reachedBdpS === undefined ? 'never' : `${bulk.window.reachedBdpS.toFixed(2)} s`,
        baseline: `BDP ${(BDP_BYTES / 1000).toFixed(0)} kB`,
        ratio: `max window ${(bulk.window.maxWindow / 1024).toFixed(0)} KiB`,
        target: `≤ ${WINDOW_TARGET_S} s`,
        pass:
          !bulk.window.grownBefore &&
          bulk.window.reachedBdpS !== undefined &&
          bulk.window.reachedBdpS <= WINDOW_TARGET_S,
      },
    ];
    figures.push({
      name: '(a) CPU s per GiB, tunnel processes',
      value: bulk.cpuPerGiB.tunnel ?? 'n/a',
      baseline: `link: ${bulk.cpuPerGiB.link ?? 'n/a'}`,
      target: '(reported)',
    });
    if (rate.ssh !== undefined) {
      figures.push({
        name: '(a) download, tunnel vs ssh -R',
        value: mbit(rate.tunnel),
        baseline: `${mbit(rate.ssh)} ssh -R`,
        ratio: `${(rate.tunnel / rate.ssh).toFixed(2)}x`,
        target: '≥ ssh -R',
        pass: rate.tunnel >= rate.ssh,
      });
    }
    figures.push(
      {
        name: `(b) exec echo p99 beside ${BULK} bulk streams`,
        value: ms(tunnelLoaded99),
        baseline: `${ms(p(tunnelEcho.alone, 99))} alone`,
        ratio: `RTT ${RTT_MS} ms + ${(tunnelLoaded99 - RTT_MS).toFixed(1)} ms`,
        target: `≤ RTT + ${ECHO_ADDED_TARGET_MS} ms (${echoTarget} ms)`,
        pass: tunnelLoaded99 <= echoTarget,
      },
      ...(sshEcho
        ? [
            {
              name: `(b) exec echo p99 beside ${BULK} bulk, vs ssh -R`,
              value: ms(tunnelLoaded99),
              baseline: `${ms(p(sshEcho.loaded, 99))} ssh -R`,
              ratio: `${(tunnelLoaded99 / p(sshEcho.loaded, 99)).toFixed(2)}x`,
              target: '< ssh -R',
              pass: tunnelLoaded99 < p(sshEcho.loaded, 99),
            },
          ]
        : []),
      {
        name: '(c) small GET p50, added over direct',
        value: ms(p(get.tunnel, 50)),
        baseline: `${ms(p(get.direct, 50))} direct`,
        ratio: `+${(p(get.tunnel, 50) - p(get.direct, 50)).toFixed(2)} ms`,
        target: `added ≤ ${GET_ADDED_TARGET_MS} ms`,
        pass: p(get.tunnel, 50) - p(get.direct, 50) <= GET_ADDED_TARGET_MS,
      },
      {
        name: '(c) small GET p99, added over direct',
        value: ms(p(get.tunnel, 99)),
        baseline: `${ms(p(get.direct, 99))} direct`,
        ratio: `+${(p(get.tunnel, 99) - p(get.direct, 99)).toFixed(2)} ms`,
        target: '(reported)',
      },
    );
    const runs = (name: string) => (bulk.rates[name] ?? []).map(mbit).join(' / ');
    const echoLine = (name: string, e: Awaited<ReturnType<typeof echoUnderLoad>>) =>
      `${name}: alone p50/p99 ${ms(p(e.alone, 50))} / ${ms(p(e.alone, 99))} (${e.alone.length}); beside the bulk p50/p99/max ${ms(p(e.loaded, 50))} / ${ms(p(e.loaded, 99))} / ${ms(Math.max(...e.loaded))} (${e.loaded.length} echoes in ${e.seconds.toFixed(1)} s${e.timedOut ? `, stopped: one took > ${ECHO_LIMITS.echoTimeoutMs / 1000} s` : ''}); the bulk meanwhile ${mbit(e.bulkRate)}`;
    report('link', figures, [
      `link: ${live.link.describe}`,
      `delay line: ${ONE_WAY_DELAY_MS} ms each way in user space (support/delay-line.ts), in every path once; RTT ${RTT_MS} ms, BDP ${BDP_BYTES} bytes`,
      typeof live.ssh === 'string' ? live.ssh : `ssh: ${live.ssh.describe}`,
      `(a) ${(DOWNLOAD_BYTES / MiB).toFixed(0)} MiB × ${RUNS} per path, interleaved (median): link ${runs('link')}; tunnel ${runs('tunnel')}; ssh -R ${runs('ssh')}`,
      `(a) CPU s per GiB: tunnel — ${bulk.cpuPerGiB.tunnel}; link — ${bulk.cpuPerGiB.link}${bulk.cpuPerGiB.ssh ? `; ssh -R — ${bulk.cpuPerGiB.ssh}` : ''}`,
      `(a) relay window, first tunnel download: ${bulk.window.samples} samples every ${WINDOW_SAMPLE_MS} ms; max window ${bulk.window.maxWindow} B; the relay held at most ${bulk.window.maxHeld} B for the stream${bulk.window.grownBefore ? '; a stream of the cluster had grown before the download: no figure' : ''}`,
      `(b) ${echoLine('tunnel', tunnelEcho)}`,
      ...(sshEcho ? [`(b) ${echoLine('ssh -R', sshEcho)}`] : []),
      `(b) direct across the link, alone (the path's own round trip): p50/p99 ${ms(p(directEcho, 50))} / ${ms(p(directEcho, 99))} (${directEcho.length})`,
      `(c) ${get.tunnel.length} GETs per path in ${GET_ROUNDS} interleaved rounds after ${GET_WARMUP} warm-up on ${GET_WARMUP_CONNECTIONS} connections; p50 tunnel ${ms(p(get.tunnel, 50))}, direct ${ms(p(get.direct, 50))}`,
      'TCP across the link sees only the link (its queue, no delay): the delay line adds the round trip above TCP; see docs/benchmarks.md',
    ]);
  } finally {
    await live.close();
  }
}

/** The exec echo straight to kube-sim across the link, alone: the path's own round trip. */
async function directEchoAlone(target: Target): Promise<number[]> {
  const exec: ExecTarget = { base: target.base, headers: target.headers, agent: target.agent() };
  const echo = await openExec(exec, POD, ['cat'], true);
  await echoes(echo, 20, ECHO_LIMITS);
  const { times } = await echoes(echo, ECHOES_ALONE, ECHO_LIMITS);
  echo.terminate();
  exec.agent.destroy();
  return times;
}

run(main, 8 * 60_000);
