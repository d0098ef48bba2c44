/**
 * The UI in headless Chromium, as a person sees it: one page at 1280x800, every console error and
 * Content-Security-Policy violation recorded (a test asserts there were none), and per screen an
 * axe-core audit plus a screenshot, in light and in dark, at 1280x800 and again at 800x600. The
 * screenshots are written to `docs/screenshots/<screen>-<scheme>.png` (and
 * `<screen>-<scheme>-800.png`) only with `SWITCHBOARD_UPDATE_SCREENSHOTS=1`: otherwise
 * they are taken (the screen renders, the element exists) but kept in memory, so a test run leaves
 * the tracked images alone.
 */

import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** The little of the DOM the page functions below touch (this project compiles without lib.dom). */
declare const window: object;
declare const document: {
  addEventListener(type: 'securitypolicyviolation', listener: (event: CspViolationEvent) => void): void;
};
declare function requestAnimationFrame(callback: () => void): number;
interface CspViolationEvent {
  violatedDirective: string;
  blockedURI: string;
  sourceFile: string;
  lineNumber: number;
  columnNumber: number;
}

const SCREENSHOTS =
  process.env.SWITCHBOARD_UPDATE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url))
    : undefined;
export const VIEWPORT = { width: 1280, height: 800 };
/** The smallest window the UI is made for; every audited screen is checked at it too. */
export const SMALL_VIEWPORT = { width: 800, height: 600 };
export const COLOR_SCHEMES = ['light', 'dark'] as const;
export type ColorScheme = (typeof COLOR_SCHEMES)[number];

/** axe-core, evaluated through the DevTools protocol: the app's CSP (rightly) refuses injected script tags. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface UiPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and CSP violations, as they happened. */
  problems: string[];
  close(): Promise<void>;
}

export async function openUiPage(browser: Browser, url: string): Promise<UiPage> {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  // Also the violations Chromium reports only as events (style-src-attr, for one).
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const where = event.sourceFile
        ? ` at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`
        : '';
      console.error(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}${where}`,
      );
    });
  });
  await page.goto(url);
  return { context, page, problems, close: () => context.close() };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core on the whole page; only serious and critical violations, the ones a test fails on. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const { axe } = window as { axe: { run(context: unknown): Promise<{ violations: unknown[] }> } };
    return (await axe.run(document)).violations as AxeViolation[];
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export function describeViolations(screen: string, scheme: ColorScheme, violations: AxeViolation[]): string {
  return violations
    .map(
      (violation) =>
        `${screen} (${scheme}): ${violation.impact} ${violation.id}: ${violation.help}\n` +
        violation.nodes
          .slice(0, 5)
          .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.replaceAll('\n', ' ') ?? ''}`)
          .join('\n'),
    )
    .join('\n');
}

/** Two rendered frames: a resize's observers have run and the page has painted what they changed. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null)))),
  );
}

/**
 * Audits the screen as it is now and photographs it, in light and then dark, at the page's size
 * and then at 800x600 (the page is left in light, at its size). Returns the violations as text,
 * empty when there were none. `element` narrows the screenshot (the audit is always of the whole
 * page).
 */
export async function auditScreen(
  page: Page,
  screen: string,
  { element }: { element?: string } = {},
): Promise<string> {
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  const found: string[] = [];
  const size = page.viewportSize() ?? VIEWPORT;
  const sizes = [
    { viewport: size, suffix: '' },
    ...(size.width > SMALL_VIEWPORT.width ? [{ viewport: SMALL_VIEWPORT, suffix: '-800' }] : []),
  ];
  for (const { viewport, suffix } of sizes) {
    await page.setViewportSize(viewport);
    for (const scheme of COLOR_SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      // The new scheme and size rendered (the terminal switches its theme on the media change).
      await settle(page);
      const violations = await seriousViolations(page);
      if (violations.length > 0) found.push(describeViolations(`${screen}${suffix}`, scheme, violations));
      const options = {
        ...(SCREENSHOTS && { path: join(SCREENSHOTS, `${screen}-${scheme}${suffix}.png`) }),
        animations: 'disabled' as const,
        caret: 'hide' as const,
      };
      if (element) await page.locator(element).screenshot(options);
      else await page.screenshot(options);
    }
  }
  await page.setViewportSize(size);
  await page.emulateMedia({ colorScheme: 'light' });
  await settle(page);
  return found.join('\n');
}

/**
 * Shows a kind in the cluster browser's sidebar, as a person finds one: typing its name into the
 * sidebar's filter (which opens the groups it keeps), choosing it, then clearing the filter.
 */
export async function showKind(page: Page, label: string): Promise<void> {
  const filter = page.getByRole('searchbox', { name: 'Filter resource kinds' });
  await filter.fill(label);
  await page
    .getByRole('tree', { name: 'Resource kinds' })
    .getByRole('treeitem', { name: label, exact: true })
    .click();
  await filter.fill('');
  await page.getByRole('treeitem', { name: label, exact: true, selected: true }).waitFor();
}
