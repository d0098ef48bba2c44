/**
 * A real redis-server for a test: on a free loopback port, with a generated password (so clients
 * authenticate as they do in production), no persistence and no unix socket. It can be stopped,
 * killed and restarted on the same port, which is how the fleet tests take Redis away and give
 * it back; a restarted Redis is empty, as one that lost its memory would be.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, ServerProcess } from './server-process.js';

const READY = /Ready to accept connections/;
const PORT_TAKEN = /Address already in use/;
const START_ATTEMPTS = 5;

export interface RedisServer {
  /** `redis://:<password>@127.0.0.1:<port>`: what the relay's `redis.url` takes. */
  readonly url: string;
  readonly port: number;
  /** Shuts Redis down (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills Redis (SIGKILL): connections drop without a goodbye. */
  kill(): Promise<void>;
  /** Starts Redis again on the same port and password, stopping it first if it runs; it starts empty. */
  restart(): Promise<void>;
  /** Freezes Redis (SIGSTOP): connections stay open and commands go unanswered until `resume()`. */
  pause(): void;
  resume(): void;
}

export async function startRedis(): Promise<RedisServer> {
  const password = randomBytes(24).toString('hex');
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      const instance = await launch(port, password);
      return new RunningRedis(port, password, instance);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === START_ATTEMPTS) throw error;
    }
  }
}

class PortTakenError extends Error {}

interface Instance {
  server: ServerProcess;
  directory: string;
}

class RunningRedis implements RedisServer {
  readonly url: string;
  #instance: Instance | undefined;

  constructor(
    readonly port: number,
    private readonly password: string,
    instance: Instance,
  ) {
    this.url = `redis://:${password}@127.0.0.1:${port}`;
    this.#instance = instance;
  }

  stop(): Promise<void> {
    return this.#end('SIGTERM');
  }

  kill(): Promise<void> {
    return this.#end('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.stop();
    this.#instance = await launch(this.port, this.password);
  }

  pause(): void {
    this.#instance?.server.signal('SIGSTOP');
  }

  resume(): void {
    this.#instance?.server.signal('SIGCONT');
  }

  async #end(signal: NodeJS.Signals): Promise<void> {
    const instance = this.#instance;
    if (!instance) return;
    this.#instance = undefined;
    // A paused Redis would only act on SIGTERM once continued.
    instance.server.signal('SIGCONT');
    await instance.server.stop(signal);
    await rm(instance.directory, { recursive: true, force: true });
  }
}

async function launch(port: number, password: string): Promise<Instance> {
  const directory = await mkdtemp(join(tmpdir(), 'switchboard-redis-'));
  // The password lives in the config file (mode 0600), never on the command line.
  const config = [
    'bind 127.0.0.1',
    `port ${port}`,
    'unixsocket ""',
    `requirepass ${password}`,
    'save ""',
    'appendonly no',
    `dir ${directory}`,
    'daemonize no',
    'logfile ""',
    'loglevel notice',
  ].join('\n');
  const configFile = join(directory, 'redis.conf');
  await writeFile(configFile, `${config}\n`, { mode: 0o600 });
  const server = new ServerProcess({
    name: 'redis-server',
    command: 'redis-server',
    args: [configFile],
    cwd: directory,
  });
  try {
    await server.waitForOutput(READY);
  } catch (error) {
    await server.stop('SIGKILL');
    await rm(directory, { recursive: true, force: true });
    if (PORT_TAKEN.test(server.output)) throw new PortTakenError(`port ${port} is taken`);
    throw error;
  }
  return { server, directory };
}
