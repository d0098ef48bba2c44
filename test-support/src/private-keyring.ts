import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * A real gnome-keyring on a private D-Bus session bus, with its home, runtime and data
 * directories under one temp dir. Only child processes given `env` see it; the test worker's own
 * environment stays untouched, so test files can run in parallel, each with its own keyring.
 */
export interface PrivateKeyring {
  root: string;
  /** Environment for a child process that should use this keyring. */
  env: NodeJS.ProcessEnv;
  /** `secret-tool search --all service switchboard` inside this keyring; returns its stdout. */
  searchSwitchboardItems(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPrivateKeyring(): Promise<PrivateKeyring> {
  const root = await mkdtemp(join(tmpdir(), 'switchboard-keyring-'));
  const runtimeDirectory = join(root, 'run');
  const home = join(root, 'home');
  const dataHome = join(root, 'data');
  await mkdir(runtimeDirectory);
  await chmod(runtimeDirectory, 0o700);
  await mkdir(home);
  await mkdir(dataHome);

  const dbus = spawn(
    'dbus-daemon',
    ['--session', '--nofork', '--print-address=1', `--address=unix:path=${join(root, 'bus')}`],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const busAddress = await firstLine(dbus);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_RUNTIME_DIR: runtimeDirectory,
    XDG_DATA_HOME: dataHome,
    XDG_CONFIG_HOME: join(home, '.config'),
    DBUS_SESSION_BUS_ADDRESS: busAddress,
  };
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  keyring.stdin?.end('test-keyring-password');
  await waitForBusName(busAddress, 'org.freedesktop.secrets');

  return {
    root,
    env,
    async searchSwitchboardItems() {
      const { stdout } = await execFileAsync('secret-tool', ['search', '--all', 'service', 'switchboard'], {
        env,
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      return stdout;
    },
    async stop() {
      await stopProcess(keyring);
      await stopProcess(dbus);
      await rm(root, { recursive: true, force: true });
    },
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline >= 0) resolve(buffered.slice(0, newline).trim());
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
  });
}

async function waitForBusName(busAddress: string, name: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { stdout } = await execFileAsync('dbus-send', [
      `--bus=${busAddress}`,
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      `string:${name}`,
    ]);
    if (stdout.includes('boolean true')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not appear on the private session bus`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
