/**
 * The kubectl releases the tests drive: `kubectl.1.N` beside the kubectl on PATH, the way the
 * Google Cloud CLI's kubectl package installs kubectl.1.27 … kubectl.1.33 next to its own kubectl.
 */
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { it } from 'vitest';

/** The directory of the first kubectl on PATH, symlinks resolved; undefined without one. */
function kubectlDirectory(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'kubectl');
    if (existsSync(candidate)) return dirname(realpathSync(candidate));
  }
  return undefined;
}

/** `kubectl.1.N` beside the kubectl on PATH, or undefined when this machine lacks it. */
export function kubectlBinary(minor: number): string | undefined {
  const directory = kubectlDirectory();
  if (!directory) return undefined;
  const versioned = join(directory, `kubectl.1.${minor}`);
  return existsSync(versioned) ? versioned : undefined;
}

function howToInstall(minor: number): string {
  const directory = kubectlDirectory();
  if (!directory) {
    return `there is no kubectl on PATH at all. Install the kubectl package of the Google Cloud CLI apt repository (https://packages.cloud.google.com/apt, suite cloud-sdk), which puts kubectl.1.27 … kubectl.1.33 beside its kubectl.`;
  }
  const target = join(directory, `kubectl.1.${minor}`);
  return (
    `it is not in ${directory}, beside the kubectl on PATH. Install the kubectl package of the Google Cloud CLI ` +
    `apt repository (https://packages.cloud.google.com/apt, suite cloud-sdk), which puts kubectl.1.27 … kubectl.1.33 ` +
    `beside its kubectl, or download that release there: curl -fsSLo ${target} ` +
    `"https://dl.k8s.io/release/$(curl -fsSL https://dl.k8s.io/release/stable-1.${minor}.txt)/bin/linux/amd64/kubectl" ` +
    `&& chmod +x ${target}`
  );
}

/**
 * `kubectl.1.N`, which the calling suite needs: hand `!binary` to `describe.skipIf`. Where it is
 * missing, the calling suite gets one more test, named after what is missing: skipped on a
 * developer's machine, so the skip shows with its reason; failing in CI (`CI=true`) with how to
 * install it, since there suites that quietly did not run would let the run pass.
 */
export function requireKubectl(minor: number): string | undefined {
  const binary = kubectlBinary(minor);
  if (binary) return binary;
  const missing = `kubectl.1.${minor} is not installed: the tests that run kubectl 1.${minor} are skipped`;
  it.skipIf(process.env.CI !== 'true')(missing, () => {
    throw new Error(`${missing}: ${howToInstall(minor)}`);
  });
  return undefined;
}
