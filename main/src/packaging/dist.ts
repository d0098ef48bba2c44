#!/usr/bin/env node
/**
 * `npm run dist` and `npm run dist:check` (both after `npm run build`).
 *
 * - `dist`: lays out the app (`stage-app.ts`), draws its icons, and runs electron-builder with
 *   `electron-builder.yml` for the host OS's installers (AppImage, deb and rpm; dmg and zip; NSIS).
 *   electron-builder downloads Electron and its tools, so this runs where they can be fetched (the
 *   GitHub Actions workflow, a developer's machine).
 * - `dist:check`: the same layout and the real electron-builder, offline: Electron is a stand-in
 *   distribution (`stand-in-electron.ts`) and the target is linux `dir`, which needs no downloaded
 *   tool; then the packed app is verified (`package-check.ts`). CI runs it through
 *   `main/test/packaging/dist-check.test.ts`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { updateFeedUrlSchema } from '../electron-main/desktop-settings.js';
import { writeAppIcons } from './app-icons.js';
import { checkPackedApp, formatReport } from './package-check.js';
import { stageApp } from './stage-app.js';
import { writeStandInElectron } from './stand-in-electron.js';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The Electron release the app is built against: the one main's devDependency installed. */
export function installedElectronVersion(repositoryRoot: string): string {
  const manifest = JSON.parse(
    readFileSync(join(repositoryRoot, 'node_modules', 'electron', 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

/** The update feed baked into the app (`app-update.yml`) when the build sets one. */
function publishConfiguration() {
  const url = process.env.SWITCHBOARD_UPDATE_URL;
  if (!url) return null;
  const parsed = updateFeedUrlSchema.safeParse(url);
  if (!parsed.success) throw new Error(`SWITCHBOARD_UPDATE_URL: ${parsed.error.issues[0]?.message}`);
  return [{ provider: 'generic' as const, url: parsed.data }];
}

export async function dist(repositoryRoot: string): Promise<void> {
  const work = join(repositoryRoot, '.dist');
  stageApp({
    repositoryRoot,
    stageDirectory: join(work, 'app'),
    platform: process.platform,
    arch: process.arch,
  });
  writeAppIcons(join(work, 'build-resources'));
  const { build } = await import('electron-builder');
  await build({
    projectDir: repositoryRoot,
    publish: 'never',
    config: {
      electronVersion: installedElectronVersion(repositoryRoot),
      publish: publishConfiguration(),
    },
  });
}

export interface DistCheckResult {
  ok: boolean;
  report: string;
}

/** Packs the app offline into a temporary directory and verifies what is in it. */
export async function distCheck(repositoryRoot: string): Promise<DistCheckResult> {
  const work = mkdtempSync(join(tmpdir(), 'switchboard-dist-check-'));
  try {
    const electronVersion = installedElectronVersion(repositoryRoot);
    const staged = stageApp({
      repositoryRoot,
      stageDirectory: join(work, 'app'),
      platform: 'linux',
      arch: 'x64',
    });
    writeAppIcons(join(work, 'build-resources'));
    const electronDist = writeStandInElectron(join(work, 'electron'), electronVersion);
    const output = join(work, 'out');
    const { build, Platform, Arch } = await import('electron-builder');
    await build({
      projectDir: repositoryRoot,
      publish: 'never',
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      config: {
        electronVersion,
        electronDist,
        publish: null,
        directories: { app: staged.directory, output, buildResources: join(work, 'build-resources') },
      },
    });
    const report = checkPackedApp({
      resourcesDirectory: join(output, 'linux-unpacked', 'resources'),
      staged,
      platform: 'linux',
      arch: 'x64',
    });
    return { ok: report.problems.length === 0, report: formatReport(report) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const run = check
    ? distCheck(REPOSITORY_ROOT).then((result) => {
        process.stdout.write(`${result.report}\n`);
        if (!result.ok) process.exitCode = 1;
      })
    : dist(REPOSITORY_ROOT);
  run.catch((error: Error) => {
    process.stderr.write(`switchboard dist: ${error.message}\n`);
    process.exitCode = 1;
  });
}
