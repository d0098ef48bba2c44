#!/usr/bin/env node
/**
 * Slow-reader isolation: one 1 GiB download through the tunnel that the client stops reading,
 * then 200 small requests on the same tunnel. Their p99 vs the same 200 requests without the
 * stall, and what the relay holds for the stalled stream (its own accounting,
 * `relay.tunnel.server.relayedStreams()`) vs the window it granted.
 */
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { startByteServer } from './support/byte-server.js';
import { send, startBenchChain } from './support/chain.js';
import { LAYOUT, SPLIT, startSplitChain } from './support/split-chain.js';
import { type Figure, header, kib, ms, percentile, report, run, sleep } from './support/stats.js';

const SMALL = 200;
const LANES = 4;
const GiB = 1024 ** 3;

async function main(): Promise<void> {
  header(
    'slow-reader isolation: 200 small GETs beside a stalled 1 GiB download',
    `${SMALL} GET /small over ${LANES} keep-alive connections through the tunnel, without and then with a stalled download on the same relay sessions`,
  );
  const bytes = await startByteServer();
  const upstream = { kind: 'https' as const, url: bytes.url, caPem: bytes.caPem };
  const split = SPLIT ? await startSplitChain({ upstream }) : undefined;
  const full = split ? undefined : await startBenchChain({ upstream });
  const bench = (split ?? full)!;
  const relay = full?.chain.relay.current;
  const relayedStreams = async () => (split ? split.relayedStreams() : relay!.tunnel.server.relayedStreams());
  try {
    const small = bench.proxyAgent({ maxSockets: LANES });
    const burst = async () => {
      const times: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: LANES }, async () => {
          while (next < SMALL) {
            next++;
            const answer = await send(small, `${bench.proxyBase}/small`, { headers: bench.proxyHeaders });
            if (answer.status !== 200) throw new Error(`small GET: ${answer.status}`);
            times.push(answer.ms);
          }
        }),
      );
      return times;
    };
    await burst(); // warm-up
    const baseline = await burst();

    // The stalled download: read 1 MiB, then stop reading (the socket buffers fill, then credit stops).
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${bench.proxyBase}/bytes?n=${GiB}`, {
        agent: bench.proxyAgent({ maxSockets: 1 }),
        headers: bench.proxyHeaders,
      });
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
    let peakBuffered = 0;
    let window = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const stream of await relayedStreams()) {
          peakBuffered = Math.max(peakBuffered, stream.toUser.bufferedBytes);
          window = Math.max(window, stream.toUser.grantedWindow);
        }
        await sleep(20);
      }
    })();
    await sleep(2_000); // every buffer on the way fills up
    const stalled = await burst();
    await sleep(500);
    sampling = false;
    await sampler;
    response.destroy();
    small.destroy();

    const p99 = { base: percentile(baseline, 99), stall: percentile(stalled, 99) };
    const figures: Figure[] = [
      {
        name: `${SMALL} small GETs p99 beside the stall`,
        value: ms(p99.stall),
        baseline: ms(p99.base),
        ratio: `+${(p99.stall - p99.base).toFixed(2)} ms`,
        target: '≤ baseline + 5 ms',
        pass: p99.stall - p99.base <= 5,
      },
    ];
    figures.push({
      name: 'relay bytes held for the stalled stream',
      value: kib(peakBuffered),
      baseline: `window ${kib(window)}`,
      ratio: `${(peakBuffered / window).toFixed(2)} of window`,
      target: '≤ the stream window',
      pass: peakBuffered <= window,
    });
    report('slow-reader', figures, [
      `layout: ${LAYOUT}`,
      `client read ${kib(read)} then stopped; relay accounting (relayedStreams()) sampled every 20 ms for 2.5 s${SPLIT ? ' over IPC' : ''}`,
      `p50 small GET: ${ms(percentile(stalled, 50))} beside the stall, ${ms(percentile(baseline, 50))} without`,
    ]);
  } finally {
    await bench.close();
    await bytes.close();
  }
}

run(main, 5 * 60_000);
