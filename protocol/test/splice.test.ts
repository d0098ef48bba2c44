import { afterEach, describe, expect, test } from 'vitest';
import { spliceStreams } from '../src/splice.js';
import type { Stream } from '../src/stream.js';
import { digest, type Pair, prng, randomBytes, sessionPair, sha256, sleep } from './harness.js';

const pairs: Pair[] = [];
afterEach(async () => {
  await Promise.all(pairs.splice(0).map((pair) => pair.close()));
});

/** user ⇄ relay ⇄ agent, the relay splicing each user stream onto an agent stream. */
async function relayChain(
  userWindow?: number,
): Promise<{ user: Pair; agent: Pair; relayed: Array<[Stream, Stream]> }> {
  const windows = userWindow ? { initialWindow: userWindow, maxWindow: userWindow } : {};
  const user = await sessionPair(windows);
  const agent = await sessionPair();
  pairs.push(user, agent);
  const relayed: Array<[Stream, Stream]> = [];
  user.server.on('stream', async (request) => {
    const agentSide = await agent.client.open(request.metadata);
    const userSide = request.accept();
    relayed.push([userSide, agentSide]);
    spliceStreams(userSide, agentSide);
  });
  return { user, agent, relayed };
}

describe('spliceStreams (relay pairing)', () => {
  test('carries both directions and half-closes end to end', async () => {
    const { user, agent } = await relayChain();
    agent.server.on('stream', (request) => {
      const stream = request.accept();
      stream.pipe(stream); // echo, ending when the user ends
    });
    const stream = await user.client.open(Buffer.from('echo'));
    const payload = randomBytes(prng(5), 2_000_000);
    const echoed = digest(stream);
    stream.end(payload);
    expect(await echoed).toEqual({ sha256: sha256(payload), bytes: payload.length });
  });

  test('the relay never holds more than the window it granted for a stalled reader', async () => {
    // A small window at the user: the relay's outbound side fills quickly once the user stalls.
    const { user, agent, relayed } = await relayChain(64 * 1024);
    agent.server.on('stream', (request) => {
      const stream = request.accept();
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (!stream.destroyed && stream.write(chunk));
        if (!stream.destroyed) stream.once('drain', pump);
      };
      pump();
    });
    const stream = await user.client.open(Buffer.from('bulk'));
    // Read 1 MiB fast (so windows auto-tune up), then stall.
    let read = 0;
    await new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= 1024 * 1024) {
          stream.pause();
          resolve();
        }
      });
    });
    let worst = 0;
    let window = 0;
    for (let i = 0; i < 40; i++) {
      await sleep(10);
      const [userSide, agentSide] = relayed[0]!;
      const held = agentSide.bufferedInbound + userSide.writableLength;
      if (held > worst) {
        worst = held;
        window = agentSide.receiveWindow;
      }
      expect(held).toBeLessThanOrEqual(agentSide.receiveWindow);
    }
    // The stall did fill the relay up to its window: the bound is reached, not just unused.
    expect(worst).toBeGreaterThan(window / 2);
    stream.destroy();
  });
});
