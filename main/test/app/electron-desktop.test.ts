/**
 * The desktop integration in the real Electron app, through Playwright's `_electron`, for the parts
 * that have no tray: the window reopens where it was, View zooms (and remembers it), the About panel
 * carries the versions, a `switchboard://cluster/<name>` link from a second launch reaches the page as `openCluster`,
 * and closing the window without background mode quits. Each launch gets its own config directory
 * (`SWITCHBOARD_CONFIG_DIR`). Skipped, saying why, where the Electron binary is not installed (it
 * cannot be downloaded on our CI machines); the same logic is unit-tested without Electron in
 * `desktop-integration.test.ts`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';

function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const MAIN = fileURLToPath(new URL('../../dist/electron-main/main.js', import.meta.url));
const directories: string[] = [];
const apps: ElectronApplication[] = [];

async function launch(desktopJson?: object, extraArgs: string[] = []) {
  const configDirectory = mkdtempSync(join(tmpdir(), 'switchboard-electron-'));
  directories.push(configDirectory);
  if (desktopJson) writeFileSync(join(configDirectory, 'desktop.json'), JSON.stringify(desktopJson));
  const app = await _electron.launch({
    executablePath: binary!,
    args: [MAIN, ...extraArgs],
    env: { ...process.env, SWITCHBOARD_CONFIG_DIR: configDirectory } as Record<string, string>,
  });
  apps.push(app);
  return { app, page: await app.firstWindow(), configDirectory };
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe.skipIf(!binary)(
  'the desktop integration in Electron (skipped: the Electron binary is not installed here, ELECTRON_SKIP_BINARY_DOWNLOAD)',
  () => {
    it('reopens the window where it was', async () => {
      const { app, page } = await launch({
        window: { x: 40, y: 30, width: 1000, height: 700, maximized: false },
      });
      await page.waitForLoadState('domcontentloaded');
      const bounds = await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows()[0]!.getNormalBounds(),
      );
      expect(bounds).toMatchObject({ width: 1000, height: 700 });
    });

    it('zooms from the View menu and remembers the zoom', async () => {
      const { app, page, configDirectory } = await launch();
      await page.waitForLoadState('domcontentloaded');
      const factor = await app.evaluate(async ({ BrowserWindow, Menu }) => {
        const view = Menu.getApplicationMenu()!.items.find((item) => item.label.replace('&', '') === 'View')!;
        view.submenu!.items.find((item) => item.label === 'Zoom In' && item.visible)!.click();
        await new Promise((resolve) => setTimeout(resolve, 0));
        return BrowserWindow.getAllWindows()[0]!.webContents.getZoomFactor();
      });
      expect(factor).toBeCloseTo(1.1);
      await expect
        .poll(() => JSON.parse(readFileSync(join(configDirectory, 'desktop.json'), 'utf8')).zoomFactor)
        .toBeCloseTo(1.1);
    });

    it('shows the versions in the About panel', async () => {
      const { app } = await launch();
      const versions = await app.evaluate(({ app: electronApp }) => ({
        app: electronApp.getVersion(),
        electron: process.versions.electron,
      }));
      expect(versions.electron).toMatch(/^\d+\./);
      expect(versions.app).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('hands a deep link from a second launch to the page as openCluster', async () => {
      const { app, page } = await launch();
      await page.waitForLoadState('load');
      await page.evaluate(() => {
        const scope = globalThis as unknown as {
          switchboard: { on(event: string, listener: (data: unknown) => void): void };
          openClusterReceived?: Promise<unknown>;
        };
        scope.openClusterReceived = new Promise((resolve) => scope.switchboard.on('openCluster', resolve));
      });
      // What a second launch with the link as its argument (Windows, Linux) delivers.
      await app.evaluate(({ app: electronApp }) =>
        electronApp.emit('second-instance', {}, ['switchboard', 'switchboard://cluster/prod'], ''),
      );
      const received = await page.evaluate(
        () => (globalThis as unknown as { openClusterReceived: Promise<unknown> }).openClusterReceived,
      );
      expect(received).toEqual({ cluster: 'prod' });
    });

    it('quits when the window closes without background mode', async () => {
      const { app, page } = await launch();
      await page.waitForLoadState('domcontentloaded');
      const closed = new Promise<void>((resolve) => app.process().once('exit', () => resolve()));
      await page.evaluate(() =>
        (
          globalThis as unknown as { switchboard: { request(m: string, p: unknown): Promise<unknown> } }
        ).switchboard.request('setSettings', { backgroundMode: false }),
      );
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
      await closed;
    });
  },
);
