/**
 * Real kubectl as kube-sim's admin, with only a temp HOME and KUBECONFIG around it: what the tests
 * that compare kube-sim with kube-apiserver through kubectl each need.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kubectl } from '@switchboard/test-support/kubectl';
import type { KubeSim } from '../../src/index.js';

export interface AdminKubectl {
  kubectl: Kubectl;
  /** Removes the temp HOME (the kubeconfig with the admin's credentials in it). */
  dispose(): Promise<void>;
}

/** `binary` names the kubectl to run: `kubectl` on PATH, or a versioned one (`kubectl.1.27`). */
export async function adminKubectl(sim: KubeSim, binary = 'kubectl'): Promise<AdminKubectl> {
  const home = await mkdtemp(join(tmpdir(), 'kube-sim-kubectl-'));
  const kubeconfig = join(home, 'kubeconfig');
  await writeFile(kubeconfig, sim.adminKubeconfig, { mode: 0o600 });
  return {
    kubectl: new Kubectl(binary, { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig }),
    dispose: () => rm(home, { recursive: true, force: true }),
  };
}
