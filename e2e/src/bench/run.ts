#!/usr/bin/env node
/**
 * Runs the benchmarks (each in a process of its own) and prints a summary table.
 * `npm run bench` runs all; `npm run bench -- <name> [<name>…]` runs those. Not part of CI.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Figure, machine, RESULT_PREFIX } from './support/stats.js';

const BENCHMARKS: Record<string, string> = {
  'kube-sim-scale': 'kube-sim at 10,000 pods: LIST and paging vs a bare HTTPS server',
  'tunnel-latency': '(1) small GET p50/p99 and requests/s: tunnel vs kube-sim directly',
  'tunnel-stream': '(2) 1 GiB stream: tunnel vs direct vs ssh -R',
  'slow-reader': '(3) stalled 1 GiB download + 200 small GETs; relay bytes held vs window',
  'exec-under-load': '(4) exec echo p99 alone and beside 4 bulk exec streams',
  'watch-fanout': '(5) 1,000 concurrent watches: event delivery p99, tunnel vs direct',
  'idle-agents': '(6) relay memory per idle agent session (10,000 sessions)',
  reconnect: '(7) 1,000 agents after a relay restart: time and spread',
  'ui-pods': 'the UI at 10,000 pods: rows known, scroll frame times, one change (Chromium)',
  fleet:
    'relay fleet of 3: forwarded vs local stream, 12,000 idle agents (BENCH_FLEET_AGENTS), one replica killed',
  link: 'relay ↔ agent across a shaped 100 Mbit/s, 40 ms RTT link: download, echo beside bulk, small GET (root)',
};

const PREFLIGHT = `needs: Node >= 20.11, a built tree (npm run bench builds it), loopback only;
  tunnel-stream also uses OpenSSH for its ssh -R baseline (apt-get install -y openssh-server openssh-client; run as a user that may start sshd on a loopback port — root is fine);
  idle-agents opens 10,000 WebSockets: ulimit -n >= 12000 (BENCH_IDLE_AGENTS=N to change);
  ui-pods drives the distribution's \`chromium\` (on PATH) and needs the UI built (npm run build does it);
  fleet runs PostgreSQL (initdb/postgres in /usr/lib/postgresql/*/bin, psql), redis-server and redis-cli, and haproxy (apt-get install -y postgresql redis-server haproxy; as root, postgres runs as the postgres or nobody user), and opens 12,000 agent WebSockets (BENCH_FLEET_AGENTS=N to change; the issue's 30000 takes ~10 minutes here) over several processes: ulimit -n >= 20000 (each HAProxy holds 7,500 agents, 2 sockets each; a replica holds up to half the agents after the kill);
  link needs root, iproute2 (ip, tc) and the kernel's network namespaces, veth and tbf qdisc (it creates and removes its own namespace, veth pair and qdiscs; without them it says why and skips), and OpenSSH as tunnel-stream does for its ssh -R baseline; ~4 minutes.`;

async function runOne(
  name: string,
): Promise<{ name: string; code: number; figures: Figure[]; seconds: number }> {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const started = Date.now();
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let figures: Figure[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith(RESULT_PREFIX)) figures = JSON.parse(line.slice(RESULT_PREFIX.length)).figures;
      else process.stdout.write(`${line}\n`);
      newline = buffered.indexOf('\n');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    // oidc-provider's start-up warnings about Node 20 and its dev adapter are noise here.
    const kept = text
      .split('\n')
      .filter((line) => line && !line.startsWith('oidc-provider WARNING'))
      .join('\n');
    if (kept) process.stderr.write(`${kept}\n`);
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  return { name, code, figures, seconds: (Date.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}\navailable:\n`);
    for (const [name, what] of Object.entries(BENCHMARKS))
      process.stderr.write(`  ${name.padEnd(16)} ${what}\n`);
    process.exit(2);
  }
  const names = asked.length > 0 ? asked : Object.keys(BENCHMARKS);
  process.stdout.write(
    `Switchboard benchmarks: ${names.join(', ')}\n  ${PREFLIGHT}\n  machine: ${machine()}\n`,
  );
  const results = [];
  for (const name of names) results.push(await runOne(name));

  process.stdout.write('\nsummary\n');
  for (const result of results) {
    const status = result.code === 0 ? '' : `  FAILED (exit ${result.code})`;
    process.stdout.write(`  ${result.name} (${result.seconds.toFixed(0)} s)${status}\n`);
    for (const f of result.figures) {
      const verdict = f.pass === undefined ? '    ' : f.pass ? 'PASS' : 'MISS';
      process.stdout.write(
        `    ${verdict}  ${f.name.padEnd(46)} ${f.value.padStart(14)}  vs ${f.baseline.padStart(16)}${f.ratio ? `  (${f.ratio})` : ''}  target ${f.target}\n`,
      );
    }
  }
  process.exit(results.every((result) => result.code === 0) ? 0 : 1);
}

main().catch((error: Error) => {
  process.stderr.write(`bench runner: ${error.stack}\n`);
  process.exit(1);
});
