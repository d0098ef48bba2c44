#!/usr/bin/env node
/**
 * `npm run demo`: the main job on its embedded defaults. For now it serves kube-sim's demo cluster
 * and says how to point kubectl at it; the relay, agent and local proxy join as they are built.
 */
import { resolve } from 'node:path';
import { startKubeSim, writeKubeconfig } from '../kube-sim/index.js';

async function main(): Promise<void> {
  const kubeconfigPath = resolve(process.env.SWITCHBOARD_DEMO_DIR ?? '.demo', 'kubeconfig');
  const sim = await startKubeSim({ scenario: 'demo' });
  await writeKubeconfig(kubeconfigPath, sim.adminKubeconfig);
  process.stdout.write(
    [
      `kube-sim is serving the demo cluster at ${sim.url}`,
      '',
      'In another terminal:',
      `  export KUBECONFIG=${kubeconfigPath}`,
      '  kubectl get pods -A',
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});
