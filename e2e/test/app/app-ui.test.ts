/**
 * The desktop app end to end, as a person uses it: the real `switchboard ui` process (its core
 * with the OS keychain: gnome-keyring on a private D-Bus) in front of a real relay with its dev
 * identity provider, an agent and kube-sim (demo scenario), driven through headless Chromium.
 * Sign-in happens where the core sends the person, the "system browser": a second Chromium page
 * completes the provider's login. Each screen is audited with axe-core and photographed in light
 * and dark (into docs/screenshots/ with SWITCHBOARD_UPDATE_SCREENSHOTS=1, see support/ui-page.ts).
 *
 * The tests run in order and share the one page: each continues where the previous one left off.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { auditScreen, openUiPage, type UiPage } from './support/ui-page.js';
import { startUiProcess, type UiProcess } from './support/ui-process.js';

/** What the person already had in ~/.kube/config: merge adds to it, unmerge restores it exactly. */
const EXISTING_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: elsewhere
    cluster:
      server: https://elsewhere.example.com
users:
  - name: someone
    user:
      token: not-a-real-token
contexts:
  - name: elsewhere
    context:
      cluster: elsewhere
      user: someone
current-context: elsewhere
`;

/** The little of the DOM the page functions below touch (this project compiles without lib.dom). */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
};

/** The lines of the terminal's screen, as xterm renders them. */
async function terminalLines(page: Page): Promise<string[]> {
  const rows = await page.locator('[data-testid="terminal"] .xterm-rows > div').allInnerTexts();
  return rows.map((row) => row.replaceAll('\u00a0', ' ').trimEnd());
}

describe('the Switchboard UI against the real chain', { timeout: 120_000 }, () => {
  let chain: Chain;
  let browser: Browser;
  let ui: UiProcess;
  let view: UiPage;
  let page: Page;
  const screenProblems: string[] = [];

  /** Audits and photographs the current screen; violations are collected and failed on in the test. */
  const audit = async (screen: string, options?: { element?: string }) => {
    const found = await auditScreen(page, screen, options);
    if (found) screenProblems.push(found);
    return found;
  };

  beforeAll(async () => {
    [chain, browser, ui] = await Promise.all([
      startChain({ kubeSim: { podStartDelayMs: 0 } }),
      launchChromium(),
      startUiProcess(),
    ]);
    await mkdir(dirname(ui.userKubeconfig), { recursive: true });
    await writeFile(ui.userKubeconfig, EXISTING_KUBECONFIG, { mode: 0o600 });
    view = await openUiPage(browser, ui.url);
    page = view.page;
  }, 120_000);

  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await ui?.stop();
    await chain?.close();
  });

  it('first run: the relay URL, sign-in in the system browser, then the cluster list with the cluster Connected', async () => {
    await page.getByRole('heading', { name: 'Connect to a relay' }).waitFor();
    expect(await audit('first-run')).toBe('');

    await page.getByRole('textbox', { name: 'Relay URL' }).fill(chain.relayUrl);
    await page.getByRole('button', { name: 'Connect and sign in' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Waiting for you to finish signing in in your browser' })
      .waitFor();

    // The core opened the relay's sign-in in the "system browser": play the person there.
    const signInUrl = await ui.nextOpenedUrl();
    expect(new URL(signInUrl).origin).toBe(new URL(chain.relayUrl).origin);
    const resultPage = await completeBrowserSignIn(browser, signInUrl, chain.human);
    expect(resultPage).toMatch(/Signed in to Switchboard/);

    await page.getByRole('table', { name: 'Clusters' }).waitFor();
    await page.locator(`[data-testid="cluster-row-${chain.cluster}"][data-status="connected"]`).waitFor();
    expect(await page.getByTestId('account-name').innerText()).toMatch(/Demo User|alice/);
    expect(await page.getByTestId('relay-url').innerText()).toBe(chain.relayUrl);
    await page.locator('[data-proxy-state="ready"]').waitFor({ timeout: 30_000 });
    // The tokens went to the OS keychain.
    expect(await ui.keyring.searchSwitchboardItems()).toContain(chain.relayUrl);
    expect(await audit('cluster-list')).toBe('');
  });

  it('stays connected across a reload, on the credential kept in the tab; no secret in the address bar', async () => {
    expect(page.url()).not.toContain('secret');
    await page.reload();
    await page.locator(`[data-testid="cluster-row-${chain.cluster}"][data-status="connected"]`).waitFor();
    expect(page.url()).not.toContain('secret');
  });

  it('shows live status: Offline when the agent stops, Connected when it is back', async () => {
    const row = (status: string) =>
      page.locator(`[data-testid="cluster-row-${chain.cluster}"][data-status="${status}"]`);
    await chain.agent.stop();
    await row('offline').waitFor({ timeout: 30_000 });
    expect(await row('offline').innerText()).toMatch(/Offline/);
    await page
      .getByRole('status')
      .filter({ hasText: `${chain.cluster} is now Offline` })
      .waitFor();

    await chain.agent.start();
    await row('connected').waitFor({ timeout: 30_000 });
    expect(await row('connected').innerText()).toMatch(/Connected/);
  });

  it('browses pods: the demo pods with phase, ready and restarts', async () => {
    await page.getByRole('button', { name: `Browse ${chain.cluster}` }).click();
    await page.getByRole('heading', { name: chain.cluster, level: 2 }).waitFor();
    await page.getByRole('treeitem', { name: 'Pods', exact: true, selected: true }).waitFor();
    const table = page.getByRole('table', { name: `Pods in ${chain.cluster}` });
    await table.waitFor();

    const listed = await chain.kubeAdmin.request('GET', '/api/v1/pods');
    const total = (listed.body as { items: unknown[] }).items.length;
    await page
      .getByTestId('resource-count')
      .filter({ hasText: `${total} pods` })
      .waitFor();

    // Only the rows in view exist: search narrows the list to the shop's frontend.
    await page.getByRole('searchbox', { name: 'Search' }).fill('frontend');
    const frontend = page.locator('tr[data-testid^="pod-row-frontend"][data-namespace="shop"]').first();
    await frontend.waitFor();
    const cells = await frontend.locator('td').allInnerTexts();
    // Name, Namespace, then the apiserver's columns as kubectl get -A prints them: Ready, Status, Restarts, Age
    expect(cells.slice(1, 5)).toEqual(['shop', '1/1', 'Running', '0']);
    expect(cells[0]).toMatch(/^frontend-/);
    expect(cells[5]).toMatch(/^\d+[smhd]/);
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page
      .getByTestId('resource-count')
      .filter({ hasText: `${total} pods` })
      .waitFor();
    expect(await audit('pods')).toBe('');
  });

  it('shows a pod’s YAML, follows its log, and runs a command in its shell', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill('frontend');
    const row = page.locator('tr[data-testid^="pod-row-frontend"][data-namespace="shop"]').first();
    const pod = (await row.getAttribute('data-testid'))!.slice('pod-row-'.length);
    await row.click();

    const details = page.getByTestId('resource-details');
    await details.waitFor();
    await details.getByRole('tab', { name: 'YAML' }).click();
    const yaml = page.getByRole('region', { name: `YAML of pod shop/${pod}` });
    await yaml.filter({ hasText: 'kind: Pod' }).waitFor();
    expect(await yaml.innerText()).toContain(`name: ${pod}`);
    expect(await audit('yaml')).toBe('');

    await details.getByRole('tab', { name: 'Logs' }).click();
    const logLines = () =>
      page.evaluate(
        () =>
          (document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '')
            .split('\n')
            .filter(Boolean).length,
      );
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '').trim() !== '',
    );
    const before = await logLines();
    // Followed: a new line written by the pod shows up without doing anything.
    await page.waitForFunction(
      (count) =>
        (document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '')
          .split('\n')
          .filter(Boolean).length > count,
      before,
      { timeout: 30_000 },
    );
    expect(await audit('logs')).toBe('');

    await details.getByRole('tab', { name: 'Shell' }).click();
    await page.locator('[data-testid="shell-status"][data-phase="running"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo hello-from-shell');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="terminal"] .xterm-rows > div')].some(
        (row) => row.textContent?.replaceAll('\u00a0', ' ').trim() === 'hello-from-shell',
      ),
    );
    expect((await terminalLines(page)).some((line) => line.endsWith('echo hello-from-shell'))).toBe(true);

    // The pod's terminal has the size of the one on screen (the resize went all the way through).
    await page.keyboard.type('stty size');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="terminal"] .xterm-rows > div')].some((row) =>
        /^\d+ \d+$/.test(row.textContent?.replaceAll('\u00a0', ' ').trim() ?? ''),
      ),
    );
    const sizeLine = (await terminalLines(page)).find((line) => /^\d+ \d+$/.test(line.trim()))!;
    const [rows, columns] = sizeLine.trim().split(' ').map(Number);
    expect(rows).toBe((await terminalLines(page)).length);
    expect(columns).toBeGreaterThan(40);
    expect(await audit('shell')).toBe('');
  });

  it('deletes a pod after a confirmation; the row goes away through the watch', async () => {
    const row = page.locator('tr[data-testid^="pod-row-frontend"][data-namespace="shop"].selected');
    const pod = (await row.getAttribute('data-testid'))!.slice('pod-row-'.length);
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete pod ${pod}?` });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(`namespace shop of cluster ${chain.cluster}`);
    expect(await audit('confirm-delete')).toBe('');

    await dialog.getByRole('button', { name: 'Delete pod' }).click();
    await page.getByTestId(`pod-row-${pod}`).waitFor({ state: 'detached', timeout: 30_000 });
    await dialog.waitFor({ state: 'detached' });
    const gone = await chain.kubeAdmin.request('GET', `/api/v1/namespaces/shop/pods/${pod}`);
    expect(gone.status).toBe(404);
  });

  it('merges the contexts into ~/.kube/config and removes them again, leaving the rest as it was', async () => {
    await page.getByRole('button', { name: '← All clusters' }).click();
    await page.getByRole('table', { name: 'Clusters' }).waitFor();

    await page.getByRole('button', { name: 'Merge into ~/.kube/config' }).click();
    const mergeDialog = page.getByRole('dialog', { name: 'Merge into ~/.kube/config?' });
    await mergeDialog.getByRole('button', { name: 'Merge' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Merged 1 context into ${ui.userKubeconfig}` })
      .waitFor();
    const merged = await readFile(ui.userKubeconfig, 'utf8');
    expect(merged).toContain(`name: switchboard-${chain.cluster}`);
    expect(merged).toContain('name: elsewhere');
    expect(merged).toMatch(/^current-context: elsewhere$/m);
    expect((await stat(ui.userKubeconfig)).mode & 0o777).toBe(0o600);
    expect(await audit('proxy-panel', { element: '.proxy-panel' })).toBe('');

    await page.getByRole('button', { name: 'Remove from ~/.kube/config' }).click();
    const removeDialog = page.getByRole('dialog', { name: 'Remove Switchboard from ~/.kube/config?' });
    await removeDialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('status').filter({ hasText: 'Removed 1 Switchboard context' }).waitFor();
    expect(await readFile(ui.userKubeconfig, 'utf8')).toBe(EXISTING_KUBECONFIG);
  });

  it('signs out: back to sign-in, and the keychain holds nothing of Switchboard', async () => {
    expect(await ui.keyring.searchSwitchboardItems()).toContain(chain.relayUrl);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByTestId('account-name').count()).toBe(0);
    // Signed out of the only relay: the tokens and the key sealing the local proxy's CA and
    // credential are both gone.
    const labels = [...(await ui.keyring.searchSwitchboardItems()).matchAll(/^label = (.*)$/gm)].map(
      (match) => match[1],
    );
    expect(labels).toEqual([]);
  });

  it('passes axe (no serious or critical violations) on every screen, light and dark', () => {
    expect(screenProblems.join('\n')).toBe('');
  });

  it('ran without console errors or Content-Security-Policy violations', () => {
    expect(view.problems).toEqual([]);
  });
});
