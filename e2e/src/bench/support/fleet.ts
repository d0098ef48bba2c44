/**
 * Lightweight fake agents for the fleet benchmarks: each is a `@switchboard/protocol` session over
 * `ws`, authenticated with a jose-signed assertion like the real agent's, and redialing with the
 * same loop as the agent's connector (GOAWAY → dial the replacement at once; failure or close →
 * full-jitter `ReconnectBackoff`, defaults 500 ms base, 30 s cap). Plus the relay child process.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { signAssertion } from '@switchboard/cluster-agent';
import { ReconnectBackoff, Session, webSocketOptions } from '@switchboard/protocol';
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import WebSocket from 'ws';
import type { HostReply, HostRequest } from './relay-host.js';

export class RelayHost {
  private constructor(
    readonly child: ChildProcess,
    readonly ready: Extract<HostReply, { type: 'ready' }>,
  ) {}

  static async start(dataDir: string, port = 0): Promise<RelayHost> {
    const script = fileURLToPath(new URL('./relay-host.js', import.meta.url));
    const child = fork(script, [dataDir, String(port)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [ready] = (await once(child, 'message')) as [HostReply];
    if (ready.type !== 'ready') throw new Error(`relay host: unexpected ${ready.type}`);
    return new RelayHost(child, ready);
  }

  ask<T extends HostReply['type']>(
    request: HostRequest,
    answer: T,
  ): Promise<Extract<HostReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: HostReply) => {
        if (message.type !== answer) return;
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        resolve(message as Extract<HostReply, { type: T }>);
      };
      const onExit = (code: number) => reject(new Error(`relay host exited (${code})`));
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(request);
    });
  }

  memory() {
    return this.ask({ type: 'memory' }, 'memory');
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'close' } satisfies HostRequest);
    await exited;
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
  dials = 0;
  readonly #backoff = new ReconnectBackoff();
  #stopped = false;
  #wake: (() => void) | undefined;

  constructor(
    private readonly target: { agentUrl: string; audience: string },
    private readonly credential: { id: string; cluster: string },
    private readonly key: CryptoKey,
  ) {}

  /** Dials once; resolves true when the session is open. */
  async dial(): Promise<boolean> {
    this.dials++;
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
    return true;
  }

  /** The connector's loop: stays connected, redials like the real agent. */
  async loop(): Promise<void> {
    while (!this.#stopped) {
      if (!(await this.dial())) {
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
