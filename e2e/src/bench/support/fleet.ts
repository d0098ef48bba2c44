/**
 * Lightweight fake agents for the agent benchmarks: each is a `@switchboard/protocol` session over
 * `ws`, authenticated with a jose-signed assertion like the real agent's, and redialing with the
 * same loop as the agent's connector (GOAWAY → dial the replacement at once; failure or close →
 * full-jitter `ReconnectBackoff`, defaults 500 ms base, 30 s cap). Plus the handles of the host
 * processes: a relay (`relay-host.ts`) and a set of fake agents (`agent-host.ts`).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { signAssertion } from '@switchboard/cluster-agent';
import { ReconnectBackoff, Session, webSocketOptions } from '@switchboard/protocol';
import type { RelayConfigInput } from '@switchboard/relay-server';
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import WebSocket from 'ws';
import type { AgentHostReply, AgentHostRequest, AgentTarget } from './agent-host.js';
import { askHost } from './host-ipc.js';
import type { AgentCredentialRef, HostReply, HostRequest } from './relay-host.js';

/** How long a host process has to start before the benchmark gives up on it. */
const HOST_START_TIMEOUT_MS = 60_000;

/** `BENCH_CPU_PROF=<dir>`: hosts run with `--cpu-prof` and write their profiles there as they exit. */
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF;

async function forkHost(script: string, name: string, execArgv: string[] = []): Promise<ChildProcess> {
  const profile = CPU_PROFILE_DIR
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        CPU_PROFILE_DIR,
        '--cpu-prof-name',
        `${name.replace(/[^\w.-]+/g, '-')}-${Date.now()}.cpuprofile`,
      ]
    : [];
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    execArgv: [...execArgv, ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const started = await Promise.race([
    once(child, 'spawn').then(() => true),
    once(child, 'exit').then(() => false),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), HOST_START_TIMEOUT_MS).unref()),
  ]);
  if (!started) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start`);
  }
  return child;
}

async function stopHost(child: ChildProcess, request: { type: string }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.send(request);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** A relay in a child process of its own (`relay-host.ts`), started with `--expose-gc`. */
export class RelayHost {
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly ready: Extract<HostReply, { type: 'ready' }>,
  ) {}

  static async start(config: RelayConfigInput, name = 'relay host'): Promise<RelayHost> {
    const child = await forkHost('./relay-host.js', name, ['--expose-gc']);
    try {
      const ready = await askHost<HostReply, 'ready', HostRequest>(
        child,
        name,
        { type: 'start', config },
        'ready',
      );
      return new RelayHost(name, child, ready);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  ask<T extends HostReply['type']>(
    request: HostRequest,
    answer: T,
  ): Promise<Extract<HostReply, { type: T }>> {
    return askHost<HostReply, T, HostRequest>(this.child, this.name, request, answer);
  }

  async provision(
    prefix: string,
    first: number,
    count: number,
    key: Pick<FleetKey, 'publicKey' | 'thumbprint'>,
  ): Promise<AgentCredentialRef[]> {
    const answer = await this.ask(
      { type: 'provision', prefix, first, count, publicKey: key.publicKey, thumbprint: key.thumbprint },
      'provisioned',
    );
    return answer.credentials;
  }

  /** Memory after a GC, once its queued status work is done (waiting at most `settleBudgetMs` for it). */
  memory(settleBudgetMs = 60_000) {
    return this.ask({ type: 'memory', settleBudgetMs }, 'memory');
  }

  /** Agent sessions it holds now. */
  async agentSessions(): Promise<number> {
    return (await this.ask({ type: 'holding' }, 'holding')).sessions;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: sessions end without GOAWAY, nothing is released. */
  async kill(): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  close(): Promise<void> {
    return stopHost(this.child, { type: 'close' } satisfies HostRequest);
  }
}

/**
 * A relay on its own on SQLite in `dataDir`, for the agent benchmarks: agents only, so its issuer
 * (a loopback port nothing answers on) is never asked.
 */
export function singleRelayConfig(dataDir: string, port = 0): RelayConfigInput {
  return {
    listen: `127.0.0.1:${port}`,
    dataDir,
    trust: { issuer: 'http://127.0.0.1:9/bench', clientId: 'bench' },
    admins: { users: [], groups: [] },
    logLevel: 'fatal',
  };
}

/** Fake agents in a child process of their own (`agent-host.ts`): many sockets, their own file limit. */
export class AgentHost {
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    /** The key every agent of this host signs its assertions with. */
    readonly key: Pick<FleetKey, 'publicKey' | 'thumbprint'>,
  ) {}

  static async start(name = 'agent host'): Promise<AgentHost> {
    const child = await forkHost('./agent-host.js', name);
    try {
      const ready = await askHost<AgentHostReply, 'ready', AgentHostRequest>(
        child,
        name,
        { type: 'key' },
        'ready',
      );
      return new AgentHost(name, child, ready);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  ask<T extends AgentHostReply['type']>(
    request: AgentHostRequest,
    answer: T,
  ): Promise<Extract<AgentHostReply, { type: T }>> {
    return askHost<AgentHostReply, T, AgentHostRequest>(this.child, this.name, request, answer);
  }

  /** Dials every agent once (`parallel` at a time), then keeps them all connected like the connector. */
  connect(target: AgentTarget, credentials: AgentCredentialRef[], parallel: number, budgetMs: number) {
    return this.ask({ type: 'connect', target, credentials, parallel, budgetMs }, 'connected');
  }

  /** Agents with an open session now. */
  async connected(): Promise<number> {
    return (await this.ask({ type: 'count' }, 'count')).connected;
  }

  /** What happened to the agents that lost their session after `since` (epoch ms). */
  reconnects(since: number) {
    return this.ask({ type: 'reconnects', since }, 'reconnects');
  }

  stop(): Promise<void> {
    return stopHost(this.child, { type: 'stop' } satisfies AgentHostRequest);
  }
}

export interface FleetKey {
  key: CryptoKey;
  publicKey: string;
  thumbprint: string;
}

export async function fleetKey(): Promise<FleetKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const publicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
  return {
    key: privateKey,
    publicKey: JSON.stringify(publicJwk),
    thumbprint: await calculateJwkThumbprint(publicJwk, 'sha256'),
  };
}

export class FakeAgent {
  session: Session | undefined;
  /** Every time (performance.now()) a session opened. */
  readonly connects: number[] = [];
  /** Every time (performance.now()) a session ended. */
  readonly disconnects: number[] = [];
  /** Every time (performance.now()) a dial started. */
  readonly dialStarts: number[] = [];
  dials = 0;
  readonly #backoff = new ReconnectBackoff();
  #stopped = false;
  #wake: (() => void) | undefined;

  constructor(
    private readonly target: AgentTarget,
    private readonly credential: AgentCredentialRef,
    private readonly key: CryptoKey,
  ) {}

  /** Dials once; resolves true when the session is open. */
  async dial(): Promise<boolean> {
    this.dials++;
    this.dialStarts.push(performance.now());
    const assertion = await signAssertion(
      this.key,
      { credentialId: this.credential.id, cluster: this.credential.cluster },
      this.target.audience,
    );
    const ws = new WebSocket(this.target.agentUrl, {
      ...webSocketOptions(),
      headers: { authorization: `Bearer ${assertion}` },
      handshakeTimeout: 30_000,
    });
    const session = new Session(ws, { role: 'client' });
    session.on('stream', (request) => request.reject('fake agent'));
    const opened = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('error', () => resolve(false));
      ws.once('unexpected-response', () => resolve(false));
    });
    if (!opened) {
      ws.terminate();
      session.close('connection failed');
      return false;
    }
    this.session = session;
    this.connects.push(performance.now());
    void session.closed.then(() => this.disconnects.push(performance.now()));
    return true;
  }

  /** The connector's loop: stays connected (from the session `dial` opened, if any), redials like the real agent. */
  async loop(): Promise<void> {
    while (!this.#stopped) {
      if (!this.connected && !(await this.dial())) {
        await this.#sleep(this.#backoff.nextDelayMs());
        continue;
      }
      const session = this.session!;
      const connectedAt = Date.now();
      this.#backoff.connected();
      const ending = await Promise.race([
        session.closed.then(() => 'closed' as const),
        new Promise<'goaway'>((resolve) => session.once('goaway', () => resolve('goaway'))),
        new Promise<'stopped'>((resolve) => {
          this.#wake = () => resolve('stopped');
        }),
      ]);
      if (ending === 'stopped') return;
      this.#backoff.disconnected();
      if (ending === 'goaway') {
        if (Date.now() - connectedAt < 2_000) await this.#sleep(this.#backoff.nextDelayMs());
        // The draining session keeps its streams; the next one is dialed beside it.
        this.session = undefined;
        continue;
      }
      await this.#sleep(this.#backoff.nextDelayMs());
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  get connected(): boolean {
    return this.session?.state === 'open';
  }

  stop(): void {
    this.#stopped = true;
    this.#wake?.();
    this.session?.close('bench done');
  }
}
