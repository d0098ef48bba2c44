/** Kubeconfig files for kube-sim's users, written atomically with owner-only permissions. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export type Credential = { token: string } | { certPem: string; keyPem: string };

export function kubeconfigYaml(options: {
  server: string;
  caPem: string;
  user: string;
  credential: Credential;
  context?: string;
}): string {
  const context = options.context ?? 'kube-sim';
  const user =
    'token' in options.credential
      ? { token: options.credential.token }
      : {
          'client-certificate-data': Buffer.from(options.credential.certPem).toString('base64'),
          'client-key-data': Buffer.from(options.credential.keyPem).toString('base64'),
        };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kube-sim',
        cluster: {
          server: options.server,
          'certificate-authority-data': Buffer.from(options.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: options.user, user }],
    contexts: [{ name: context, context: { cluster: 'kube-sim', user: options.user, namespace: 'default' } }],
    'current-context': context,
    preferences: {},
  });
}

/** Writes to a temporary sibling and renames it, so readers never see half a file. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, path);
}
