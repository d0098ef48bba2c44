/**
 * Fake agents (`FakeAgent`, support/fleet.ts) in a child process of their own, driven over IPC by
 * the agent benchmarks: a process may hold only so many sockets (`ulimit -n`), so tens of thousands
 * of agents are spread over several of these. Every agent signs with the host's one key, which the
 * host generates at start and hands out (public half) for provisioning. Times it reports are epoch
 * milliseconds (`performance.timeOrigin + performance.now()`), comparable across processes.
 */
import { performance } from 'node:perf_hooks';
import { FakeAgent, type FleetKey, fleetKey } from './fleet.js';
import type { AgentCredentialRef } from './relay-host.js';

/** Where an agent dials, and the audience its assertions name (the relay's public URL's). */
export interface AgentTarget {
  agentUrl: string;
  audience: string;
}

export type AgentHostRequest =
  | { type: 'key' }
  | {
      type: 'connect';
      target: AgentTarget;
      credentials: AgentCredentialRef[];
      parallel: number;
      budgetMs: number;
    }
  | { type: 'count' }
  | { type: 'reconnects'; since: number }
  | { type: 'stop' };

export type AgentHostReply =
  | { type: 'ready'; publicKey: string; thumbprint: string }
  | { type: 'connected'; opened: number; failed: number; seconds: number }
  | { type: 'count'; connected: number }
  | {
      type: 'reconnects';
      /** Agents whose session ended after `since`. */
      lost: number;
      /** For each of them that has a session again: when it opened (epoch ms). */
      back: number[];
      /** Every dial started after `since` (epoch ms), failed ones included. */
      dials: number[];
    }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

const epoch = (time: number) => performance.timeOrigin + time;
const agents: FakeAgent[] = [];
let key: FleetKey | undefined;

async function connect(request: Extract<AgentHostRequest, { type: 'connect' }>): Promise<AgentHostReply> {
  if (!key) throw new Error('connect before key');
  const started = performance.now();
  const deadline = started + request.budgetMs;
  const batch = request.credentials.map((credential) => new FakeAgent(request.target, credential, key!.key));
  agents.push(...batch);
  let next = 0;
  let opened = 0;
  await Promise.all(
    Array.from({ length: request.parallel }, async () => {
      while (next < batch.length && performance.now() < deadline) {
        if (await batch[next++]!.dial()) opened++;
      }
    }),
  );
  // From here on each agent behaves as the connector does: those that failed keep trying.
  for (const agent of batch) void agent.loop();
  return {
    type: 'connected',
    opened,
    failed: batch.length - opened,
    seconds: (performance.now() - started) / 1000,
  };
}

function reconnects(since: number): AgentHostReply {
  const local = since - performance.timeOrigin;
  let lost = 0;
  const back: number[] = [];
  const dials: number[] = [];
  for (const agent of agents) {
    for (const at of agent.dialStarts) if (at > local) dials.push(epoch(at));
    const lostAt = agent.disconnects.find((at) => at > local);
    if (lostAt === undefined) continue;
    lost++;
    const backAt = agent.connects.find((at) => at > lostAt);
    if (backAt !== undefined && agent.connected) back.push(epoch(backAt));
  }
  return { type: 'reconnects', lost, back, dials };
}

async function answer(request: AgentHostRequest): Promise<AgentHostReply> {
  switch (request.type) {
    case 'key':
      key ??= await fleetKey();
      return { type: 'ready', publicKey: key.publicKey, thumbprint: key.thumbprint };
    case 'connect':
      return connect(request);
    case 'count':
      return { type: 'count', connected: agents.filter((agent) => agent.connected).length };
    case 'reconnects':
      return reconnects(request.since);
    case 'stop':
      for (const agent of agents) agent.stop();
      return { type: 'stopped' };
  }
}

process.on('message', (request: AgentHostRequest) => {
  answer(request).then(
    (message) => {
      process.send?.(message);
      if (message.type === 'stopped') process.exit(0);
    },
    (error: Error) => process.send?.({ type: 'failed', message: error.stack ?? error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
