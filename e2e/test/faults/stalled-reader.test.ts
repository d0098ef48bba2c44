/**
 * A client that opens a large LIST through the local proxy and stops reading must not stall
 * anyone else: per-stream flow control holds its bytes back, and 20 concurrent small requests
 * (each its own connection, so its own tunnel stream) still answer while it stays unread, as does
 * kubectl. A request stuck behind the stalled stream would never answer (until it is read), so the
 * test needs no clock: everything completes before the reader resumes, or fails at its timeout.
 */
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain, proxyCredentials } from './support/chain.js';

const EXTRA_PODS = 3_000;

function get(port: number, path: string, auth: { token: string; ca: string }): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      ca: auth.ca,
      agent: false,
      headers: { authorization: `Bearer ${auth.token}`, accept: 'application/json' },
      timeout: 30_000,
    });
    req.once('response', resolve);
    req.once('timeout', () => req.destroy(new Error(`${path}: timed out`)));
    req.once('error', reject);
    req.end();
  });
}

async function bodyOf(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe.skipIf(!requireKubectl(33))('a stalled reader', { timeout: 60_000 }, () => {
  const chain = new Chain({ extraPods: EXTRA_PODS });

  beforeAll(async () => {
    await chain.start();
  }, 60_000);
  afterAll(async () => {
    await chain.close();
  });

  it('one client stops reading a large LIST; 20 concurrent small requests and kubectl still succeed while it stays unread', async () => {
    const auth = await proxyCredentials(chain.proxy.kubeconfig);
    const { port } = chain.proxy;

    const stalled = await get(port, '/clusters/dev/api/v1/pods', auth);
    expect(stalled.statusCode).toBe(200);
    // Read a first piece, then stop reading for good.
    const firstChunk = await new Promise<Buffer>((resolve) => {
      stalled.once('data', (chunk: Buffer) => {
        stalled.pause();
        resolve(chunk);
      });
    });
    const received = firstChunk.length;
    let ended = false;
    stalled.once('end', () => {
      ended = true;
    });

    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const t0 = Date.now();
        const response = await get(
          port,
          `/clusters/dev/api/v1/namespaces/shop/configmaps?limit=${i + 1}`,
          auth,
        );
        const body = JSON.parse(await bodyOf(response)) as { kind: string };
        return { status: response.statusCode, kind: body.kind, ms: Date.now() - t0 };
      }),
    );
    const allMs = Date.now() - started;
    expect(answers.map((a) => `${a.status} ${a.kind}`)).toEqual(Array(20).fill('200 ConfigMapList'));

    const kubectl = await chain.kubectl(['get', 'pods', '-n', 'kube-system', '-o', 'name'], { check: true });
    expect(kubectl.stdout).toMatch(/^pod\/coredns-/m);

    // The big response is still held back, not finished and not buffered into the reader.
    expect(ended).toBe(false);
    expect(received).toBeLessThan(1024 * 1024);
    expect(stalled.readableLength).toBeLessThan(1024 * 1024);
    console.info(
      `stalled LIST of ${EXTRA_PODS}+ pods; 20 concurrent requests took ${allMs} ms (slowest ${Math.max(...answers.map((a) => a.ms))} ms)`,
    );

    // Reading again drains it completely: nothing was lost while it waited.
    stalled.resume();
    const rest = await bodyOf(stalled);
    const list = JSON.parse(Buffer.concat([firstChunk, Buffer.from(rest)]).toString('utf8')) as {
      items: unknown[];
    };
    expect(list.items.length).toBeGreaterThanOrEqual(EXTRA_PODS);
    // Far more than the windows and socket buffers on the way could hold.
    expect(received + Buffer.byteLength(rest)).toBeGreaterThan(4 * 1024 * 1024);
  });
});
