/**
 * A grant revoked by another process — the operator CLI on the relay's data directory while the
 * relay runs — ends the user's live streams within seconds: the relay notices writes by
 * other processes (SQLite's data_version, checked every second) and re-checks the grants of open
 * streams. Another user's stream on the same cluster runs on.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, type ChainClient, startChain } from '../../src/chain/index.js';
import { RELAY_CLI } from '../support/entry-points.js';
import { Kubectl } from './support.js';

/**
 * The relay's external-change poll (1 s), then a grant check and the reset reaching kubectl, with
 * the margin a loaded 2-core machine needs for those hops; still far below anything but the poll
 * noticing (nothing else re-checks a running stream's grant).
 */
const WITHIN_MS = 1_000 + 4_000;

describe.skipIf(!requireKubectl(33))('a grant revoked by the operator CLI (another process)', () => {
  let chain: Chain;
  let leaver: ChainClient;
  const kubectls: Kubectl[] = [];

  beforeAll(async () => {
    chain = await startChain({ users: [{ name: 'leaver', relayRole: 'connect', clusterAdmin: true }] });
    leaver = await chain.connectAs('leaver');
  });
  afterAll(async () => {
    await Promise.all(kubectls.map((kubectl) => kubectl.close()));
    await chain?.close();
  });

  const kubectlFor = async (kubeconfig: string) => {
    const kubectl = await Kubectl.create(33, kubeconfig);
    kubectls.push(kubectl);
    return kubectl;
  };
  const watchConfigMaps = (kubectl: Kubectl) =>
    kubectl.stream(['get', 'configmaps', '-n', 'shop', '-w', '--request-timeout=0', '-o', 'name']);

  it('ends the user’s running watch within seconds (the relay’s 1 s registry poll); the next request is refused; others run on', async () => {
    const [kLeaver, kOther] = await Promise.all([
      kubectlFor(leaver.kubeconfigPath),
      kubectlFor(chain.kubeconfigPath),
    ]);
    const watch = watchConfigMaps(kLeaver);
    const other = watchConfigMaps(kOther);
    try {
      // An event through both watches: they are established, not still opening, when the grant goes.
      await chain.kubeAdmin.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'before-revoke', namespace: 'shop' },
      });
      await Promise.all([
        watch.waitFor(/configmap\/before-revoke/),
        other.waitFor(/configmap\/before-revoke/),
      ]);
      const watchEnded = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('the watch still runs 10 s after the revocation')),
          10_000,
        );
        watch.child.once('exit', () => {
          clearTimeout(timer);
          resolve(Date.now());
        });
      });

      await promisify(execFile)(process.execPath, [
        RELAY_CLI,
        'access',
        'revoke',
        '--cluster',
        chain.cluster,
        '--user',
        'leaver',
        '--data',
        join(chain.dataDir, 'relay'),
      ]);
      const revokedAt = Date.now();
      const elapsedMs = (await watchEnded) - revokedAt;
      console.info(`grant revoked by the CLI: the watch ended ${elapsedMs} ms after the CLI exited`);
      expect(elapsedMs).toBeLessThan(WITHIN_MS);

      const after = await kLeaver.run(['get', 'configmaps', '-n', 'shop']);
      expect(after.code).toBe(1);
      expect(after.stderr).toContain(`no access to cluster "${chain.cluster}"`);

      // The other user's watch was not touched: it still delivers events.
      await chain.kubeAdmin.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'after-revoke', namespace: 'shop' },
      });
      await other.waitFor(/configmap\/after-revoke/);
      expect(other.child.exitCode).toBeNull();
    } finally {
      await Promise.all([watch.stop(), other.stop()]);
    }
  });
});
