import { clusterListSchema } from '@switchboard/contract/relay-api';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/relay-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

interface ManifestObject {
  kind: string;
  spec: { replicas?: number };
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}

const EXIT = { ok: 0, usage: 2, notFound: 3, conflict: 4 };

describe('switchboard-relay clusters', () => {
  it('prints the agent install manifests with a fresh join token, and refuses bad options before spending one', async () => {
    const data = await tempDir();
    await runCli(['clusters', 'create', 'edge-1', '--data', data]);
    const noUrl = await runCli(['clusters', 'manifests', 'edge-1', '--data', data]);
    expect(noUrl.code).toBe(EXIT.usage);
    expect(noUrl.stderr).toContain('--relay-url');
    const badReplicas = await runCli([
      'clusters',
      'manifests',
      'edge-1',
      '--replicas',
      'many',
      '--relay-url',
      'https://relay.example.com',
      '--data',
      data,
    ]);
    expect(badReplicas.code).toBe(EXIT.usage);

    const printed = await runCli([
      'clusters',
      'manifests',
      'edge-1',
      '--replicas',
      '3',
      '--relay-url',
      'https://relay.example.com',
      '--data',
      data,
    ]);
    expect(printed.code).toBe(EXIT.ok);
    const objects = parseAllDocuments(printed.stdout).map((document) => document.toJS() as ManifestObject);
    const kinds = objects.map((object) => object.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Namespace',
        'ServiceAccount',
        'ClusterRole',
        'Secret',
        'Deployment',
        'NetworkPolicy',
      ]),
    );
    const deployment = objects.find((object) => object.kind === 'Deployment')!;
    expect(deployment.spec.replicas).toBe(3);
    const secret = objects.find((object) => object.kind === 'Secret')!;
    expect(
      secret.stringData?.joinToken ?? Buffer.from(secret.data?.joinToken ?? '', 'base64').toString(),
    ).toMatch(/^sbj_[A-Za-z0-9_-]{43}$/);
    const withoutPolicy = await runCli([
      'clusters',
      'manifests',
      'edge-1',
      '--no-network-policy',
      '--relay-url',
      'https://relay.example.com',
      '--data',
      data,
    ]);
    expect(withoutPolicy.stdout).not.toContain('kind: NetworkPolicy');
    const unknown = await runCli([
      'clusters',
      'manifests',
      'nope',
      '--relay-url',
      'https://relay.example.com',
      '--data',
      data,
    ]);
    expect(unknown.code).toBe(EXIT.notFound);
  });

  it('creates, lists and deletes clusters in a data directory', async () => {
    const data = await tempDir();
    const created = await runCli([
      'clusters',
      'create',
      'prod-eu',
      '--description',
      'EU production',
      '--label',
      'env=prod',
      '--label',
      'region=eu',
      '--data',
      data,
    ]);
    expect(created.code).toBe(EXIT.ok);
    // No relay has served from this directory yet: the token, but no agent command.
    expect(created.stdout).toMatch(
      /^cluster "prod-eu" created\n\njoin token for cluster "prod-eu" \(shown only this once; single use; expires \S+\):\n {2}sbj_[A-Za-z0-9_-]{43}\n\nthe relay URL is not known yet/,
    );
    const withUrl = await runCli([
      'clusters',
      'join-token',
      'prod-eu',
      '--relay-url',
      'https://relay.example.com/',
      '--data',
      data,
    ]);
    expect(withUrl.stdout).toMatch(
      /with the Helm chart:\n {2}printf %s sbj_[A-Za-z0-9_-]{43} \| helm upgrade --install switchboard-agent cluster-agent\/chart --namespace switchboard-agent --create-namespace --set relayUrl=https:\/\/relay\.example\.com --set clusterName=prod-eu --set-file joinToken=\/dev\/stdin\n/,
    );
    expect(withUrl.stdout).toMatch(
      /npx --no -- switchboard-relay clusters manifests prod-eu --data <DIR> \| kubectl apply -f -\n/,
    );
    expect(withUrl.stdout).toMatch(
      /out of cluster with a kubeconfig:\n {2}SWITCHBOARD_JOIN_TOKEN=sbj_[A-Za-z0-9_-]{43} npx --no -- switchboard-agent --relay https:\/\/relay\.example\.com --kubeconfig <FILE>\n$/,
    );
    await runCli(['clusters', 'create', 'dev', '--data', data]);

    const table = await runCli(['clusters', 'list', '--data', data]);
    expect(table.code).toBe(EXIT.ok);
    expect(table.stdout).toMatch(
      /^NAME +DESCRIPTION +LABELS +CREATED\ndev +\S+\nprod-eu +EU production +env=prod,region=eu +\S+\n$/,
    );

    const json = await runCli(['clusters', 'list', '--output', 'json', '--data', data]);
    const list = clusterListSchema.parse(JSON.parse(json.stdout));
    expect(list.items.map((cluster) => cluster.name)).toEqual(['dev', 'prod-eu']);
    expect(list.items[1]).toMatchObject({
      labels: { env: 'prod', region: 'eu' },
      createdBy: expect.stringMatching(/^operator:/),
    });

    expect(await runCli(['clusters', 'delete', 'dev', '--data', data])).toMatchObject({
      code: EXIT.ok,
      stdout: 'cluster "dev" deleted\n',
    });
    const after = clusterListSchema.parse(
      JSON.parse((await runCli(['clusters', 'list', '-o', 'json', '--data', data])).stdout),
    );
    expect(after.items.map((cluster) => cluster.name)).toEqual(['prod-eu']);
  });

  it('reports errors clearly, with distinct exit codes', async () => {
    const data = await tempDir();
    await runCli(['clusters', 'create', 'a', '--data', data]);
    const duplicate = await runCli(['clusters', 'create', 'a', '--data', data]);
    expect(duplicate).toMatchObject({
      code: EXIT.conflict,
      stderr: 'switchboard-relay: cluster "a" already exists\n',
    });
    const badName = await runCli(['clusters', 'create', 'Not_A_Name', '--data', data]);
    expect(badName.code).toBe(EXIT.usage);
    expect(badName.stderr).toMatch(/^switchboard-relay: name: a cluster name is 1-63 lowercase letters/);
    const unknown = await runCli(['clusters', 'delete', 'zz', '--data', data]);
    expect(unknown).toMatchObject({ code: EXIT.notFound, stderr: 'switchboard-relay: no cluster "zz"\n' });
    const badLabel = await runCli(['clusters', 'create', 'b', '--label', 'novalue', '--data', data]);
    expect(badLabel.code).toBe(EXIT.usage);
    expect(badLabel.stderr).toMatch(/--label must be KEY=VALUE/);
    expect((await runCli(['clusters', 'list'])).stderr).toMatch(/--data DIR or --database URL is required/);
    expect((await runCli(['clusters', 'list', '--bogus', '--data', data])).code).toBe(EXIT.usage);
    expect((await runCli(['clusters', 'frobnicate'])).code).toBe(EXIT.usage);
    expect((await runCli(['nonsense'])).code).toBe(EXIT.usage);
  });
});
