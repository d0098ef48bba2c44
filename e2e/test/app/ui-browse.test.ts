/**
 * The cluster browser's frame, as a person uses it through the browser host against the real chain:
 * tables that keep the name readable at 800x600 and drop lesser columns, sortable headers,
 * tooltips on cut-off cells, events newest first with warnings marked, the place kept in the
 * address (reload, Back), an outage that keeps what is on screen marked stale, list errors that
 * retry and clear by themselves, and two clusters open at once (a second agent on the same
 * kube-sim). Screens are audited with axe-core and photographed at both sizes (support/ui-page.ts).
 *
 * The tests run in order and share the one page: each continues where the previous one left off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningAgent, startAgent } from '@switchboard/cluster-agent';
import { completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import {
  auditScreen,
  openUiPage,
  SMALL_VIEWPORT,
  showKind,
  type UiPage,
  VIEWPORT,
} from './support/ui-page.js';
import { startUiProcess, type UiProcess } from './support/ui-process.js';

/** The little of the DOM the page functions below touch (this project compiles without lib.dom). */
interface CellBox {
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
  getBoundingClientRect(): { width: number };
}
declare const document: {
  querySelectorAll(selector: string): Iterable<CellBox>;
  activeElement: { tagName: string; textContent: string | null } | null;
};

/** The second cluster: its own name on the relay, its own agent, the same kube-sim. */
const SECOND_CLUSTER = 'staging';
/** Longer than any name column gets at 800 px: its cell is cut off and needs the tooltip. */
const LONG_POD = `report-generator-with-a-rather-long-descriptive-name-${'x'.repeat(20)}`;

/** The lines of the log view, as shown. */
async function logLines(page: Page): Promise<string[]> {
  const chunks = await page.getByTestId('log-view').locator('pre').allInnerTexts();
  return chunks.join('\n').split('\n').filter(Boolean);
}

/** Name cells of the rows in view: their box width, and whether the text fits in it. */
async function nameCells(page: Page, tablePrefix: string) {
  return page.evaluate(
    (prefix) =>
      [
        ...document.querySelectorAll(`table[aria-label^="${prefix}"] tbody tr[data-testid] td:first-child`),
      ].map((cell) => ({
        name: cell.textContent ?? '',
        width: cell.getBoundingClientRect().width,
        fits: cell.scrollWidth <= cell.clientWidth,
      })),
    tablePrefix,
  );
}

describe('the cluster browser: layout, place, outages and several clusters', { timeout: 180_000 }, () => {
  let chain: Chain;
  let browser: Browser;
  let ui: UiProcess;
  let view: UiPage;
  let page: Page;
  let secondAgent: RunningAgent | undefined;
  let secondAgentState: string | undefined;
  const screenProblems: string[] = [];

  const audit = async (screen: string) => {
    const found = await auditScreen(page, screen);
    if (found) screenProblems.push(found);
    return found;
  };
  const columnHeader = (name: string) => page.getByRole('columnheader', { name, exact: true });
  const podsTable = () => page.getByRole('table', { name: `Pods in ${chain.cluster}` });

  beforeAll(async () => {
    [chain, browser, ui] = await Promise.all([
      startChain({ kubeSim: { podStartDelayMs: 0 } }),
      launchChromium(),
      startUiProcess(),
    ]);
    view = await openUiPage(browser, ui.url);
    page = view.page;
  }, 120_000);

  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await ui?.stop();
    await secondAgent?.close({ graceMs: 200 });
    await chain?.close();
    if (secondAgentState) await rm(secondAgentState, { recursive: true, force: true });
  });

  it('signs in and opens the cluster: focus moves to its heading', async () => {
    await page.getByRole('textbox', { name: 'Relay URL' }).fill(chain.relayUrl);
    await page.getByRole('button', { name: 'Connect and sign in' }).click();
    await completeBrowserSignIn(browser, await ui.nextOpenedUrl(), chain.human);
    await page.locator(`[data-testid="cluster-row-${chain.cluster}"][data-status="connected"]`).waitFor();
    await page.locator('[data-proxy-state="ready"]').waitFor({ timeout: 30_000 });
    // The cluster list keeps its name column too, at 800 px.
    await page.setViewportSize(SMALL_VIEWPORT);
    await columnHeader('Labels').waitFor({ state: 'detached' });
    const [clusterName] = await nameCells(page, 'Clusters');
    expect(clusterName?.width).toBeGreaterThanOrEqual(150);
    await page.setViewportSize(VIEWPORT);

    await page.getByRole('button', { name: `Browse ${chain.cluster}` }).click();
    const heading = page.getByRole('heading', { name: chain.cluster, level: 2 });
    await heading.waitFor();
    await expect
      .poll(() =>
        page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`),
      )
      .toBe(`H2 ${chain.cluster}`);
    await podsTable().locator('tbody tr[data-testid]').first().waitFor();
  });

  it('keeps the name readable at 800 px, drops lesser columns there and shows them at 1280', async () => {
    // A pod whose name no column can hold: cut off, with the whole name as its tooltip.
    const created = await chain.kubeAdmin.request('POST', '/api/v1/namespaces/shop/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: LONG_POD, namespace: 'shop' },
      spec: { containers: [{ name: 'main', image: 'busybox' }] },
    });
    expect(created.status).toBe(201);

    await page.setViewportSize(VIEWPORT);
    // kubectl get pods -A's columns.
    for (const header of ['Name', 'Namespace', 'Ready', 'Status', 'Restarts', 'Age']) {
      await columnHeader(header).waitFor();
    }
    await page.setViewportSize(SMALL_VIEWPORT);
    await columnHeader('Namespace').waitFor({ state: 'detached' });
    expect(await columnHeader('Restarts').count()).toBe(0);
    expect(await columnHeader('Name').count()).toBe(1);
    expect(await columnHeader('Status').count()).toBe(1);

    const cells = await nameCells(page, 'Pods in');
    const demoPods = cells.filter((cell) => cell.name !== LONG_POD);
    expect(demoPods.length).toBeGreaterThan(3);
    for (const cell of demoPods) {
      expect(cell.width, cell.name).toBeGreaterThanOrEqual(200);
      expect(cell.fits, `${cell.name} is cut off`).toBe(true);
    }

    await page.getByRole('searchbox', { name: 'Search' }).fill('report-generator');
    const longCell = page.getByTestId(`pod-row-${LONG_POD}`).locator('td').first();
    await longCell.hover();
    await expect.poll(() => longCell.getAttribute('title')).toBe(LONG_POD);
    // A cell that fits gets no tooltip: nothing to reveal.
    const ageCell = page.getByTestId(`pod-row-${LONG_POD}`).locator('td').last();
    await ageCell.hover();
    expect(await ageCell.getAttribute('title')).toBeNull();
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.setViewportSize(VIEWPORT);
    expect(await audit('browse-pods')).toBe('');
  });

  it('sorts by a header: ascending, descending, then back to the default order', async () => {
    const header = columnHeader('Name');
    expect(await header.getAttribute('aria-sort')).toBe('none');
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const ascending = (await nameCells(page, 'Pods in')).map((cell) => cell.name);
    expect(ascending).toEqual([...ascending].sort());
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const descending = (await nameCells(page, 'Pods in')).map((cell) => cell.name);
    expect(descending).toEqual([...descending].sort().reverse());
    expect(page.url()).toContain('sort=-name');
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('none');
  });

  it('lists events newest first, names readable, warnings marked', async () => {
    // A container whose command does not exist: the kubelet records a Warning (Failed, StartError).
    const created = await chain.kubeAdmin.request('POST', '/api/v1/namespaces/shop/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cannot-start', namespace: 'shop' },
      spec: { containers: [{ name: 'main', image: 'busybox', command: ['/no/such/binary'] }] },
    });
    expect(created.status).toBe(201);

    await showKind(page, 'Events');
    const table = page.getByRole('table', { name: `Events in ${chain.cluster}` });
    const warning = table.locator('tr[data-type="Warning"]').first();
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.getAttribute('class')).toContain('row-warning');
    expect(await warning.innerText()).toContain('⚠');
    // Youngest Last Seen first: the newest events at the top.
    expect(await columnHeader('Last Seen').getAttribute('aria-sort')).toBe('ascending');

    // The first row is one of the events that happened last (several can share the second).
    const listed = await chain.kubeAdmin.request('GET', '/api/v1/events');
    const events = (listed.body as { items: { metadata: { name: string }; lastTimestamp: string }[] }).items;
    const latest = Math.max(...events.map((event) => Date.parse(event.lastTimestamp)));
    const newest = events
      .filter((event) => Date.parse(event.lastTimestamp) === latest)
      .map((event) => `event-row-${event.metadata.name}`);
    const first = table.locator('tbody tr[data-testid]').first();
    expect(newest).toContain(await first.getAttribute('data-testid'));

    for (const viewport of [VIEWPORT, SMALL_VIEWPORT]) {
      await page.setViewportSize(viewport);
      await columnHeader('Message').waitFor();
      for (const cell of await nameCells(page, 'Events in')) {
        expect(cell.width, `event name at ${viewport.width} px`).toBeGreaterThanOrEqual(200);
      }
    }
    await page.setViewportSize(VIEWPORT);
    expect(await audit('browse-events')).toBe('');
  });

  it('keeps the place in the address: reload and Back bring back kind, namespace, search and selection', async () => {
    await showKind(page, 'Pods');
    await page.getByRole('combobox', { name: 'Namespace' }).selectOption('shop');
    await page.getByRole('searchbox', { name: 'Search' }).fill('frontend');
    const row = podsTable().locator('tr[data-testid^="pod-row-frontend"]').first();
    const pod = (await row.getAttribute('data-testid'))!.slice('pod-row-'.length);
    await row.click();
    await page.getByTestId('resource-details').waitFor();
    const hash = new URL(page.url()).hash;
    expect(hash).toContain(`#/clusters/${chain.cluster}/pods?`);
    expect(hash).toContain('ns=shop');
    expect(hash).toContain('q=frontend');
    expect(hash).toContain(`sel=shop%2F${pod}`);

    const expectPlace = async () => {
      await page.getByRole('treeitem', { name: 'Pods', exact: true, selected: true }).waitFor();
      expect(await page.getByRole('combobox', { name: 'Namespace' }).inputValue()).toBe('shop');
      expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('frontend');
      await page.locator(`[data-testid="pod-row-${pod}"][aria-selected="true"]`).waitFor();
      await page.getByTestId('resource-details').waitFor();
    };
    await page.reload();
    await expectPlace();
    expect(page.url()).not.toContain('secret');

    await showKind(page, 'Deployments');
    await page.getByRole('table', { name: `Deployments in ${chain.cluster}` }).waitFor();
    await page.goBack();
    await expectPlace();
  });

  it('keeps the view through an outage, marked stale, and goes live again in the same place; the log resumes without repeats', async () => {
    const pod = (await page
      .locator('tr[data-testid^="pod-row-"][aria-selected="true"]')
      .getAttribute('data-testid'))!;
    const rowsBefore = await podsTable().locator('tbody tr[data-testid]').count();
    // The pod's log, followed: nginx logs a probe a second, each with its time (no two alike).
    await page.getByTestId('resource-details').getByRole('tab', { name: 'Logs' }).click();
    await expect
      .poll(() => logLines(page).then((lines) => lines.length), { timeout: 30_000 })
      .toBeGreaterThan(2);
    await chain.agent.stop();
    await page.getByTestId('stale-notice').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('stale-notice').innerText()).toMatch(
      /Offline — showing data from \d\d:\d\d:\d\d/,
    );
    await podsTable().and(page.locator('[data-stale="true"]')).waitFor();
    expect(await podsTable().locator('tbody tr[data-testid]').count()).toBe(rowsBefore);
    expect(await page.locator(`[data-testid="${pod}"][aria-selected="true"]`).count()).toBe(1);
    await page.getByTestId('resource-details').waitFor();
    expect(await page.getByTestId('cluster-unavailable').count()).toBe(0);
    expect(await audit('browse-offline')).toBe('');

    await chain.agent.start();
    await page.getByTestId('stale-notice').waitFor({ state: 'detached', timeout: 30_000 });
    await podsTable().and(page.locator('table:not([data-stale])')).waitFor({ timeout: 30_000 });
    await page.getByRole('treeitem', { name: 'Pods', exact: true, selected: true }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Namespace' }).inputValue()).toBe('shop');
    await page.locator(`[data-testid="${pod}"][aria-selected="true"]`).waitFor();

    // The log went on from where it stopped: lines written during the outage arrive, none twice.
    await page.locator('[data-testid="log-status"][data-resuming="false"]').waitFor({ timeout: 30_000 });
    const probesBefore = (await logLines(page)).filter((line) => line.includes('GET / HTTP')).length;
    await expect
      .poll(
        () => logLines(page).then((lines) => lines.filter((line) => line.includes('GET / HTTP')).length),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(probesBefore);
    const lines = await logLines(page);
    expect(lines.length).toBe(new Set(lines).size);
    await page.getByTestId('resource-details').getByRole('tab', { name: 'YAML' }).click();
  });

  it('fits the shell’s terminal inside its panel at both sizes, and offers Reconnect after an outage', async () => {
    const details = page.getByTestId('resource-details');
    await details.getByRole('tab', { name: 'Shell' }).click();
    await page.locator('[data-testid="shell-status"][data-phase="running"]').waitFor({ timeout: 30_000 });
    for (const viewport of [VIEWPORT, SMALL_VIEWPORT]) {
      await page.setViewportSize(viewport);
      await expect
        .poll(
          async () => {
            const [panel, terminal] = await Promise.all([
              details.boundingBox(),
              page.getByTestId('terminal').boundingBox(),
            ]);
            return (
              panel !== null &&
              terminal !== null &&
              terminal.x >= panel.x &&
              terminal.x + terminal.width <= panel.x + panel.width &&
              terminal.y + terminal.height <= panel.y + panel.height
            );
          },
          { message: `the terminal inside its panel at ${viewport.width}×${viewport.height}` },
        )
        .toBe(true);
    }
    await page.setViewportSize(VIEWPORT);

    // An outage ends the session: the shell says so and offers to reconnect once the cluster is back.
    await chain.agent.stop();
    await page
      .getByTestId('shell-status')
      .filter({ hasText: /session ended with the connection/ })
      .waitFor({ timeout: 30_000 });
    await chain.agent.start();
    await page.getByTestId('stale-notice').waitFor({ state: 'detached', timeout: 30_000 });
    await details.getByRole('button', { name: 'Reconnect' }).click();
    await page.locator('[data-testid="shell-status"][data-phase="running"]').waitFor({ timeout: 30_000 });
    await details.getByRole('tab', { name: 'YAML' }).click();
  });

  it('retries a failed list by itself, never showing an empty list under the error, and clears it', async () => {
    const binding = `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/chain-${chain.human.username}-cluster-admin`;
    const removed = await chain.kubeAdmin.request('DELETE', binding);
    expect(removed.status).toBe(200);
    await showKind(page, 'ConfigMaps');
    const problem = page.getByTestId('watch-problem');
    await problem.waitFor({ timeout: 30_000 });
    await page
      .getByTestId('watch-retry')
      .filter({ hasText: /Retrying in \d+ s\.|Retrying…/ })
      .waitFor();
    expect(await page.getByRole('table', { name: `ConfigMaps in ${chain.cluster}` }).count()).toBe(0);
    expect(await page.getByTestId('resource-count').innerText()).toBe('Not loaded');
    expect(await audit('browse-retrying')).toBe('');
    // Retry now starts an attempt at once (still refused: the error stays, the countdown restarts).
    await problem.getByRole('button', { name: 'Retry now' }).click();
    await problem.waitFor();

    await chain.bindClusterRole(chain.human.username, 'cluster-admin');
    await problem.waitFor({ state: 'detached', timeout: 45_000 });
    await page.getByRole('table', { name: `ConfigMaps in ${chain.cluster}` }).waitFor();
  });

  it('keeps two clusters open at once, each in its own place', async () => {
    const joinToken = await chain.relay.createCluster(SECOND_CLUSTER);
    await chain.relay.grant(chain.human.username, 'admin', { cluster: SECOND_CLUSTER });
    secondAgentState = await mkdtemp(join(tmpdir(), 'switchboard-ui-browse-agent-'));
    secondAgent = await startAgent({
      relay: chain.relayUrl,
      joinToken,
      kubeconfig: chain.agent.kubeconfigPath,
      stateDir: secondAgentState,
      backoff: { baseMs: 50, capMs: 500 },
      logLevel: 'error',
    });
    await secondAgent.waitForSessions(undefined, 20_000);

    await page.getByRole('button', { name: 'All clusters', exact: true }).click();
    await page.locator(`[data-testid="cluster-row-${SECOND_CLUSTER}"][data-status="connected"]`).waitFor({
      timeout: 30_000,
    });
    await page.getByRole('button', { name: `Browse ${SECOND_CLUSTER}` }).click();
    await page.getByRole('heading', { name: SECOND_CLUSTER, level: 2 }).waitFor();
    await showKind(page, 'Deployments');
    await page.getByRole('table', { name: `Deployments in ${SECOND_CLUSTER}` }).waitFor();

    const switcher = page.getByRole('navigation', { name: 'Open clusters' });
    await switcher.getByRole('button', { name: chain.cluster, exact: true }).click();
    await page.getByRole('heading', { name: chain.cluster, level: 2 }).waitFor();
    await page.getByRole('treeitem', { name: 'ConfigMaps', exact: true, selected: true }).waitFor();
    expect(new URL(page.url()).hash).toContain(`#/clusters/${chain.cluster}/configmaps`);
    expect(await audit('browse-two-clusters')).toBe('');

    await switcher.getByRole('button', { name: SECOND_CLUSTER, exact: true }).click();
    await page.getByRole('treeitem', { name: 'Deployments', exact: true, selected: true }).waitFor();
    await switcher.getByRole('button', { name: `Close ${SECOND_CLUSTER}` }).click();
    await page.getByRole('table', { name: 'Clusters' }).waitFor();
    expect(await switcher.getByRole('button', { name: SECOND_CLUSTER, exact: true }).count()).toBe(0);
  });

  it('says why when the address names a cluster the person cannot see', async () => {
    await page.goto(`${new URL(page.url()).origin}/#/clusters/not-granted/pods`);
    const notice = page.getByTestId('cluster-unavailable');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/not in your list of clusters/);
  });

  it('passes axe (no serious or critical violations) on every screen, light and dark, at both sizes', () => {
    expect(screenProblems.join('\n')).toBe('');
  });

  it('ran without console errors or Content-Security-Policy violations', () => {
    expect(view.problems).toEqual([]);
  });
});
