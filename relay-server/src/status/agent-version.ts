/**
 * Semantic version precedence (semver.org §11), enough to tell whether an agent is older than the
 * version the relay recommends. Versions that are not semantic versions compare as "not older", so
 * a custom build is never nagged to upgrade.
 */
const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

interface ParsedVersion {
  core: [number, number, number];
  preRelease: string[];
}

function parseVersion(version: string): ParsedVersion | undefined {
  const match = SEMVER.exec(version.trim());
  if (!match) return undefined;
  return {
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    preRelease: match[4] === undefined ? [] : match[4].split('.'),
  };
}

/** Negative when `a` precedes `b`, positive when it follows, 0 when equal (build metadata ignored). */
function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  for (let index = 0; index < 3; index++) {
    const difference = a.core[index]! - b.core[index]!;
    if (difference !== 0) return difference;
  }
  // A pre-release precedes its release: 1.0.0-rc.1 < 1.0.0.
  if (a.preRelease.length === 0 || b.preRelease.length === 0) {
    return b.preRelease.length - a.preRelease.length;
  }
  for (let index = 0; index < Math.max(a.preRelease.length, b.preRelease.length); index++) {
    const left = a.preRelease[index];
    const right = b.preRelease[index];
    if (left === undefined) return -1;
    if (right === undefined) return 1;
    const leftNumeric = /^\d+$/.test(left);
    const rightNumeric = /^\d+$/.test(right);
    if (leftNumeric && rightNumeric) {
      const difference = Number(left) - Number(right);
      if (difference !== 0) return difference;
    } else if (leftNumeric !== rightNumeric) {
      return leftNumeric ? -1 : 1; // numeric identifiers precede alphanumeric ones
    } else if (left !== right) {
      return left < right ? -1 : 1;
    }
  }
  return 0;
}

/** Whether the agent's reported version is older than the recommended one. */
export function isOlderVersion(reported: string, recommended: string): boolean {
  const agent = parseVersion(reported);
  const target = parseVersion(recommended);
  if (!agent || !target) return false;
  return compareVersions(agent, target) < 0;
}
