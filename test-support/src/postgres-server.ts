/**
 * A real PostgreSQL server for tests: its own data directory in a temp dir, a free port on
 * loopback, its unix socket in the temp dir, and password authentication everywhere (a generated
 * password, so a test can check that it never reaches a log). One per test file; a database per
 * test (`createDatabase`). It can be stopped, killed and restarted on the same port and data, as a
 * database is under a running relay fleet.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chownSync, constants, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface PostgresServer {
  /** The server's own database (`postgres`) as its superuser, password included. */
  url: string;
  port: number;
  /** The superuser's password (also in `url`): tests look for it where it must not be. */
  password: string;
  /**
   * Creates a database (a fresh name when none is given) and returns its URL. Its collation is a
   * natural-language one (ICU `en-US`), as production databases usually have, not byte order.
   */
  createDatabase(name?: string): Promise<string>;
  /** Shuts the server down the way an operator does (fast shutdown: sessions are terminated). */
  stop(): Promise<void>;
  /** SIGKILL to the server and every backend at once, as when its machine dies. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data (stopping it first if it runs). */
  restart(): Promise<void>;
  /** Stops it for good and removes its temp dir. */
  close(): Promise<void>;
}

const SUPERUSER = 'switchboard';
const READY_LINE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 30_000;
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Servers still running, so a test run that ends without closing one does not leave it behind. */
const running = new Set<{ kill(): void }>();
process.once('exit', () => {
  for (const server of running) server.kill();
});

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const owner = unprivilegedOwner();
  const root = await mkdtemp(join(tmpdir(), 'switchboard-pg-'));
  const dataDir = join(root, 'data');
  const password = randomBytes(18).toString('base64url');
  let child: ChildProcess | undefined;
  let log = '';
  // Removes the temp dir even when the process exits without close() (a failed hook, a crash).
  const backstop = {
    kill: () => {
      // Synchronous, as 'exit' handlers must be: the postmaster only; its backends notice its death.
      if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
  running.add(backstop);

  try {
    if (owner) chownSync(root, owner.uid, owner.gid);
    // initdb reads the password from a file: argv is visible to every local user.
    const passwordFile = join(root, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    await run(
      join(bin, 'initdb'),
      [
        '--pgdata',
        dataDir,
        '--username',
        SUPERUSER,
        `--pwfile=${passwordFile}`,
        // Trust nowhere, the unix socket included: tests connect as a deployed relay would.
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        // Tests never outlive an OS crash, so durability against one buys nothing here.
        '--no-sync',
      ],
      owner,
    );
    rmSync(passwordFile);
  } catch (error) {
    backstop.kill();
    running.delete(backstop);
    throw error;
  }

  const port = await freePort();
  const url = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`;

  const start = async () => {
    log = '';
    const started = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-k',
        root,
        '-c',
        'listen_addresses=127.0.0.1',
        // Only an OS crash loses unsynced writes; kill() of the server itself loses nothing.
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ],
      {
        ...(owner && { uid: owner.uid, gid: owner.gid }),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child = started;
    const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        started.kill('SIGKILL');
        reject(new Error(`postgres did not become ready within ${START_TIMEOUT_MS} ms:\n${log}`));
      }, START_TIMEOUT_MS);
      started.stderr!.on('data', (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-20_000);
        if (log.includes(READY_LINE)) {
          clearTimeout(timer);
          resolve();
        }
      });
      started.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`postgres exited before it was ready:\n${log}`));
      });
    });
  };

  const isRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const waitForExit = (server: ChildProcess) =>
    server.exitCode !== null || server.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => server.once('exit', () => resolve()));

  const stop = async () => {
    if (!child || !isRunning()) return;
    const stopping = child;
    stopping.kill('SIGINT');
    await waitForExit(stopping);
  };

  const kill = async () => {
    if (!child || !isRunning()) return;
    const killed = child;
    await killServerProcesses(killed.pid!);
    await waitForExit(killed);
  };

  try {
    await start();
  } catch (error) {
    backstop.kill();
    running.delete(backstop);
    throw error;
  }

  let databases = 0;
  return {
    url,
    port,
    password,
    createDatabase: async (name = `test_${++databases}`) => {
      if (!DATABASE_NAME.test(name)) throw new Error(`"${name}" is not a plain database name`);
      await run(
        join(bin, 'psql'),
        [
          '--no-psqlrc',
          '--quiet',
          '--set=ON_ERROR_STOP=1',
          '--host=127.0.0.1',
          `--port=${port}`,
          `--username=${SUPERUSER}`,
          '--dbname=postgres',
          `--command=CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`,
        ],
        undefined,
        { PGPASSWORD: password },
      );
      return `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${name}`;
    },
    stop,
    kill,
    restart: async () => {
      await stop();
      await start();
    },
    close: async () => {
      await stop();
      running.delete(backstop);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** `/usr/lib/postgresql/<highest version>/bin` (Debian and Ubuntu packages), else the PATH's `initdb`. */
function postgresBinDir(): string {
  const packaged = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = readdirSync(packaged).filter((name) => /^\d+$/.test(name));
  } catch {
    // not a Debian-style install
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(packaged, version, 'bin');
    if (isExecutable(join(bin, 'initdb'))) return bin;
  }
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory && isExecutable(join(directory, 'initdb'))) return directory;
  }
  throw new Error('PostgreSQL is not installed: no initdb in /usr/lib/postgresql/*/bin or on the PATH');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/** Postgres refuses to run as root: as root, the server runs as `postgres` (or `nobody`). */
function unprivilegedOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const users = new Map(
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .filter((fields) => fields.length >= 4)
      .map((fields) => [fields[0]!, { uid: Number(fields[2]), gid: Number(fields[3]) }]),
  );
  const owner = users.get('postgres') ?? users.get('nobody');
  if (!owner) throw new Error('running as root, but there is no postgres or nobody user to run postgres as');
  return owner;
}

/**
 * SIGKILL to the postmaster and then, before it could react, to each of its backends (each runs in
 * a session of its own, so the postmaster's process group does not reach them). Resolves once the
 * backends are gone: a client's next statement then finds its connection dead.
 */
async function killServerProcesses(postmaster: number): Promise<void> {
  const backends = childrenOf(postmaster);
  for (const pid of [postmaster, ...backends]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  const deadline = Date.now() + 5_000;
  while (backends.some(isAlive)) {
    if (Date.now() > deadline)
      throw new Error(`postgres backends ${backends.filter(isAlive)} outlived SIGKILL`);
    await delay(10);
  }
}

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => processStat(candidate)?.parent === pid);
}

/** Alive and not merely a zombie waiting for a parent (init, in a container) to reap it. */
function isAlive(pid: number): boolean {
  const stat = processStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

function processStat(pid: number): { state: string; parent: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid …", where comm may itself hold spaces and parentheses.
  const [state, parent] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: state!, parent: Number(parent) };
}

function run(command: string, args: string[], owner: Owner | undefined, env: NodeJS.ProcessEnv = {}) {
  return new Promise<void>((resolve, reject) => {
    execFile(
      command,
      args,
      { env: { PATH: process.env.PATH, ...env }, ...(owner && { uid: owner.uid, gid: owner.gid }) },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`${command} failed: ${stderr || error.message}`));
        else resolve();
      },
    );
  });
}

/** A port nothing listens on now, from the kernel (port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
