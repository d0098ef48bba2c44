/**
 * `npm run dist:check` as a test, so `npm test` (and CI) packs the app with the real
 * electron-builder, offline against the stand-in Electron, and verifies what is in the package.
 * Then the check itself: a package with a relay file, a native binding inside the archive and a
 * dependency missing must fail it, each problem named; and the walk that picks the dependencies.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPackageWithOptions } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distCheck, REPOSITORY_ROOT } from '../../src/packaging/dist.js';
import { checkPackedApp, formatReport } from '../../src/packaging/package-check.js';
import { productionPackages } from '../../src/packaging/production-dependencies.js';
import { stageApp } from '../../src/packaging/stage-app.js';

describe('npm run dist:check', () => {
  it('packs the app offline and finds exactly what runs in it', { timeout: 300_000 }, async () => {
    const result = await distCheck(REPOSITORY_ROOT);
    expect(result.report, result.report).toContain('dist:check passed');
    expect(result.ok).toBe(true);
    for (const checked of [
      'package.json "main" is main/dist/electron-main/main.js',
      'production packages are in the archive',
      "the keyring's linux-x64 binding is there",
      "bufferutil's linux-x64 binding is there",
      'nothing that must not ship',
      'every dependency of the entry resolves',
    ]) {
      expect(result.report).toContain(checked);
    }
  });
});

describe('the package check', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'switchboard-package-check-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('names a relay file, a native binding inside the archive and a missing dependency', {
    timeout: 120_000,
  }, async () => {
    const staged = stageApp({
      repositoryRoot: REPOSITORY_ROOT,
      stageDirectory: join(work, 'app'),
      platform: 'linux',
      arch: 'x64',
    });
    const broken = join(work, 'broken');
    cpSync(staged.directory, broken, { recursive: true });
    rmSync(join(broken, 'node_modules', 'pino'), { recursive: true });
    mkdirSync(join(broken, 'node_modules', '@switchboard', 'relay-server', 'dist'), { recursive: true });
    writeFileSync(join(broken, 'node_modules', '@switchboard', 'relay-server', 'dist', 'relay.js'), '');
    const resources = join(work, 'resources');
    mkdirSync(resources);
    // No unpack pattern: the native bindings end up inside the archive.
    await createPackageWithOptions(broken, join(resources, 'app.asar'), {});

    const report = checkPackedApp({ resourcesDirectory: resources, staged, platform: 'linux', arch: 'x64' });
    const text = formatReport(report);
    expect(text).toContain('dist:check failed');
    expect(report.problems.join('\n')).toMatch(/production packages missing from the archive: .*pino/);
    expect(report.problems.join('\n')).toMatch(
      /native bindings inside the archive, where they cannot be loaded/,
    );
    expect(report.problems.join('\n')).toMatch(/relay-server\/dist\/relay\.js \(server or test code\)/);
    expect(report.problems.join('\n')).toMatch(/loading from the extracted archive failed: .*pino/s);
  });
});

describe('the production dependency walk', () => {
  let repository: string;
  beforeAll(() => {
    repository = mkdtempSync(join(tmpdir(), 'switchboard-dependencies-'));
  });
  afterAll(() => rmSync(repository, { recursive: true, force: true }));
  const writePackage = (directory: string, manifest: object) => {
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'package.json'), JSON.stringify(manifest));
  };

  it('follows dependencies as Node resolves them, skips absent optional ones, marks workspaces', () => {
    writePackage(join(repository, 'node_modules', 'a'), {
      version: '1.0.0',
      dependencies: { b: '^2' },
      optionalDependencies: { 'a-win32-x64': '1.0.0' },
      peerDependencies: { react: '*' },
      peerDependenciesMeta: { react: { optional: true } },
    });
    writePackage(join(repository, 'node_modules', 'b'), { version: '1.0.0' });
    writePackage(join(repository, 'node_modules', 'a', 'node_modules', 'b'), { version: '2.0.0' });
    writePackage(join(repository, 'node_modules', 'react'), { version: '19.0.0' });
    writePackage(join(repository, 'lib'), { version: '0.1.0', dependencies: { b: '^1' } });
    mkdirSync(join(repository, 'node_modules', '@switchboard'), { recursive: true });
    symlinkSync(join(repository, 'lib'), join(repository, 'node_modules', '@switchboard', 'lib'));

    const found = productionPackages(repository, ['a', '@switchboard/lib']);
    expect(found.map(({ appPath, version, workspace }) => [appPath, version, workspace])).toEqual([
      ['node_modules/@switchboard/lib', '0.1.0', true],
      ['node_modules/a', '1.0.0', false],
      ['node_modules/a/node_modules/b', '2.0.0', false],
      ['node_modules/b', '1.0.0', false],
    ]);
  });

  it('names a missing required dependency and who needs it', () => {
    writePackage(join(repository, 'node_modules', 'c'), { version: '1.0.0', dependencies: { gone: '1' } });
    expect(() => productionPackages(repository, ['c'])).toThrow(
      /gone \(needed by c\) is not installed under .*\/node_modules; run `npm ci` at the repository root/,
    );
  });
});
