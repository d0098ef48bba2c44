import type { Browser, Page } from 'playwright-core';

/** The distribution's Chromium with the flags every browser test uses (one launcher for all). */
export { launchChromium } from '../../../relay-server/test/dev-idp/harness.js';

/** Plays the user at the provider's sign-in page, until the CLI's loopback page says it is done. */
export async function completeBrowserSignIn(
  browser: Browser,
  authorizationUrl: string,
  user: { username: string; password: string },
): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(authorizationUrl);
    await signInAtProvider(page, user);
    await page.getByRole('heading', { name: /Signed in to Switchboard|Sign-in failed/ }).waitFor();
    return (await page.textContent('body')) ?? '';
  } finally {
    await context.close();
  }
}

/** Enters the user code at the provider's device page, signs in and confirms. */
export async function approveDeviceCode(
  browser: Browser,
  verificationUri: string,
  userCode: string,
  user: { username: string; password: string },
): Promise<void> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(verificationUri);
    await page.getByLabel('Code shown on your device').fill(userCode);
    await page.getByRole('button', { name: 'Continue' }).click();
    // oidc-provider asks for the sign-in and the confirmation in an order of its choosing.
    for (let step = 0; step < 4; step++) {
      const heading = page.getByRole('heading', { level: 2 });
      const title = await heading.textContent();
      if (title === 'Signed in') return;
      if (title === 'Sign in') await signInAtProvider(page, user);
      else if (title === 'Confirm the device') await page.getByRole('button', { name: 'Continue' }).click();
      else throw new Error(`unexpected page at the provider: ${title}: ${await page.textContent('main')}`);
      await page.waitForLoadState();
    }
    throw new Error('the device approval did not finish');
  } finally {
    await context.close();
  }
}

async function signInAtProvider(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A browser opener (as `signInWithBrowser` takes) that plays `user` in Chromium. Opening returns
 * at once, like a real opener; `finished()` waits for the pages to reach the loopback result page.
 */
export class ScriptedBrowserUser {
  private readonly pages: Promise<string>[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly user: { username: string; password: string },
  ) {}

  readonly openBrowser = async (url: string): Promise<void> => {
    this.pages.push(completeBrowserSignIn(this.browser, url, this.user));
  };

  /** The text of each result page, in order. */
  finished(): Promise<string[]> {
    return Promise.all(this.pages);
  }
}
