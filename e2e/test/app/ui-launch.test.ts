/**
 * How `switchboard ui` hands the browser its one-time secret, as another local user would look for
 * it: the real process opens the UI through `$BROWSER` (a script recording its own command line, as
 * `/proc` shows it to everyone), and no process's command line carries the secret; the browser gets
 * a private launch file instead, which real Chromium follows to the app. That load spends the
 * secret: the file is removed, the tab keeps working across a reload on its own credential, and the
 * link itself only earns a 403 that says to run `switchboard ui` again.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/headless-chromium.js';
import { startUiProcess, type UiProcess } from './support/ui-process.js';

/** The little of the DOM the page function below touches (this project compiles without lib.dom). */
declare const sessionStorage: object;

/** The command lines of every process this user can see, arguments joined by spaces. */
async function everyCommandLine(): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (text) lines.push(text.replaceAll('\0', ' '));
  }
  return lines;
}

describe('switchboard ui: the one-time link', { timeout: 90_000 }, () => {
  let ui: UiProcess;
  let browser: Browser;
  let secret: string;
  /** The launch file's path, as the browser was given it. */
  let launchFile: string;

  beforeAll(async () => {
    [ui, browser] = await Promise.all([startUiProcess({ open: true }), launchChromium()]);
    secret = new URL(ui.url).searchParams.get('secret') ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('puts the secret on no command line: the browser is given a private launch file', async () => {
    const opened = await ui.nextOpenedUrl();
    expect(opened).toMatch(/^file:\/\/\/.+\/open\.html$/);
    expect(opened).not.toContain(secret);
    const [browserCommandLine] = await ui.browserCommandLines();
    expect(browserCommandLine).toContain(opened);
    expect(browserCommandLine).not.toContain(secret);
    expect(await readFile(`/proc/${ui.child.pid}/cmdline`, 'utf8')).toContain('ui');
    expect(await readFile(`/proc/${ui.child.pid}/cmdline`, 'utf8')).not.toContain(secret);
    for (const line of await everyCommandLine()) expect(line).not.toContain(secret);

    const file = fileURLToPath(opened);
    launchFile = file;
    expect(file.startsWith(join(ui.configDirectory, 'ui'))).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
  });

  it('real Chromium follows the launch file to the app; the load spends the secret and removes the file', async () => {
    const opened = launchFile;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`file://${opened}`);
      await page.getByRole('heading', { name: 'Connect to a relay' }).waitFor();
      expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(page.url()).not.toContain(secret);
      // The credential lives in this tab only; the secret is nowhere in it.
      const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
      expect(stored).toMatch(/switchboard-ui-tab-credential/);
      expect(stored).not.toContain(secret);
      expect(await page.locator('meta[name="switchboard-tab-credential"]').count()).toBe(0);

      await expect
        .poll(
          () =>
            stat(dirname(opened)).then(
              () => true,
              () => false,
            ),
          { timeout: 10_000 },
        )
        .toBe(false);

      await page.reload();
      await page.getByRole('heading', { name: 'Connect to a relay' }).waitFor();

      // The printed link (the same secret) is dead now, for anyone.
      const replay = await context.newPage();
      const answer = await replay.goto(ui.url);
      expect(answer?.status()).toBe(403);
      expect(await replay.textContent('body')).toContain('Run `switchboard ui` again for a new one');
    } finally {
      await context.close();
    }
    expect(ui.child.running).toBe(true);
  });
});
