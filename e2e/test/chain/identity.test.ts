/**
 * An identity Kubernetes must not see, through the whole chain with real kubectl: the relay refuses
 * the stream before any ticket is signed, and kubectl shows a 403 whose message names the problem.
 * (The dev identity provider trims surrounding whitespace from names, so the hostile values here
 * are the ones a trim does not remove: invisible format and C1 control characters.)
 */

import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { Kubectl } from './support.js';

describe.skipIf(!requireKubectl(33))('identities Kubernetes must not see, through the whole chain', () => {
  let chain: Chain;
  const kubectls: Kubectl[] = [];

  beforeAll(async () => {
    chain = await startChain({
      users: [
        { name: 'zw-mallory', groups: ['\u200bsystem:masters'], relayRole: 'connect' },
        { name: 'nel-mallory', groups: ['developers\u0085'], relayRole: 'connect' },
        { name: 'fine', groups: ['system:masters'], relayRole: 'connect' },
      ],
    });
  });

  afterAll(async () => {
    await Promise.all(kubectls.map((kubectl) => kubectl.close()));
    await chain?.close();
  });

  const kubectlAs = async (name: string) => {
    const client = await chain.connectAs(name);
    const kubectl = await Kubectl.create(33, client.kubeconfigPath);
    kubectls.push(kubectl);
    return kubectl;
  };

  it('a group with an invisible or control character gets a 403 that names it, and reaches no apiserver', async () => {
    for (const [name, message] of [
      [
        'zw-mallory',
        /your group "\\u200bsystem:masters" begins with whitespace or an invisible character \(U\+200B\)/,
      ],
      ['nel-mallory', /your group "developers\\u0085" contains the control character U\+0085/],
    ] as const) {
      const result = await (await kubectlAs(name)).run(['get', 'secrets', '-n', 'kube-system']);
      expect(result.code, name).toBe(1);
      expect(result.stderr).toContain('Error from server (Forbidden)');
      expect(result.stderr).toMatch(message);
    }
  });

  it('a reserved group in final form is dropped: fewer rights, not cluster-admin', async () => {
    const result = await (await kubectlAs('fine')).run(['get', 'secrets', '-n', 'kube-system']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('User "fine" cannot list resource "secrets"');
  });
});
