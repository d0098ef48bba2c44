/**
 * The demo's one local proxy, as a person uses it: `npm run demo`'s program (built), kubectl with
 * the `export KUBECONFIG=…` line it printed, and the UI it serves, in headless Chromium. The UI
 * shows and controls that same proxy: a busy port is refused on the port field with the proxy left
 * serving on its port; switched off and on it comes back on the same port; signed out and in again
 * as alice, the printed line works again, now as alice. Ctrl-C removes the kubeconfig.
 *
 * The tests run in order and share the one demo and page: each continues where the previous one
 * left off.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import { Kubectl } from '@switchboard/test-support/kubectl';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, Processes } from '../faults/support/processes.js';
import { auditScreen, openUiPage, type UiPage } from './support/ui-page.js';

const DEMO = fileURLToPath(new URL('../../dist/demo/main.js', import.meta.url));

describe("the demo's local proxy, shared by the UI and the printed kubeconfig", { timeout: 120_000 }, () => {
  const processes = new Processes();
  let scratch: string;
  let demo: Child;
  let browser: Browser;
  let view: UiPage;
  let page: Page;
  let kubectl: Kubectl;
  let kubeconfigPath: string;
  let exportLine: string;
  let proxyUrl: string;
  let settingsFile: string;
  const screenProblems: string[] = [];

  const proxyState = (state: string) => page.locator(`[data-proxy-state="${state}"]`);
  /** Whom the cluster sees behind the printed kubeconfig (the agent impersonates the signed-in user). */
  const whoami = async () =>
    (await kubectl.ok(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'])).trim();
  /** kubectl through the printed kubeconfig: the demo cluster's namespaces, by name. */
  const namespaces = async () => (await kubectl.ok(['get', 'namespaces', '-o', 'name'])).split('\n');

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-ui-proxy-'));
    const home = join(scratch, 'home');
    await mkdir(home, { mode: 0o700 });
    // No D-Bus session here: the demo keeps its user's tokens in memory.
    const env = { PATH: process.env.PATH, HOME: home, SWITCHBOARD_DEMO_DIR: join(scratch, 'demo') };
    demo = processes.start('demo', process.execPath, [DEMO], env);
    browser = await launchChromium();
    const [, uiUrl] = await demo.waitFor(/^ {2}UI {2,}(\S+)/m, { timeoutMs: 90_000 });
    [, exportLine] = (await demo.waitFor(/^ {2}(export KUBECONFIG=\S+)$/m)) as [string, string];
    [, proxyUrl] = (await demo.waitFor(/^ {2}local proxy {2}(https:\/\/127\.0\.0\.1:\d+)\/clusters\//m)) as [
      string,
      string,
    ];
    kubeconfigPath = exportLine.slice('export KUBECONFIG='.length);
    settingsFile = join(scratch, 'demo', 'app', 'app-settings.json');
    kubectl = new Kubectl('kubectl', { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfigPath });
    view = await openUiPage(browser, uiUrl!);
    page = view.page;
  }, 120_000);

  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await processes.stopAll();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('the UI shows the proxy whose export line the demo printed, and kubectl goes through it', async () => {
    await proxyState('ready').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('export-line').innerText()).toBe(exportLine);
    expect(await proxyState('ready').innerText()).toContain(proxyUrl);
    expect(await namespaces()).toContain('namespace/shop');
    expect(await whoami()).toBe('demo');
  });

  it('a busy port is refused once, on the port field; the proxy keeps serving on its port, which stays saved', async () => {
    const settingsBefore = await readFile(settingsFile, 'utf8').catch(() => 'no settings saved');
    const busy: Server = createServer();
    busy.listen({ port: 0, host: '127.0.0.1' });
    await once(busy, 'listening');
    try {
      const busyPort = (busy.address() as { port: number }).port;
      await page.getByRole('textbox', { name: 'Port' }).fill(String(busyPort));
      await page.getByRole('button', { name: 'Change port' }).click();

      const error = page.getByTestId('port-error');
      await error.waitFor();
      expect(await error.innerText()).toMatch(
        new RegExp(
          `already in use.*Port ${busyPort} on 127\\.0\\.0\\.1.*keeps running on port ${new URL(proxyUrl).port}`,
          's',
        ),
      );
      // Once: no second alert about the same port anywhere on the page.
      expect(await page.locator('[role="alert"] [data-error-kind="port-in-use"]').count()).toBe(1);
      expect(await page.getByRole('textbox', { name: 'Port' }).getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByRole('switch', { name: 'Local proxy' }).getAttribute('aria-checked')).toBe(
        'true',
      );
      expect(await proxyState('ready').innerText()).toContain(proxyUrl);
      expect(await namespaces()).toContain('namespace/shop');
      expect(await readFile(settingsFile, 'utf8').catch(() => 'no settings saved')).toBe(settingsBefore);
      const found = await auditScreen(page, 'proxy-port-in-use', { element: 'section.proxy-panel' });
      if (found) screenProblems.push(found);
    } finally {
      busy.close();
    }
  });

  it('switched off and on in the UI, the proxy comes back on the same port and the printed line works again', async () => {
    const toggle = page.getByRole('switch', { name: 'Local proxy' });
    await toggle.click();
    await proxyState('off').waitFor();
    expect(existsSync(kubeconfigPath)).toBe(false);
    expect((await kubectl.run(['get', 'namespaces'])).code).not.toBe(0);

    await toggle.click();
    await proxyState('ready').waitFor({ timeout: 30_000 });

    expect(await proxyState('ready').innerText()).toContain(proxyUrl);
    expect(await page.getByTestId('export-line').innerText()).toBe(exportLine);
    expect(await namespaces()).toContain('namespace/shop');
  });

  it('signed out and in again as alice, the same printed line works, now as alice', async () => {
    expect(await page.getByTestId('proxy-identity').innerText()).toMatch(/signing in as someone else/i);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const [, signInUrl] = (await demo.waitFor(/^Open in your browser: (\S+)$/m)) as [string, string];
    const alice = /as the demo user (\S+) \(password "([^"]*)"\):$/m.exec(demo.stdout)!;
    expect(
      await completeBrowserSignIn(browser, signInUrl, { username: alice[1]!, password: alice[2]! }),
    ).toMatch(/Signed in to Switchboard/);

    await proxyState('ready').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('account-name').innerText()).toMatch(/Demo User|alice/);
    expect(await proxyState('ready').innerText()).toContain(proxyUrl);
    expect(await page.getByTestId('export-line').innerText()).toBe(exportLine);
    expect(await namespaces()).toContain('namespace/shop');
    expect(await whoami()).toBe(alice[1]);
  });

  it('Ctrl-C stops the demo and removes the printed kubeconfig; no screen had accessibility problems', async () => {
    const exit = await demo.stop('SIGINT', 60_000);
    expect(demo.stdout).toMatch(/^Stopped\.$/m);
    expect(exit.code).toBe(0);
    expect(existsSync(kubeconfigPath)).toBe(false);
    expect(view.problems).toEqual([]);
    expect(screenProblems).toEqual([]);
  });
});
