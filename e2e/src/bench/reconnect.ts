#!/usr/bin/env node
/**
 * Reconnect after a relay restart: N fake agents (support/fleet.ts, the agent connector's redial
 * loop and backoff) hold sessions on a relay in its own process; the relay closes (GOAWAY, drain)
 * and a new relay process starts on the same port and data directory. Time until every agent is
 * back, and the spread of reconnect times (full jitter should leave no synchronized herd).
 * `BENCH_RECONNECT_AGENTS` sets N (default 1,000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeAgent, fleetKey, RelayHost, singleRelayConfig } from './support/fleet.js';
import { busiestWindow, type Figure, header, percentile, report, run, sleep } from './support/stats.js';

const N = Number(process.env.BENCH_RECONNECT_AGENTS ?? 1_000);
const BUDGET_MS = 90_000;

async function main(): Promise<void> {
  header(
    `reconnect: ${N} agents after a relay restart`,
    'relay in a child process; restart = close (GOAWAY + drain) then a new process on the same port and data; agents redial like the real connector (full-jitter backoff, 500 ms base, 30 s cap)',
  );
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-reconnect-'));
  let host = await RelayHost.start(singleRelayConfig(join(dir, 'relay')));
  const agents: FakeAgent[] = [];
  try {
    const key = await fleetKey();
    const credentials = await host.provision('idle', 0, N, key);
    for (const credential of credentials) agents.push(new FakeAgent(host.ready, credential, key.key));
    const loops = agents.map((agent) => agent.loop());
    const settle = performance.now() + 60_000;
    while (agents.some((agent) => !agent.connected) && performance.now() < settle) await sleep(100);
    await sleep(3_000); // healthy for more than the connector's 2 s GOAWAY guard

    const port = host.ready.port;
    const dialsBefore = agents.reduce((sum, agent) => sum + agent.dials, 0);
    const stopAt = performance.now();
    await host.close();
    const downAt = performance.now();
    host = await RelayHost.start(singleRelayConfig(join(dir, 'relay'), port));
    const upAt = performance.now();
    const deadline = upAt + BUDGET_MS;
    while (performance.now() < deadline) {
      if (agents.every((agent) => agent.connected && agent.connects.at(-1)! > downAt)) break;
      await sleep(50);
    }
    const back = agents
      .map((agent) => agent.connects.at(-1)!)
      .filter((time) => time > downAt)
      .map((time) => time - upAt);
    const dials = agents.reduce((sum, agent) => sum + agent.dials, 0) - dialsBefore;
    const allBackMs = back.length === N ? Math.max(...back) : Number.NaN;
    // Herd check: the most reconnects in any 100 ms, wherever that interval starts.
    const peak = busiestWindow(back, 100);
    const histogram: string[] = [];
    for (let s = 0; s * 1000 <= Math.max(0, ...back); s++) {
      histogram.push(`${s}s:${back.filter((t) => t >= s * 1000 && t < (s + 1) * 1000).length}`);
    }
    const figures: Figure[] = [
      {
        name: `all ${N} agents back after the restart`,
        value: Number.isNaN(allBackMs) ? `${back.length}/${N} back` : `${(allBackMs / 1000).toFixed(1)} s`,
        baseline: `stop ${((downAt - stopAt) / 1000).toFixed(1)} s, start ${((upAt - downAt) / 1000).toFixed(1)} s`,
        target: '≤ 60 s',
        pass: back.length === N && allBackMs <= 60_000,
      },
      {
        name: 'most reconnects in any 100 ms (herd check)',
        value: `${peak} agents`,
        baseline: `${N} agents`,
        ratio: `${((100 * peak) / N).toFixed(1)}%`,
        target: '≤ 10% in any 100 ms',
        pass: peak <= 0.1 * N,
      },
    ];
    report('reconnect', figures, [
      `times from the new relay listening: p10 ${(percentile(back, 10) / 1000).toFixed(2)} s, p50 ${(percentile(back, 50) / 1000).toFixed(2)} s, p90 ${(percentile(back, 90) / 1000).toFixed(2)} s, max ${(Math.max(...back) / 1000).toFixed(2)} s`,
      `per second after the restart: ${histogram.join(' ')}`,
      `${dials} dials for ${N} reconnects (failed dials while the relay was down included)`,
    ]);
    for (const agent of agents) agent.stop();
    await Promise.race([Promise.all(loops), sleep(5_000)]);
  } finally {
    for (const agent of agents) agent.stop();
    await host.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

run(main, 5 * 60_000);
