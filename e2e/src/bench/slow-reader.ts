#!/usr/bin/env node
/**
 * Slow-reader isolation: small requests on the tunnel beside a 1 GiB download the client stopped
 * reading, against the same requests without it. Baseline and stalled rounds alternate (a round of
 * GETs without the stall, then a round beside a freshly stalled download, which ends before the next
 * baseline round), so drift hits both sides alike, and each side gathers thousands of samples, so
 * that its p99 is not one or two outliers. Also what the relay holds for each stalled stream (its
 * own accounting, `relay.tunnel.server.relayedStreams()`) vs the window it granted.
 * `BENCH_SLOW_READER_ROUNDS` sets the rounds (default 20; 250 GETs per round and side).
 */
import type { IncomingMessage } from 'node:http';
import { type Agent, request } from 'node:https';
import type { RelayedStreamStats } from '@switchboard/relay-server';
import { startByteServer } from './support/byte-server.js';
import { send, startBenchChain } from './support/chain.js';
import { LAYOUT, SPLIT, startSplitChain } from './support/split-chain.js';
import { type Figure, header, kib, ms, percentile, report, run, sleep } from './support/stats.js';

const ROUNDS = Number(process.env.BENCH_SLOW_READER_ROUNDS ?? 20);
const PER_ROUND = 250;
const WARMUP = 1_000;
const LANES = 4;
const GiB = 1024 ** 3;
/** The relay's buffer for the stalled stream is full once it has not grown for this long. */
const FILLED_AFTER_MS = 500;
const FILL_BUDGET_MS = 3_000;
const SAMPLE_EVERY_MS = 20;

interface StalledRound {
  /** The most the relay held for the stalled stream, and the window it had granted. */
  peak: number;
  window: number;
  filledInMs: number | undefined;
}

async function main(): Promise<void> {
  if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
    throw new Error(
      `BENCH_SLOW_READER_ROUNDS must be a whole number ≥ 1, not ${process.env.BENCH_SLOW_READER_ROUNDS}`,
    );
  }
  header(
    'slow-reader isolation: small GETs beside a stalled 1 GiB download, rounds interleaved',
    `${ROUNDS} rounds of ${PER_ROUND} GET /small over ${LANES} keep-alive connections through the tunnel without the stall, each followed by ${PER_ROUND} beside a stalled download on the same relay sessions`,
  );
  const bytes = await startByteServer();
  const upstream = { kind: 'https' as const, url: bytes.url, caPem: bytes.caPem };
  const split = SPLIT ? await startSplitChain({ upstream }) : undefined;
  const full = split ? undefined : await startBenchChain({ upstream });
  const bench = (split ?? full)!;
  const relay = full?.chain.relay.current;
  const relayedStreams = async () => (split ? split.relayedStreams() : relay!.tunnel.server.relayedStreams());
  const stalledStream = async (requestId: string): Promise<RelayedStreamStats | undefined> =>
    (await relayedStreams()).find((stream) => stream.requestId === requestId);
  try {
    const small = bench.proxyAgent({ maxSockets: LANES });
    const burst = async (count: number) => {
      const times: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: LANES }, async () => {
          while (next < count) {
            next++;
            const answer = await send(small, `${bench.proxyBase}/small`, { headers: bench.proxyHeaders });
            if (answer.status !== 200) throw new Error(`small GET: ${answer.status}`);
            times.push(answer.ms);
          }
        }),
      );
      return times;
    };
    const stallAgent = bench.proxyAgent({ maxSockets: 1 });
    await burst(WARMUP);

    const baseline: number[] = [];
    const stalled: number[] = [];
    const rounds: StalledRound[] = [];
    let read = 0;
    for (let round = 0; round < ROUNDS; round++) {
      baseline.push(...(await burst(PER_ROUND)));
      const stall = await stallDownload(stallAgent, `${bench.proxyBase}/bytes?n=${GiB}`, bench.proxyHeaders);
      read = stall.read;
      // The local proxy reuses pooled streams, so the stall's is not a new one: it is the one the
      // relay holds bytes for while no GET runs.
      const requestId = await holdingStream(relayedStreams);
      const record: StalledRound = { peak: 0, window: 0, filledInMs: undefined };
      rounds.push(record);
      let sampling = true;
      const sampler = (async () => {
        const started = performance.now();
        let grewAt = started;
        while (sampling) {
          const stream = await stalledStream(requestId);
          if (stream) {
            if (stream.toUser.bufferedBytes > record.peak) {
              record.peak = stream.toUser.bufferedBytes;
              grewAt = performance.now();
            }
            record.window = Math.max(record.window, stream.toUser.grantedWindow);
            if (
              record.filledInMs === undefined &&
              record.peak > 0 &&
              performance.now() - grewAt >= FILLED_AFTER_MS
            ) {
              record.filledInMs = grewAt - started;
            }
          }
          await sleep(SAMPLE_EVERY_MS);
        }
      })();
      // Every buffer on the way fills up: the relay's stops growing once the proxy's and the client's are full.
      const fillDeadline = performance.now() + FILL_BUDGET_MS;
      while (record.filledInMs === undefined && performance.now() < fillDeadline)
        await sleep(SAMPLE_EVERY_MS);
      stalled.push(...(await burst(PER_ROUND)));
      sampling = false;
      await sampler;
      stall.response.destroy();
      // The next baseline round runs without the stall: wait until the relay has let go of it.
      const gone = performance.now() + 5_000;
      while ((await stalledStream(requestId)) && performance.now() < gone) await sleep(SAMPLE_EVERY_MS);
    }
    small.destroy();
    stallAgent.destroy();

    const p99 = { base: percentile(baseline, 99), stall: percentile(stalled, 99) };
    const p50 = { base: percentile(baseline, 50), stall: percentile(stalled, 50) };
    const worst = rounds.reduce((a, b) => (b.peak / b.window > a.peak / a.window ? b : a));
    const overWindow = rounds.filter((r) => r.peak > r.window).length;
    const unfilled = rounds.filter((r) => r.filledInMs === undefined).length;
    const figures: Figure[] = [
      {
        name: 'small GETs p99 beside the stall',
        value: ms(p99.stall),
        baseline: ms(p99.base),
        ratio: `${p99.stall >= p99.base ? '+' : ''}${(p99.stall - p99.base).toFixed(2)} ms`,
        target: '≤ baseline + 5 ms',
        pass: p99.stall - p99.base <= 5,
      },
      {
        name: 'small GETs p50 beside the stall',
        value: ms(p50.stall),
        baseline: ms(p50.base),
        ratio: `${p50.stall >= p50.base ? '+' : ''}${(p50.stall - p50.base).toFixed(2)} ms`,
        target: '(reported)',
      },
      {
        name: 'relay bytes held for a stalled stream (worst round)',
        value: kib(worst.peak),
        baseline: `window ${kib(worst.window)}`,
        ratio: `${(worst.peak / worst.window).toFixed(2)} of window`,
        target: '≤ the stream window',
        pass: overWindow === 0,
      },
    ];
    report('slow-reader', figures, [
      `layout: ${LAYOUT}`,
      `${stalled.length} GETs beside the stall and ${baseline.length} without, in ${ROUNDS} alternating rounds of ${PER_ROUND} (after ${WARMUP} warm-up GETs)`,
      `each stalled round: a fresh 1 GiB download, ${kib(read)} read then no more; the GETs start once the relay's buffer for it has not grown for ${FILLED_AFTER_MS} ms (at most ${FILL_BUDGET_MS / 1000} s; ${unfilled} of ${ROUNDS} rounds reached that limit)`,
      `relay accounting (relayedStreams()) sampled every ${SAMPLE_EVERY_MS} ms${SPLIT ? ' over IPC' : ''}: held ${rounds.map((r) => (r.peak / 1024).toFixed(0)).join(', ')} KiB per round; ${overWindow} of ${ROUNDS} rounds above the window`,
    ]);
  } finally {
    await bench.close();
    await bytes.close();
  }
}

/** The stream the relay holds bytes for (the most, should several), once there is one. */
async function holdingStream(relayedStreams: () => Promise<RelayedStreamStats[]>): Promise<string> {
  const deadline = performance.now() + FILL_BUDGET_MS;
  while (performance.now() < deadline) {
    const holding = (await relayedStreams()).filter((stream) => stream.toUser.bufferedBytes > 0);
    const most = holding.sort((a, b) => b.toUser.bufferedBytes - a.toUser.bufferedBytes)[0];
    if (most) return most.requestId;
    await sleep(SAMPLE_EVERY_MS);
  }
  throw new Error(`the relay held no bytes for the stalled download within ${FILL_BUDGET_MS / 1000} s`);
}

/** A download the client reads 1 MiB of and then stops reading: the buffers fill, then credit stops. */
async function stallDownload(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
): Promise<{ response: IncomingMessage; read: number }> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, { agent, headers });
    req.on('error', reject);
    req.on('response', resolve);
    req.end();
  });
  let read = 0;
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read >= 1024 * 1024) {
        response.pause();
        response.off('data', onData);
        resolve();
      }
    };
    response.on('data', onData);
  });
  return { response, read };
}

run(main, 5 * 60_000);
