/**
 * Logs, shells and port-forwards in the UI, end to end: the real `switchboard ui` process in front
 * of the real chain (relay, agent, kube-sim with the demo), driven through headless Chromium. A
 * busybox pod (no bash) with an init container, a sidecar and a container that crashed once gives
 * the container picker, previous logs and the sh fallback something to show; the deployment
 * `frontend` has three pods for its interleaved log; a port-forward started from the UI is reached
 * with a real TCP client. Each screen is audited with axe-core and photographed (support/ui-page.ts).
 *
 * The tests run in order and share the one page: each continues where the previous one left off.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { auditScreen, openUiPage, showKind, type UiPage, VIEWPORT } from './support/ui-page.js';
import { startUiProcess, type UiProcess } from './support/ui-process.js';

/** The little of the DOM the page functions below touch (this project compiles without lib.dom). */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
};

const TOOLBOX = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'toolbox', namespace: 'shop', labels: { app: 'toolbox' } },
  spec: {
    initContainers: [
      { name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo setting up'] },
      { name: 'shipper', image: 'busybox:1.36', restartPolicy: 'Always' },
    ],
    containers: [
      { name: 'main', image: 'busybox:1.36' },
      {
        name: 'flaky',
        image: 'busybox:1.36',
        command: [
          'sh',
          '-c',
          'n=$(cat runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > runs; echo "run $n"; [ "$n" -gt 1 ] || exit 1; while true; do sleep 1; done',
        ],
      },
      {
        // 25,000 lines at once when the test says so (a file in the pod's shared directory).
        name: 'burst',
        image: 'busybox:1.36',
        command: [
          'sh',
          '-c',
          'while [ ! -e burst ]; do sleep 1; done; i=0; while [ $i -lt 25000 ]; do echo "burst line $i"; i=$((i+1)); done; exec sleep 100000',
        ],
      },
    ],
  },
};

/** Two pods of two containers each: the app (simulated busybox heartbeat) and a helper that logs its own line. */
const DUO = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'duo', namespace: 'shop' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'duo' } },
    template: {
      metadata: { labels: { app: 'duo' } },
      spec: {
        containers: [
          { name: 'app', image: 'busybox:1.36' },
          {
            name: 'helper',
            image: 'busybox:1.36',
            command: ['sh', '-c', 'while true; do echo "helper says hi"; sleep 1; done'],
          },
        ],
      },
    },
  },
};

/** GET / on 127.0.0.1:port: the body, or the connection error's code. */
function httpGet(port: number): Promise<{ body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** The lines of the terminal's screen, as xterm renders them. */
async function terminalText(page: Page): Promise<string> {
  const rows = await page.locator('[data-testid="terminal"] .xterm-rows > div').allInnerTexts();
  return rows.map((row) => row.replaceAll('\u00a0', ' ').trimEnd()).join('\n');
}

describe('logs, shells and port-forwards in the UI against the real chain', { timeout: 120_000 }, () => {
  let chain: Chain;
  let browser: Browser;
  let ui: UiProcess;
  let view: UiPage;
  let page: Page;
  const screenProblems: string[] = [];

  const audit = async (screen: string) => {
    const found = await auditScreen(page, screen);
    if (found) screenProblems.push(found);
    return found;
  };
  const logText = () =>
    page.evaluate(() => document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '');
  const openRow = async (kindTab: string, testId: string) => {
    await showKind(page, kindTab);
    await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(testId.replace(/^\w+-row-/, ''));
    await page.getByTestId(testId).click();
    await page.getByTestId('resource-details').waitFor();
  };

  beforeAll(async () => {
    [chain, browser, ui] = await Promise.all([
      startChain({ kubeSim: { podStartDelayMs: 0 } }),
      launchChromium(),
      startUiProcess(),
    ]);
    const created = await chain.kubeAdmin.request('POST', '/api/v1/namespaces/shop/pods', TOOLBOX);
    expect(created.status).toBe(201);
    const duo = await chain.kubeAdmin.request('POST', '/apis/apps/v1/namespaces/shop/deployments', DUO);
    expect(duo.status).toBe(201);
    view = await openUiPage(browser, ui.url);
    page = view.page;

    await page.getByRole('textbox', { name: 'Relay URL' }).fill(chain.relayUrl);
    await page.getByRole('button', { name: 'Connect and sign in' }).click();
    await completeBrowserSignIn(browser, await ui.nextOpenedUrl(), chain.human);
    await page.locator(`[data-testid="cluster-row-${chain.cluster}"][data-status="connected"]`).waitFor();
    await page.getByRole('button', { name: `Browse ${chain.cluster}` }).click();
    await page.getByRole('table', { name: `Pods in ${chain.cluster}` }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await ui?.stop();
    await chain?.close();
  });

  it('logs: container picker with init and sidecar, search highlights, pause and resume, timestamps, download', async () => {
    // The flaky container restarts once; its previous log exists from then on.
    await expect
      .poll(
        async () => {
          const pod = await chain.kubeAdmin.request('GET', '/api/v1/namespaces/shop/pods/toolbox');
          const statuses = (
            pod.body as { status?: { containerStatuses?: { name: string; restartCount: number }[] } }
          ).status?.containerStatuses;
          return statuses?.find((each) => each.name === 'flaky')?.restartCount ?? 0;
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    await openRow('Pods', 'pod-row-toolbox');
    await page.getByRole('tab', { name: 'Logs' }).click();
    const picker = page.getByRole('combobox', { name: 'Container' });
    await picker.waitFor();
    expect(await picker.locator('option').allInnerTexts()).toEqual([
      'setup (init)',
      'shipper (sidecar)',
      'main',
      'flaky',
      'burst',
    ]);
    expect(await picker.inputValue()).toBe('main');
    await page.getByTestId('log-status').filter({ hasText: 'Following the log of toolbox/main.' }).waitFor();
    // main never restarted: previous is offered, disabled, with the reason.
    const previous = page.getByRole('checkbox', { name: 'Previous container' });
    expect(await previous.isDisabled()).toBe(true);
    expect(await previous.getAttribute('aria-describedby')).toBeTruthy();

    // busybox prints a heartbeat a second.
    await page.waitForFunction(
      () =>
        (
          (document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '').match(/heartbeat/g) ??
          []
        ).length >= 2,
      undefined,
      { timeout: 30_000 },
    );
    await page.getByRole('searchbox', { name: 'Search the log' }).fill('heartbeat');
    await page
      .getByTestId('log-match-count')
      .filter({ hasText: /^1 of \d+$/ })
      .waitFor();
    expect(await page.locator('[data-testid="log-view"] mark.log-match').count()).toBeGreaterThan(1);
    expect(await page.locator('[data-testid="log-view"] mark.log-match-active').count()).toBe(1);
    await page.getByRole('button', { name: 'Next match' }).click();
    await page
      .getByTestId('log-match-count')
      .filter({ hasText: /^2 of \d+$/ })
      .waitFor();
    await page.getByRole('searchbox', { name: 'Search the log' }).fill('');

    // Pause keeps buffering and counts what came in; resume shows it.
    await page.getByRole('button', { name: 'Pause' }).click();
    const pausedText = await logText();
    await page
      .getByTestId('log-status')
      .filter({ hasText: /Paused: [1-9]\d* new lines/ })
      .waitFor({ timeout: 15_000 });
    expect(await logText()).toBe(pausedText);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForFunction(
      (before) =>
        (document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '').length > before.length,
      pausedText,
    );

    await page.getByRole('checkbox', { name: 'Timestamps' }).check();
    expect(await page.locator('[data-testid="log-view"] .log-time').count()).toBeGreaterThan(0);
    expect(await audit('logs-toolbar')).toBe('');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('toolbox-main.log');
    const file = await readFile((await download.path())!, 'utf8');
    expect(file).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z .*heartbeat/m);
    await page.getByRole('checkbox', { name: 'Timestamps' }).uncheck();

    await page.getByRole('button', { name: 'Maximize' }).click();
    expect(await page.locator('.logs-maximized').count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Maximize' }).waitFor();

    // At 800x600 the toolbar wraps inside the window and the log stays readable.
    await page.setViewportSize({ width: 800, height: 600 });
    const toolbar = (await page.locator('.log-toolbar').boundingBox())!;
    expect(toolbar.x + toolbar.width).toBeLessThanOrEqual(800);
    expect((await page.getByTestId('log-view').boundingBox())!.height).toBeGreaterThan(100);
    expect(await audit('logs-800x600')).toBe('');
    await page.setViewportSize(VIEWPORT);
  });

  it('logs: the previous container of one that restarted', async () => {
    await page.getByRole('combobox', { name: 'Container' }).selectOption('flaky');
    const previous = page.getByRole('checkbox', { name: 'Previous container' });
    await expect.poll(() => previous.isEnabled()).toBe(true);
    await page.waitForFunction(() =>
      (document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '').includes('run 2'),
    );
    await previous.check();
    await page
      .getByTestId('log-status')
      .filter({ hasText: 'The whole log of toolbox/flaky (previous container).' })
      .waitFor();
    expect((await logText()).trim()).toBe('run 1');
    expect(await audit('logs-previous')).toBe('');
  });

  it('logs: 25,000 lines at once stay bounded, say how many were dropped, and remain searchable', async () => {
    await page.getByRole('combobox', { name: 'Container' }).selectOption('burst');
    await page.getByTestId('log-status').filter({ hasText: 'Following the log of toolbox/burst.' }).waitFor();
    // kubectl through the chain's own proxy starts the burst.
    await promisify(execFile)('kubectl', [
      '--kubeconfig',
      chain.kubeconfigPath,
      'exec',
      '-n',
      'shop',
      'toolbox',
      '-c',
      'main',
      '--',
      'touch',
      'burst',
    ]);
    await page
      .getByTestId('log-status')
      .filter({ hasText: /[\d,]+ older lines were dropped/ })
      .waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '').endsWith(
          'burst line 24999\n',
        ),
      undefined,
      { timeout: 30_000 },
    );
    const lines = (await logText()).split('\n').filter(Boolean);
    expect(lines.length).toBeLessThanOrEqual(22_000);
    expect(lines.length).toBeGreaterThanOrEqual(20_000);
    await page.getByRole('searchbox', { name: 'Search the log' }).fill('burst line 24998');
    await page.getByTestId('log-match-count').filter({ hasText: '1 of 1' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search the log' }).fill('');
  });

  it('shells: sh where the image has no bash, two tabs, and they survive switching kinds and back', async () => {
    await page.getByRole('tab', { name: 'Shell' }).click();
    await page
      .locator('[data-testid="shell-status"][data-phase="running"][data-shell="sh"]')
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('shell-status').innerText()).toContain('the image has no bash');
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo first-$((6*7))');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page)).toMatch(/^first-42$/m);

    await page.getByRole('button', { name: 'New shell' }).click();
    const tabs = page.getByRole('tablist', { name: 'Shells in toolbox' }).getByRole('tab');
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['toolbox/main', 'toolbox/main (2)']);
    await page.locator('[data-testid="shell-status"][data-phase="running"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo second-$((7*7))');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page)).toMatch(/^second-49$/m);
    expect(await terminalText(page)).not.toMatch(/first-42/);
    expect(await audit('shell-tabs')).toBe('');

    // Away to Deployments and back: the same two shells, the first with its screen and still alive.
    await showKind(page, 'Deployments');
    await page.getByRole('table', { name: `Deployments in ${chain.cluster}` }).waitFor();
    await openRow('Pods', 'pod-row-toolbox');
    await page.getByRole('tab', { name: 'Shell' }).click();
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['toolbox/main', 'toolbox/main (2)']);
    await tabs.first().click();
    await expect.poll(() => terminalText(page)).toMatch(/^first-42$/m);
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo again-$((8*8))');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page)).toMatch(/^again-64$/m);

    await tabs.nth(1).click();
    await page.getByRole('button', { name: 'Close shell toolbox/main (2)' }).click();
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['toolbox/main']);
  });

  it('logs of a deployment: every pod, each line prefixed with its pod; another container in every pod', async () => {
    await openRow('Deployments', 'deployment-row-frontend');
    await page.getByRole('tab', { name: 'Logs' }).click();
    const following = page.locator('[aria-label="Pods in this log"] li[data-state="following"]');
    await expect.poll(() => following.count(), { timeout: 30_000 }).toBe(3);
    const pods = (
      await following.evaluateAll((items) => items.map((item) => item.getAttribute('data-testid')))
    ).map((id) => id!.slice('log-pod-'.length));
    await page.waitForFunction(
      (names: string[]) => {
        const text = document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '';
        return names.every((name) => text.includes(`${name} `));
      },
      pods,
      { timeout: 30_000 },
    );
    expect(await audit('logs-deployment')).toBe('');

    // A deployment whose pods have two containers: the picker follows the other one in every pod.
    await openRow('Deployments', 'deployment-row-duo');
    await page.getByRole('tab', { name: 'Logs' }).click();
    const picker = page.getByRole('combobox', { name: 'Container' });
    await picker.waitFor({ timeout: 30_000 });
    expect(await picker.locator('option').allInnerTexts()).toEqual(['app', 'helper']);
    await picker.selectOption('helper');
    await page
      .getByTestId('log-status')
      .filter({ hasText: 'Following the log of the pods of deployment duo, container helper.' })
      .waitFor();
    await page.waitForFunction(
      () =>
        /duo-\S+ helper says hi/.test(
          document.querySelector('[data-testid="log-view"] pre')?.textContent ?? '',
        ),
      undefined,
      { timeout: 30_000 },
    );
  });

  it('port-forward: started from a service, answers a real TCP client, opens in the browser, stops', async () => {
    await openRow('Services', 'service-row-frontend');
    await page.getByRole('tab', { name: 'Port forward' }).click();
    await page.getByRole('combobox', { name: 'Port' }).waitFor();
    await page.getByRole('button', { name: 'Start forwarding' }).click();
    const item = page.locator('.port-forwards li[data-state="forwarding"]');
    await item.waitFor();
    const localPort = Number((await item.getAttribute('data-testid'))!.slice('port-forward-'.length));
    expect(await httpGet(localPort)).toEqual({ body: expect.stringContaining('Welcome to nginx!') });
    expect(await audit('port-forwards')).toBe('');

    // Still listed, and still answering, in another view.
    await showKind(page, 'Pods');
    await page.getByRole('region', { name: 'Port forwards' }).waitFor();
    expect(await httpGet(localPort)).toEqual({ body: expect.stringContaining('Welcome to nginx!') });

    await page.getByRole('button', { name: `Open http://127.0.0.1:${localPort} in the browser` }).click();
    expect(await ui.nextOpenedUrl()).toBe(`http://127.0.0.1:${localPort}/`);

    await page.getByRole('button', { name: `Stop forwarding 127.0.0.1:${localPort}` }).click();
    await page.getByRole('region', { name: 'Port forwards' }).waitFor({ state: 'detached' });
    expect(await httpGet(localPort)).toEqual({ error: 'ECONNREFUSED' });
  });

  it('had no axe violations, console errors or CSP violations', () => {
    expect(screenProblems).toEqual([]);
    expect(view.problems).toEqual([]);
  });
});
