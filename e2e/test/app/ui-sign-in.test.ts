/**
 * Signing in from the desktop UI when things are not as they should be, against the real chain (a
 * relay with its dev identity provider) and the real `switchboard ui` process in headless Chromium:
 * no keychain at first (the session bus leads nowhere until the test provides the keyring), and a
 * "system browser" that fails the way xdg-open does when it finds no browser. Each state says what
 * happened and offers the action in the UI: Try again, Open the sign-in page, Copy link, Cancel, a
 * sign-in code for another device; the page the sign-in ends on sends the person back to Switchboard.
 *
 * The tests run in order and share the one page: each continues where the previous one left off.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { DATABASE_FILE } from '@switchboard/relay-server';
import { approveDeviceCode, completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chain, startChain } from '../../src/chain/index.js';
import { auditScreen, openUiPage, type UiPage, VIEWPORT } from './support/ui-page.js';
import { startUiProcess, type UiProcess } from './support/ui-process.js';

/** The little of the DOM the page functions below touch (this project compiles without lib.dom). */
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  activeElement: { textContent: string | null; className: string } | null;
};

/** What a terminal user is told and an app user must never be: commands, flags, shell syntax. */
const CLI_SPEAK = /`|\bswitchboard (login|logout|ui|proxy)\b|\s--[a-z]|\bsudo\b|\bapt\b|terminal/i;

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The loopback port the sign-in page sends the browser back to (its `redirect_uri`). */
function redirectPortOf(signInUrl: string): number {
  const redirect = new URL(signInUrl).searchParams.get('redirect_uri');
  if (redirect === null) throw new Error(`the sign-in link has no redirect_uri: ${signInUrl}`);
  return Number(new URL(redirect).port);
}

describe('signing in from the UI: no keychain, no browser, a code', { timeout: 120_000 }, () => {
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
  /** Whether the screen fits 800 px without scrolling sideways (the long sign-in link wraps). */
  const fitsAt800 = async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    try {
      return await page.evaluate(
        () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
      );
    } finally {
      await page.setViewportSize(VIEWPORT);
    }
  };
  const browserState = (state: string) => page.locator(`.sign-in-progress [data-browser-state="${state}"]`);

  beforeAll(async () => {
    [chain, browser, ui] = await Promise.all([
      startChain(),
      launchChromium(),
      startUiProcess({ browser: 'fails', keychain: 'missing' }),
    ]);
    view = await openUiPage(browser, ui.url);
    page = view.page;
    await view.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(ui.url).origin,
    });
  }, 120_000);

  afterAll(async () => {
    await view?.close();
    await browser?.close();
    await ui?.stop();
    await chain?.close();
  });

  it('no keychain: says what the keychain is for and what is missing, with Try again, and no shell commands', async () => {
    await page.getByRole('textbox', { name: 'Relay URL' }).fill(chain.relayUrl);
    await page.getByRole('button', { name: 'Connect and sign in' }).click();
    const problem = page
      .getByRole('alert')
      .filter({ has: page.locator('[data-error-kind="keychain-unavailable"]') });
    await problem.waitFor();
    const text = await problem.innerText();
    expect(text).toMatch(/Switchboard can’t use your keychain/);
    expect(text).toMatch(/keeps your sign-in/);
    expect(text).toMatch(/Secret Service provider, such as GNOME Keyring/);
    expect(text).not.toMatch(/Something went wrong inside Switchboard/);
    expect(text).not.toMatch(CLI_SPEAK);
    await problem.getByRole('button', { name: 'Try again' }).waitFor();
    expect(await audit('sign-in-keychain-unavailable')).toBe('');
    // Nothing was handed to a browser: the sign-in stopped before it began.
    expect(await ui.browserCommandLines()).toEqual([]);
  });

  it('Try again once the keyring is there: the sign-in starts, and says the browser did not open', async () => {
    await ui.provideKeychain();
    await page.getByRole('button', { name: 'Try again' }).click();
    const signInUrl = await ui.nextOpenedUrl();
    expect(new URL(signInUrl).origin).toBe(new URL(chain.relayUrl).origin);

    const status = browserState('not-opened');
    await status.waitFor();
    expect(await status.innerText()).toMatch(
      /Switchboard could not open a browser on this computer \(the browser command \(.+\) failed with exit code 3\)/,
    );
    expect(await page.getByText('Switchboard opened the sign-in page').count()).toBe(0);
    expect(await page.getByTestId('sign-in-link').innerText()).toBe(signInUrl);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('button', { name: 'Open the sign-in page' }).waitFor();
    expect(await audit('sign-in-browser-not-opened')).toBe('');
    expect(await fitsAt800()).toBe(true);

    // Copy link puts the link on the clipboard and says so.
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(signInUrl);

    // Open the sign-in page tries the browser again, and says again that it did not open.
    await page.getByRole('button', { name: 'Open the sign-in page' }).click();
    expect(await ui.nextOpenedUrl()).toBe(signInUrl);
    await status.waitFor();
  });

  it('Cancel: back to signed out, and the sign-in’s loopback listener is closed', async () => {
    const signInUrl = await page.getByTestId('sign-in-link').innerText();
    const port = redirectPortOf(signInUrl);
    expect(await listening(port)).toBe(true);
    // By keyboard: focus follows to the sign-in button, not back to the top of the page.
    await page.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sign in');
    expect(await page.locator('.sign-in-progress').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await listening(port)).toBe(false);
  });

  it('signs in through the copied link; the page it ends on sends the person back to Switchboard', async () => {
    await page.keyboard.press('Enter');
    await browserState('not-opened').waitFor();
    // The panel took the focus from the button that went away.
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('sign-in-progress');
    const signInUrl = await page.getByTestId('sign-in-link').innerText();
    expect(await ui.nextOpenedUrl()).toBe(signInUrl);

    const resultPage = await completeBrowserSignIn(browser, signInUrl, chain.human);
    expect(resultPage).toMatch(/Signed in to Switchboard/);
    expect(resultPage).toMatch(/You can close this tab and return to Switchboard\./);
    expect(resultPage).not.toMatch(/terminal/);

    await page.getByRole('table', { name: 'Clusters' }).waitFor();
    expect(await ui.keyring.searchSwitchboardItems()).toContain(chain.relayUrl);
  });

  it('signs in with a code entered on another device, shown with copy buttons', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Use a sign-in code' }).click();

    const userCode = page.getByTestId('user-code');
    await userCode.waitFor();
    const code = (await userCode.innerText()).trim();
    const verificationUri = (await page.getByTestId('verification-uri').innerText()).trim();
    expect(new URL(verificationUri).origin).toBe(new URL(chain.relayUrl).origin);
    expect(code).toMatch(/\S{4,}/);
    await page.getByRole('heading', { name: 'Sign in with a code' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).waitFor();
    expect(await audit('sign-in-device-code')).toBe('');
    expect(await fitsAt800()).toBe(true);

    await page.getByRole('button', { name: 'Copy code' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);

    await approveDeviceCode(browser, verificationUri, code, chain.human);
    await page.getByRole('table', { name: 'Clusters' }).waitFor({ timeout: 30_000 });
  });

  it('sign-in expired while signed in: Sign in again shows the sign-in over the cluster list, with its actions', async () => {
    // The provider forgets every sign-in and restarts with new keys: the access token no longer
    // verifies, and the refresh token is refused.
    await chain.relay.stop();
    const database = new Database(join(chain.dataDir, 'relay', DATABASE_FILE));
    database.prepare('DELETE FROM dev_idp_records').run();
    database.close();
    await chain.relay.start();

    const expired = page
      .getByRole('alert')
      .filter({ has: page.locator('[data-error-kind="sign-in-required"]') })
      .filter({ has: page.getByRole('button', { name: 'Sign in again' }) });
    await expired.waitFor({ timeout: 30_000 });
    await expired.getByRole('button', { name: 'Sign in again' }).click();

    const region = page.getByRole('region', { name: 'Sign-in in progress' });
    await region.locator('[data-browser-state="not-opened"]').waitFor();
    await page.getByRole('table', { name: 'Clusters' }).waitFor();
    const signInUrl = await region.getByTestId('sign-in-link').innerText();
    expect(await ui.nextOpenedUrl()).toBe(signInUrl);
    await region.getByRole('button', { name: 'Copy link' }).waitFor();
    await region.getByRole('button', { name: 'Cancel' }).waitFor();
    expect(await audit('sign-in-again-over-cluster-list')).toBe('');

    await completeBrowserSignIn(browser, signInUrl, chain.human);
    await region.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="cluster-row-${chain.cluster}"][data-status="connected"]`).waitFor({
      timeout: 30_000,
    });
  });

  it('passes axe (no serious or critical violations) on every screen, light and dark', () => {
    expect(screenProblems.join('\n')).toBe('');
  });

  it('ran without console errors or Content-Security-Policy violations', () => {
    expect(view.problems).toEqual([]);
  });
});
