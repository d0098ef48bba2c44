#!/usr/bin/env node
/**
 * Memory per idle agent session on the relay: N fake agents (support/fleet.ts) hold one session
 * each, pings on (15 s), against a relay in its own process; relay RSS and heap after a GC,
 * before and after, divided by the sessions the relay still holds at the reading (any session that
 * dropped during the hold is reported, and is a MISS). Baseline: the relay with the same N clusters
 * provisioned and no session. `BENCH_IDLE_AGENTS` sets N (default 10,000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeAgent, fleetKey, RelayHost, singleRelayConfig } from './support/fleet.js';
import { type Figure, header, kib, report, run, sleep } from './support/stats.js';

const TARGET = Number(process.env.BENCH_IDLE_AGENTS ?? 10_000);
const CONNECT_BUDGET_MS = 150_000;
const PARALLEL_DIALS = 100;
const HOLD_MS = 20_000;

async function main(): Promise<void> {
  header(
    `idle agents: relay memory per session (${TARGET} sessions, pings every 15 s)`,
    'relay in its own process (--expose-gc); fake agents (protocol Session + ws + jose assertion) in this one',
  );
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-idle-'));
  const host = await RelayHost.start(singleRelayConfig(join(dir, 'relay')));
  const agents: FakeAgent[] = [];
  const notes: string[] = [];
  try {
    const key = await fleetKey();
    const credentials: { id: string; cluster: string }[] = [];
    for (let first = 0; first < TARGET; first += 1000) {
      const count = Math.min(1000, TARGET - first);
      credentials.push(...(await host.provision('idle', first, count, key)));
    }
    await sleep(1_000);
    const before = await host.memory();

    const started = performance.now();
    const deadline = started + CONNECT_BUDGET_MS;
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: PARALLEL_DIALS }, async () => {
        while (next < credentials.length && performance.now() < deadline) {
          const agent = new FakeAgent(host.ready, credentials[next++]!, key.key);
          if (await agent.dial()) agents.push(agent);
          else failed++;
        }
      }),
    );
    const setupSeconds = (performance.now() - started) / 1000;
    const n = agents.length;
    if (n < TARGET) {
      notes.push(
        `only ${n} of ${TARGET} sessions opened within ${CONNECT_BUDGET_MS / 1000} s (${failed} failed): per-session figures are over ${n}`,
      );
    }
    notes.push(`${n} sessions opened in ${setupSeconds.toFixed(1)} s (${PARALLEL_DIALS} dials in parallel)`);
    await sleep(HOLD_MS); // at least one ping round on every session
    const after = await host.memory();
    // Per session actually held at the reading: a session that dropped during the hold holds nothing.
    const held = after.sessions;
    const stillOpen = agents.filter((agent) => agent.connected).length;
    const dropped = n - stillOpen;
    notes.push(
      `held ${HOLD_MS / 1000} s with pings; at the reading the relay counts ${held} sessions, the fake agents ${stillOpen} open, ${dropped} dropped since they opened`,
    );
    const rssPer = (after.rss - before.rss) / held;
    const heapPer = (after.heapUsed + after.external - before.heapUsed - before.external) / held;
    notes.push(
      `relay RSS ${(before.rss / 2 ** 20).toFixed(0)} → ${(after.rss / 2 ** 20).toFixed(0)} MiB; heap+external ${((before.heapUsed + before.external) / 2 ** 20).toFixed(0)} → ${((after.heapUsed + after.external) / 2 ** 20).toFixed(0)} MiB`,
    );
    const figures: Figure[] = [
      {
        name: 'relay RSS per idle agent session',
        value: kib(rssPer),
        baseline: `${kib(before.rss)} total`,
        ratio: `over ${held} held`,
        target: '≤ 64 KiB',
        pass: held > 0 && rssPer <= 64 * 1024,
      },
      {
        name: 'relay JS heap + external per session',
        value: kib(heapPer),
        baseline: `${kib(before.heapUsed + before.external)} total`,
        ratio: `over ${held} held`,
        target: '≤ 64 KiB',
        pass: held > 0 && heapPer <= 64 * 1024,
      },
      {
        name: 'sessions dropped during the hold',
        value: `${dropped} of ${n}`,
        baseline: `relay holds ${held}`,
        target: 'none',
        pass: dropped === 0 && held === n,
      },
    ];
    report('idle-agents', figures, notes);
  } finally {
    for (const agent of agents) agent.stop();
    await host.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

run(main, 8 * 60_000);
