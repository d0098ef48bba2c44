/**
 * A real HAProxy in front of a test's relay replicas, as the fleet runs behind a plain TCP load
 * balancer: TCP mode (TLS and WebSockets pass through untouched), round-robin (neither agents nor
 * users choose a replica), tunnels that may stay idle for an hour, and optionally an HTTP health
 * check per replica so one that is draining or dead leaves the rotation.
 *
 * A replica marked down keeps the connections it has (`on-marked-down shutdown-sessions` is not
 * set): streams on a draining replica are allowed to finish.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, ServerProcess } from './server-process.js';

const FRONTEND = 'fleet';
const BACKEND = 'replicas';
const PORT_TAKEN = /cannot bind socket|Address already in use/;
const START_ATTEMPTS = 5;
const DEFAULT_MAX_CONNECTIONS = 4_096;
/** The master forks a worker and says so, at start and after each reload. */
const WORKER_FORKED = /New worker \((\d+)\) forked/;
const LOADED = /Loading success\.|Loading failure!/;
const RELOADING = /Reloading HAProxy/;
/** How long the master may take to say it is reloading, and how often the signal is sent. */
const RELOAD_NOTICE_MS = 500;
const RELOAD_ATTEMPTS = 10;

export interface HaproxyBackend {
  /** The server's name in HAProxy (and in `waitForServer`): letters, digits, `-`, `_`, `.`. */
  name: string;
  host: string;
  port: number;
}

export interface HaproxyOptions {
  backends: HaproxyBackend[];
  /**
   * Checks each backend with `GET <path>` every 200 ms: two failures in a row take it out of the
   * rotation, two successes put it back. `tls` when the backends serve HTTPS (not verified).
   */
  healthCheck?: { path: string; tls?: boolean };
  /**
   * Client connections it holds at once (default 4,096). Each takes two file descriptors (client and
   * server side), so HAProxy refuses to start when `ulimit -n` cannot cover twice this.
   */
  maxConnections?: number;
}

export type ServerState = 'UP' | 'DOWN';

export interface Haproxy {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Rewrites the backends and reloads (a new worker takes new connections; old ones finish). */
  reload(backends: HaproxyBackend[]): Promise<void>;
  /** The backend's state as the current worker's health checks last reported it. */
  serverState(name: string): ServerState;
  /** Resolves once the backend is in `state`; rejects after `timeoutMs`. */
  waitForServer(name: string, state: ServerState, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  for (const backend of options.backends) checkBackend(backend);
  if (options.healthCheck && !/^\/[\x21-\x7e]*$/.test(options.healthCheck.path)) {
    throw new Error(
      `the health check path must start with / and hold no spaces: ${options.healthCheck.path}`,
    );
  }
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new Error(`maxConnections must be a positive whole number: ${maxConnections}`);
  }
  const directory = await mkdtemp(join(tmpdir(), 'switchboard-haproxy-'));
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const configFile = join(directory, 'haproxy.cfg');
      const settings = { port, healthCheck: options.healthCheck, maxConnections };
      await writeFile(configFile, configText(settings, options.backends));
      // -W: master-worker, so SIGUSR2 reloads; -db: in the foreground, logging to stderr.
      const server = new ServerProcess({
        name: 'haproxy',
        command: 'haproxy',
        args: ['-W', '-db', '-f', configFile],
        cwd: directory,
      });
      try {
        const [outcome] = await server.waitForOutput(LOADED);
        if (outcome !== 'Loading success.') throw new Error(`haproxy failed to start:\n${server.output}`);
        await acceptsConnections(port, server);
        return new RunningHaproxy(server, directory, configFile, settings, options.backends);
      } catch (error) {
        await server.stop('SIGKILL');
        if (!PORT_TAKEN.test(server.output) || attempt === START_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

class RunningHaproxy implements Haproxy {
  readonly host = '127.0.0.1';
  readonly port: number;
  #backends: HaproxyBackend[];
  /** Backend name → state, as the current worker reported; a worker starts with every server up. */
  #states = new Map<string, ServerState>();
  #worker: string | undefined;
  /** How much of the output has been read, up to the end of the last whole line. */
  #read = 0;
  readonly #waiters = new Set<() => void>();

  constructor(
    private readonly server: ServerProcess,
    private readonly directory: string,
    private readonly configFile: string,
    private readonly settings: ConfigSettings,
    backends: HaproxyBackend[],
  ) {
    this.port = settings.port;
    this.#backends = backends;
    this.#follow(server.output);
    server.onOutput((output) => this.#follow(output));
  }

  async reload(backends: HaproxyBackend[]): Promise<void> {
    for (const backend of backends) checkBackend(backend);
    await writeFile(this.configFile, configText(this.settings, backends));
    this.#backends = backends;
    const formerWorker = this.#worker;
    const from = this.server.output.length;
    // The master loses a SIGUSR2 that arrives while it is still settling after the last reload (or
    // its start): it then never says "Reloading". Such a signal is sent again.
    for (let attempt = 1; ; attempt++) {
      this.server.signal('SIGUSR2');
      try {
        await this.server.waitForOutput(RELOADING, { fromOffset: from, timeoutMs: RELOAD_NOTICE_MS });
        break;
      } catch (error) {
        if (attempt === RELOAD_ATTEMPTS || !this.server.running) throw error;
      }
    }
    const [outcome] = await this.server.waitForOutput(LOADED, { fromOffset: from });
    if (outcome !== 'Loading success.') {
      throw new Error(`haproxy refused the new configuration:\n${this.server.output.slice(from)}`);
    }
    // Until the former worker stops its frontend, it may still take a new connection or two; it
    // keeps the connections it holds until they end.
    await this.server.waitForOutput(new RegExp(`\\(${formerWorker}\\) : Proxy ${FRONTEND} stopped`), {
      fromOffset: from,
    });
  }

  serverState(name: string): ServerState {
    const state = this.#states.get(name);
    if (!state) throw new Error(`haproxy has no backend "${name}"`);
    return state;
  }

  waitForServer(name: string, state: ServerState, timeoutMs = 10_000): Promise<void> {
    this.serverState(name);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`haproxy backend "${name}" did not become ${state} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (this.#states.get(name) !== state) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    await this.server.stop('SIGTERM');
    await rm(this.directory, { recursive: true, force: true });
  }

  /** Follows the log: which worker is current, and what its health checks said about each server. */
  #follow(output: string): void {
    const end = output.lastIndexOf('\n') + 1;
    if (end <= this.#read) return;
    const lines = output.slice(this.#read, end).split('\n');
    this.#read = end;
    for (const line of lines) {
      const forked = WORKER_FORKED.exec(line);
      if (forked) {
        this.#worker = forked[1];
        this.#states = new Map(this.#backends.map((backend) => [backend.name, 'UP']));
        continue;
      }
      const change = /\((\d+)\) : Server [^/]+\/(\S+) is (UP|DOWN)\b/.exec(line);
      if (change && change[1] === this.#worker) this.#states.set(change[2]!, change[3] as ServerState);
    }
    for (const waiter of [...this.#waiters]) waiter();
  }
}

function checkBackend({ name, host, port }: HaproxyBackend): void {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`invalid haproxy backend name: ${JSON.stringify(name)}`);
  if (!/^[\w.:-]+$/.test(host)) throw new Error(`invalid haproxy backend host: ${JSON.stringify(host)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`invalid haproxy backend port for ${name}: ${port}`);
  }
}

interface ConfigSettings {
  port: number;
  healthCheck: HaproxyOptions['healthCheck'];
  maxConnections: number;
}

function configText(
  { port, healthCheck, maxConnections }: ConfigSettings,
  backends: HaproxyBackend[],
): string {
  const check = healthCheck ? ` check${healthCheck.tls ? ' check-ssl verify none' : ''}` : '';
  return `${[
    'global',
    `  maxconn ${maxConnections}`,
    // One thread: with several, consecutive connections may reach the same replica, and a test
    // could not predict the rotation.
    '  nbthread 1',
    'defaults',
    '  mode tcp',
    '  timeout connect 2s',
    // A tunnel session may be quiet for long; the protocol's own pings keep it alive.
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout tunnel 1h',
    `frontend ${FRONTEND}`,
    `  bind 127.0.0.1:${port}`,
    `  default_backend ${BACKEND}`,
    `backend ${BACKEND}`,
    '  balance roundrobin',
    ...(healthCheck
      ? [
          '  option httpchk',
          `  http-check send meth GET uri ${healthCheck.path}`,
          '  http-check expect status 200',
          '  default-server inter 200ms fall 2 rise 2',
        ]
      : []),
    ...backends.map(({ name, host, port: backendPort }) => `  server ${name} ${host}:${backendPort}${check}`),
  ].join('\n')}\n`;
}

/** Resolves once a TCP connection to the frontend is accepted. */
async function acceptsConnections(port: number, server: ServerProcess): Promise<void> {
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return;
    if (!server.running) throw new Error(`haproxy exited:\n${server.output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
