#!/usr/bin/env node
/**
 * Exec echo round trip under bulk load: a WebSocket exec (`v5.channel.k8s.io`) of `cat` in a
 * kube-sim pod, through the local proxy → relay → agent. One byte on stdin, wait for it on stdout,
 * repeat. Its p99 while 4 exec sessions of `cat /dev/zero` stream through the same proxy, relay and
 * agent, read as fast as the client can, against the same echo straight to kube-sim beside 4 direct
 * `cat /dev/zero` sessions, in alternating rounds of the same count, settling time and time cap
 * (the issue's target: tunnel p99 ≤ direct p99 + 10 ms). Also reported: both echoes alone, and the
 * bulk throughput on each side. Split layout by default (local proxy, relay and agent in child
 * processes, kube-sim and the client here); `BENCH_SPLIT=0` for one process.
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { startBenchChain } from './support/chain.js';
import { echoes } from './support/exec-echo.js';
import { type ExecTarget, openExec, runningPod } from './support/kube.js';
import { LAYOUT, type LoopDelay, SPLIT, startSplitChain, type TunnelProcess } from './support/split-chain.js';
import { type Figure, header, mbps, ms, percentile, report, run, sleep } from './support/stats.js';

const ECHOES = Number(process.env.BENCH_EXEC_ECHOES ?? 2_000);
const WARMUP = 200;
const BULK = 4;
const ECHO_TIMEOUT_MS = 2_000;
/** An echo phase alone stops after this long, whatever its count. */
const PHASE_LIMIT_MS = 20_000;
/** Loaded rounds per side, alternating direct and tunnel; each stops after ROUND_LIMIT_MS. */
const LOADED_ROUNDS = 4;
const ROUND_LIMIT_MS = 10_000;
/** The bulk streams run this long before the echoes beside them start. */
const BULK_SETTLE_MS = 1_000;
const PROCESSES: TunnelProcess[] = ['proxy', 'relay', 'agent'];

const LIMITS = { phaseLimitMs: PHASE_LIMIT_MS, echoTimeoutMs: ECHO_TIMEOUT_MS };

interface LoadedSide {
  name: 'direct' | 'tunnel';
  target: ExecTarget;
  echo: WebSocket;
  times: number[];
  bulkBytes: number;
  bulkSeconds: number;
}

/**
 * One loaded round of one side: 4 `cat /dev/zero` exec streams on that side, read as fast as the
 * client can, then the echoes beside them; the bulk ends before the other side's round.
 */
async function loadedRound(side: LoadedSide, count: number): Promise<boolean> {
  let bulkBytes = 0;
  const bulk = await Promise.all(
    Array.from({ length: BULK }, () => openExec(side.target, 'echo', ['cat', '/dev/zero'], false)),
  );
  for (const ws of bulk) ws.on('message', (data: Buffer) => (bulkBytes += data.length));
  await sleep(BULK_SETTLE_MS); // windows open up, buffers fill
  const started = performance.now();
  const bytesAtStart = bulkBytes;
  const { times, timedOut } = await echoes(side.echo, count, { ...LIMITS, phaseLimitMs: ROUND_LIMIT_MS });
  side.bulkSeconds += (performance.now() - started) / 1000;
  side.bulkBytes += bulkBytes - bytesAtStart;
  side.times.push(...times);
  for (const ws of bulk) ws.terminate();
  if (bulkBytes === 0) throw new Error(`the ${side.name} bulk streams carried nothing`);
  await sleep(500); // the terminated streams wind down before the next round
  return timedOut;
}

async function main(): Promise<void> {
  header(
    'exec echo round trip under 4 bulk streams, tunnel vs direct',
    `${ECHOES} one-byte round trips through WebSocket exec of \`cat\` (v5.channel.k8s.io), alone, then in ${LOADED_ROUNDS} rounds alternating direct and tunnel, each beside ${BULK} \`cat /dev/zero\` exec streams on its own path; ${LAYOUT}`,
  );
  const split = SPLIT ? await startSplitChain() : undefined;
  const bench = split ?? (await startBenchChain());
  try {
    await runningPod(bench, 'echo');
    const tunnelTarget: ExecTarget = {
      base: bench.proxyBase,
      headers: bench.proxyHeaders,
      agent: bench.proxyAgent(),
    };
    const directTarget: ExecTarget = { base: bench.directBase, headers: {}, agent: bench.directAgent() };

    const phase = (what: string) => process.stdout.write(`  … ${what}\n`);
    phase('echoes alone, direct then tunnel');
    const directEcho = await openExec(directTarget, 'echo', ['cat'], true);
    await echoes(directEcho, WARMUP, LIMITS);
    const { times: directAlone } = await echoes(directEcho, ECHOES, LIMITS);
    const tunnelEcho = await openExec(tunnelTarget, 'echo', ['cat'], true);
    await echoes(tunnelEcho, WARMUP, LIMITS);
    const { times: tunnelAlone } = await echoes(tunnelEcho, ECHOES, LIMITS);

    // The same load on each path, in alternating rounds (which side goes first alternates too), so
    // that drift on this shared machine hits both alike.
    const direct: LoadedSide = {
      name: 'direct',
      target: directTarget,
      echo: directEcho,
      times: [],
      bulkBytes: 0,
      bulkSeconds: 0,
    };
    const tunnel: LoadedSide = {
      name: 'tunnel',
      target: tunnelTarget,
      echo: tunnelEcho,
      times: [],
      bulkBytes: 0,
      bulkSeconds: 0,
    };
    const perRound = Math.ceil(ECHOES / LOADED_ROUNDS);
    const roundDelays: Record<TunnelProcess, LoopDelay>[] = [];
    let stoppedAt: string | undefined;
    let rounds = 0;
    for (let round = 0; round < LOADED_ROUNDS && !stoppedAt; round++) {
      rounds++;
      phase(`loaded round ${round + 1} of ${LOADED_ROUNDS}`);
      for (const side of round % 2 === 0 ? [direct, tunnel] : [tunnel, direct]) {
        if (side === tunnel) await split?.loopDelays(); // from here on
        const timedOut = await loadedRound(side, perRound);
        if (side === tunnel && split) roundDelays.push(await split.loopDelays());
        if (timedOut) {
          stoppedAt = `round ${round + 1} (${side.name}): an echo took > ${ECHO_TIMEOUT_MS / 1000} s`;
          break;
        }
      }
    }
    directEcho.close();
    tunnelEcho.close();
    tunnelTarget.agent.destroy();
    directTarget.agent.destroy();

    const p = (values: number[], q: number) => percentile(values, q);
    const [tunnelP99, directP99] = [p(tunnel.times, 99), p(direct.times, 99)];
    const rate = (side: LoadedSide) => side.bulkBytes / side.bulkSeconds;
    const figures: Figure[] = [
      {
        name: `exec echo p99 beside ${BULK} bulk streams, tunnel vs direct`,
        value: ms(tunnelP99),
        baseline: `${ms(directP99)} direct`,
        ratio: `+${(tunnelP99 - directP99).toFixed(2)} ms`,
        target: '≤ direct + 10 ms',
        pass: tunnelP99 <= directP99 + 10,
      },
      {
        name: 'exec echo p99 alone, tunnel vs direct',
        value: ms(p(tunnelAlone, 99)),
        baseline: `${ms(p(directAlone, 99))} direct`,
        ratio: `+${(p(tunnelAlone, 99) - p(directAlone, 99)).toFixed(2)} ms`,
        target: '(reported)',
      },
      {
        name: `${BULK} bulk exec streams during the echoes`,
        value: mbps(rate(tunnel)),
        baseline: `${mbps(rate(direct))} direct`,
        target: '(reported)',
      },
    ];
    report('exec-under-load', figures, [
      `layout: ${LAYOUT}`,
      `beside the bulk: ${tunnel.times.length} tunnel and ${direct.times.length} direct echoes in ${rounds} rounds of up to ${perRound} a side (each round capped at ${ROUND_LIMIT_MS / 1000} s, bulk settling ${BULK_SETTLE_MS / 1000} s first)${stoppedAt ? `; stopped after ${stoppedAt}` : ''}; alone: ${tunnelAlone.length} tunnel, ${directAlone.length} direct`,
      `p50 echo: beside the bulk ${ms(p(tunnel.times, 50))} tunnel, ${ms(p(direct.times, 50))} direct; alone ${ms(p(tunnelAlone, 50))} tunnel, ${ms(p(directAlone, 50))} direct; max beside the bulk ${ms(Math.max(...tunnel.times))} tunnel, ${ms(Math.max(...direct.times))} direct`,
      `bulk: ${(tunnel.bulkBytes / 1e6).toFixed(0)} MB through the tunnel in ${tunnel.bulkSeconds.toFixed(1)} s, ${(direct.bulkBytes / 1e6).toFixed(0)} MB direct in ${direct.bulkSeconds.toFixed(1)} s (echo phases only)`,
      ...(roundDelays.length > 0 ? processNotes(roundDelays) : []),
    ]);
  } finally {
    await bench.close();
  }
}

/**
 * Where the tunnel echo's time goes in the split layout: each process's event-loop delay (the worst
 * round's p99, the largest delay of all) and the CPU time it ran and waited for a core, over the
 * tunnel's loaded rounds.
 */
function processNotes(rounds: Record<TunnelProcess, LoopDelay>[]): string[] {
  const each = (describe: (delays: LoopDelay[]) => string) =>
    PROCESSES.map((role) => `${role} ${describe(rounds.map((round) => round[role]))}`).join(', ');
  const sum = (values: (number | undefined)[]) =>
    values.reduce<number>((total, value) => total + (value ?? 0), 0);
  return [
    `event-loop delay beside the bulk (p50 / worst round's p99 / max; every echo crosses each process twice): ${each(
      (d) =>
        `${Math.max(...d.map((x) => x.p50)).toFixed(1)} / ${Math.max(...d.map((x) => x.p99)).toFixed(1)} / ${Math.max(...d.map((x) => x.max)).toFixed(0)} ms`,
    )}`,
    `CPU time ran / waited for a core over the tunnel's loaded rounds (a process that waits as long as it runs has half a core): ${each(
      (d) =>
        d.some((x) => x.ranMs === undefined)
          ? 'n/a'
          : `${sum(d.map((x) => x.ranMs)).toFixed(0)} / ${sum(d.map((x) => x.waitedMs)).toFixed(0)} ms`,
    )}`,
  ];
}

run(main, 5 * 60_000);
