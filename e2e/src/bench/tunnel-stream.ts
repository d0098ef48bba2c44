#!/usr/bin/env node
/**
 * A 1 GiB download through the tunnel vs the same download straight from the upstream, and vs
 * an OpenSSH reverse tunnel (`ssh -R`) carrying the same stream. The upstream is a tiny HTTPS
 * server that streams N bytes (support/byte-server.ts), so the byte source is never the limit.
 */
import type { Agent } from 'node:https';
import { startByteServer } from './support/byte-server.js';
import { send, startBenchChain } from './support/chain.js';
import { LAYOUT, SPLIT, startSplitChain } from './support/split-chain.js';
import { sshAvailable, startSshReverseTunnel } from './support/ssh-tunnel.js';
import { type Figure, header, mbps, report, run } from './support/stats.js';

const GiB = 1024 ** 3;
const SIZE = Number(process.env.BENCH_STREAM_BYTES ?? GiB);
const WARMUP = 64 * 1024 * 1024;

async function download(agent: Agent, base: string, headers: Record<string, string>, bytes: number) {
  const answer = await send(agent, `${base}/bytes?n=${bytes}`, { headers });
  if (answer.status !== 200 || answer.bytes !== bytes) {
    throw new Error(`download from ${base}: HTTP ${answer.status}, ${answer.bytes} of ${bytes} bytes`);
  }
  return bytes / (answer.ms / 1000);
}

async function main(): Promise<void> {
  header(
    `${(SIZE / GiB).toFixed(2)} GiB stream: tunnel vs direct vs ssh -R`,
    `one HTTPS GET of N bytes from a byte-streaming HTTPS server; tunnel = local proxy → relay → agent → server (${LAYOUT}); ssh -R = OpenSSH sshd + ssh processes, client in this process`,
  );
  const bytes = await startByteServer();
  const upstream = { kind: 'https' as const, url: bytes.url, caPem: bytes.caPem };
  const bench = SPLIT ? await startSplitChain({ upstream }) : await startBenchChain({ upstream });
  const notes: string[] = [];
  try {
    const direct = bench.directAgent({ maxSockets: 1 });
    const tunnel = bench.proxyAgent({ maxSockets: 1 });
    await download(direct, bytes.url, {}, WARMUP);
    await download(tunnel, bench.proxyBase, bench.proxyHeaders, WARMUP);
    const rateDirect = await download(direct, bytes.url, {}, SIZE);
    const rateTunnel = await download(tunnel, bench.proxyBase, bench.proxyHeaders, SIZE);
    direct.destroy();
    tunnel.destroy();

    let rateSsh: number | undefined;
    const missing = sshAvailable();
    if (missing) notes.push(`ssh -R baseline skipped: ${missing}`);
    else {
      const ssh = await startSshReverseTunnel(bytes.port);
      try {
        const viaSsh = bench.directAgent({ maxSockets: 1, servername: 'localhost' });
        const base = `https://127.0.0.1:${ssh.port}`;
        await download(viaSsh, base, {}, WARMUP);
        rateSsh = await download(viaSsh, base, {}, SIZE);
        viaSsh.destroy();
        notes.push(`ssh: ${ssh.describe}`);
      } finally {
        await ssh.close();
      }
    }
    const figures: Figure[] = [
      {
        name: 'stream throughput, tunnel vs direct',
        value: mbps(rateTunnel),
        baseline: mbps(rateDirect),
        ratio: `${((100 * rateTunnel) / rateDirect).toFixed(0)}% of direct`,
        target: '≥ 60% of direct',
        pass: rateTunnel >= 0.6 * rateDirect,
      },
    ];
    if (rateSsh !== undefined) {
      figures.push({
        name: 'stream throughput, tunnel vs ssh -R',
        value: mbps(rateTunnel),
        baseline: mbps(rateSsh),
        ratio: `${(rateTunnel / rateSsh).toFixed(2)}x`,
        target: 'faster than ssh -R',
        pass: rateTunnel > rateSsh,
      });
    }
    notes.push(
      'the tunnel path has two TLS legs (client→proxy, agent→server) and plain ws on loopback between proxy, relay and agent; ssh -R carries the end-to-end TLS inside SSH encryption',
    );
    notes.push(`layout: ${LAYOUT}`);
    report('tunnel-stream', figures, notes);
  } finally {
    await bench.close();
    await bytes.close();
  }
}

run(main, 10 * 60_000);
