/**
 * Refusals through the whole chain, each a clear error from real kubectl 1.33 and none a hang:
 * a wrong local credential, a cluster that does not exist, a principal without a grant, and a
 * sign-in that can no longer be renewed. The relay's dev-idp issues short-lived tokens here.
 * A refusal that hung would reach kubectl as its own request timeout, not as the message each test
 * expects, so the messages are the check; a bound on how long kubectl took would also measure how
 * loaded the machine is.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain, CI_ONE, CI_TWO } from './support/chain.js';

const TOKEN_TTL_SECONDS = 8;

describe.skipIf(!requireKubectl(33))('auth and routing refusals', { timeout: 60_000 }, () => {
  const chain = new Chain({ tokenTtlSeconds: TOKEN_TTL_SECONDS });

  beforeAll(async () => {
    await chain.start();
    // Warm discovery, so kubectl prints the Status messages of later failures.
    await chain.kubectl(['get', 'pods', '-n', 'default'], { check: true });
  }, 60_000);
  afterAll(async () => {
    await chain.close();
  });

  it('a kubeconfig with a wrong local credential: 401 from the local proxy, naming the fix', async () => {
    const bad = join(chain.dir, 'wrong-credential.kubeconfig');
    const text = await readFile(chain.proxy.kubeconfig, 'utf8');
    await writeFile(bad, text.replace(/token: \S+/, 'token: not-the-local-credential-0123456789'), {
      mode: 0o600,
    });
    const result = await chain.kubectl(['get', 'pods', '-n', 'default'], { kubeconfig: bad });
    const message =
      'Switchboard local proxy: the local credential is wrong; use the kubeconfig written by `switchboard proxy` or `switchboard kubeconfig`';
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Warning: ${message}\n`);
    expect(result.stderr).toContain(`error: You must be logged in to the server (${message})\n`);
  });

  it('a context pointing at /clusters/nope: 403 (non-admins cannot tell a missing cluster from one without a grant)', async () => {
    const result = await chain.kubectl([
      'get',
      'pods',
      '-n',
      'default',
      `--server=https://127.0.0.1:${chain.proxy.port}/clusters/nope`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Warning: Switchboard: you have no access to cluster "nope" (no access to cluster "nope": it does not exist or you hold no grant on it); ask a relay administrator for a grant\n',
    );
    // kubectl's discovery (no cache for this server) replaces the Status message with its own text.
    expect(result.stderr).toMatch(/^Error from server \(Forbidden\): /m);
  });

  it('a second service principal without a grant on the cluster: 403 naming the cluster', async () => {
    // It holds a grant on another cluster only, so its proxy writes a kubeconfig with a credential.
    await chain.relayAdmin(['clusters', 'create', 'other']);
    await chain.relayAdmin([
      'access',
      'grant',
      '--cluster',
      'other',
      '--user',
      CI_TWO.username,
      '--role',
      'connect',
    ]);
    await chain.login(CI_TWO, chain.configDir('two'));
    const second = await chain.startProxy({
      configDir: chain.configDir('two'),
      kubeconfig: join(chain.dir, 'second.kubeconfig'),
    });
    expect(second.child.stderr).toContain('Ready. Contexts: switchboard-other');
    const result = await chain.kubectl(
      ['get', 'pods', '-n', 'default', `--server=https://127.0.0.1:${second.port}/clusters/dev`],
      { kubeconfig: second.kubeconfig },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Warning: Switchboard: you have no access to cluster "dev" (no access to cluster "dev": it does not exist or you hold no grant on it); ask a relay administrator for a grant\n',
    );
    expect(result.stderr).toMatch(/^Error from server \(Forbidden\): /m);
    second.child.kill('SIGTERM');
    expect((await second.child.exited).code).toBe(0);
  });

  it('an expired sign-in whose renewal fails (logout, secret rotated away): 401 saying to run switchboard login', async () => {
    const logout = await chain.switchboard(['logout', '--relay', chain.relayUrl], chain.configDir('one'));
    expect(logout.code).toBe(0);
    // The running proxy still holds the old tokens in memory; renewing them needs the secret file.
    await writeFile(chain.secretFile(CI_ONE), 'a-rotated-secret-that-the-dev-idp-does-not-know-0123', {
      mode: 0o600,
    });

    // Within the token's lifetime (renewal starts at half of it), with room for a loaded machine.
    const { result } = await chain.kubectlUntil(['get', 'pods', '-n', 'default'], (r) => r.code !== 0, {
      timeoutMs: 5 * TOKEN_TTL_SECONDS * 1000,
    });
    const message = `Switchboard: sign-in required (the identity provider answered invalid_client); run \`switchboard login --relay ${chain.relayUrl}\``;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Warning: ${message}\n`);
    expect(result.stderr).toContain(`error: You must be logged in to the server (${message})\n`);
  });
});
