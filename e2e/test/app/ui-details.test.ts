/**
 * The details of an object in the UI, end to end: the real `switchboard ui` process against the
 * real chain (relay, agent, kube-sim's demo cluster), driven through headless Chromium. A read-only
 * user (ClusterRole `view`) is offered no action; with `cluster-admin` the same person scales and
 * restarts a deployment, edits its YAML and applies it, meets a conflict another field manager
 * made with `kubectl apply --server-side`, follows a pod's owner link to its Deployment, and
 * cordons and drains a node. Each screen is audited with axe-core and photographed.
 *
 * The tests run in order and share the one page: each continues where the previous one left off.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import { Kubectl } from '@switchboard/test-support/kubectl';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { auditScreen, openUiPage, showKind, type UiPage, VIEWPORT } from './support/ui-page.js';
import { startUiProcess, type UiProcess } from './support/ui-process.js';

interface PodList {
  items: { metadata: { name: string; namespace: string }; spec: { nodeName?: string } }[];
}

describe('the details in the UI against the real chain', { timeout: 120_000 }, () => {
  let chain: Chain;
  let browser: Browser;
  let ui: UiProcess;
  let view: UiPage;
  let page: Page;
  let kubectl: Kubectl;
  let kubectlHome: string;
  const screenProblems: string[] = [];

  const audit = async (screen: string) => {
    const found = await auditScreen(page, screen);
    if (found) screenProblems.push(found);
    return found;
  };
  const frontendPods = async () =>
    (
      (await chain.kubeAdmin.request('GET', '/api/v1/namespaces/shop/pods?labelSelector=app%3Dfrontend'))
        .body as PodList
    ).items;
  const deployment = async (name: string) =>
    (await chain.kubeAdmin.request('GET', `/apis/apps/v1/namespaces/shop/deployments/${name}`)).body as {
      metadata: { labels?: Record<string, string> };
      spec: { replicas: number; template: { metadata: { annotations?: Record<string, string> } } };
    };
  const openKind = async (label: string) => {
    await showKind(page, label);
  };
  const details = () => page.getByTestId('resource-details');

  beforeAll(async () => {
    [chain, browser, ui] = await Promise.all([
      startChain({ kubeSim: { podStartDelayMs: 0 } }),
      launchChromium(),
      startUiProcess(),
    ]);
    // Read-only first: the chain made alice cluster-admin; `view` instead until the admin part.
    await chain.kubeAdmin.remove({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `chain-${chain.human.username}-cluster-admin` },
    });
    await chain.bindClusterRole(chain.human.username, 'view');
    kubectlHome = await mkdtemp(join(tmpdir(), 'switchboard-ui-details-'));
    const adminKubeconfig = join(kubectlHome, 'admin-kubeconfig');
    await writeFile(adminKubeconfig, chain.sim!.adminKubeconfig, { mode: 0o600 });
    kubectl = new Kubectl('kubectl', {
      PATH: process.env.PATH,
      HOME: kubectlHome,
      KUBECONFIG: adminKubeconfig,
    });
    view = await openUiPage(browser, ui.url);
    page = view.page;
  }, 120_000);

  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await ui?.stop();
    await chain?.close();
    if (kubectlHome) await rm(kubectlHome, { recursive: true, force: true });
  });

  it('a read-only user sees the overview but is offered no Edit, Scale, Restart or Delete', async () => {
    await page.getByRole('textbox', { name: 'Relay URL' }).fill(chain.relayUrl);
    await page.getByRole('button', { name: 'Connect and sign in' }).click();
    await completeBrowserSignIn(browser, await ui.nextOpenedUrl(), chain.human);
    await page.locator(`[data-testid="cluster-row-${chain.cluster}"][data-status="connected"]`).waitFor();
    await page.getByRole('button', { name: `Browse ${chain.cluster}` }).click();
    await openKind('Deployments');
    await page.getByTestId('deployment-row-api').click();

    await details().getByRole('tab', { name: 'Overview', selected: true }).waitFor();
    const overview = page.getByRole('region', { name: 'Overview of deployment shop/api' });
    await overview.getByText('Desired').waitFor();
    const note = page.getByTestId('access-note');
    await note.waitFor();
    expect(await note.innerText()).toBe(
      'You don’t have permission to edit, delete, scale or restart this deployment.',
    );
    for (const name of ['Scale…', 'Restart…', 'Delete…']) {
      expect(await details().getByRole('button', { name }).count()).toBe(0);
    }
    await details().getByRole('tab', { name: 'YAML' }).click();
    await page.getByRole('region', { name: 'YAML of deployment shop/api' }).waitFor();
    expect(await details().getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await audit('details-read-only')).toBe('');
    await details().getByRole('button', { name: 'Close api' }).click();
  });

  it('with cluster-admin: the overview of a deployment lists its pods; Scale changes how many run', async () => {
    await chain.bindClusterRole(chain.human.username, 'cluster-admin');
    await page.getByTestId('deployment-row-frontend').click();
    const overview = page.getByRole('region', { name: 'Overview of deployment shop/frontend' });
    await overview.getByRole('heading', { name: 'Pods (3)' }).waitFor();
    expect(await page.getByTestId('access-note').count()).toBe(0);
    expect(await audit('details-overview')).toBe('');

    await details().getByRole('button', { name: 'Scale…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Scale deployment frontend' });
    await dialog.getByRole('spinbutton', { name: 'Replicas' }).fill('1');
    expect(await audit('details-scale')).toBe('');
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await frontendPods()).length, { timeout: 30_000 }).toBe(1);
    // The overview follows: the deployment's row changed, so it was described again.
    await overview.getByRole('heading', { name: 'Pods (1)' }).waitFor({ timeout: 30_000 });
    // Its events, newest first: the deployment controller's scale-down.
    await overview
      .getByTestId('describe-events')
      .locator('tbody tr')
      .first()
      .filter({ hasText: /ScalingReplicaSet.*Scaled down replica set frontend-\w+ from 3 to 1/ })
      .waitFor({ timeout: 30_000 });
  });

  it('restarts the rollout as kubectl rollout restart does', async () => {
    await details().getByRole('button', { name: 'Restart…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restart deployment frontend?' });
    await dialog.getByRole('button', { name: 'Restart' }).click();
    await dialog.waitFor({ state: 'detached' });
    const restartedAt = (await deployment('frontend')).spec.template.metadata.annotations?.[
      'kubectl.kubernetes.io/restartedAt'
    ];
    expect(restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('edits the YAML and applies it (server-side apply)', async () => {
    await details().getByRole('tab', { name: 'YAML' }).click();
    await page.getByRole('region', { name: 'YAML of deployment shop/frontend' }).waitFor();
    await details().getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit YAML of deployment shop/frontend' });
    const yaml = await editor.inputValue();
    const labelled = yaml.replace(/^ {4}app: frontend$/m, '    app: frontend\n    team: web');
    expect(labelled).not.toBe(yaml);
    await editor.fill(labelled);
    expect(await audit('details-yaml-edit')).toBe('');
    await details().getByRole('button', { name: 'Apply', exact: true }).click();
    await page.locator('[data-testid="apply-outcome"][data-outcome="applied"]').waitFor();
    expect((await deployment('frontend')).metadata.labels?.team).toBe('web');
  });

  it('shows a conflict with the manager that owns the field, and applies anyway when asked', async () => {
    // Another team takes the replicas with its own server-side apply.
    await kubectl.ok(
      ['apply', '--server-side', '--field-manager=autoscaler-team', '--force-conflicts', '-f', '-'],
      {
        input: JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'frontend', namespace: 'shop' },
          spec: { replicas: 2 },
        }),
      },
    );
    await details().getByRole('button', { name: 'Reload' }).click();
    await page
      .getByRole('region', { name: 'YAML of deployment shop/frontend' })
      .filter({ hasText: 'replicas: 2' })
      .waitFor();
    await details().getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit YAML of deployment shop/frontend' });
    await editor.fill((await editor.inputValue()).replace(/^ {2}replicas: 2$/m, '  replicas: 3'));
    await details().getByRole('button', { name: 'Apply', exact: true }).click();

    const conflict = page.locator('[data-testid="apply-outcome"][data-outcome="conflict"]');
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('.spec.replicas is managed by autoscaler-team');
    expect(await audit('details-yaml-conflict')).toBe('');
    expect((await deployment('frontend')).spec.replicas).toBe(2);

    await conflict.getByRole('button', { name: 'Apply anyway (force)' }).click();
    await page.locator('[data-testid="apply-outcome"][data-outcome="applied"]').waitFor();
    expect((await deployment('frontend')).spec.replicas).toBe(3);
  });

  it('follows a pod’s owner link to its Deployment', async () => {
    await openKind('Pods');
    await page.getByRole('searchbox', { name: 'Search' }).fill('frontend');
    const row = page.locator('tr[data-testid^="pod-row-frontend"][data-namespace="shop"]').first();
    const pod = (await row.getAttribute('data-testid'))!.slice('pod-row-'.length);
    await row.click();
    const owners = page.getByTestId('owner-links');
    await owners.getByText(/^ReplicaSet frontend-/).waitFor();
    await owners.getByRole('button', { name: 'Deployment frontend' }).click();
    await page.getByRole('treeitem', { name: 'Deployments', exact: true, selected: true }).waitFor();
    await page.getByRole('heading', { name: 'deployment shop/frontend' }).waitFor();
    await page.getByRole('region', { name: 'Overview of deployment shop/frontend' }).waitFor();
    expect(pod).toMatch(/^frontend-/);

    // The details fit a small window: the actions wrap, the overview scrolls.
    await page.setViewportSize({ width: 800, height: 600 });
    await details().getByRole('button', { name: 'Scale…' }).waitFor();
    expect(await audit('details-overview-800x600')).toBe('');
    await page.setViewportSize(VIEWPORT);
  });

  it('cordons a node, then drains it after a confirmation; a pod its disruption budget protects is named, and Retry finishes', async () => {
    // The node the cart runs on, whose one pod a budget will protect.
    const cart = (
      await chain.kubeAdmin.request('GET', '/api/v1/namespaces/shop/pods?labelSelector=app%3Dcart')
    ).body as PodList;
    const cartPod = cart.items[0]!.metadata.name;
    const node = cart.items[0]!.spec.nodeName!;
    const budget = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'cart', namespace: 'shop' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'cart' } } },
    };
    await chain.kubeAdmin.apply(budget);

    await openKind('Nodes');
    await page.getByTestId(`node-row-${node}`).click();
    await details().getByRole('button', { name: 'Cordon' }).click();
    await details().getByRole('button', { name: 'Uncordon' }).waitFor();
    const cordoned = await chain.kubeAdmin.request('GET', `/api/v1/nodes/${node}`);
    expect(cordoned.body.spec.unschedulable).toBe(true);

    const onNode = async () =>
      (
        (await chain.kubeAdmin.request('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`))
          .body as PodList
      ).items.map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}`);
    const before = await onNode();
    await details().getByRole('button', { name: 'Drain…' }).click();
    const dialog = page.getByRole('dialog', { name: `Drain node ${node}?` });
    const toEvict = dialog.getByRole('list', { name: 'Pods to evict' });
    await toEvict.waitFor();
    const listed = (await toEvict.getByRole('listitem').allInnerTexts()).map((text) => text.split(' ')[0]!);
    expect(listed).toContain(`shop/${cartPod}`);
    expect(before).toEqual(expect.arrayContaining(listed));
    expect(await audit('details-drain')).toBe('');
    await dialog.getByRole('button', { name: 'Drain node' }).click();

    const partly = page.getByRole('dialog', { name: `Node ${node} partly drained` });
    await partly.waitFor({ timeout: 30_000 });
    expect(await partly.innerText()).toContain(
      `shop/${cartPod}: Cannot evict pod as it would violate the pod's disruption budget. The disruption budget cart needs 1 healthy pods and has 1 currently`,
    );
    expect(await audit('details-drain-blocked')).toBe('');

    await chain.kubeAdmin.remove(budget);
    await partly.getByRole('button', { name: 'Retry' }).click();
    const done = page.getByRole('dialog', { name: `Node ${node} drained` });
    await done.waitFor({ timeout: 30_000 });
    await done.getByRole('button', { name: 'Done' }).click();
    const after = await onNode();
    expect(after.filter((pod) => listed.includes(pod))).toEqual([]);
  });

  it('left no console errors or CSP violations, and every screen passed axe-core', () => {
    expect(view.problems).toEqual([]);
    expect(screenProblems).toEqual([]);
  });
});
