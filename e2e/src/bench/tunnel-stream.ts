#!/usr/bin/env node
/**
 * A 1 GiB download through the tunnel vs the same download straight from the upstream, vs an
 * OpenSSH reverse tunnel (`ssh -R`) carrying the same stream, and vs the pipe floor
 * (support/pipe-floor.ts); three interleaved runs per path, medians compared. The upstream is a tiny HTTPS
 * server that streams N bytes (support/byte-server.ts), so the byte source is never the limit.
 */
import type { Agent } from 'node:https';
import { startByteServer } from './support/byte-server.js';
import { send, startBenchChain } from './support/chain.js';
import { type PipeFloor, startPipeFloor } from './support/pipe-floor.js';
import { LAYOUT, SPLIT, startSplitChain } from './support/split-chain.js';
import { type SshTunnel, sshAvailable, startSshReverseTunnel } from './support/ssh-tunnel.js';
import { type Figure, header, mbps, percentile, report, run } from './support/stats.js';

const GiB = 1024 ** 3;
const SIZE = Number(process.env.BENCH_STREAM_BYTES ?? GiB);
const WARMUP = 64 * 1024 * 1024;
const RUNS = 3;

async function download(agent: Agent, base: string, headers: Record<string, string>, bytes: number) {
  const answer = await send(agent, `${base}/bytes?n=${bytes}`, { headers });
  if (answer.status !== 200 || answer.bytes !== bytes) {
    throw new Error(`download from ${base}: HTTP ${answer.status}, ${answer.bytes} of ${bytes} bytes`);
  }
  return bytes / (answer.ms / 1000);
}

interface Path {
  name: string;
  agent: Agent;
  base: string;
  headers: Record<string, string>;
  rates: number[];
}

async function main(): Promise<void> {
  header(
    `${(SIZE / GiB).toFixed(2)} GiB stream: tunnel vs direct vs ssh -R`,
    `one HTTPS GET of N bytes from a byte-streaming HTTPS server, median of ${RUNS} runs per path, the paths interleaved; tunnel = local proxy → relay → agent → server (${LAYOUT}); ssh -R = OpenSSH sshd + ssh processes, client in this process`,
  );
  const bytes = await startByteServer();
  const upstream = { kind: 'https' as const, url: bytes.url, caPem: bytes.caPem };
  const bench = SPLIT ? await startSplitChain({ upstream }) : await startBenchChain({ upstream });
  const missing = sshAvailable();
  let ssh: SshTunnel | undefined;
  let floor: PipeFloor | undefined;
  const notes: string[] = [];
  const path = (name: string, agent: Agent, base: string, headers: Record<string, string> = {}): Path => ({
    name,
    agent,
    base,
    headers,
    rates: [],
  });
  try {
    ssh = missing ? undefined : await startSshReverseTunnel(bytes.port);
    floor = await startPipeFloor({ port: bytes.port, caPem: bytes.caPem });
    const paths = {
      direct: path('direct', bench.directAgent({ maxSockets: 1 }), bytes.url),
      tunnel: path('tunnel', bench.proxyAgent({ maxSockets: 1 }), bench.proxyBase, bench.proxyHeaders),
      floor: path('pipe floor', bench.directAgent({ maxSockets: 1, ca: floor.caPem }), floor.url),
      ssh: ssh
        ? path(
            'ssh -R',
            bench.directAgent({ maxSockets: 1, servername: 'localhost' }),
            `https://127.0.0.1:${ssh.port}`,
          )
        : undefined,
    };
    const measured = Object.values(paths).filter((p): p is Path => p !== undefined);
    for (const p of measured) await download(p.agent, p.base, p.headers, WARMUP);
    // Interleaved, so drift (the other tenants of this machine, JIT, socket buffers) hits every path alike.
    for (let run = 0; run < RUNS; run++) {
      for (const p of measured) p.rates.push(await download(p.agent, p.base, p.headers, SIZE));
    }
    for (const p of measured) p.agent.destroy();
    const median = (p: Path) => percentile(p.rates, 50);
    const runs = (p: Path) => `${p.name} ${p.rates.map((rate) => (rate / 1e6).toFixed(0)).join(' / ')} MB/s`;
    const rateDirect = median(paths.direct);
    const rateTunnel = median(paths.tunnel);
    const rateFloor = median(paths.floor);
    const figures: Figure[] = [
      {
        name: 'stream throughput, tunnel vs direct',
        value: mbps(rateTunnel),
        baseline: mbps(rateDirect),
        ratio: `${((100 * rateTunnel) / rateDirect).toFixed(0)}% of direct`,
        target: '≥ 60% of direct',
        pass: rateTunnel >= 0.6 * rateDirect,
      },
      {
        name: 'stream throughput, tunnel vs the pipe floor',
        value: mbps(rateTunnel),
        baseline: mbps(rateFloor),
        ratio: `${((100 * rateTunnel) / rateFloor).toFixed(0)}% of the floor (the floor is ${((100 * rateFloor) / rateDirect).toFixed(0)}% of direct)`,
        target: '(reported)',
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
    notes.push(`runs: ${measured.map(runs).join('; ')}`);
    notes.push(
      'the tunnel path has two TLS legs (client→proxy, agent→server) and plain ws on loopback between proxy, relay and agent; ssh -R carries the end-to-end TLS inside SSH encryption',
    );
    notes.push(
      'pipe floor: the same three processes and TLS legs doing only TLS and pipe() (support/pipe-floor.ts): what any three-process tunnel could reach here',
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

run(main, 10 * 60_000);
