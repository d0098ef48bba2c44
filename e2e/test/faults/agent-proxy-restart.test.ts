/**
 * The two ends of the chain die: the cluster agent (kill -9, restarted from its state directory
 * without a join token) and the local proxy (kill -9, restarted on the same port). Real processes,
 * real kubectl 1.33.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain } from './support/chain.js';

describe.skipIf(!requireKubectl(33))('agent and proxy restarts', { timeout: 60_000 }, () => {
  const chain = new Chain();

  beforeAll(async () => {
    await chain.start();
  }, 60_000);
  afterAll(async () => {
    await chain.close();
  });

  it('agent kill -9: kubectl gets a 503 saying the cluster is offline (with the Warning line); restarted from its state it serves again', async () => {
    // A warm discovery cache: kubectl then prints the Status message itself, not discovery's canned text.
    await chain.kubectl(['get', 'pods', '-n', 'default'], { check: true });
    chain.agent.kill('SIGKILL');
    expect((await chain.agent.exited).signal).toBe('SIGKILL');

    const { result } = await chain.kubectlUntil(['get', 'pods', '-n', 'default'], (r) => r.code !== 0, {
      timeoutMs: 30_000,
    });
    const offline =
      'Switchboard: cluster "dev" is offline: its agent is not connected to the relay ' +
      '(cluster "dev" is offline: no agent is connected to the relay)';
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Warning: ${offline}\n`);
    expect(result.stderr).toContain(`Error from server (ServiceUnavailable): ${offline}\n`);

    const agent = chain.startAgent(); // no join token: the stored credential
    await agent.waitFor(/"msg":"connected to the relay"/, { stream: 'stderr' });
    expect(agent.stderr).toContain('using the stored agent credential');
    const back = await chain.kubectlUntil(
      ['get', 'pods', '-n', 'kube-system', '-o', 'name'],
      (r) => r.code === 0,
      {
        timeoutMs: 30_000,
      },
    );
    expect(back.result.stdout).toMatch(/^pod\/coredns-/m);
  });

  it('local proxy kill -9, restarted on the same port: the kubeconfig kubectl already had works again', async () => {
    const { port, kubeconfig } = chain.proxy;
    const saved = join(chain.dir, 'saved.kubeconfig');
    await copyFile(kubeconfig, saved);
    const before = await chain.kubectl(['get', 'ns', 'default', '-o', 'name'], { kubeconfig: saved });
    expect(before.stderr).toBe('');
    expect(before.stdout).toBe('namespace/default\n');

    chain.proxy.child.kill('SIGKILL');
    expect((await chain.proxy.child.exited).signal).toBe('SIGKILL');
    const refused = await chain.kubectl(['get', 'ns', 'default'], { kubeconfig: saved });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`,
    );

    const restarted = await chain.startProxy({ port });
    expect(restarted.port).toBe(port);
    // Same sealed identity (keychain): the rewritten kubeconfig is byte for byte the old one.
    expect(await readFile(restarted.kubeconfig, 'utf8')).toBe(await readFile(saved, 'utf8'));
    const again = await chain.kubectl(['get', 'ns', 'default', '-o', 'name'], {
      kubeconfig: saved,
      check: true,
    });
    expect(again.stdout).toBe('namespace/default\n');
  });
});
