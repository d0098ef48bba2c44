/**
 * The tunnel as it runs for real: the local proxy (what `switchboard proxy` runs), the relay and the
 * agent each in a child process of their own (`split-host.js`); the client and the upstream
 * (kube-sim or the byte server) stay in this process, as in the direct baseline. The default layout
 * of benchmarks 1–5; `BENCH_SPLIT=0` runs everything in one process (`startBenchChain`). The relay
 * listens where `relay-address.ts` says: as deployed (a non-loopback address, TLS, random WebSocket
 * masks) unless `BENCH_RELAY_ADDRESS=loopback`.
 * `BENCH_CPU_PROF=<dir>` runs the three children with `--cpu-prof` (profiles written to `<dir>` as
 * each exits).
 */
import { type ChildProcess, fork, type SpawnOptions, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, type AgentOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import { createCertificateAuthority } from '@switchboard/kube-sim/pki';
import type { RelayedStreamStats } from '@switchboard/relay-server';
import { parse } from 'yaml';
import { KubeAdminClient } from '../../chain/kube-admin.js';
import { writeUpstreamKubeconfig } from './byte-server.js';
import type { BenchChainOptions } from './chain.js';
import { RELAY_ADDRESS } from './relay-address.js';
import { writeServicePrincipal } from './service-principal.js';

export interface SplitChain {
  /** The child processes' ids, for their CPU time (`process-cpu.ts`). */
  pids: Record<TunnelProcess, number | undefined>;
  proxyBase: string;
  proxyHeaders: Record<string, string>;
  proxyAgent(options?: AgentOptions): Agent;
  directBase: string;
  directAgent(options?: AgentOptions): Agent;
  /** The TLS settings of `directAgent` (CA, admin client certificate), for clients of other kinds. */
  directTls: AgentOptions;
  /** The agent's child process, for what only it can say (its sockets, in /proc). */
  agentPid: number;
  /** The relay's own accounting of what it holds per paired stream (asked over IPC). */
  relayedStreams(): Promise<RelayedStreamStats[]>;
  /**
   * Each child's event-loop delay since the previous call (or its start): how long a ready callback
   * waited for its process, which on a machine with fewer cores than busy processes includes
   * waiting for a core.
   */
  loopDelays(): Promise<Record<TunnelProcess, LoopDelay>>;
  close(): Promise<void>;
}

export type TunnelProcess = 'proxy' | 'relay' | 'agent';

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  /** Linux only: CPU time the process ran, and time it was ready but waited for a core. */
  ranMs?: number;
  waitedMs?: number;
}

/** What the children take: the relay's tunnel settings and the agent's session options. */
export interface SplitChainOptions extends Pick<BenchChainOptions, 'upstream' | 'relayTunnel'> {
  agent?: Pick<NonNullable<BenchChainOptions['agent']>, 'session'>;
}

const HOST = fileURLToPath(new URL('./split-host.js', import.meta.url));
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF;

/**
 * One part of the tunnel in a child process (`split-host.ts`, which documents `args`), once it is
 * ready. `inNamespace` runs it elsewhere: it maps the node command line to the one to spawn (e.g.
 * `ip netns exec <ns> …`, which execs node itself, so the IPC channel and the pid carry over).
 */
export async function startSplitHost(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  inNamespace?: (argv: string[]) => string[],
): Promise<{ child: ChildProcess; ready: Record<string, string> }> {
  const execArgv = CPU_PROFILE_DIR
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        CPU_PROFILE_DIR,
        '--cpu-prof-name',
        `${args[0]}-${Date.now()}.cpuprofile`,
      ]
    : [];
  const options: SpawnOptions = {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  };
  let child: ChildProcess;
  if (inNamespace) {
    const [command, ...rest] = inNamespace([process.execPath, ...execArgv, HOST, ...args]);
    child = spawn(command!, rest, options);
  } else child = fork(HOST, args, { ...options, execArgv });
  const [ready] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`split host ${args[0]} exited (${code})`);
    }),
  ])) as [Record<string, string>];
  return { child, ready };
}

export async function startSplitChain(options: SplitChainOptions = {}): Promise<SplitChain> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-split-'));
  const children: ChildProcess[] = [];
  let sim: KubeSim | undefined;
  const cluster = 'bench';
  const user = 'demo';
  const clientId = 'bench-demo';
  const { usersFile, clientSecretFile } = await writeServicePrincipal(dataDir, { clientId, username: user });
  const upstream = options.upstream ?? { kind: 'kube-sim' };
  const kubeconfig = join(dataDir, 'agent.kubeconfig');
  let directBase: string;
  let directTls: AgentOptions;
  if (upstream.kind === 'https') {
    await writeUpstreamKubeconfig(kubeconfig, upstream);
    directBase = upstream.url;
    directTls = { ca: upstream.caPem };
  } else {
    sim = await startKubeSim({ scenario: 'empty', podStartDelayMs: 10 });
    await writeFile(kubeconfig, sim.adminKubeconfig, { mode: 0o600 });
    const admin = new KubeAdminClient(sim.adminKubeconfig);
    await admin.bindClusterRole(user, 'cluster-admin', 'bench');
    admin.close();
    const adminUser = parse(sim.adminKubeconfig).users[0].user;
    directBase = sim.url;
    directTls = {
      ca: sim.caPem,
      cert: Buffer.from(adminUser['client-certificate-data'], 'base64').toString(),
      key: Buffer.from(adminUser['client-key-data'], 'base64').toString(),
    };
  }
  // As deployed, the relay serves TLS on a non-loopback address; every child trusts its CA the way
  // any Node process is told to trust a private CA (the relay too: its dev issuer is its own URL).
  const relayTls = RELAY_ADDRESS.deployed ? await relayCertificate(dataDir, RELAY_ADDRESS.host) : undefined;
  const trustRelay = relayTls ? { NODE_EXTRA_CA_CERTS: relayTls.caFile } : {};
  const relay = await startSplitHost(
    [
      'relay',
      join(dataDir, 'relay'),
      usersFile,
      cluster,
      user,
      JSON.stringify(options.relayTunnel ?? {}),
      JSON.stringify({
        listen: `${RELAY_ADDRESS.host}:0`,
        ...(relayTls && { tls: { certFile: relayTls.certFile, keyFile: relayTls.keyFile } }),
      }),
    ],
    trustRelay,
  );
  children.push(relay.child);
  const relayUrl = relay.ready.url!;
  await mkdir(join(dataDir, 'agent-state'), { recursive: true, mode: 0o700 });
  // The join token in the environment, as for the agent's CLI: argv is visible to every local user.
  const agent = await startSplitHost(
    [
      'agent',
      relayUrl,
      kubeconfig,
      join(dataDir, 'agent-state'),
      JSON.stringify(options.agent?.session ?? {}),
    ],
    { SWITCHBOARD_JOIN_TOKEN: relay.ready.joinToken!, ...trustRelay },
  );
  children.push(agent.child);

  const proxy = await startSplitHost(['proxy', relayUrl, clientId, clientSecretFile], trustRelay);
  children.push(proxy.child);
  const { port, credential, caCertPem } = proxy.ready;
  return {
    pids: { proxy: proxy.child.pid, relay: relay.child.pid, agent: agent.child.pid },
    proxyBase: `https://127.0.0.1:${port}/clusters/${cluster}`,
    proxyHeaders: { authorization: `Bearer ${credential}` },
    proxyAgent: (extra = {}) => new Agent({ keepAlive: true, ca: caCertPem, ...extra }),
    directBase,
    directAgent: (extra = {}) => new Agent({ keepAlive: true, ...directTls, ...extra }),
    directTls,
    agentPid: agent.child.pid!,
    relayedStreams: async () => {
      const answer = once(relay.child, 'message') as Promise<[{ streams: RelayedStreamStats[] }]>;
      relay.child.send({ type: 'relayed-streams' });
      return (await answer)[0].streams;
    },
    loopDelays: async () => {
      const ask = async (child: ChildProcess): Promise<LoopDelay> => {
        const answer = once(child, 'message') as Promise<[LoopDelay]>;
        child.send({ type: 'loop-delay' });
        const [{ p50, p99, max, ranMs, waitedMs }] = await answer;
        return { p50, p99, max, ranMs, waitedMs };
      };
      return { proxy: await ask(proxy.child), relay: await ask(relay.child), agent: await ask(agent.child) };
    },
    close: async () => {
      // Proxy first (it drains its relay session), then agent, then relay.
      for (const child of children.reverse()) await closeSplitHost(child);
      await sim?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A CA and a serving certificate for `host` (an IP address), as files the relay and its dialers read. */
async function relayCertificate(
  dataDir: string,
  host: string,
): Promise<{ caFile: string; certFile: string; keyFile: string }> {
  const ca = await createCertificateAuthority('bench-relay-ca');
  const serving = await ca.issue({ commonName: 'bench-relay', serverNames: [host] });
  const files = {
    caFile: join(dataDir, 'relay-ca.pem'),
    certFile: join(dataDir, 'relay-cert.pem'),
    keyFile: join(dataDir, 'relay-key.pem'),
  };
  await writeFile(files.caFile, ca.certPem);
  await writeFile(files.certFile, serving.certPem);
  await writeFile(files.keyFile, serving.keyPem, { mode: 0o600 });
  return files;
}

/** Asks a split host to close, and kills it when it has not exited within 5 s. */
export async function closeSplitHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.send({ type: 'close' });
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** The layout of benchmarks 1–5: split (the default, as users run it) unless `BENCH_SPLIT=0`. */
export const SPLIT = process.env.BENCH_SPLIT !== '0';
export const LAYOUT = SPLIT
  ? `local proxy, relay and agent each in a child process (default layout); ${RELAY_ADDRESS.description}`
  : 'everything in one process (BENCH_SPLIT=0), relay on loopback: plain ws, all-zero WebSocket masks (the figures skip the masking and TLS a deployed relay costs)';
