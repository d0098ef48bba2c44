/**
 * The upstreams an agent fronts, in a child process of their own, for benchmarks that place them
 * elsewhere than the client (the far network namespace of `link`): kube-sim, with pod `<pod>`
 * running and `<user>` bound to cluster-admin, and the byte server (`byte-server.ts`), both
 * listening on `<host>`. argv: `<host> <user> <pod>`. Replies `ready` with their URLs, CAs and
 * kube-sim's admin kubeconfig (over IPC, never argv); closes on the IPC message `close` or when its
 * parent goes.
 */
import { performance } from 'node:perf_hooks';
import { startKubeSim } from '@switchboard/kube-sim';
import { KubeAdminClient } from '../../chain/kube-admin.js';
import { startByteServer } from './byte-server.js';
import { sleep } from './stats.js';

export interface UpstreamHostReady {
  type: 'ready';
  simUrl: string;
  simCaPem: string;
  simAdminKubeconfig: string;
  bytesUrl: string;
  bytesPort: number;
  bytesCaPem: string;
}

const POD_START_LIMIT_MS = 20_000;

async function main(): Promise<void> {
  const [host, user, pod] = process.argv.slice(2) as [string, string, string];
  const sim = await startKubeSim({ host, scenario: 'empty', podStartDelayMs: 10 });
  const bytes = await startByteServer(host);
  const admin = new KubeAdminClient(sim.adminKubeconfig);
  try {
    await admin.bindClusterRole(user, 'cluster-admin', 'bench');
    await admin.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod, namespace: 'default' },
      spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] },
    });
    const deadline = performance.now() + POD_START_LIMIT_MS;
    for (;;) {
      const got = await admin.request('GET', `/api/v1/namespaces/default/pods/${pod}`);
      if (got.body?.status?.phase === 'Running') break;
      if (performance.now() > deadline) throw new Error(`pod ${pod} did not start`);
      await sleep(20);
    }
  } finally {
    admin.close();
  }
  const ready: UpstreamHostReady = {
    type: 'ready',
    simUrl: sim.url,
    simCaPem: sim.caPem,
    simAdminKubeconfig: sim.adminKubeconfig,
    bytesUrl: bytes.url,
    bytesPort: bytes.port,
    bytesCaPem: bytes.caPem,
  };
  process.send?.(ready);
  const close = async () => {
    await bytes.close();
    await sim.close();
    process.exit(0);
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'close') void close();
  });
  process.on('disconnect', () => void close());
}

main().catch((error: Error) => {
  process.stderr.write(`upstream host: ${error.stack}\n`);
  process.exit(1);
});
