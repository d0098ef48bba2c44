#!/usr/bin/env node
/**
 * Exec echo round trip under bulk load: a WebSocket exec (`v5.channel.k8s.io`) of `cat` in a
 * kube-sim pod, through the local proxy → relay → agent. One byte on stdin, wait for it on stdout,
 * repeat. Its p99 alone (the baseline) and while 4 exec sessions of `cat /dev/zero` stream through
 * the same proxy, relay and agent, read as fast as the client can. Also reported: the same echo
 * straight to kube-sim, and the bulk throughput. Split layout by default (local proxy, relay and
 * agent in child processes, kube-sim and the client here); `BENCH_SPLIT=0` for one process.
 */
import { performance } from 'node:perf_hooks';
import { startBenchChain } from './support/chain.js';
import { echoes } from './support/exec-echo.js';
import { type ExecTarget, openExec, runningPod } from './support/kube.js';
import { LAYOUT, type LoopDelay, SPLIT, startSplitChain } from './support/split-chain.js';
import { type Figure, header, mbps, ms, percentile, report, run, sleep } from './support/stats.js';

const ECHOES = Number(process.env.BENCH_EXEC_ECHOES ?? 2_000);
const WARMUP = 200;
const BULK = 4;
const ECHO_TIMEOUT_MS = 2_000;
/** Each echo phase stops after this long, whatever its count (the loaded phase can be slow). */
const PHASE_LIMIT_MS = 20_000;
const LIMITS = { phaseLimitMs: PHASE_LIMIT_MS, echoTimeoutMs: ECHO_TIMEOUT_MS };

async function main(): Promise<void> {
  header(
    'exec echo round trip under 4 bulk streams',
    `${ECHOES} one-byte round trips through WebSocket exec of \`cat\` (v5.channel.k8s.io), alone and beside ${BULK} \`cat /dev/zero\` exec streams on the same proxy, relay and agent; ${LAYOUT}`,
  );
  const split = SPLIT ? await startSplitChain() : undefined;
  const bench = split ?? (await startBenchChain());
  try {
    await runningPod(bench, 'echo');
    const tunnel: ExecTarget = {
      base: bench.proxyBase,
      headers: bench.proxyHeaders,
      agent: bench.proxyAgent(),
    };
    const direct: ExecTarget = { base: bench.directBase, headers: {}, agent: bench.directAgent() };

    const phase = (what: string) => process.stdout.write(`  … ${what}\n`);
    phase('direct echoes');
    const directEcho = await openExec(direct, 'echo', ['cat'], true);
    await echoes(directEcho, WARMUP, LIMITS);
    const { times: directTimes } = await echoes(directEcho, ECHOES, LIMITS);
    // The same bulk load straight to kube-sim: what the shared event loop alone costs the echo.
    phase('direct echoes beside 4 direct bulk streams');
    const directBulk = await Promise.all(
      Array.from({ length: BULK }, () => openExec(direct, 'echo', ['cat', '/dev/zero'], false)),
    );
    for (const ws of directBulk) ws.on('message', () => {});
    await sleep(1_000);
    const { times: directLoaded } = await echoes(directEcho, ECHOES, LIMITS);
    for (const ws of directBulk) ws.terminate();
    directEcho.close();
    await sleep(500);

    phase('tunnel echoes alone');
    const echo = await openExec(tunnel, 'echo', ['cat'], true);
    await echoes(echo, WARMUP, LIMITS);
    const { times: alone } = await echoes(echo, ECHOES, LIMITS);

    phase('tunnel echoes beside the bulk streams');
    // The bulk streams: 4 exec sessions of `cat /dev/zero`, read as fast as the client can.
    let bulkBytes = 0;
    const bulk = await Promise.all(
      Array.from({ length: BULK }, () => openExec(tunnel, 'echo', ['cat', '/dev/zero'], false)),
    );
    for (const ws of bulk) ws.on('message', (data: Buffer) => (bulkBytes += data.length));
    await sleep(1_000); // windows open up, buffers fill
    await split?.loopDelays(); // from here on
    const bulkStart = performance.now();
    const bulkBytesAtStart = bulkBytes;
    const loadedRun = await echoes(echo, ECHOES, LIMITS);
    const loaded = loadedRun.times;
    const loadedSeconds = (performance.now() - bulkStart) / 1000;
    const loopDelays = await split?.loopDelays();
    const bulkRate = ((bulkBytes - bulkBytesAtStart) * 1000) / (performance.now() - bulkStart);
    for (const ws of bulk) ws.terminate();
    echo.close();
    tunnel.agent.destroy();
    direct.agent.destroy();
    if (bulkBytes === 0) throw new Error('the bulk streams carried nothing');

    const p = (values: number[], q: number) => percentile(values, q);
    const figures: Figure[] = [
      {
        name: 'exec echo p99 alone (tunnel)',
        value: ms(p(alone, 99)),
        baseline: `${ms(p(directTimes, 99))} direct`,
        ratio: `+${(p(alone, 99) - p(directTimes, 99)).toFixed(2)} ms`,
        target: '(reported)',
      },
      {
        name: `exec echo p99 beside ${BULK} bulk streams`,
        value: ms(p(loaded, 99)),
        baseline: `${ms(p(alone, 99))} alone`,
        ratio: `+${(p(loaded, 99) - p(alone, 99)).toFixed(2)} ms`,
        target: '≤ 10 ms',
        pass: p(loaded, 99) <= 10,
      },
      {
        name: `direct exec echo p99 beside ${BULK} direct bulk streams`,
        value: ms(p(directLoaded, 99)),
        baseline: `${ms(p(directTimes, 99))} alone`,
        target: '(reported: the shared event loop)',
      },
      {
        name: `${BULK} bulk exec streams during the echoes`,
        value: mbps(bulkRate),
        baseline: '—',
        target: '(reported)',
      },
    ];
    report('exec-under-load', figures, [
      `layout: ${LAYOUT}`,
      `p50 echo: ${ms(p(directTimes, 50))} direct, ${ms(p(alone, 50))} tunnel alone, ${ms(p(loaded, 50))} beside the bulk streams; max beside bulk ${ms(Math.max(...loaded))}`,
      `beside the bulk streams: ${loaded.length} of ${ECHOES} echoes done in ${loadedSeconds.toFixed(1)} s (phase capped at ${PHASE_LIMIT_MS / 1000} s${loadedRun.timedOut ? `; stopped when one echo took > ${ECHO_TIMEOUT_MS / 1000} s` : ''}); alone: ${alone.length}, direct: ${directTimes.length}, direct beside direct bulk: ${directLoaded.length} (p50 ${ms(p(directLoaded, 50))})`,
      `bulk: ${(bulkBytes / 1e6).toFixed(0)} MB in all over ${BULK} streams`,
      ...(loopDelays ? processNotes(loopDelays) : []),
    ]);
  } finally {
    await bench.close();
  }
}

/** Where the echo's time goes in the split layout: each process's event-loop delay and core wait. */
function processNotes(delays: Record<string, LoopDelay>): string[] {
  const each = (describe: (delay: LoopDelay) => string) =>
    Object.entries(delays)
      .map(([role, delay]) => `${role} ${describe(delay)}`)
      .join(', ');
  return [
    `event-loop delay beside the bulk (p50 / p99 / max; every echo crosses each process twice): ${each(
      (d) => `${d.p50.toFixed(1)} / ${d.p99.toFixed(1)} / ${d.max.toFixed(0)} ms`,
    )}`,
    `CPU time ran / waited for a core meanwhile (a process that waits as long as it runs has half a core): ${each(
      (d) => (d.ranMs === undefined ? 'n/a' : `${d.ranMs.toFixed(0)} / ${d.waitedMs!.toFixed(0)} ms`),
    )}`,
  ];
}

run(main, 5 * 60_000);
