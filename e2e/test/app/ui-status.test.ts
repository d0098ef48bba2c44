/**
 * The home screen says what is true for the user now, against the real chain (relay with its dev
 * identity provider, agent, kube-sim) through the real `switchboard ui` process and headless
 * Chromium: an offline cluster reads as a problem; a cluster whose agent never joined is worded as
 * kubectl finds it; a cluster the user may not open offers no Browse; a stopped relay and an expired
 * sign-in are states of their own (no green row, the proxy says kubectl fails) and both recover by
 * themselves; sign-out asks first while kubectl runs through the proxy; the browser host shows no
 * background switch. Each new state is audited with axe-core and photographed (support/ui-page.ts).
 *
 * The tests run in order and share the one page: each continues where the previous one left off.
 */
import { join } from 'node:path';
import { DATABASE_FILE } from '@switchboard/relay-server';
import { completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import { Kubectl } from '@switchboard/test-support/kubectl';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { auditScreen, openUiPage, type UiPage, VIEWPORT } from './support/ui-page.js';
import { startUiProcess, type UiProcess } from './support/ui-process.js';

/** A cluster the user holds a grant on whose agent never joined. */
const NEVER_JOINED = 'never-joined';
/** A cluster the user sees (a global admin sees every one) but holds no grant on. */
const NOT_GRANTED = 'not-granted';
/** The core's grace before a dropped status stream counts as an unreachable relay, and some slack. */
const UNREACHABLE_WITHIN_MS = 5_000 + 10_000;
/** The status stream's reconnect backoff is capped at 30 s: recovery comes within that and some. */
const RECOVERS_WITHIN_MS = 45_000;

const kubectlBinary = requireKubectl(33);

/** The little of the DOM the page functions below touch (this project compiles without lib.dom). */
declare function getComputedStyle(element: unknown): { color: string; backgroundColor: string };

describe.skipIf(!kubectlBinary)('the home screen tells the truth', { timeout: 120_000 }, () => {
  let chain: Chain;
  let browser: Browser;
  let ui: UiProcess;
  let view: UiPage;
  let page: Page;
  let kubectl: Kubectl;
  const screenProblems: string[] = [];

  const audit = async (screen: string) => {
    const found = await auditScreen(page, screen);
    if (found) screenProblems.push(found);
    return found;
  };
  const row = (cluster: string) => page.getByTestId(`cluster-row-${cluster}`);
  const rowWithStatus = (cluster: string, status: string) =>
    page.locator(`[data-testid="cluster-row-${cluster}"][data-status="${status}"]`);
  const proxyState = () => page.locator('[data-proxy-state]');

  const signIn = async () => {
    const signInUrl = await ui.nextOpenedUrl();
    expect(await completeBrowserSignIn(browser, signInUrl, chain.human)).toMatch(/Signed in to Switchboard/);
  };

  beforeAll(async () => {
    [chain, browser, ui] = await Promise.all([
      startChain({ kubeSim: { podStartDelayMs: 0 } }),
      launchChromium(),
      startUiProcess(),
    ]);
    await chain.relay.createCluster(NEVER_JOINED);
    await chain.relay.grant(chain.human.username, 'connect', { cluster: NEVER_JOINED });
    await chain.relay.createCluster(NOT_GRANTED);
    view = await openUiPage(browser, ui.url);
    page = view.page;
  }, 120_000);

  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await ui?.stop();
    await chain?.close();
  });

  it('signed in through the browser host: the clusters, the proxy running, and no background switch (closing the tab does not stop the core)', async () => {
    await page.getByRole('textbox', { name: 'Relay URL' }).fill(chain.relayUrl);
    await page.getByRole('button', { name: 'Connect and sign in' }).click();
    await signIn();
    await rowWithStatus(chain.cluster, 'connected').waitFor({ timeout: 30_000 });
    await proxyState().and(page.locator('[data-proxy-state="ready"]')).waitFor({ timeout: 30_000 });
    expect(await proxyState().innerText()).toMatch(/^Running at https:\/\/127\.0\.0\.1:\d+$/);
    expect(await page.getByRole('checkbox', { name: /Keep running in the background/ }).count()).toBe(0);
    const kubeconfig = (await page.getByTestId('export-line').innerText()).replace(/^export KUBECONFIG=/, '');
    kubectl = new Kubectl(kubectlBinary!, { KUBECONFIG: kubeconfig, HOME: ui.keyring.env.HOME });
  });

  it('an offline cluster reads as a problem: the problem style with its icon and the word, not grey', async () => {
    await chain.agent.stop();
    const offline = rowWithStatus(chain.cluster, 'offline');
    await offline.waitFor({ timeout: 30_000 });
    const badge = offline.locator('.status-badge');
    expect(await badge.innerText()).toBe('Offline');
    expect(await badge.getAttribute('class')).toContain('status-problem');
    expect(await badge.locator('svg.status-icon').count()).toBe(1);
    // Not grey: the theme's warning colours (light: --offline-text #6b3d00 on --offline-bg #fff1cc).
    expect(await badge.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(107, 61, 0)');
    expect(await badge.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
      'rgb(255, 241, 204)',
    );
    expect(await audit('status-offline')).toBe('');

    await chain.agent.start();
    await rowWithStatus(chain.cluster, 'connected').waitFor({ timeout: 30_000 });
  });

  it('a cluster whose agent never joined is worded as kubectl finds it: not joined, offline to kubectl', async () => {
    const notJoined = rowWithStatus(NEVER_JOINED, 'not-joined');
    await notJoined.waitFor();
    const badge = notJoined.locator('.status-badge');
    expect(await badge.innerText()).toBe('Not joined');
    expect(await badge.getAttribute('class')).toContain('status-problem');
    expect(await badge.getAttribute('title')).toBe(
      'The agent never joined: kubectl is told the cluster is offline.',
    );
    expect(await notJoined.locator('td').nth(2).innerText()).toBe('never');
    expect(await notJoined.locator('td').nth(2).locator('span').getAttribute('title')).toBe(
      'The agent never joined',
    );

    const result = await kubectl.run(['--context', `switchboard-${NEVER_JOINED}`, 'get', 'pods']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `Warning: Switchboard: cluster "${NEVER_JOINED}" is offline: its agent is not connected to the relay`,
    );
    expect(result.stderr).toContain('Error from server (ServiceUnavailable)');
  });

  it('"Browse" is offered only on clusters the user may open', async () => {
    await rowWithStatus(NOT_GRANTED, 'not-joined').waitFor();
    expect(await row(NOT_GRANTED).getAttribute('data-may-open')).toBe('false');
    expect(await page.getByRole('button', { name: `Browse ${NOT_GRANTED}` }).count()).toBe(0);
    expect(await page.getByTestId(`no-access-${NOT_GRANTED}`).innerText()).toBe('No access');
    // Enter on the row opens nothing either.
    await row(NOT_GRANTED).click();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('heading', { name: NOT_GRANTED, level: 2 }).count()).toBe(0);
    expect(await row(NEVER_JOINED).getAttribute('data-may-open')).toBe('true');
    await page.getByRole('button', { name: `Browse ${chain.cluster}` }).waitFor();
    await page.getByRole('button', { name: `Browse ${NEVER_JOINED}` }).waitFor();
    expect(await audit('status-no-access')).toBe('');
  });

  it('with the relay stopped: no green row, the proxy says kubectl requests fail; both recover when it is back', async () => {
    // Taken before the stop: the core may see the stream drop before stop() returns (it drains).
    const started = Date.now();
    await chain.relay.stop();
    await page.getByTestId('reach-note').and(page.locator('[data-reach="relay-unreachable"]')).waitFor({
      timeout: UNREACHABLE_WITHIN_MS,
    });
    // Not before the grace: a blip does not flash the list.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    for (const cluster of [chain.cluster, NEVER_JOINED, NOT_GRANTED])
      await rowWithStatus(cluster, 'unknown').waitFor();
    expect(await page.locator('[data-status="connected"]').count()).toBe(0);
    // Screen readers hear one sentence, not one per row.
    await page
      .getByRole('status')
      .filter({ hasText: 'Cluster statuses are unknown: the relay cannot be heard.' })
      .waitFor();
    const lastSeen = row(chain.cluster).locator('td').nth(2).locator('span');
    expect(await lastSeen.innerText()).toBe('was Connected');
    expect(await lastSeen.getAttribute('title')).toMatch(
      /^was Connected, last confirmed (just now|\d+ seconds ago)$/,
    );
    expect(await proxyState().innerText()).toBe('Running — relay unreachable, kubectl requests fail');
    await page.getByTestId('relay-unreachable-banner').waitFor();
    expect(await audit('status-relay-unreachable')).toBe('');
    // The states must read at the smallest window we support too.
    await page.setViewportSize({ width: 800, height: 600 });
    expect(await audit('status-relay-unreachable-800x600')).toBe('');
    await page.setViewportSize(VIEWPORT);

    await chain.relay.start();
    await rowWithStatus(chain.cluster, 'connected').waitFor({ timeout: RECOVERS_WITHIN_MS });
    await page.getByTestId('reach-note').waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Cluster statuses are current again.' }).waitFor();
    await page
      .locator('[data-proxy-state="ready"][data-reach="live"]')
      .waitFor({ timeout: RECOVERS_WITHIN_MS });
    expect(await proxyState().innerText()).toMatch(/^Running at https:/);
  });

  it('an expired sign-in is its own state, and signing in again brings everything back', async () => {
    // The relay forgets every sign-in (its provider's keys are fresh after a restart anyway): the
    // refresh token no longer renews.
    await chain.relay.stop();
    const database = new Database(join(chain.dataDir, 'relay', DATABASE_FILE));
    database.prepare('DELETE FROM dev_idp_records').run();
    database.close();
    await chain.relay.start();

    await page
      .getByTestId('reach-note')
      .and(page.locator('[data-reach="sign-in-expired"]'))
      .waitFor({ timeout: RECOVERS_WITHIN_MS });
    await rowWithStatus(chain.cluster, 'unknown').waitFor();
    expect(await page.locator('[data-status="connected"]').count()).toBe(0);
    expect(await proxyState().innerText()).toBe(
      'Running — sign-in expired, kubectl requests fail until you sign in again',
    );
    await page.getByRole('alert').filter({ hasText: 'Sign in again' }).waitFor();
    expect(await audit('status-sign-in-expired')).toBe('');

    await page.getByRole('button', { name: 'Sign in again' }).click();
    await signIn();
    await rowWithStatus(chain.cluster, 'connected').waitFor({ timeout: RECOVERS_WITHIN_MS });
    await page.getByTestId('reach-note').waitFor({ state: 'detached' });
    await page
      .locator('[data-proxy-state="ready"][data-reach="live"]')
      .waitFor({ timeout: RECOVERS_WITHIN_MS });
  });

  it('sign-out asks first while a kubectl watch runs through the proxy, and says how many connections it ends', async () => {
    const watch = kubectl.stream(['--context', `switchboard-${chain.cluster}`, 'get', 'pods', '-A', '-w']);
    try {
      await watch.waitFor(/NAMESPACE/, 30_000);
      await page.getByRole('button', { name: 'Sign out' }).click();
      const dialog = page.getByRole('dialog', { name: 'Sign out and stop kubectl sessions?' });
      await dialog.waitFor();
      expect(await page.getByTestId('sign-out-sessions').innerText()).toMatch(
        /^(1 connection from kubectl \(or Helm, Lens…\) is|\d+ connections from kubectl \(or Helm, Lens…\) are) open through the local proxy\./,
      );
      expect(await audit('sign-out-confirm')).toBe('');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(watch.child.exitCode).toBeNull();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await dialog.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 30_000 });
      // The watch ran through the proxy the sign-out stopped.
      await new Promise<void>((resolve) => {
        if (watch.child.exitCode !== null || watch.child.signalCode !== null) resolve();
        else watch.child.once('exit', () => resolve());
      });
    } finally {
      await watch.stop();
    }
  });

  it('without a kubectl session, sign-out does not ask', async () => {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signIn();
    await page.locator('[data-proxy-state="ready"][data-reach="live"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('every new screen passes axe-core in light and dark, and the page logged no errors', () => {
    expect(screenProblems).toEqual([]);
    expect(view.problems).toEqual([]);
  });
});
