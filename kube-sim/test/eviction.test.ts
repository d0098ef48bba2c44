import type { Kubectl } from '@switchboard/test-support/kubectl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../src/index.js';
import { type AdminKubectl, adminKubectl } from './support/admin-kubectl.js';

const BLOCKED = "Cannot evict pod as it would violate the pod's disruption budget.";

describe('eviction honours PodDisruptionBudgets', () => {
  let admin: AdminKubectl;
  let sim: KubeSim;
  let kubectl: Kubectl;

  beforeAll(async () => {
    sim = await startKubeSim({ scenario: 'demo', podStartDelayMs: 0 });
    admin = await adminKubectl(sim);
    kubectl = admin.kubectl;
  });
  afterAll(async () => {
    await sim?.close();
    await admin?.dispose();
  });

  const readyFrontends = async (): Promise<[string, string][]> => {
    const pods = JSON.parse(
      await kubectl.ok(['get', 'pods', '-n', 'shop', '-l', 'app=frontend', '-o', 'json']),
    ).items as {
      metadata: { name: string; deletionTimestamp?: string };
      spec: { nodeName: string };
      status: { conditions?: { type: string; status: string }[] };
    }[];
    return pods
      .filter(
        (pod) =>
          !pod.metadata.deletionTimestamp &&
          pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      .map((pod) => [pod.metadata.name, pod.spec.nodeName]);
  };
  const evict = (pod: string) =>
    kubectl.run(['create', '--raw', `/api/v1/namespaces/shop/pods/${pod}/eviction`, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: pod, namespace: 'shop' },
      }),
    });
  const allowed = async () =>
    kubectl.ok(['get', 'pdb', '-n', 'shop', 'frontend', '-o', 'jsonpath={.status.disruptionsAllowed}']);

  it('keeps the budget status and refuses an eviction it does not allow with 429', async () => {
    await expect.poll(async () => (await readyFrontends()).length, { timeout: 15_000 }).toBe(3);
    await kubectl.ok([
      'create',
      'pdb',
      'frontend',
      '-n',
      'shop',
      '--selector=app=frontend',
      '--min-available=3',
    ]);
    await expect.poll(allowed, { timeout: 10_000 }).toBe('0');
    const table = await kubectl.ok(['get', 'pdb', '-n', 'shop', 'frontend']);
    expect(table).toMatch(
      /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nfrontend\s+3\s+N\/A\s+0\s+/,
    );
    const status = JSON.parse(
      await kubectl.ok(['get', 'pdb', '-n', 'shop', 'frontend', '-o', 'json']),
    ).status;
    expect(status).toMatchObject({
      currentHealthy: 3,
      desiredHealthy: 3,
      expectedPods: 3,
      observedGeneration: 1,
    });
    expect(status.conditions).toEqual([
      expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }),
    ]);

    const [[pod, node]] = (await readyFrontends()) as [[string, string]];
    const refused = await evict(pod);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`Error from server (TooManyRequests): ${BLOCKED}`);

    // drain retries a 429 until its timeout, printing why.
    const drain = await kubectl.run(
      ['drain', node, '--ignore-daemonsets', '--pod-selector=app=frontend', '--timeout=2s'],
      { timeoutMs: 20_000 },
    );
    expect(drain.code).not.toBe(0);
    expect(drain.stderr).toContain(
      `error when evicting pods/"${pod}" -n "shop" (will retry after 5s): ${BLOCKED}`,
    );
    await kubectl.ok(['uncordon', node]);
  });

  it('lets an eviction through while the budget allows one, and uses it up', async () => {
    await kubectl.ok([
      'patch',
      'pdb',
      'frontend',
      '-n',
      'shop',
      '--type=merge',
      '-p',
      '{"spec":{"minAvailable":2}}',
    ]);
    await expect.poll(allowed, { timeout: 10_000 }).toBe('1');
    const [[pod]] = (await readyFrontends()) as [[string, string]];
    const evicted = await evict(pod);
    expect(evicted.code).toBe(0);
    expect(JSON.parse(evicted.stdout)).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    // The ReplicaSet replaces the pod; once it is ready the budget allows one disruption again.
    await expect.poll(allowed, { timeout: 15_000 }).toBe('1');
    expect((await readyFrontends()).map(([name]) => name)).not.toContain(pod);
  });

  it('refuses an eviction of a pod that two budgets select, as the apiserver does', async () => {
    await kubectl.ok([
      'create',
      'pdb',
      'frontend-too',
      '-n',
      'shop',
      '--selector=app=frontend',
      '--max-unavailable=1',
    ]);
    const [[pod]] = (await readyFrontends()) as [[string, string]];
    const refused = await evict(pod);
    expect(refused.stderr.trim()).toBe(
      'Error from server (InternalError): Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  });
});
