/**
 * The details over the relay tunnel against kube-sim's demo cluster (as its admin; the e2e test
 * covers a read-only user): describe with the owner chain and the pods a workload runs, the
 * access review, server-side apply with its conflict, stale and invalid outcomes, and the actions.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterBrowser } from '../../src/core/cluster-browser/cluster-browser.js';
import { ClusterClient } from '../../src/core/cluster-browser/cluster-client.js';
import { createLogger } from '../../src/core/logging/logger.js';
import type { RelayTunnel } from '../../src/core/tunnel/relay-tunnel.js';
import { type DemoBehindRelay, startDemoBehindRelay } from '../support/cluster-browser-harness.js';
import type { StandInRelay } from '../support/stand-in-relay.js';

describe('the details over the relay tunnel', () => {
  let relay: StandInRelay;
  let tunnel: RelayTunnel;
  let demo: DemoBehindRelay | undefined;
  let browser: ClusterBrowser;
  let other: ClusterClient;

  beforeAll(async () => {
    demo = await startDemoBehindRelay();
    ({ relay, tunnel } = demo);
    browser = new ClusterBrowser({ push: () => {}, logger: createLogger('silent'), batchIntervalMs: 10 });
    browser.connect(tunnel);
    other = new ClusterClient(tunnel, 'dev');
  });
  afterAll(async () => {
    other?.close();
    browser?.close();
    await demo?.close();
  });

  const deploymentPath = '/apis/apps/v1/namespaces/shop/deployments/api';
  const frontendPods = async () => {
    const pods = await other.json<{ items: { metadata: { name: string } }[] }>(
      'GET',
      '/api/v1/namespaces/shop/pods?labelSelector=app%3Dfrontend',
    );
    return pods.items.map((pod) => pod.metadata.name);
  };

  it('describes a pod with its owner chain (ReplicaSet, then Deployment) and its containers', async () => {
    await expect.poll(async () => (await frontendPods()).length, { timeout: 15_000 }).toBe(3);
    const [pod] = await frontendPods();
    const description = await browser.describeResource({
      cluster: 'dev',
      kind: 'pods',
      namespace: 'shop',
      name: pod!,
    });
    expect(description.owners.map((owner) => [owner.kind, owner.kindName])).toEqual([
      ['replicasets.apps', 'ReplicaSet'],
      ['deployments.apps', 'Deployment'],
    ]);
    expect(description.owners[1]).toMatchObject({ name: 'frontend', namespace: 'shop' });
    const containers = description.sections.find((section) => section.title === 'Containers');
    expect(containers?.table?.rows[0]?.slice(0, 2)).toEqual(['frontend', 'nginx:1.27']);
    expect(description.sections.find((section) => section.title === 'Status')?.fields).toContainEqual({
      label: 'Node',
      value: expect.stringMatching(/^kube-sim-/),
    });
    expect(description.eventsError).toBeUndefined();
  });

  it('describes a deployment with its replicas and the pods it runs as links', async () => {
    const description = await browser.describeResource({
      cluster: 'dev',
      kind: 'deployments.apps',
      namespace: 'shop',
      name: 'frontend',
    });
    expect(description.sections[0]?.fields?.[0]).toEqual({ label: 'Desired', value: '3' });
    const pods = description.sections.find((section) => section.title.startsWith('Pods'))?.links ?? [];
    expect(pods.map((pod) => pod.name).sort()).toEqual((await frontendPods()).sort());
    expect(pods[0]).toMatchObject({ kind: 'pods', namespace: 'shop' });
  });

  it('offers the actions that apply to the kind, asked of the cluster', async () => {
    expect(
      await browser.accessReview({
        cluster: 'dev',
        kind: 'deployments.apps',
        namespace: 'shop',
        name: 'api',
      }),
    ).toEqual({ edit: true, delete: true, scale: true, restart: true });
    expect(await browser.accessReview({ cluster: 'dev', kind: 'nodes', name: 'kube-sim-worker' })).toEqual({
      edit: true,
      delete: true,
      cordon: true,
      drain: true,
    });
    expect(relay.requestLines).toContain(
      'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews HTTP/1.1',
    );
  });

  it('applies edited YAML; a field another manager owns is a conflict naming it, force takes it over', async () => {
    const ref = { cluster: 'dev', kind: 'deployments.apps', namespace: 'shop', name: 'api' } as const;
    const opened = await browser.getResourceYaml(ref);
    // A label no one else set: no conflict.
    const labelled = opened.yaml.replace(/^ {4}app: api$/m, '    app: api\n    team: payments');
    expect(labelled).not.toBe(opened.yaml);
    const applied = await browser.applyResourceYaml({ ...ref, yaml: labelled, force: false });
    expect(applied).toMatchObject({ outcome: 'applied', method: 'server-side-apply' });
    if (applied.outcome !== 'applied') throw new Error('unreachable');
    expect(applied.yaml).toMatch(/^ {4}team: payments$/m);

    // The replicas belong to whoever created the deployment, as on a real apiserver.
    const rescaled = applied.yaml.replace(/^ {2}replicas: 2$/m, '  replicas: 3');
    expect(await browser.applyResourceYaml({ ...ref, yaml: rescaled, force: false })).toMatchObject({
      outcome: 'conflict',
      conflicts: [{ field: '.spec.replicas', manager: 'kubectl-create' }],
    });
    const forced = await browser.applyResourceYaml({ ...ref, yaml: rescaled, force: true });
    expect(forced).toMatchObject({ outcome: 'applied' });
    if (forced.outcome !== 'applied') throw new Error('unreachable');

    // Another team takes the replicas with its own apply.
    await other.write('PATCH', `${deploymentPath}?fieldManager=autoscaler-team&force=true`, {
      contentType: 'application/apply-patch+yaml',
      text: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', namespace: 'shop' },
        spec: { replicas: 4 },
      }),
    });
    const current = (await browser.getResourceYaml(ref)).yaml.replace(/^ {2}replicas: 4$/m, '  replicas: 5');
    expect(await browser.applyResourceYaml({ ...ref, yaml: current, force: false })).toMatchObject({
      outcome: 'conflict',
      conflicts: [{ field: '.spec.replicas', manager: 'autoscaler-team' }],
    });

    // The YAML as it was opened carries an old resourceVersion: the object changed since, and even
    // force does not write over that.
    expect(await browser.applyResourceYaml({ ...ref, yaml: labelled, force: true })).toMatchObject({
      outcome: 'stale',
      message: expect.stringContaining('changed since you opened it'),
    });
  });

  it('refuses YAML that does not parse (with its line) or names another object, before sending it', async () => {
    const ref = { cluster: 'dev', kind: 'configmaps', namespace: 'shop', name: 'frontend-config' } as const;
    expect(
      await browser.applyResourceYaml({
        ...ref,
        yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: [\n',
        force: false,
      }),
    ).toMatchObject({ outcome: 'invalid', line: expect.any(Number) });
    const renamed = await browser.applyResourceYaml({
      ...ref,
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: another\n  namespace: shop\n',
      force: false,
    });
    expect(renamed).toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('metadata.name must stay frontend-config'),
    });
    const listed = await browser.applyResourceYaml({ ...ref, yaml: '- a\n- b\n', force: false });
    expect(listed).toMatchObject({
      outcome: 'invalid',
      message: expect.stringContaining('must be one object'),
    });
  });

  it('scales through the scale subresource and restarts a rollout as kubectl does', async () => {
    const ref = { cluster: 'dev', kind: 'deployments.apps', namespace: 'shop', name: 'frontend' } as const;
    await browser.scaleResource({ ...ref, replicas: 1 });
    await expect.poll(async () => (await frontendPods()).length, { timeout: 15_000 }).toBe(1);
    await browser.restartRollout(ref);
    const deployment = await other.json<{
      spec: { template: { metadata: { annotations?: Record<string, string> } } };
    }>('GET', '/apis/apps/v1/namespaces/shop/deployments/frontend');
    expect(deployment.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
  });

  it('drain leaves a pod its PodDisruptionBudget protects, naming the budget, until it allows the eviction', async () => {
    const cart = await other.json<{ items: { metadata: { name: string }; spec: { nodeName: string } }[] }>(
      'GET',
      '/api/v1/namespaces/shop/pods?labelSelector=app%3Dcart',
    );
    const { name: pod } = cart.items[0]!.metadata;
    const node = cart.items[0]!.spec.nodeName;
    const budgets = '/apis/policy/v1/namespaces/shop/poddisruptionbudgets';
    await other.write('POST', budgets, {
      contentType: 'application/json',
      text: JSON.stringify({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'cart', namespace: 'shop' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'cart' } } },
      }),
    });
    await expect
      .poll(
        async () =>
          (await other.json<{ status?: { observedGeneration?: number } }>('GET', `${budgets}/cart`)).status
            ?.observedGeneration,
      )
      .toBe(1);
    const result = await browser.drainNode({ cluster: 'dev', name: node });
    expect(result.blocked).toEqual([
      {
        namespace: 'shop',
        name: pod,
        message:
          "Cannot evict pod as it would violate the pod's disruption budget. The disruption budget cart needs 1 healthy pods and has 1 currently",
      },
    ]);
    expect(result.evicted.map((each) => each.name)).not.toContain(pod);
    await other.json('DELETE', `${budgets}/cart`);
    const retried = await browser.drainNode({ cluster: 'dev', name: node });
    expect(retried.blocked).toEqual([]);
    expect(retried.evicted.map((each) => each.name)).toContain(pod);
    await browser.setNodeSchedulable({ cluster: 'dev', name: node, schedulable: true });
  });

  it('a drain plan says which pods no controller recreates and which lose emptyDir data', async () => {
    await other.write('POST', '/api/v1/namespaces/shop/pods', {
      contentType: 'application/json',
      text: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'scratch', namespace: 'shop' },
        spec: {
          nodeName: 'kube-sim-control-plane',
          containers: [{ name: 'main', image: 'busybox:1.36' }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      }),
    });
    const plan = await browser.planDrain({ cluster: 'dev', name: 'kube-sim-control-plane' });
    expect(plan.evict).toContainEqual({
      namespace: 'shop',
      name: 'scratch',
      unmanaged: true,
      localData: true,
    });
    expect(plan.evict.filter((pod) => pod.name !== 'scratch').every((pod) => !pod.unmanaged)).toBe(true);
  });

  it('drains a node: cordons it, leaves DaemonSet pods, evicts the rest; uncordon reverses the cordon', async () => {
    const plan = await browser.planDrain({ cluster: 'dev', name: 'kube-sim-worker' });
    expect(plan.evict.length).toBeGreaterThan(0);
    const result = await browser.drainNode({ cluster: 'dev', name: 'kube-sim-worker' });
    expect(result.evicted.map((pod) => pod.name).sort()).toEqual(plan.evict.map((pod) => pod.name).sort());
    expect(result.failed).toEqual([]);
    const node = await other.json<{ spec: { unschedulable?: boolean } }>(
      'GET',
      '/api/v1/nodes/kube-sim-worker',
    );
    expect(node.spec.unschedulable).toBe(true);
    await browser.setNodeSchedulable({ cluster: 'dev', name: 'kube-sim-worker', schedulable: true });
    const after = await other.json<{ spec: { unschedulable?: boolean } }>(
      'GET',
      '/api/v1/nodes/kube-sim-worker',
    );
    expect(after.spec.unschedulable).toBeUndefined();
  });
});
