/**
 * Verifies a packed app (electron-builder's `resources/` directory) against what must run:
 * - `app.asar`'s `package.json` names the Electron entry, and the entry, preload and renderer are in it;
 * - every staged production dependency is in it, and each of the entry's dependencies resolves and
 *   the core actually loads from the extracted archive in a separate Node process (so a missing
 *   transitive dependency or a broken native binding shows);
 * - native bindings (`*.node`) are unpacked beside the archive (Electron cannot dlopen inside it),
 *   the keyring's and bufferutil's binaries for the target platform are there and load, and no other
 *   platform's are;
 * - nothing that must not ship (relay, kube-sim, agent, test helpers, Electron, build tools, the
 *   CLI, sources, declarations, maps) is in it, and it stays under a size budget.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractAll, extractFile, listPackage, statFile } from '@electron/asar';
import { APP_ENTRY, APP_MAIN_FOLDERS, RENDERER_PACKAGE, type StagedApp } from './stage-app.js';

/** What the app may weigh, archive and unpacked files together (about 13 MB today). */
export const SIZE_BUDGET_BYTES = 30 * 1024 * 1024;

/** Paths (inside the archive, `/`-separated, no leading slash) that must never ship. */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  {
    pattern: /(^|\/)@switchboard\/(relay-server|kube-sim|cluster-agent|test-support|e2e|tickets)(\/|$)/,
    why: 'server or test code',
  },
  { pattern: /(^|\/)(relay-server|kube-sim|cluster-agent|test-support|e2e)\//, why: 'server or test code' },
  {
    pattern:
      /^node_modules\/(electron|electron-builder|app-builder-lib|@electron\/[^/]+|typescript|vite|vitest|playwright-core|@biomejs\/[^/]+|react|react-dom|@xterm\/[^/]+)\//,
    why: 'a development tool, Electron itself, or a library the renderer bundle already contains',
  },
  { pattern: /^main\/dist\/(cli|browser-host|packaging)\//, why: 'not part of the desktop app' },
  { pattern: /(^|\/)main\/(src|test)\//, why: 'sources or tests' },
  { pattern: /\.d\.[cm]?ts$|(?<!\.d)\.[cm]?ts$/, why: 'TypeScript sources or declarations' },
  { pattern: /\.map$|\.tsbuildinfo$/, why: 'build leftovers' },
];

export interface CheckOptions {
  resourcesDirectory: string;
  staged: StagedApp;
  platform: NodeJS.Platform;
  arch: string;
}

export interface CheckReport {
  passed: string[];
  problems: string[];
  files: number;
  bytes: number;
}

export function checkPackedApp(options: CheckOptions): CheckReport {
  const { resourcesDirectory, staged } = options;
  const passed: string[] = [];
  const problems: string[] = [];
  const expect = (ok: boolean, what: string, problem: string) =>
    (ok ? passed : problems).push(ok ? what : problem);

  const archive = join(resourcesDirectory, 'app.asar');
  if (!existsSync(archive)) {
    return {
      passed,
      problems: [`${archive} is missing: electron-builder did not pack the app`],
      files: 0,
      bytes: 0,
    };
  }
  const files = listPackage(archive, { isPack: false }).map((path) =>
    path.replace(/\\/g, '/').replace(/^\//, ''),
  );
  const fileSet = new Set(files);
  const has = (path: string) => fileSet.has(path);

  const packedManifest = JSON.parse(extractFile(archive, 'package.json').toString('utf8')) as {
    main?: string;
    dependencies?: object;
  };
  expect(
    packedManifest.main === APP_ENTRY && has(APP_ENTRY),
    `package.json "main" is ${APP_ENTRY}, and it is in the archive`,
    `package.json "main" is ${String(packedManifest.main)} (want ${APP_ENTRY}, present: ${has(APP_ENTRY)})`,
  );
  for (const required of [
    'main/dist/electron-preload/preload.cjs',
    'main/dist/core/index.js',
    'node_modules/@switchboard/app/dist/index.html',
  ]) {
    expect(has(required), `${required} is in the archive`, `${required} is missing from the archive`);
  }
  const stagedMainFiles = APP_MAIN_FOLDERS.flatMap((folder) =>
    listFiles(join(staged.directory, 'main', 'dist', folder)).map((path) => `main/dist/${folder}/${path}`),
  );
  const missingMain = stagedMainFiles.filter((path) => !has(path));
  expect(
    missingMain.length === 0,
    `all ${stagedMainFiles.length} files of the core, main process and preload are in the archive`,
    `files of the app are missing from the archive: ${missingMain.slice(0, 10).join(', ')}`,
  );

  // electron-builder hoists a nested package to the top when nothing there conflicts with it.
  const versionAt = (path: string) =>
    has(path)
      ? (JSON.parse(extractFile(archive, path).toString('utf8')) as { version?: string }).version
      : undefined;
  const missingPackages = staged.packages.filter(
    (each) =>
      !has(`${each.appPath}/package.json`) &&
      versionAt(`node_modules/${each.name}/package.json`) !== each.version,
  );
  expect(
    missingPackages.length === 0,
    `all ${staged.packages.length} production packages are in the archive`,
    `production packages missing from the archive: ${missingPackages.map((each) => each.name).join(', ')}`,
  );

  const nativeFiles = files.filter((path) => path.endsWith('.node'));
  const packedNative = nativeFiles.filter((path) => !statFile(archive, path).unpacked);
  expect(
    nativeFiles.length > 0 && packedNative.length === 0,
    `native bindings are unpacked beside the archive: ${nativeFiles.join(', ')}`,
    nativeFiles.length === 0
      ? 'the archive has no native bindings (the keyring and bufferutil need theirs)'
      : `native bindings inside the archive, where they cannot be loaded: ${packedNative.join(', ')}`,
  );
  const target = `${options.platform}-${options.arch}`;
  const keyringBinding = nativeFiles.find((path) =>
    path.startsWith(`node_modules/@napi-rs/keyring-${target}`),
  );
  expect(
    keyringBinding !== undefined,
    `the keyring's ${target} binding is there (${keyringBinding})`,
    `the keyring's ${target} binding (@napi-rs/keyring-${target}-*) is missing`,
  );
  expect(
    nativeFiles.some((path) => path.startsWith(`node_modules/bufferutil/prebuilds/${target}/`)),
    `bufferutil's ${target} binding is there`,
    `bufferutil's ${target} binding (node_modules/bufferutil/prebuilds/${target}/) is missing`,
  );
  const foreignPrebuilds = files.filter(
    (path) => /\/prebuilds\/[^/]+\//.test(path) && !path.includes(`/prebuilds/${target}/`),
  );
  expect(
    foreignPrebuilds.length === 0,
    `no other platform's prebuilt bindings`,
    `other platforms' prebuilt bindings ship: ${foreignPrebuilds.slice(0, 5).join(', ')}`,
  );

  const forbidden = files.flatMap((path) => {
    const rule = FORBIDDEN.find(({ pattern }) => pattern.test(path));
    return rule ? [`${path} (${rule.why})`] : [];
  });
  expect(
    forbidden.length === 0,
    'nothing that must not ship (relay, kube-sim, agent, tests, Electron, build tools, CLI, sources, maps)',
    `files that must not ship: ${forbidden.slice(0, 15).join('; ')}${forbidden.length > 15 ? ` and ${forbidden.length - 15} more` : ''}`,
  );

  const bytes = statSync(archive).size + directorySize(`${archive}.unpacked`);
  expect(
    bytes <= SIZE_BUDGET_BYTES,
    `the app weighs ${megabytes(bytes)} (budget ${megabytes(SIZE_BUDGET_BYTES)})`,
    `the app weighs ${megabytes(bytes)}, over its budget of ${megabytes(SIZE_BUDGET_BYTES)}: something that does not run got in`,
  );

  if (options.platform === process.platform && options.arch === process.arch) {
    const libraries = Object.keys(packedManifest.dependencies ?? {}).filter(
      (name) => name !== RENDERER_PACKAGE,
    );
    const loadProblem = loadFromExtractedArchive(archive, libraries);
    expect(
      loadProblem === undefined,
      "from the extracted archive, every dependency of the entry resolves, the core loads and finds the renderer, and the keyring's and bufferutil's native bindings load",
      `loading from the extracted archive failed: ${loadProblem}`,
    );
  }
  return { passed, problems, files: files.length, bytes };
}

export function formatReport(report: CheckReport): string {
  return [
    `dist:check: ${report.files} entries in app.asar, ${megabytes(report.bytes)}`,
    ...report.passed.map((line) => `  ok       ${line}`),
    ...report.problems.map((line) => `  PROBLEM  ${line}`),
    report.problems.length === 0
      ? 'dist:check passed'
      : `dist:check failed: ${report.problems.length} problem(s)`,
  ].join('\n');
}

/**
 * Extracts the archive (with its unpacked files) and, in a separate Node process started next to
 * the entry, resolves each of the entry's dependencies, imports the core, and loads both native
 * bindings the way their packages do. Returns what failed, or undefined.
 */
function loadFromExtractedArchive(archive: string, dependencies: string[]): string | undefined {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-asar-'));
  try {
    extractAll(archive, directory);
    const probe = join(directory, 'main', 'dist', 'electron-main', 'dist-check-probe.mjs');
    writeFileSync(
      probe,
      [
        "import { existsSync, readFileSync } from 'node:fs';",
        "import { createRequire } from 'node:module';",
        "import { join } from 'node:path';",
        `for (const name of ${JSON.stringify(dependencies)}) {`,
        '  try {',
        '    import.meta.resolve(name);',
        '  } catch (error) {',
        "    if (error.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;",
        '    // Subpath exports only (@switchboard/contract): each of them must resolve.',
        '    const directory = createRequire(import.meta.url).resolve.paths(name)',
        "      .map((each) => join(each, name)).find((each) => existsSync(join(each, 'package.json')));",
        "    const { exports } = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));",
        "    for (const subpath of Object.keys(exports).filter((each) => !each.includes('*')))",
        '      import.meta.resolve(name + subpath.slice(1));',
        '  }',
        '}',
        "await import('../core/index.js');",
        "const { rendererDirectory } = await import('../core/app/renderer-files.js');",
        'rendererDirectory();',
        "await import('@napi-rs/keyring');",
        'const require = createRequire(import.meta.url);',
        "const wsRequire = createRequire(require.resolve('ws'));",
        "const bufferutil = require('node:path').dirname(wsRequire.resolve('bufferutil'));",
        "createRequire(bufferutil + '/')('node-gyp-build')(bufferutil);",
      ].join('\n'),
    );
    execFileSync(process.execPath, [probe], { cwd: directory, stdio: 'pipe', timeout: 60_000 });
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || (error as Error).message;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function listFiles(directory: string, prefix = ''): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(directory, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

function directorySize(directory: string): number {
  if (!existsSync(directory)) return 0;
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
