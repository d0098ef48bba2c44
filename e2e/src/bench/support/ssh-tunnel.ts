/**
 * An OpenSSH reverse tunnel, the baseline a tunnel is usually compared with: sshd on a free
 * 127.0.0.1 port with a temp host key and a temp authorized key, and one `ssh -N -R` connection
 * publishing each target on a loopback port of its own. By default ssh runs here and dials sshd on
 * loopback; `SshReverseOptions` run it elsewhere (another network namespace) and have it dial sshd
 * another way (through a shaped link). Needs `sshd`, `ssh` and `ssh-keygen` (openssh-server, -client).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './stats.js';

export interface SshTunnel {
  /** The loopback port `ssh -R` listens on, forwarding to the (first) target. */
  port: number;
  /** One loopback port per target, in the order given. */
  ports: number[];
  /** The ssh client's and sshd's processes (sshd forks a process per connection: see `/proc`). */
  sshPid: number | undefined;
  sshdPid: number | undefined;
  /** e.g. "OpenSSH_9.2p1, cipher chacha20-poly1305@openssh.com" */
  describe: string;
  close(): Promise<void>;
}

export function sshAvailable(): string | undefined {
  for (const binary of ['/usr/sbin/sshd', 'ssh', 'ssh-keygen']) {
    try {
      execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    } catch {
      return `${binary} not found (apt-get install -y openssh-server openssh-client)`;
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

export interface SshReverseOptions {
  /** Maps ssh's argv to the one to spawn, e.g. `ip netns exec <ns> ssh …`. */
  inNamespace?: (argv: string[]) => string[];
  /** Where ssh dials, given sshd's loopback port (a route to it); 127.0.0.1:<that port> by default. */
  sshdReachedAt?: (sshdPort: number) => Promise<{ host: string; port: number }>;
  /** Said in `describe`; "sshd and ssh on loopback" by default. */
  where?: string;
}

/**
 * `targets` are ports (on 127.0.0.1) or host:port, as seen from where ssh runs; each is published
 * on a loopback port here (`ports`), all over one ssh connection.
 */
export async function startSshReverseTunnel(
  targets: number | { host: string; port: number }[],
  options: SshReverseOptions = {},
): Promise<SshTunnel> {
  const forwards = typeof targets === 'number' ? [{ host: '127.0.0.1', port: targets }] : targets;
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-ssh-'));
  const keygen = (file: string) =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, file)], { stdio: 'ignore' });
  keygen('host_key');
  keygen('client_key');
  execFileSync('cp', [join(dir, 'client_key.pub'), join(dir, 'authorized_keys')]);
  const sshdPort = await freePort();
  const ports: number[] = [];
  for (const _ of forwards) ports.push(await freePort());
  await writeFile(
    join(dir, 'sshd_config'),
    [
      `Port ${sshdPort}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding yes',
      'GatewayPorts no',
      '',
    ].join('\n'),
  );
  execFileSync('mkdir', ['-p', '/run/sshd']);
  const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let sshdLog = '';
  sshd.stderr?.on('data', (chunk: Buffer) => {
    sshdLog += chunk.toString();
  });
  await waitForPort(sshdPort, 5_000);
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  let sshdDialed: { host: string; port: number };
  try {
    sshdDialed = (await options.sshdReachedAt?.(sshdPort)) ?? { host: '127.0.0.1', port: sshdPort };
  } catch (error) {
    sshd.kill();
    throw error;
  }
  const [command, ...args] = (options.inNamespace ?? ((argv: string[]) => argv))([
    'ssh',
    '-N',
    '-p',
    String(sshdDialed.port),
    '-i',
    join(dir, 'client_key'),
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
    '-o',
    'ExitOnForwardFailure=yes',
    '-o',
    'BatchMode=yes',
    ...forwards.flatMap((target, i) => ['-R', `127.0.0.1:${ports[i]}:${target.host}:${target.port}`]),
    `${user}@${sshdDialed.host}`,
  ]);
  const ssh = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let sshLog = '';
  ssh.stderr?.on('data', (chunk: Buffer) => {
    sshLog += chunk.toString();
  });
  try {
    for (const port of ports) await waitForPort(port, 10_000);
  } catch (error) {
    ssh.kill();
    sshd.kill();
    throw new Error(`ssh -R did not come up: ${(error as Error).message}\nssh: ${sshLog}\nsshd: ${sshdLog}`);
  }
  const version = spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr.trim();
  const stopped = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else {
        child.once('exit', () => resolve());
        child.kill();
      }
    });
  return {
    port: ports[0]!,
    ports,
    sshPid: ssh.pid,
    sshdPid: sshd.pid,
    describe: `${version || 'OpenSSH'} (default cipher), ${options.where ?? 'sshd and ssh on loopback'}`,
    async close() {
      await stopped(ssh);
      await stopped(sshd);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
