/**
 * Service-account-token mode from the client side (real processes, real kubectl 1.33):
 * `switchboard proxy --service-account-token dev=FILE` forwards the Kubernetes token in FILE and the
 * agent presents it to the apiserver instead of impersonating the signed-in user. The apiserver
 * (kube-sim, reading its --users file) then decides for the service account: its RBAC applies, not
 * the user's, and a token it does not know gets its own 401.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain, type ProxyHandle } from './support/chain.js';

const SERVICE_ACCOUNT = 'system:serviceaccount:ci:deployer';
const SERVICE_ACCOUNT_TOKEN = 'deployer-token-0123456789abcdef';

describe.skipIf(!requireKubectl(33))('switchboard proxy --service-account-token', { timeout: 60_000 }, () => {
  const chain = new Chain({ kubeSimUsers: [{ username: SERVICE_ACCOUNT, token: SERVICE_ACCOUNT_TOKEN }] });

  /** The signed-in user's own proxy (impersonation mode). */
  let userKubeconfig: string;

  beforeAll(async () => {
    await chain.start();
    userKubeconfig = chain.proxy.kubeconfig;
    // The service account may read the shop namespace and nothing else; the signed-in user (ci-bot)
    // is cluster-admin, so any answer beyond "view in shop" would be the user's rights leaking in.
    await chain.kubectl(
      [
        'create',
        'rolebinding',
        'deployer-view',
        '-n',
        'shop',
        '--clusterrole=view',
        '--serviceaccount=ci:deployer',
      ],
      { kubeconfig: chain.adminKubeconfig, check: true },
    );
  }, 60_000);
  afterAll(async () => {
    await chain.close();
  });

  async function proxyWithToken(name: string, token: string): Promise<ProxyHandle> {
    const tokenFile = join(chain.dir, `${name}.token`);
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    return chain.startProxy({
      kubeconfig: join(chain.dir, `${name}.kubeconfig`),
      args: ['--service-account-token', `dev=${tokenFile}`],
    });
  }

  it('kubectl reaches the apiserver as the service account: its token, no impersonation, its RBAC', async () => {
    const proxy = await proxyWithToken('sa', SERVICE_ACCOUNT_TOKEN);
    const kubeconfig = proxy.kubeconfig;

    // SelfSubjectReview: the apiserver authenticated the supplied bearer, and nobody was impersonated
    // (impersonating ci-bot with the service account's token would be refused: it may not impersonate).
    const whoami = await chain.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {
      kubeconfig,
      check: true,
    });
    expect(whoami.stdout).toBe(SERVICE_ACCOUNT);

    const allowed = await chain.kubectl(['get', 'configmaps', '-n', 'shop', '-o', 'name'], {
      kubeconfig,
      check: true,
    });
    expect(allowed.stdout).toContain('configmap/frontend-config');
    const elsewhere = await chain.kubectl(['get', 'pods', '-n', 'monitoring'], { kubeconfig });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(
      `Error from server (Forbidden): pods is forbidden: User "${SERVICE_ACCOUNT}" cannot list resource "pods" in API group "" in the namespace "monitoring"`,
    );

    // The same user without the flag is impersonated as themselves (cluster-admin here).
    const asUser = await chain.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {
      kubeconfig: userKubeconfig,
      check: true,
    });
    expect(asUser.stdout).toBe('ci-bot');
    proxy.child.kill('SIGTERM');
    expect((await proxy.child.exited).code).toBe(0);
  });

  it('a token the apiserver does not know gets the apiserver’s 401', async () => {
    const proxy = await proxyWithToken('wrong', 'not-a-token-the-apiserver-knows-0123');
    const result = await chain.kubectl(['get', 'configmaps', '-n', 'shop'], { kubeconfig: proxy.kubeconfig });
    expect(result.code).toBe(1);
    // client-go's words for a 401.
    expect(result.stderr).toContain(
      'error: You must be logged in to the server (the server has asked for the client to provide credentials)',
    );
    // The apiserver's answer, not a Switchboard refusal: the tunnel itself was fine.
    expect(result.stderr).not.toContain('Switchboard:');
    proxy.child.kill('SIGTERM');
    expect((await proxy.child.exited).code).toBe(0);
  });
});
