/**
 * Deep links into the desktop app: `switchboard://cluster/<name>` opens that cluster. The desktop
 * app registers the scheme (electron-builder's `protocols`); the relay prints such links
 * (`switchboard-relay clusters link NAME`), so a runbook or chat message can carry one. A link from
 * anywhere is untrusted input: only this one shape is accepted, with a valid cluster name.
 */
import { clusterNameSchema } from '../relay-api/relay-api.js';

export const DEEP_LINK_SCHEME = 'switchboard';

export type DeepLink = { kind: 'cluster'; cluster: string };

export function clusterDeepLink(cluster: string): string {
  const parsed = clusterNameSchema.safeParse(cluster);
  if (!parsed.success)
    throw new Error(`"${cluster}" is not a cluster name: ${parsed.error.issues[0]?.message}`);
  return `${DEEP_LINK_SCHEME}://cluster/${cluster}`;
}

/**
 * The link's meaning, or undefined for anything but `switchboard://cluster/<valid name>[/]`. The raw
 * text is matched, not a parsed URL: URL parsing would resolve `cluster/../x` to `cluster/x`.
 */
export function parseDeepLink(link: string): DeepLink | undefined {
  const match = /^switchboard:\/\/cluster\/([^/?#]+)\/?$/i.exec(link);
  if (!match || !clusterNameSchema.safeParse(match[1]).success) return undefined;
  return { kind: 'cluster', cluster: match[1]! };
}

/**
 * The deep link among a process's arguments: Windows and Linux start the app (or hand the running
 * instance, through `second-instance`) with the link as an argument.
 */
export function deepLinkInArguments(argv: readonly string[]): string | undefined {
  return argv.find((argument) => argument.startsWith(`${DEEP_LINK_SCHEME}://`));
}
