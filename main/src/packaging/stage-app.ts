/**
 * Lays out the desktop app as electron-builder packs it: a directory with its own `package.json`
 * (entry point, version, production dependencies) and `node_modules` holding exactly what runs,
 * so the packaged app neither misses a dependency (the repository root declares none) nor copies
 * the whole workspace's ~300 MB. What goes in:
 * - main's built core, Electron main process and preload (not the CLI, the browser host or this
 *   packager);
 * - the production dependencies of `@switchboard/main` and the renderer package `@switchboard/app`
 *   (the core finds `app/dist` through it), workspace packages with their `dist/` only;
 * - native bindings for the target platform only (other platforms' `prebuilds/` are dropped).
 * Type declarations and source maps stay out everywhere.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { type InstalledPackage, productionPackages, readManifest } from './production-dependencies.js';

/** The parts of main/dist the Electron app runs. */
export const APP_MAIN_FOLDERS = ['core', 'electron-main', 'electron-preload'] as const;
export const APP_ENTRY = 'main/dist/electron-main/main.js';
/** The renderer's package: the core locates `app/dist` through its package.json. */
export const RENDERER_PACKAGE = '@switchboard/app';

export interface StageOptions {
  repositoryRoot: string;
  /** Emptied and filled. */
  stageDirectory: string;
  /** Node's `process.platform`-`process.arch` naming, as in `prebuilds/<platform>-<arch>`. */
  platform: NodeJS.Platform;
  arch: string;
}

export interface StagedApp {
  directory: string;
  manifest: StagedManifest;
  packages: InstalledPackage[];
}

export interface StagedManifest {
  name: string;
  productName: string;
  version: string;
  description: string;
  author: unknown;
  homepage: string;
  license: string;
  type: 'module';
  main: string;
  dependencies: Record<string, string>;
}

export class StageError extends Error {
  override readonly name = 'StageError';
}

export function stageApp(options: StageOptions): StagedApp {
  const { repositoryRoot, stageDirectory } = options;
  const root = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  for (const field of ['version', 'description', 'author', 'homepage', 'license'] as const) {
    if (!root[field]) {
      throw new StageError(`the root package.json has no "${field}"; the installers' metadata comes from it`);
    }
  }
  if (!existsSync(join(repositoryRoot, APP_ENTRY))) {
    throw new StageError(`${APP_ENTRY} is not built; run \`npm run build\` first`);
  }
  const mainManifest = readManifest(join(repositoryRoot, 'main'));
  const entryDependencies = Object.keys(mainManifest.dependencies ?? {});
  const packages = productionPackages(repositoryRoot, entryDependencies);
  const renderer = rendererPackage(repositoryRoot);

  rmSync(stageDirectory, { recursive: true, force: true });
  mkdirSync(stageDirectory, { recursive: true });
  for (const folder of APP_MAIN_FOLDERS) {
    cpSync(join(repositoryRoot, 'main', 'dist', folder), join(stageDirectory, 'main', 'dist', folder), {
      recursive: true,
      filter: (source) => !isDevelopmentFile(source),
    });
  }
  const wantedPrebuild = `${options.platform}-${options.arch}`;
  for (const installed of packages) {
    cpSync(installed.sourceDirectory, join(stageDirectory, ...installed.appPath.split('/')), {
      recursive: true,
      dereference: true,
      filter: (source) =>
        keepPackageFile(installed, relative(installed.sourceDirectory, source), wantedPrebuild),
    });
  }

  // The renderer is a browser bundle (Vite already inlined React and xterm): its manifest and
  // `dist/` are all it needs, so its own dependencies are not followed.
  // `dist/` and a manifest without the dependencies the bundle already contains.
  const rendererTarget = join(stageDirectory, ...renderer.appPath.split('/'));
  cpSync(join(renderer.sourceDirectory, 'dist'), join(rendererTarget, 'dist'), {
    recursive: true,
    filter: (source) => !isDevelopmentFile(source),
  });
  writeFileSync(
    join(rendererTarget, 'package.json'),
    `${JSON.stringify({ name: renderer.name, version: renderer.version, private: true, type: 'module' }, null, 2)}\n`,
  );

  const versionOf = new Map(packages.map((each) => [each.appPath, each.version]));
  const dependencies = Object.fromEntries([
    ...entryDependencies.map((name) => [name, versionOf.get(`node_modules/${name}`) ?? '*']),
    [renderer.name, renderer.version],
  ]);
  const manifest: StagedManifest = {
    name: 'switchboard',
    productName: 'Switchboard',
    version: String(root.version),
    description: String(root.description),
    author: root.author,
    homepage: String(root.homepage),
    license: String(root.license),
    type: 'module',
    main: APP_ENTRY,
    dependencies,
  };
  writeFileSync(join(stageDirectory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { directory: stageDirectory, manifest, packages: [...packages, renderer] };
}

function rendererPackage(repositoryRoot: string): InstalledPackage {
  const appPath = `node_modules/${RENDERER_PACKAGE}`;
  const sourceDirectory = realpathSync(join(repositoryRoot, ...appPath.split('/')));
  if (!existsSync(join(sourceDirectory, 'dist', 'index.html'))) {
    throw new StageError(
      `the UI is not built (${sourceDirectory}/dist/index.html is missing); run \`npm run build\``,
    );
  }
  const { version = '0.0.0' } = readManifest(sourceDirectory);
  return { name: RENDERER_PACKAGE, version, sourceDirectory, appPath, workspace: true };
}

function isDevelopmentFile(path: string): boolean {
  const name = basename(path);
  return /\.d\.[cm]?ts$/.test(name) || name.endsWith('.map') || name.endsWith('.tsbuildinfo');
}

/** Some packages publish their TypeScript sources beside the build (zod's `src/`); nothing loads them. */
function isTypeScriptSource(path: string): boolean {
  return /\.[cm]?tsx?$/.test(path);
}

/**
 * A file of an installed package the app keeps: never its nested node_modules (each nested
 * dependency is a package of its own in the list, only if production needs it), no declarations or
 * maps, only the target's native prebuilds, and of a workspace package its manifest and `dist/`.
 */
function keepPackageFile(installed: InstalledPackage, path: string, wantedPrebuild: string): boolean {
  if (path === '') return true;
  const parts = path.split(sep);
  if (parts[0] === 'node_modules') return false;
  if (isDevelopmentFile(path) || isTypeScriptSource(path)) return false;
  const prebuilds = parts.indexOf('prebuilds');
  if (prebuilds >= 0 && parts.length > prebuilds + 1 && parts[prebuilds + 1] !== wantedPrebuild) return false;
  if (installed.workspace) return parts[0] === 'package.json' || parts[0] === 'dist';
  return true;
}
