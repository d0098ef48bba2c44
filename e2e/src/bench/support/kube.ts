/**
 * kube-sim fixtures for the benchmarks: a running pod, and WebSocket exec (`v5.channel.k8s.io`)
 * sessions through the local proxy or straight to kube-sim.
 */
import type { Agent } from 'node:https';
import { WebSocket } from 'ws';
import { type BenchChain, send } from './chain.js';
import { sleep } from './stats.js';

/** Creates pod `name` in `default` (one container, simulated image) and waits until it runs. */
export async function runningPod(
  bench: Pick<BenchChain, 'directBase' | 'directAgent'>,
  name: string,
): Promise<void> {
  const agent = bench.directAgent();
  try {
    const created = await send(agent, `${bench.directBase}/api/v1/namespaces/default/pods`, {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] },
      },
    });
    if (created.status !== 201) throw new Error(`create pod: ${created.status} ${created.text}`);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const got = await send(agent, `${bench.directBase}/api/v1/namespaces/default/pods/${name}`);
      if ((JSON.parse(got.text) as { status?: { phase?: string } }).status?.phase === 'Running') return;
      await sleep(20);
    }
    throw new Error(`pod ${name} did not start`);
  } finally {
    agent.destroy();
  }
}

export interface ExecTarget {
  base: string;
  headers: Record<string, string>;
  agent: Agent;
}

/** Opens `exec` of `command` in pod `pod` (container `main`) over WebSocket, v5 channel protocol. */
export function openExec(
  target: ExecTarget,
  pod: string,
  command: string[],
  stdin: boolean,
): Promise<WebSocket> {
  const query = new URLSearchParams();
  for (const part of command) query.append('command', part);
  query.set('container', 'main');
  query.set('stdout', 'true');
  if (stdin) query.set('stdin', 'true');
  const url = `${target.base.replace(/^https:/, 'wss:')}/api/v1/namespaces/default/pods/${pod}/exec?${query}`;
  const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
    agent: target.agent,
    headers: target.headers,
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.off('error', reject);
      resolve(ws);
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`exec upgrade refused: ${res.statusCode}`)),
    );
  });
}
