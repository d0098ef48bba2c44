/**
 * Every resource kind in the UI, through the real `switchboard ui` process, relay, agent and
 * kube-sim (demo scenario, which has cert-manager's Certificate CRD) in headless Chromium: the
 * sidebar groups the cluster's discovery as Lens does, a built-in kind beyond the first seven
 * (Secrets) and the demo's custom resource list with the columns `kubectl get` prints for them,
 * a column header sorts (aria-sort), kubectl's `-o wide` columns can be added, and each screen is
 * axe-clean in light and dark.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import { Kubectl } from '@switchboard/test-support/kubectl';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { auditScreen, openUiPage, type UiPage } from './support/ui-page.js';
import { startUiProcess, type UiProcess } from './support/ui-process.js';

/** The little of the DOM the page functions below touch (this project compiles without lib.dom). */
declare const document: {
  activeElement: { textContent: string | null; getAttribute(name: string): string | null } | null;
};

/** The column headers `kubectl get` prints, as the UI names them (kubectl upper-cases them). */
async function kubectlHeaders(kubectl: Kubectl, args: string[]): Promise<string[]> {
  const out = await kubectl.ok(['get', ...args]);
  return out
    .split('\n')[0]!
    .trim()
    .split(/\s{2,}/);
}

describe('every resource kind in the UI', { timeout: 120_000 }, () => {
  let chain: Chain;
  let browser: Browser;
  let ui: UiProcess;
  let view: UiPage;
  let page: Page;
  let home: string;
  let kubectl: Kubectl;

  beforeAll(async () => {
    [chain, browser, ui, home] = await Promise.all([
      startChain({ kubeSim: { podStartDelayMs: 0 } }),
      launchChromium(),
      startUiProcess(),
      mkdtemp(join(tmpdir(), 'ui-kinds-home-')),
    ]);
    kubectl = new Kubectl('kubectl', {
      PATH: process.env.PATH,
      HOME: home,
      KUBECONFIG: chain.kubeconfigPath,
    });
    view = await openUiPage(browser, ui.url);
    page = view.page;
  }, 120_000);

  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await ui?.stop();
    await chain?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const headers = (table: string) =>
    page.getByRole('table', { name: table }).getByRole('columnheader').allInnerTexts();
  const clean = (texts: string[]) => texts.map((text) => text.replace(/[▲▼]/g, '').trim());

  it('signs in and opens the cluster: the sidebar has the kinds of its discovery, grouped', async () => {
    await page.getByRole('textbox', { name: 'Relay URL' }).fill(chain.relayUrl);
    await page.getByRole('button', { name: 'Connect and sign in' }).click();
    await completeBrowserSignIn(browser, await ui.nextOpenedUrl(), chain.human);
    await page.locator(`[data-testid="cluster-row-${chain.cluster}"][data-status="connected"]`).waitFor();
    await page.getByRole('button', { name: `Browse ${chain.cluster}` }).click();

    const tree = page.getByRole('tree', { name: 'Resource kinds' });
    await tree.getByRole('treeitem', { name: 'Pods', exact: true, selected: true }).waitFor();
    await tree.getByRole('treeitem', { name: 'Custom Resources' }).waitFor();
    const groups = await tree.locator('[aria-level="1"]').allInnerTexts();
    expect(groups.map((text) => text.replace(/^[▸▾]\s*/, ''))).toEqual([
      'Nodes',
      'Workloads',
      'Config',
      'Network',
      'Namespaces',
      'Events',
      'Access Control',
      'Custom Resources',
    ]);
    expect(await auditScreen(page, 'kinds-sidebar')).toBe('');
  });

  it('lists Secrets with the columns kubectl get prints', async () => {
    const tree = page.getByRole('tree', { name: 'Resource kinds' });
    const config = tree.getByRole('treeitem', { name: 'Config', exact: true });
    await config.click();
    await expect.poll(() => config.getAttribute('aria-expanded')).toBe('true');
    await tree.getByRole('treeitem', { name: 'Secrets', exact: true }).click();
    await page.getByTestId('secret-row-api-credentials').waitFor();

    // All namespaces: Namespace follows the name, as kubectl get -A shows NAMESPACE.
    const shown = clean(await headers(`Secrets in ${chain.cluster}`));
    const printed = await kubectlHeaders(kubectl, ['secrets', '-n', 'shop']);
    expect(shown.filter((header) => header !== 'Namespace').map((h) => h.toUpperCase())).toEqual(printed);
    expect(shown[1]).toBe('Namespace');
    const cells = await page.getByTestId('secret-row-api-credentials').locator('td').allInnerTexts();
    expect(cells.slice(0, 4)).toEqual(['api-credentials', 'shop', 'Opaque', '2']);
  });

  it('finds the demo CRD with the filter and lists it with its printer columns, sorted by a header click', async () => {
    await page.getByRole('searchbox', { name: 'Filter resource kinds' }).fill('cert');
    const item = page.getByRole('treeitem', { name: 'Certificates' });
    await item.click();
    await page.getByRole('searchbox', { name: 'Filter resource kinds' }).fill('');
    await page.getByRole('treeitem', { name: 'cert-manager.io' }).waitFor();
    // Custom Resources holds the definitions, then a group per API group with its kinds below.
    const level = (name: string) =>
      page.getByRole('treeitem', { name, exact: true }).getAttribute('aria-level');
    expect(await level('Custom Resources')).toBe('1');
    expect(await level('Definitions')).toBe('2');
    expect(await level('cert-manager.io')).toBe('2');
    expect(await level('Certificates')).toBe('3');
    const table = page.getByRole('table', { name: `Certificates in ${chain.cluster}` });
    await page.getByTestId('certificate-row-admin-example-tls').waitFor();

    const printed = await kubectlHeaders(kubectl, ['certificates.cert-manager.io', '-n', 'shop']);
    expect(printed).toEqual(['NAME', 'READY', 'SECRET', 'AGE']);
    const shown = clean(await headers(`Certificates in ${chain.cluster}`));
    expect(shown.filter((header) => header !== 'Namespace').map((h) => h.toUpperCase())).toEqual(printed);

    const names = () =>
      table.locator('tbody tr[data-testid^="certificate-row-"] td:first-child').allInnerTexts();
    const nameHeader = table.getByRole('columnheader', { name: 'Name', exact: true });
    await nameHeader.getByRole('button').click();
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await names()).toEqual(['admin-example-tls', 'api-example-tls', 'shop-example-tls']);
    await nameHeader.getByRole('button').click();
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await names()).toEqual(['shop-example-tls', 'api-example-tls', 'admin-example-tls']);
    const readyHeader = table.getByRole('columnheader', { name: 'Ready', exact: true });
    await readyHeader.getByRole('button').click();
    await expect.poll(() => readyHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await nameHeader.getAttribute('aria-sort')).toBe('none');
    expect((await names())[0]).toBe('admin-example-tls');
    expect(await auditScreen(page, 'kinds-custom-resource')).toBe('');
  });

  it("adds kubectl's -o wide columns on request", async () => {
    const wide = await kubectlHeaders(kubectl, ['certificates.cert-manager.io', '-n', 'shop', '-o', 'wide']);
    expect(wide).toEqual(['NAME', 'READY', 'SECRET', 'ISSUER', 'STATUS', 'AGE']);
    await page.getByText('Columns', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Issuer' }).check();
    await page.getByRole('checkbox', { name: 'Status' }).check();
    const table = `Certificates in ${chain.cluster}`;
    await page.getByRole('table', { name: table }).getByRole('columnheader', { name: 'Issuer' }).waitFor();
    const shown = clean(await headers(table));
    expect(shown.filter((header) => header !== 'Namespace').map((h) => h.toUpperCase())).toEqual(wide);
    const cells = await page.getByTestId('certificate-row-admin-example-tls').locator('td').allInnerTexts();
    expect(cells.slice(0, 6)).toEqual([
      'admin-example-tls',
      'shop',
      'False',
      'admin-example-tls',
      'letsencrypt',
      'Issuing certificate as Secret does not exist',
    ]);
  });

  it('sorts from the keyboard without adding tab stops: Up from the first row reaches the headers', async () => {
    const table = page.getByRole('table', { name: `Certificates in ${chain.cluster}` });
    expect(await table.locator('[tabindex="0"]').count()).toBe(1);
    await table.locator('tbody tr[tabindex="0"]').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowUp');
    const focusedHeader = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focusedHeader()).toMatch(/^Name/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await focusedHeader()).toMatch(/^Ready/);
    // Ready is sorted ascending (by the clicks above): Enter turns it round.
    await page.keyboard.press('Enter');
    const readyHeader = table.getByRole('columnheader', { name: 'Ready', exact: true });
    await expect.poll(() => readyHeader.getAttribute('aria-sort')).toBe('descending');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toMatch(
      /^certificate-row-/,
    );
  });

  it('keeps the sidebar and the table usable at 800×600', async () => {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 800, height: 600 });
    try {
      const tree = page.getByRole('tree', { name: 'Resource kinds' });
      const box = await tree.boundingBox();
      expect(box?.width).toBeGreaterThan(150);
      const nameHeader = page.getByRole('columnheader', { name: 'Name', exact: true });
      expect((await nameHeader.boundingBox())?.width).toBeGreaterThan(80);
      expect(await auditScreen(page, 'kinds-800x600')).toBe('');
    } finally {
      if (size) await page.setViewportSize(size);
    }
  });

  it('moves through the sidebar with the keyboard: one tab stop, arrows, Enter', async () => {
    const tree = page.getByRole('tree', { name: 'Resource kinds' });
    const selected = tree.getByRole('treeitem', { name: 'Certificates', selected: true });
    await selected.focus();
    expect(await tree.locator('[tabindex="0"]').count()).toBe(1);
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: `Nodes in ${chain.cluster}` }).waitFor();
    await page.getByTestId('node-row-kube-sim-worker').waitFor();
    // Down to Workloads; Right opens it (or, open already, moves into it), then to its first kind.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: `Pods in ${chain.cluster}` }).waitFor();
  });

  it('shows a cluster-scoped kind RBAC refuses as disabled, and does not open it', async () => {
    // From cluster-admin down to view, which lets a person list namespaces but not nodes.
    await chain.bindClusterRole(chain.human.username, 'view');
    await chain.kubeAdmin.remove(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `chain-${chain.human.username}-cluster-admin` },
      },
      'clusterrolebindings',
    );
    await page.getByRole('button', { name: '← All clusters' }).click();
    await page.getByRole('button', { name: `Browse ${chain.cluster}` }).click();
    const tree = page.getByRole('tree', { name: 'Resource kinds' });
    const nodes = tree.getByRole('treeitem', { name: 'Nodes', exact: true });
    await expect.poll(() => nodes.getAttribute('aria-disabled'), { timeout: 15_000 }).toBe('true');
    expect(
      await tree.getByRole('treeitem', { name: 'Namespaces', exact: true }).getAttribute('aria-disabled'),
    ).toBeNull();
    await nodes.focus();
    await page.keyboard.press('Enter');
    expect(await nodes.getAttribute('aria-selected')).toBe('false');
    await page.getByRole('table', { name: `Pods in ${chain.cluster}` }).waitFor();
    expect(await auditScreen(page, 'kinds-refused')).toBe('');
  });
});
