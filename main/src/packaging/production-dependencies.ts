/**
 * Which installed packages the desktop app needs at run time: the production dependencies of its
 * entry packages, followed transitively as Node would resolve them from the repository's
 * `node_modules` (hoisted or nested). Workspace packages (`@switchboard/*`, symlinks into the
 * repository) are marked so the stager copies only what they publish (`dist/`), not their sources
 * and tests. Dev dependencies are never followed, so the relay, kube-sim, the test helpers, Electron
 * itself and the build tools stay out.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface InstalledPackage {
  name: string;
  version: string;
  /** Where its files are (symlinks resolved). */
  sourceDirectory: string;
  /** Where it goes in the packaged app, relative to the app's root (`node_modules/...`). */
  appPath: string;
  /** A package of this repository rather than one from the registry. */
  workspace: boolean;
}

interface PackageManifest {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export class DependencyNotInstalledError extends Error {
  override readonly name = 'DependencyNotInstalledError';
}

export function readManifest(directory: string): PackageManifest {
  return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as PackageManifest;
}

/**
 * The packages `entryDependencies` need, each once, found from `repositoryRoot`'s `node_modules`.
 * Optional dependencies that are not installed (another platform's native binding) are skipped;
 * a required one that is missing is an error naming who needs it.
 */
export function productionPackages(
  repositoryRoot: string,
  entryDependencies: readonly string[],
): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>();
  const queue: { name: string; from: string; optional: boolean; neededBy: string }[] = entryDependencies.map(
    (name) => ({ name, from: repositoryRoot, optional: false, neededBy: 'the desktop app' }),
  );
  while (queue.length > 0) {
    const { name, from, optional, neededBy } = queue.shift()!;
    const linkDirectory = locate(repositoryRoot, from, name);
    if (!linkDirectory) {
      if (optional) continue;
      throw new DependencyNotInstalledError(
        `${name} (needed by ${neededBy}) is not installed under ${repositoryRoot}/node_modules; run \`npm ci\` at the repository root`,
      );
    }
    const appPath = relative(repositoryRoot, linkDirectory).split(sep).join('/');
    if (found.has(appPath)) continue;
    if (!appPath.startsWith('node_modules/')) {
      throw new DependencyNotInstalledError(
        `${name} (needed by ${neededBy}) is installed at ${appPath}, inside a workspace; the packager expects npm's hoisted layout under the root node_modules`,
      );
    }
    const sourceDirectory = realpathSync(linkDirectory);
    const manifest = readManifest(sourceDirectory);
    const workspace = !sourceDirectory.split(sep).includes('node_modules');
    found.set(appPath, { name, version: manifest.version ?? '0.0.0', sourceDirectory, appPath, workspace });
    // Node resolves a package's own imports from its real path: a workspace's from its folder.
    const resolveFrom = workspace ? sourceDirectory : linkDirectory;
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      queue.push({ name: dependency, from: resolveFrom, optional: false, neededBy: name });
    }
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {})) {
      queue.push({ name: dependency, from: resolveFrom, optional: true, neededBy: name });
    }
    for (const dependency of Object.keys(manifest.peerDependencies ?? {})) {
      // An optional peer is one the package works without: following it would pull in whatever
      // the repository installed for other workspaces (React for the UI's build, say).
      if (manifest.peerDependenciesMeta?.[dependency]?.optional) continue;
      queue.push({ name: dependency, from: resolveFrom, optional: false, neededBy: name });
    }
  }
  return [...found.values()].sort((a, b) => a.appPath.localeCompare(b.appPath));
}

/** Node's lookup: `<dir>/node_modules/<name>` from `from` up to the repository root. */
function locate(repositoryRoot: string, from: string, name: string): string | undefined {
  let directory = from;
  for (;;) {
    const candidate = join(directory, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (directory === repositoryRoot || !directory.startsWith(repositoryRoot)) return undefined;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}
