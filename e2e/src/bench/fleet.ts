#!/usr/bin/env node
/**
 * The relay as a fleet: 3 replicas on Postgres and Redis behind HAProxy (support/fleet-stack.ts),
 * each part a process of its own on this machine. Three measurements, each beside a baseline from
 * the same run:
 *
 * 1. Streams: a real agent (fronting the byte server) holds its session on one replica; a local
 *    proxy on that replica (local) and one on another replica (forwarded over the peer link to the
 *    holder) each run small GETs (p50/p99) and bulk downloads, interleaved. Baseline: local.
 * 2. Idle: N fake agents (support/fleet.ts; `BENCH_FLEET_AGENTS`, default 12,000, the issue's 30,000
 *    being more than this 2-core machine carries in minutes, see DEFAULT_AGENTS) through the load
 *    balancers: each replica's RSS after a GC with its sessions vs provisioned with none, per
 *    session it holds; Postgres transactions and Redis commands per second over one 30 s window
 *    (the period of the replicas' credential checks and status reconciliation). Baseline: the same
 *    fleet, same clusters provisioned, no agents.
 * 3. Kill: SIGKILL of one replica holding about a third of the agents: time until every agent it
 *    held has a session again (on another replica), and the most of those reconnects in any 100 ms.
 *    Baseline: a relay on its own (SQLite) holding as many agents, killed and started again at once
 *    on the same port and data.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Haproxy } from '@switchboard/test-support/haproxy';
import { startByteServer, writeUpstreamKubeconfig } from './support/byte-server.js';
import { downloadRate, sequentialGets } from './support/chain.js';
import { AgentHost, RelayHost, singleRelayConfig } from './support/fleet.js';
import { type BenchFleet, type FleetReplicaHost, startBenchFleet } from './support/fleet-stack.js';
import { cpuSeconds } from './support/process-cpu.js';
import type { AgentCredentialRef } from './support/relay-host.js';
import { closeSplitHost, startSplitHost } from './support/split-chain.js';
import {
  busiestWindow,
  type Figure,
  header,
  kib,
  mbps,
  ms,
  percentile,
  report,
  run,
  sleep,
} from './support/stats.js';
import { operationRates, readStoreOperations, redisMemory } from './support/store-load.js';

/** The issue's scale: 30,000 idle agents, 10,000 per replica. */
const ISSUE_AGENTS = 30_000;
/**
 * What this 2-core machine carries in a few minutes (~5): at the issue's scale the run takes ~10 and
 * the replicas' own registry work keeps them from settling (see docs/benchmarks.md#fleet).
 */
const DEFAULT_AGENTS = 12_000;
const AGENTS = Number(process.env.BENCH_FLEET_AGENTS ?? DEFAULT_AGENTS);
const REPLICAS = 3;
/**
 * Agents per load balancer process (and per agent host): two sockets each in HAProxy, under the
 * 20,000 open files a process may have here, with room for health checks and the reconnect storm.
 */
const AGENTS_PER_BALANCER = 7_500;
const CONNECTIONS_PER_BALANCER = 9_000;
/** Enough to keep the replicas busy without queueing dials into their handshake timeout. */
const PARALLEL_DIALS_PER_HOST = 12;
const CONNECT_BUDGET_MS = 300_000;
/** How long a replica may take to finish its queued status work before its memory is read anyway. */
const SETTLE_BUDGET_MS = 60_000;
/** At least one ping round (15 s) on every session before memory is read. */
const HOLD_MS = 20_000;
/** The replicas' credential check and status reconciliation run every 30 s: one whole period. */
const WINDOW_MS = 30_000;
const RECONNECT_BUDGET_MS = 90_000;
const GiB = 1024 ** 3;
const STREAM_BYTES = Number(process.env.BENCH_FLEET_STREAM_BYTES ?? GiB / 2);
const STREAM_WARMUP_BYTES = 64 * 1024 * 1024;
const STREAM_RUNS = 3;
const GET_WARMUP = 2_000;
const GET_SAMPLES = 2_000;
const GET_ROUNDS = 4;
const USER = 'bench-user';
const BENCH_CLUSTER = 'bench';

const epochNow = () => performance.timeOrigin + performance.now();
const started = performance.now();
/** A line as each step starts or ends, so a slow step shows while it runs (figures come at the end). */
const progress = (text: string) =>
  process.stdout.write(`  … ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${text}\n`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
/** A difference with its sign, "+0.17" or "−0.05". */
const signed = (value: number, digits: number) => {
  const text = Math.abs(value).toFixed(digits);
  return `${value < 0 && Number(text) !== 0 ? '−' : '+'}${text}`;
};

async function main(): Promise<void> {
  if (!Number.isInteger(AGENTS) || AGENTS < REPLICAS) {
    throw new Error(
      `BENCH_FLEET_AGENTS must be a whole number ≥ ${REPLICAS}: ${process.env.BENCH_FLEET_AGENTS}`,
    );
  }
  const balancers = Math.ceil(AGENTS / AGENTS_PER_BALANCER);
  header(
    `relay fleet: ${REPLICAS} replicas on Postgres and Redis behind ${balancers} HAProxy process(es); ${AGENTS} idle agents`,
    'replicas are relay processes (--expose-gc); agents are fake (protocol Session + ws + jose assertion, the connector’s redial loop and backoff) in agent host processes; streams through a real agent and local proxies in processes of their own',
  );
  const fleet = await startBenchFleet({
    replicas: REPLICAS,
    balancers,
    connectionsPerBalancer: CONNECTIONS_PER_BALANCER,
    users: [USER],
  });
  const figures: Figure[] = [];
  const notes: string[] = [
    ...(AGENTS === ISSUE_AGENTS
      ? []
      : [
          `SCALE CHANGED: ${AGENTS} agents (${Math.round(AGENTS / REPLICAS)} per replica), not the issue's ${ISSUE_AGENTS} (10,000 per replica): at that scale the run takes ~10 minutes here and saturates this 2-core machine, which runs Postgres, Redis, the load balancers, the replicas and the agents together: the replicas' status work queued while the agents connect is still not done a minute later, behind their own registry work (a status reconciliation that reads every cluster's grants, one query each, every 30 s on every replica), so the "idle" window is not idle (docs/benchmarks.md#fleet records a run with BENCH_FLEET_AGENTS=${ISSUE_AGENTS}). Memory is per session and idle load is compared with and without agents, so both keep their meaning here; the kill takes a third of the agents, ${Math.round(AGENTS / REPLICAS)} instead of 10,000`,
        ]),
    `${balancers} HAProxy process(es), ${AGENTS_PER_BALANCER} agents at most each: a process may hold 20,000 files here (ulimit -n, not raisable in this container) and HAProxy needs two per connection; each is a TCP round-robin over all ${REPLICAS} replicas with /readyz health checks (every 200 ms), and each agent host dials one of them`,
    'every hop of the fleet is on loopback (replicas, load balancers, peer links): the local proxies and the agent mask WebSocket frames with an all-zero key and speak plain ws, so the stream figures skip the masking and TLS a deployed relay costs (the split layout of benchmarks 1–5 measures those; BENCH_RELAY_ADDRESS)',
  ];
  try {
    figures.push(...(await streams(fleet, notes)));
    const killed = await idleAndKill(fleet, figures, notes);
    figures.push(...(await reconnectFigures(fleet, killed, notes)));
  } finally {
    await fleet.close();
  }
  report('fleet', figures, notes);
}

// ─── 1. Forwarded vs local stream ───────────────────────────────────────────────────────────────

interface StreamPath {
  name: string;
  replica: FleetReplicaHost;
  child: ChildProcess;
  base: string;
  headers: Record<string, string>;
  one: Agent;
  gets: number[];
  rates: number[];
  /** CPU seconds each process used during this path's timed downloads. */
  cpu: Map<string, number>;
}

/** CPU seconds so far of each process on the stream paths, by name (HAProxy not included). */
function cpuSnapshot(processes: Map<string, number | undefined>): Map<string, number> {
  const snapshot = new Map<string, number>();
  const own = process.cpuUsage();
  snapshot.set('benchmark (client, byte server)', (own.user + own.system) / 1e6);
  for (const [name, pid] of processes) {
    const seconds = cpuSeconds(pid);
    if (seconds !== undefined) snapshot.set(name, seconds);
  }
  return snapshot;
}

function cpuPerGiB(p: StreamPath): string {
  const gib = (STREAM_RUNS * STREAM_BYTES) / GiB;
  const used = [...p.cpu].filter(([, seconds]) => seconds / gib >= 0.05);
  const total = used.reduce((sum, [, seconds]) => sum + seconds, 0);
  return `${p.name}: ${used.map(([name, seconds]) => `${name} ${(seconds / gib).toFixed(2)}`).join(', ')} (${(total / gib).toFixed(2)} in all)`;
}

async function streams(fleet: BenchFleet, notes: string[]): Promise<Figure[]> {
  progress('streams: forwarded vs local');
  const database = await fleet.postgres.createDatabase('fleet_streams');
  const replicas = await fleet.startReplicas(database, 1_000);
  const bytes = await startByteServer();
  const children: ChildProcess[] = [];
  try {
    const { joinToken } = await replicas[0]!.host.ask(
      { type: 'reachable-cluster', cluster: BENCH_CLUSTER, user: USER },
      'reachable-cluster',
    );
    const agentDir = join(fleet.dir, 'agent');
    await mkdir(join(agentDir, 'state'), { recursive: true, mode: 0o700 });
    const kubeconfig = join(agentDir, 'kubeconfig');
    await writeUpstreamKubeconfig(kubeconfig, bytes);
    // The agent knows only the load balancer, like any agent; the one joining through it decides where it lands.
    const agent = await startSplitHost(
      ['agent', fleet.publicUrl, kubeconfig, join(agentDir, 'state'), '{}'],
      {
        SWITCHBOARD_JOIN_TOKEN: joinToken,
      },
    );
    children.push(agent.child);
    const holdings = await Promise.all(
      replicas.map(async (replica) => ({
        replica,
        sessions: (await replica.host.ask({ type: 'holding', cluster: BENCH_CLUSTER }, 'holding')).sessions,
      })),
    );
    const holders = holdings.filter((holding) => holding.sessions > 0);
    if (holders.length !== 1 || holders[0]!.sessions !== 1) {
      throw new Error(
        `expected one agent session on one replica: ${holdings.map((h) => `${h.replica.id} ${h.sessions}`).join(', ')}`,
      );
    }
    const holder = holders[0]!.replica;
    const other = replicas.find((replica) => replica !== holder)!;
    const principal = fleet.principals.get(USER)!;
    // Each local proxy dials one replica's own URL: that is how the stream is steered.
    const path = async (name: string, replica: FleetReplicaHost): Promise<StreamPath> => {
      const proxy = await startSplitHost([
        'proxy',
        replica.url,
        principal.clientId,
        principal.clientSecretFile,
      ]);
      children.push(proxy.child);
      const { port, credential, caCertPem } = proxy.ready;
      return {
        name,
        replica,
        child: proxy.child,
        base: `https://127.0.0.1:${port}/clusters/${BENCH_CLUSTER}`,
        headers: { authorization: `Bearer ${credential}` },
        one: new Agent({ keepAlive: true, maxSockets: 1, ca: caCertPem }),
        gets: [],
        rates: [],
        cpu: new Map(),
      };
    };
    const local = await path('local', holder);
    const forwarded = await path('forwarded', other);
    const paths = [local, forwarded];

    const cold: Record<string, number[]> = {};
    for (const p of paths)
      cold[p.name] = await sequentialGets(p.one, `${p.base}/small`, p.headers, GET_WARMUP);
    // Interleaved rounds, so drift (GC, JIT, the other tenants of this machine) hits both alike.
    for (let round = 0; round < GET_ROUNDS; round++) {
      for (const p of paths) {
        p.gets.push(...(await sequentialGets(p.one, `${p.base}/small`, p.headers, GET_SAMPLES / GET_ROUNDS)));
      }
    }
    for (const p of paths) await downloadRate(p.one, p.base, p.headers, STREAM_WARMUP_BYTES);
    const processes = new Map<string, number | undefined>([
      [`local proxy (${holder.id})`, local.child.pid],
      [`forwarding proxy (${other.id})`, forwarded.child.pid],
      ...replicas.map((replica) => [`replica ${replica.id}`, replica.host.child.pid] as const),
      ['agent', agent.child.pid],
    ]);
    for (let round = 0; round < STREAM_RUNS; round++) {
      for (const p of paths) {
        const before = cpuSnapshot(processes);
        p.rates.push(await downloadRate(p.one, p.base, p.headers, STREAM_BYTES));
        for (const [name, seconds] of cpuSnapshot(processes)) {
          p.cpu.set(name, (p.cpu.get(name) ?? 0) + seconds - (before.get(name) ?? seconds));
        }
      }
    }
    for (const p of paths) p.one.destroy();

    const p50 = { l: percentile(local.gets, 50), f: percentile(forwarded.gets, 50) };
    const p99 = { l: percentile(local.gets, 99), f: percentile(forwarded.gets, 99) };
    const rate = { l: percentile(local.rates, 50), f: percentile(forwarded.rates, 50) };
    notes.push(
      `streams: agent on ${holder.id} (joined through the load balancer); local proxy dials ${holder.id}, forwarded proxy dials ${other.id} (which holds no session of the cluster, so it forwards over its peer link to ${holder.id}); small GETs ${GET_ROUNDS}×${GET_SAMPLES / GET_ROUNDS} per path after ${GET_WARMUP} warm-up; downloads of ${mib(STREAM_BYTES)}, median of ${STREAM_RUNS} (MB/s local ${local.rates.map((r) => (r / 1e6).toFixed(0)).join(' / ')}, forwarded ${forwarded.rates.map((r) => (r / 1e6).toFixed(0)).join(' / ')})`,
      `streams, CPU seconds per GiB downloaded (HAProxy, on the agent's side of both paths, not counted) — ${cpuPerGiB(local)}; ${cpuPerGiB(forwarded)}`,
      `streams, warm-up (JIT-cold) GET p50/p99: local ${ms(percentile(cold.local!, 50))} / ${ms(percentile(cold.local!, 99))}, forwarded ${ms(percentile(cold.forwarded!, 50))} / ${ms(percentile(cold.forwarded!, 99))}`,
    );
    return [
      {
        name: 'GET p50, forwarded vs local',
        value: ms(p50.f),
        baseline: ms(p50.l),
        ratio: `${signed(p50.f - p50.l, 2)} ms`,
        target: 'added ≤ 0.5 ms',
        pass: p50.f - p50.l <= 0.5,
      },
      {
        name: 'GET p99, forwarded vs local',
        value: ms(p99.f),
        baseline: ms(p99.l),
        ratio: `${signed(p99.f - p99.l, 2)} ms`,
        target: '(reported)',
      },
      {
        name: 'stream throughput, forwarded vs local',
        value: mbps(rate.f),
        baseline: mbps(rate.l),
        ratio: `${((100 * rate.f) / rate.l).toFixed(0)}% of local`,
        target: '≥ 80% of local',
        pass: rate.f >= 0.8 * rate.l,
      },
    ];
  } finally {
    for (const child of children.reverse()) await closeSplitHost(child);
    await bytes.close();
    await fleet.stopReplicas();
  }
}

// ─── 2. Idle agents, and 3. a replica killed under them ─────────────────────────────────────────

/** What the kill left to compare with the single relay. */
interface KilledReplica {
  held: number;
  lost: number;
  back: number[];
  dials: number[];
  killedAt: number;
}

/** Splits `total` into `parts` near-equal whole sizes. */
function shares(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** The agent URL of a load balancer: the replicas' own (public-URL) agent URL with its port. */
function agentUrlVia(balancer: Haproxy, agentUrl: string): string {
  const url = new URL(agentUrl);
  url.port = String(balancer.port);
  return url.href;
}

/** Provisions every agent's cluster and credential under its agent host's key. */
async function provisionAgents(writers: RelayHost[], hosts: AgentHost[]): Promise<AgentCredentialRef[][]> {
  const sizes = shares(AGENTS, hosts.length);
  // Each host's agents are provisioned in one slice per writer, every writer working through its
  // slices in turn (a relay host answers one provisioning at a time), the writers in parallel.
  const slices = hosts.map((_, h) => {
    let offset = sizes.slice(0, h).reduce((a, b) => a + b, 0);
    return shares(sizes[h]!, writers.length).map((count) => {
      const slice = { first: offset, count };
      offset += count;
      return slice;
    });
  });
  const results: AgentCredentialRef[][][] = hosts.map(() => []);
  await Promise.all(
    writers.map(async (writer, w) => {
      for (let h = 0; h < hosts.length; h++) {
        const { first, count } = slices[h]![w]!;
        results[h]![w] = count === 0 ? [] : await writer.provision('agent', first, count, hosts[h]!.key);
      }
    }),
  );
  return results.map((perWriter) => perWriter.flat());
}

async function idleAndKill(fleet: BenchFleet, figures: Figure[], notes: string[]): Promise<KilledReplica> {
  const database = await fleet.postgres.createDatabase('fleet_idle');
  const hosts: AgentHost[] = [];
  try {
    for (let h = 0; h < fleet.balancers.length; h++) hosts.push(await AgentHost.start(`agent host ${h + 1}`));
    progress(`idle: provisioning ${AGENTS} clusters, one agent credential each`);
    const provisionStarted = performance.now();
    const writers = await fleet.startRegistryWriters(database, REPLICAS);
    let credentials: AgentCredentialRef[][];
    try {
      credentials = await provisionAgents(writers, hosts);
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
    notes.push(
      `idle: ${AGENTS} clusters with one agent credential each written to the registry in ${((performance.now() - provisionStarted) / 1000).toFixed(0)} s by ${REPLICAS} relay processes outside the fleet, closed before the replicas start (so no replica holds that work's garbage)`,
    );
    // Room for every agent on the survivors after a kill.
    const replicas = await fleet.startReplicas(database, AGENTS + 1_000);

    progress(`idle: the fleet without agents, ${WINDOW_MS / 1000} s`);
    const quietFrom = await readStoreOperations(database, fleet.redis.url);
    await sleep(WINDOW_MS);
    const quiet = operationRates(quietFrom, await readStoreOperations(database, fleet.redis.url));
    const before = await Promise.all(replicas.map((replica) => replica.host.memory(SETTLE_BUDGET_MS)));
    const redisBefore = await redisMemory(fleet.redis.url);

    progress(`idle: connecting ${AGENTS} agents`);
    const { agentUrl, audience } = replicas[0]!.host.ready;
    const connectStarted = performance.now();
    const connectFrom = await readStoreOperations(database, fleet.redis.url);
    const connected = await Promise.all(
      hosts.map((host, h) =>
        host.connect(
          { agentUrl: agentUrlVia(fleet.balancers[h]!, agentUrl), audience },
          credentials[h]!,
          PARALLEL_DIALS_PER_HOST,
          CONNECT_BUDGET_MS,
        ),
      ),
    );
    const deadline = performance.now() + CONNECT_BUDGET_MS;
    let open = 0;
    while (performance.now() < deadline) {
      open = (await Promise.all(hosts.map((host) => host.connected()))).reduce((a, b) => a + b, 0);
      if (open === AGENTS) break;
      await sleep(500);
    }
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    const connectTo = await readStoreOperations(database, fleet.redis.url);
    notes.push(
      `idle: ${open} of ${AGENTS} agents connected in ${connectSeconds.toFixed(0)} s (${PARALLEL_DIALS_PER_HOST} dials in parallel per agent host; ${connected.reduce((a, c) => a + c.failed, 0)} first dials failed and were redialed with backoff); meanwhile Postgres ran ${((connectTo.postgresTransactions - connectFrom.postgresTransactions) / open).toFixed(1)} transactions and Redis ${((connectTo.redisCommands - connectFrom.redisCommands) / open).toFixed(1)} commands per agent that connected, fleet-wide`,
    );
    progress(
      `idle: ${open} agents connected; holding ${HOLD_MS / 1000} s, then memory and a ${WINDOW_MS / 1000} s window`,
    );
    await sleep(HOLD_MS);
    const after = await Promise.all(replicas.map((replica) => replica.host.memory(SETTLE_BUDGET_MS)));
    const redisAfter = await redisMemory(fleet.redis.url);
    const busyFrom = await readStoreOperations(database, fleet.redis.url);
    await sleep(WINDOW_MS);
    const busy = operationRates(busyFrom, await readStoreOperations(database, fleet.redis.url));

    const perSession = replicas.map((replica, r) => {
      const [b, a] = [before[r]!, after[r]!];
      return {
        id: replica.id,
        sessions: a.sessions,
        rss: (a.rss - b.rss) / a.sessions,
        heap: (a.heapUsed + a.external - b.heapUsed - b.external) / a.sessions,
        rssBefore: b.rss,
        rssAfter: a.rss,
        settled:
          a.settledMs === null
            ? `its queued status work still not done after ${SETTLE_BUDGET_MS / 1000} s (measured anyway)`
            : `its queued status work done ${(a.settledMs / 1000).toFixed(1)} s after asked`,
      };
    });
    const worst = perSession.reduce((a, b) => (b.rss > a.rss ? b : a));
    const worstHeap = perSession.reduce((a, b) => (b.heap > a.heap ? b : a));
    notes.push(
      `idle, per replica: ${perSession.map((p) => `${p.id} ${p.sessions} sessions, RSS ${mib(p.rssBefore)} → ${mib(p.rssAfter)} (${kib(p.rss)}/session), heap+external ${kib(p.heap)}/session, ${p.settled}`).join('; ')}`,
      `idle: Redis used_memory ${mib(redisBefore)} → ${mib(redisAfter)} (${kib((redisAfter - redisBefore) / open)} per agent)`,
      `idle windows: ${quiet.seconds.toFixed(1)} s without agents, ${busy.seconds.toFixed(1)} s with them (one period of the replicas' 30 s credential check and status reconciliation); /readyz health checks from every balancer count in both`,
    );
    figures.push(
      {
        name: 'replica RSS per idle agent session (worst)',
        value: kib(worst.rss),
        baseline: `${mib(worst.rssBefore)} (${worst.id}, none)`,
        ratio: `${worst.sessions} sessions`,
        target: '≤ 16 KiB',
        pass: worst.rss <= 16 * 1024,
      },
      {
        name: 'replica heap+external per session (worst)',
        value: kib(worstHeap.heap),
        baseline: `${worstHeap.id}, none`,
        target: '(reported)',
      },
      {
        name: 'Postgres transactions/s while idle',
        value: `${busy.postgres.toFixed(0)}/s`,
        baseline: `${quiet.postgres.toFixed(0)}/s`,
        ratio: `${(busy.postgres / quiet.postgres).toFixed(2)}x, ${signed(busy.postgres - quiet.postgres, 0)}/s`,
        target: '(reported)',
      },
      {
        name: 'Redis commands/s while idle',
        value: `${busy.redis.toFixed(1)}/s`,
        baseline: `${quiet.redis.toFixed(1)}/s`,
        ratio: `${(busy.redis / quiet.redis).toFixed(2)}x`,
        target: 'independent of agents (≤ 1.1x)',
        pass: busy.redis <= 1.1 * quiet.redis,
      },
    );

    // 3. Kill the first replica under its agents.
    const victim = replicas[0]!;
    const held = after[0]!.sessions;
    progress(`kill: SIGKILL of ${victim.id} holding ${held} agents`);
    const survivorIds = replicas.slice(1).map((replica) => replica.id);
    const outOfRotation = new Map(survivorIds.map((id) => [id, 0]));
    const killedAt = epochNow();
    await victim.host.kill();
    const outcome = await waitForReconnects(hosts, killedAt, held, (pollSeconds) => {
      for (const id of survivorIds) {
        if (fleet.balancers.some((balancer) => balancer.serverState(id) === 'DOWN')) {
          outOfRotation.set(id, outOfRotation.get(id)! + pollSeconds);
        }
      }
    });
    const survivors = await Promise.all(replicas.slice(1).map((replica) => replica.host.agentSessions()));
    notes.push(
      `kill: SIGKILL of ${victim.id} holding ${held} sessions; afterwards ${survivorIds
        .map(
          (id, i) =>
            `${id} holds ${survivors[i]} (out of some balancer's rotation for ~${outOfRotation.get(id)!.toFixed(0)} s meanwhile: its /readyz failed)`,
        )
        .join(', ')}; ${AGENTS} agents in all`,
    );
    return { held, killedAt, ...outcome };
  } finally {
    progress('idle: stopping the agents and the replicas');
    await Promise.all(hosts.map((host) => host.stop()));
    await fleet.stopReplicas();
  }
}

/**
 * Polls the agent hosts until every agent that lost its session after `since` has one again (or the
 * budget is spent); `onPoll` hears the seconds since the previous poll.
 */
async function waitForReconnects(
  hosts: AgentHost[],
  since: number,
  expected: number,
  onPoll: (seconds: number) => void = () => {},
) {
  const deadline = performance.now() + RECONNECT_BUDGET_MS;
  let polledAt = performance.now();
  for (;;) {
    const answers = await Promise.all(hosts.map((host) => host.reconnects(since)));
    const lost = answers.reduce((a, b) => a + b.lost, 0);
    const back = answers.flatMap((answer) => answer.back);
    onPoll((performance.now() - polledAt) / 1000);
    polledAt = performance.now();
    if ((lost >= expected && back.length === lost) || performance.now() > deadline) {
      return { lost, back, dials: answers.flatMap((answer) => answer.dials) };
    }
    await sleep(500);
  }
}

function spread(times: number[], from: number): string {
  const after = times.map((t) => (t - from) / 1000);
  return `p10 ${percentile(after, 10).toFixed(2)} s, p50 ${percentile(after, 50).toFixed(2)} s, p90 ${percentile(after, 90).toFixed(2)} s, max ${Math.max(...after).toFixed(2)} s`;
}

/** A relay on its own holding as many agents, killed and started again at once: the kill's baseline. */
async function singleRelayKill(fleet: BenchFleet, agents: number, notes: string[]): Promise<KilledReplica> {
  progress(`kill baseline: a relay on its own holding ${agents} agents`);
  const dataDir = join(fleet.dir, 'single-relay');
  let relay = await RelayHost.start(singleRelayConfig(dataDir), 'single relay');
  const host = await AgentHost.start('single relay agent host');
  try {
    const credentials = await relay.provision('agent', 0, agents, host.key);
    await host.connect(relay.ready, credentials, PARALLEL_DIALS_PER_HOST * 2, CONNECT_BUDGET_MS);
    const deadline = performance.now() + CONNECT_BUDGET_MS;
    while ((await host.connected()) < agents && performance.now() < deadline) await sleep(500);
    const held = await relay.agentSessions();
    const killedAt = epochNow();
    await relay.kill();
    relay = await RelayHost.start(singleRelayConfig(dataDir, relay.ready.port), 'single relay (restarted)');
    const restartedIn = epochNow() - killedAt;
    const outcome = await waitForReconnects([host], killedAt, held);
    notes.push(
      `kill baseline: a relay on its own (SQLite) holding ${held} fake agents, SIGKILLed and started again at once on its port and data (listening again ${(restartedIn / 1000).toFixed(1)} s after the kill)`,
    );
    return { held, killedAt, ...outcome };
  } finally {
    await host.stop();
    await relay.close();
  }
}

async function reconnectFigures(
  fleet: BenchFleet,
  killed: KilledReplica,
  notes: string[],
): Promise<Figure[]> {
  const single = await singleRelayKill(fleet, killed.held, notes);
  const describe = (k: KilledReplica) => {
    const allBack = k.back.length === k.lost && k.lost >= k.held;
    const backMs = allBack ? Math.max(...k.back) - k.killedAt : Number.NaN;
    const peak = busiestWindow(k.back, 100);
    const dialPeak = busiestWindow(k.dials, 100);
    return {
      allBack,
      backMs,
      time: allBack ? `${(backMs / 1000).toFixed(1)} s` : `${k.back.length}/${k.lost} back`,
      share: k.lost > 0 ? peak / k.lost : Number.NaN,
      dialShare: k.lost > 0 ? dialPeak / k.lost : Number.NaN,
      dials: k.dials.length,
    };
  };
  const f = describe(killed);
  const s = describe(single);
  const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
  notes.push(
    `kill, fleet: ${killed.lost} agents lost their session; back ${spread(killed.back, killed.killedAt)} after the kill; ${f.dials} dials`,
    `kill, single relay: ${single.lost} agents lost their session; back ${spread(single.back, single.killedAt)} after the kill; ${s.dials} dials`,
    `kill: the most dial starts in any 100 ms were ${percent(f.dialShare)} of the agents in the fleet, ${percent(s.dialShare)} for the single relay (the backoff alone spreads the first redial uniformly over 500 ms, 20 % per 100 ms; agent hosts busy with thousands of closes start them in bursts)`,
  );
  return [
    {
      name: `all agents of a killed replica back (${killed.held})`,
      value: f.time,
      baseline: `${s.time} single relay`,
      target: '≤ 60 s',
      pass: f.allBack && f.backMs <= 60_000,
    },
    {
      name: 'most of their reconnects in any 100 ms',
      value: percent(f.share),
      baseline: `${percent(s.share)} single relay`,
      target: '≤ 10% in any 100 ms',
      pass: f.share <= 0.1,
    },
  ];
}

run(main, AGENTS > DEFAULT_AGENTS ? 60 * 60_000 : 20 * 60_000);
