/**
 * Switchboard's own kubeconfig: one cluster, context and user per granted cluster, all pointing at
 * the local proxy. The user entry holds the local credential (never the OIDC token); the cluster
 * entry trusts the local CA. Written 0600, atomically.
 */
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { LocalIdentity } from '../local-proxy/local-identity.js';

export const CONTEXT_PREFIX = 'switchboard-';

export interface KubeconfigEntry {
  section: 'clusters' | 'contexts' | 'users';
  name: string;
  value: Record<string, unknown>;
}

export interface SwitchboardKubeconfigInput {
  /** Cluster names granted to the user (from `GET /api/v1/clusters`). */
  clusters: readonly string[];
  port: number;
  identity: Pick<LocalIdentity, 'caCertPem' | 'credential'>;
}

/** The entries Switchboard adds, in kubeconfig order: clusters, contexts, users. */
export function kubeconfigEntries({
  clusters,
  port,
  identity,
}: SwitchboardKubeconfigInput): KubeconfigEntry[] {
  const caData = Buffer.from(identity.caCertPem, 'utf8').toString('base64');
  const sorted = [...new Set(clusters)].sort();
  const names = sorted.map((cluster) => ({ cluster, name: `${CONTEXT_PREFIX}${cluster}` }));
  return [
    ...names.map(({ cluster, name }) => ({
      section: 'clusters' as const,
      name,
      value: {
        name,
        cluster: {
          server: `https://127.0.0.1:${port}/clusters/${cluster}`,
          'certificate-authority-data': caData,
        },
      },
    })),
    ...names.map(({ name }) => ({
      section: 'contexts' as const,
      name,
      value: { name, context: { cluster: name, user: name } },
    })),
    ...names.map(({ name }) => ({
      section: 'users' as const,
      name,
      value: { name, user: { token: identity.credential } },
    })),
  ];
}

/** Switchboard's own file; its current-context is the first cluster, so `kubectl` works right away. */
export function switchboardKubeconfigYaml(input: SwitchboardKubeconfigInput): string {
  const entries = kubeconfigEntries(input);
  const of = (section: KubeconfigEntry['section']) =>
    entries.filter((entry) => entry.section === section).map((entry) => entry.value);
  const firstContext = entries.find((entry) => entry.section === 'contexts')?.name;
  return stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: of('clusters'),
      contexts: of('contexts'),
      users: of('users'),
      'current-context': firstContext ?? '',
    },
    { lineWidth: 0, indentSeq: false },
  );
}

export async function writeSwitchboardKubeconfig(
  path: string,
  input: SwitchboardKubeconfigInput,
): Promise<string> {
  const text = switchboardKubeconfigYaml(input);
  await writeFileAtomic(path, text, 0o600);
  return text;
}

/** Where kubectl reads by default: `$KUBECONFIG`'s first entry, else `~/.kube/config`. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(delimiter).find((entry) => entry.trim() !== '');
  if (first) return first;
  return join(env.HOME ?? homedir(), '.kube', 'config');
}

/** `<config dir>/kubeconfig`. */
export function defaultSwitchboardKubeconfigPath(configDirectory: string): string {
  return join(configDirectory, 'kubeconfig');
}
