import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  KubeconfigFileError,
  MergeRecords,
  mergeKubeconfig,
  unmergeKubeconfig,
} from '../../src/core/kubeconfig/kubeconfig-merge.js';
import {
  kubeconfigEntries,
  switchboardKubeconfigYaml,
} from '../../src/core/kubeconfig/switchboard-kubeconfig.js';

const ORIGINAL = `# my clusters, by hand
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Zm9v
    server: https://prod.example.com:6443 # the real one
  name: prod
contexts:
- context:
    cluster: prod
    user: me
  name: prod
current-context: prod
kind: Config
preferences: {}
users:
- name: me
  user:
    token: "not-a-real-token"
`;
const identity = {
  caCertPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  credential: 'c'.repeat(43),
};
const entries = kubeconfigEntries({ clusters: ['dev', 'staging'], port: 47011, identity });
const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

describe('kubeconfig merge and unmerge', () => {
  let dir: string;
  let target: string;
  let records: MergeRecords;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-merge-'));
    target = join(dir, '.kube', 'config');
    records = new MergeRecords(join(dir, 'switchboard'));
    await writeFile(join(dir, 'placeholder'), '');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, '.kube')));
    await writeFile(target, ORIGINAL, { mode: 0o600 });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('own kubeconfig: one cluster/context/user per cluster on the proxy, with the local credential', () => {
    const config = parse(switchboardKubeconfigYaml({ clusters: ['dev'], port: 47011, identity }));
    expect(config.clusters[0]).toEqual({
      name: 'switchboard-dev',
      cluster: {
        server: 'https://127.0.0.1:47011/clusters/dev',
        'certificate-authority-data': Buffer.from(identity.caCertPem).toString('base64'),
      },
    });
    expect(config.contexts[0]).toEqual({
      name: 'switchboard-dev',
      context: { cluster: 'switchboard-dev', user: 'switchboard-dev' },
    });
    expect(config.users[0]).toEqual({ name: 'switchboard-dev', user: { token: identity.credential } });
  });

  it('merges after a backup, keeps comments and current-context, and unmerge restores the exact bytes', async () => {
    const result = await mergeKubeconfig(target, entries, records);
    expect(result.added).toHaveLength(6);
    const merged = await readFile(target, 'utf8');
    expect(merged.startsWith('# my clusters, by hand\n')).toBe(true);
    expect(merged).toContain('server: https://prod.example.com:6443 # the real one');
    const config = parse(merged);
    expect(config['current-context']).toBe('prod');
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual([
      'prod',
      'switchboard-dev',
      'switchboard-staging',
    ]);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(result.backupPath).toMatch(/config\.switchboard-backup-\d{4}-/);
    expect(await readFile(result.backupPath!, 'utf8')).toBe(ORIGINAL);

    const undone = await unmergeKubeconfig(target, records);
    expect(undone.how).toBe('restored');
    expect(sha(await readFile(target))).toBe(sha(ORIGINAL));
  });

  it('after hand edits, unmerge removes only its unchanged entries and keeps the edits', async () => {
    await mergeKubeconfig(target, entries, records);
    const edited = (await readFile(target, 'utf8'))
      .replace('current-context: prod', 'current-context: switchboard-dev')
      .replace('https://127.0.0.1:47011/clusters/staging', 'https://127.0.0.1:48000/clusters/staging');
    await writeFile(target, edited);
    const undone = await unmergeKubeconfig(target, records);
    expect(undone.how).toBe('removed-entries');
    expect(undone.keptChanged).toEqual(['clusters/switchboard-staging']);
    const config = parse(await readFile(target, 'utf8'));
    expect(config['current-context']).toBe('switchboard-dev');
    expect(config.clusters.map((c: { name: string }) => c.name)).toEqual(['prod', 'switchboard-staging']);
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config.users.map((u: { name: string }) => u.name)).toEqual(['me']);
    expect(await readFile(target, 'utf8')).toContain('# my clusters, by hand');
  });

  it('re-merging updates its own entries; a same-named entry it did not add is a conflict', async () => {
    await mergeKubeconfig(target, entries, records);
    const again = await mergeKubeconfig(target, entries, records);
    expect(again.updated).toHaveLength(6);
    expect(sha(await readFile(target))).not.toBe(sha(ORIGINAL));
    expect((await unmergeKubeconfig(target, records)).how).toBe('restored');
    expect(sha(await readFile(target))).toBe(sha(ORIGINAL));

    await writeFile(target, ORIGINAL.replace('name: prod\ncontexts', 'name: switchboard-dev\ncontexts'));
    const before = await readFile(target);
    await expect(mergeKubeconfig(target, entries, records)).rejects.toThrow(
      /already has cluster "switchboard-dev", which Switchboard did not add/,
    );
    expect(await readFile(target)).toEqual(before);
  });

  it('a malformed kubeconfig is an error naming the file, and nothing is written', async () => {
    await writeFile(target, 'apiVersion: v1\nclusters: [\n  - oops: {\n');
    const before = await readFile(target);
    const error = await mergeKubeconfig(target, entries, records).catch((e) => e);
    expect(error).toBeInstanceOf(KubeconfigFileError);
    expect(error.message).toContain(target);
    expect(error.message).toContain('nothing was written');
    expect(await readFile(target)).toEqual(before);
    expect((await readdir(join(dir, '.kube'))).filter((f) => f.includes('backup'))).toEqual([]);
    await writeFile(target, 'clusters: {a: 1}\n');
    await expect(mergeKubeconfig(target, entries, records)).rejects.toThrow(/"clusters" is not a list/);
  });

  it('merging into a missing file creates it; unmerge deletes it again', async () => {
    await rm(target);
    await mergeKubeconfig(target, entries, records);
    expect(parse(await readFile(target, 'utf8'))['current-context']).toBeUndefined();
    expect((await unmergeKubeconfig(target, records)).how).toBe('deleted-file');
    await expect(stat(target)).rejects.toThrow(/ENOENT/);
  });
});
