#!/usr/bin/env node
/**
 * A 1 GiB download through the tunnel vs the pipe floor (support/pipe-floor.ts: the same processes
 * and TLS doing only pipe()), vs an OpenSSH reverse tunnel (`ssh -R`) carrying the same stream, and
 * vs the same download straight from the upstream; three interleaved runs per path, medians
 * compared. Beside it, each tunnel process's CPU-seconds per GiB against the floor's process in its
 * place. The upstream is a tiny HTTPS server that streams N bytes (support/byte-server.ts), so the
 * byte source is never the limit.
 */
import type { Agent } from 'node:https';
import { startByteServer } from './support/byte-server.js';
import { downloadRate, startBenchChain } from './support/chain.js';
import { type PipeFloor, startPipeFloor } from './support/pipe-floor.js';
import { cpuSeconds } from './support/process-cpu.js';
import { RELAY_ADDRESS, relayAddressFromEnvironment } from './support/relay-address.js';
import { LAYOUT, SPLIT, startSplitChain, type TunnelProcess } from './support/split-chain.js';
import { type SshTunnel, sshAvailable, startSshReverseTunnel } from './support/ssh-tunnel.js';
import { type Figure, header, mbps, percentile, report, run } from './support/stats.js';

const GiB = 1024 ** 3;
const SIZE = Number(process.env.BENCH_STREAM_BYTES ?? GiB);
const WARMUP = 64 * 1024 * 1024;
const RUNS = 3;

interface Path {
  name: string;
  agent: Agent;
  base: string;
  headers: Record<string, string>;
  rates: number[];
  /** The processes in the tunnel's places, when they are children this benchmark can read. */
  pids?: Record<TunnelProcess, number | undefined>;
  /** CPU seconds per GiB of each of those processes, one entry per timed run. */
  cpuPerGiB: Record<TunnelProcess, number[]>;
}

const PROCESSES: TunnelProcess[] = ['proxy', 'relay', 'agent'];
/** The CPU targets: each tunnel process against the floor's process in its place. */
const CPU_TARGET: Record<TunnelProcess, number> = { proxy: 1.3, relay: 1.2, agent: 1.3 };

function cpuNow(pids: Record<TunnelProcess, number | undefined>): Record<TunnelProcess, number | undefined> {
  return { proxy: cpuSeconds(pids.proxy), relay: cpuSeconds(pids.relay), agent: cpuSeconds(pids.agent) };
}

/** One timed download; the CPU each of the path's processes spent on it, per GiB. */
async function timedRun(p: Path): Promise<void> {
  const before = p.pids && cpuNow(p.pids);
  p.rates.push(await downloadRate(p.agent, p.base, p.headers, SIZE));
  if (!p.pids || !before) return;
  const after = cpuNow(p.pids);
  for (const name of PROCESSES) {
    const [start, end] = [before[name], after[name]];
    if (start !== undefined && end !== undefined) p.cpuPerGiB[name].push((end - start) / (SIZE / GiB));
  }
}

async function main(): Promise<void> {
  header(
    `${(SIZE / GiB).toFixed(2)} GiB stream: tunnel vs the pipe floor vs ssh -R vs direct`,
    `one HTTPS GET of N bytes from a byte-streaming HTTPS server, median of ${RUNS} runs per path, the paths interleaved; tunnel = local proxy → relay → agent → server (${LAYOUT}); ssh -R = OpenSSH sshd + ssh processes, client in this process`,
  );
  const bytes = await startByteServer();
  const upstream = { kind: 'https' as const, url: bytes.url, caPem: bytes.caPem };
  const split = SPLIT ? await startSplitChain({ upstream }) : undefined;
  const bench = split ?? (await startBenchChain({ upstream }));
  const missing = sshAvailable();
  let ssh: SshTunnel | undefined;
  let floor: PipeFloor | undefined;
  const notes: string[] = [];
  const path = (
    name: string,
    agent: Agent,
    base: string,
    headers: Record<string, string> = {},
    pids?: Record<TunnelProcess, number | undefined>,
  ): Path => ({
    name,
    agent,
    base,
    headers,
    rates: [],
    ...(pids && { pids }),
    cpuPerGiB: { proxy: [], relay: [], agent: [] },
  });
  try {
    ssh = missing ? undefined : await startSshReverseTunnel(bytes.port);
    // The in-process chain's relay is on loopback: the floor is addressed as the tunnel is.
    floor = await startPipeFloor(
      { port: bytes.port, caPem: bytes.caPem },
      split ? RELAY_ADDRESS : relayAddressFromEnvironment('loopback'),
    );
    const paths = {
      direct: path('direct', bench.directAgent({ maxSockets: 1 }), bytes.url),
      tunnel: path(
        'tunnel',
        bench.proxyAgent({ maxSockets: 1 }),
        bench.proxyBase,
        bench.proxyHeaders,
        split?.pids,
      ),
      floor: path(
        'pipe floor',
        bench.directAgent({ maxSockets: 1, ca: floor.caPem }),
        floor.url,
        {},
        split && floor.pids,
      ),
      ssh: ssh
        ? path(
            'ssh -R',
            bench.directAgent({ maxSockets: 1, servername: 'localhost' }),
            `https://127.0.0.1:${ssh.port}`,
          )
        : undefined,
    };
    const measured = Object.values(paths).filter((p): p is Path => p !== undefined);
    for (const p of measured) await downloadRate(p.agent, p.base, p.headers, WARMUP);
    // Interleaved, so drift (the other tenants of this machine, JIT, socket buffers) hits every path alike.
    for (let run = 0; run < RUNS; run++) {
      for (const p of measured) await timedRun(p);
    }
    for (const p of measured) p.agent.destroy();
    const median = (p: Path) => percentile(p.rates, 50);
    const runs = (p: Path) => `${p.name} ${p.rates.map((rate) => (rate / 1e6).toFixed(0)).join(' / ')} MB/s`;
    const rateDirect = median(paths.direct);
    const rateTunnel = median(paths.tunnel);
    const rateFloor = median(paths.floor);
    const figures: Figure[] = [
      {
        name: 'stream throughput, tunnel vs the pipe floor',
        value: mbps(rateTunnel),
        baseline: mbps(rateFloor),
        ratio: `${((100 * rateTunnel) / rateFloor).toFixed(0)}% of the floor`,
        target: '≥ 90% of the floor',
        pass: rateTunnel >= 0.9 * rateFloor,
      },
    ];
    if (paths.ssh) {
      const rateSsh = median(paths.ssh);
      figures.push({
        name: 'stream throughput, tunnel vs ssh -R',
        value: mbps(rateTunnel),
        baseline: mbps(rateSsh),
        ratio: `${(rateTunnel / rateSsh).toFixed(2)}x`,
        target: 'faster than ssh -R',
        pass: rateTunnel > rateSsh,
      });
      notes.push(`ssh: ${ssh?.describe}`);
    } else notes.push(`ssh -R baseline skipped: ${missing}`);
    figures.push({
      name: 'stream throughput, tunnel vs direct',
      value: mbps(rateTunnel),
      baseline: mbps(rateDirect),
      ratio: `${((100 * rateTunnel) / rateDirect).toFixed(0)}% of direct (the floor: ${((100 * rateFloor) / rateDirect).toFixed(0)}%)`,
      target: '(reported)',
    });
    figures.push(...cpuFigures(paths.tunnel, paths.floor, notes));
    notes.push(`runs: ${measured.map(runs).join('; ')}`);
    notes.push(
      `the tunnel path has two TLS legs end to end (client→proxy, agent→server)${RELAY_ADDRESS.deployed && split ? ' and TLS on each relay hop (wss)' : ' and plain ws between proxy, relay and agent'}; ssh -R carries the end-to-end TLS inside SSH encryption`,
    );
    notes.push(
      'pipe floor: the same three processes, TLS legs and relay addressing doing only TLS and pipe() (support/pipe-floor.ts): what any three-process tunnel could reach here',
    );
    notes.push(`layout: ${LAYOUT}`);
    report('tunnel-stream', figures, notes);
  } finally {
    await ssh?.close();
    await floor?.close();
    await bench.close();
    await bytes.close();
  }
}

/**
 * Each tunnel process's CPU-seconds per GiB (median of the runs) against the floor's process in
 * its place; every run's figures in the notes.
 */
function cpuFigures(tunnel: Path, floor: Path, notes: string[]): Figure[] {
  if (!tunnel.pids) {
    notes.push('CPU per process: only in the split layout (here every part shares this process)');
    return [];
  }
  const figures: Figure[] = [];
  const perRun: string[] = [];
  for (const name of PROCESSES) {
    const [ours, floors] = [tunnel.cpuPerGiB[name], floor.cpuPerGiB[name]];
    if (ours.length === 0 || floors.length === 0) {
      notes.push(`CPU of the ${name}: /proc/<pid>/stat could not be read (not Linux?)`);
      continue;
    }
    const [mine, theirs] = [percentile(ours, 50), percentile(floors, 50)];
    figures.push({
      name: `${name} CPU-seconds per GiB vs the floor's`,
      value: `${mine.toFixed(2)} s/GiB`,
      baseline: `${theirs.toFixed(2)} s/GiB`,
      ratio: `${(mine / theirs).toFixed(2)}x`,
      target: `≤ ${CPU_TARGET[name]}x the floor's`,
      pass: mine <= CPU_TARGET[name] * theirs,
    });
    const runs = ours.map((seconds, run) => `${seconds.toFixed(2)}/${floors[run]?.toFixed(2) ?? '?'}`);
    perRun.push(`${name} ${runs.join(', ')}`);
  }
  if (perRun.length > 0) {
    notes.push(
      `CPU-seconds per GiB, tunnel/floor, each run (from /proc/<pid>/stat, 10 ms ticks): ${perRun.join('; ')}`,
    );
  }
  return figures;
}

run(main, 10 * 60_000);
