/**
 * Secrets another user on the same machine must not read (real processes): the agent's join token
 * never on a command line (`/proc/PID/cmdline` is world-readable), the agent's state and the relay's
 * data directory and database files owner-only, also when they were left looser before.
 */
import { readFileSync } from 'node:fs';
import { chmod, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_CLI } from '../support/entry-points.js';
import { Chain } from './support/chain.js';

const AGENT_CONNECTED = /"msg":"connected to the relay"/;
const JOIN_TOKEN = /sbj_[A-Za-z0-9_-]{43}/;

function commandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe.skipIf(!requireKubectl(33))('secrets on this machine', { timeout: 60_000 }, () => {
  const chain = new Chain();
  let dataDir: string;

  beforeAll(async () => {
    await chain.start();
    dataDir = join(chain.dir, 'relay-data');
  }, 60_000);
  afterAll(async () => {
    await chain.close();
  });

  const agentArgs = (stateDir: string) => [
    AGENT_CLI,
    '--relay',
    chain.relayUrl,
    '--kubeconfig',
    chain.adminKubeconfig,
    '--state-dir',
    join(chain.dir, stateDir),
  ];

  async function newJoinToken(cluster: string): Promise<string> {
    const created = await chain.relayAdmin(['clusters', 'create', cluster]);
    const token = JOIN_TOKEN.exec(created.stdout)?.[0];
    if (!token) throw new Error(`no join token in ${created.stdout}`);
    // The printed commands keep it off argv too: the environment, or a pipe from the shell's printf.
    expect(created.stdout).toContain(`SWITCHBOARD_JOIN_TOKEN=${token} npx --no -- switchboard-agent --relay`);
    expect(created.stdout).toContain(`printf %s ${token} | helm upgrade`);
    expect(created.stdout).not.toContain('--join-token');
    return token;
  }

  it('the agent joins with the token in its environment or a file, and it is on no command line', async () => {
    // The chain's agent joined with SWITCHBOARD_JOIN_TOKEN.
    expect(commandLine(chain.agent.pid)).not.toMatch(/sbj_/);

    const token = await newJoinToken('from-file');
    const tokenFile = join(chain.dir, 'join-token');
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    const agent = chain.processes.start(
      'file-agent',
      process.execPath,
      [...agentArgs('file-agent-state'), '--join-token-file', tokenFile],
      chain.env(),
    );
    await agent.waitFor(AGENT_CONNECTED, { stream: 'stderr' });
    expect(agent.stderr).toContain('"cluster":"from-file"');
    expect(commandLine(agent.pid)).not.toContain(token);
    expect(agent.stderr).not.toContain(token);
    await agent.stop();

    // Its state (the private key) owner-only; made looser, the next start tightens it and says so.
    const stateDir = join(chain.dir, 'file-agent-state');
    const stateFile = join(stateDir, 'agent-state.json');
    expect(await modeOf(stateDir)).toBe(0o700);
    expect(await modeOf(stateFile)).toBe(0o600);
    await chmod(stateDir, 0o755);
    await chmod(stateFile, 0o644);
    const restarted = chain.processes.start(
      'file-agent-again',
      process.execPath,
      agentArgs('file-agent-state'),
      chain.env(),
    );
    await restarted.waitFor(AGENT_CONNECTED, { stream: 'stderr' });
    expect(await modeOf(stateDir)).toBe(0o700);
    expect(await modeOf(stateFile)).toBe(0o600);
    const warnings = restarted.stderr
      .split('\n')
      .filter((line) => line.includes('the agent state was readable by other users'));
    expect(warnings.join('\n')).toContain(`"path":"${stateDir}","was":"0755","now":"0700"`);
    expect(warnings.join('\n')).toContain(`"path":"${stateFile}","was":"0644","now":"0600"`);
    await restarted.stop();
  });

  it('--join-token on the command line is refused with how to pass it instead, and the token is not spent', async () => {
    const token = await newJoinToken('from-argv');
    const refused = await chain.processes.run(
      'argv-agent',
      process.execPath,
      [...agentArgs('argv-agent-state'), '--join-token', token],
      chain.env(),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      '--join-token is not accepted: a token on the command line is visible to every local user (ps, /proc). ' +
        'Pass it in the environment variable SWITCHBOARD_JOIN_TOKEN or in a file with --join-token-file FILE',
    );
    expect(refused.stderr).not.toContain(token);
    // Refused before anything was sent: the same token still joins, from the environment.
    const agent = chain.processes.start(
      'env-agent',
      process.execPath,
      [...agentArgs('argv-agent-state')],
      chain.env({ SWITCHBOARD_JOIN_TOKEN: token }),
    );
    await agent.waitFor(AGENT_CONNECTED, { stream: 'stderr' });
    expect(commandLine(agent.pid)).not.toContain(token);
    await agent.stop();
  });

  it('the relay keeps its data directory 0700 and relay.db, -wal and -shm 0600, and tightens looser ones', async () => {
    const database = join(dataDir, 'relay.db');
    const files = [database, `${database}-wal`, `${database}-shm`];
    // A write through the running relay's own CLI peer: the WAL and its index exist while the relay runs.
    await chain.relayAdmin(['access', 'grant', '--cluster', 'dev', '--user', 'someone', '--role', 'connect']);
    expect(await modeOf(dataDir)).toBe(0o700);
    for (const file of files)
      expect({ file, mode: (await modeOf(file)).toString(8) }).toEqual({ file, mode: '600' });

    // Left world-readable (an older relay, a restored backup): the next start makes them private.
    await chain.relay.stop();
    await chmod(dataDir, 0o755);
    for (const file of files) await chmod(file, 0o644).catch(() => {});
    await chain.startRelay();
    await chain.relayAdmin(['access', 'revoke', '--cluster', 'dev', '--user', 'someone']);
    expect(await modeOf(dataDir)).toBe(0o700);
    for (const file of files)
      expect({ file, mode: (await modeOf(file)).toString(8) }).toEqual({ file, mode: '600' });
    const warnings = chain.relay.stderr
      .split('\n')
      .filter((line) => line.includes('the relay data was readable by other users'));
    expect(warnings.join('\n')).toContain(`"path":"${dataDir}","was":"0755","now":"0700"`);
    expect(warnings.join('\n')).toContain(`"path":"${database}","was":"0644","now":"0600"`);
  });
});
