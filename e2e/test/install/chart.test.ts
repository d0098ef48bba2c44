/**
 * The Helm chart (cluster-agent/chart) and the manifests generator must install the same objects.
 * No helm binary and no maintained Go-template evaluator for Node exist on these machines, so this
 * checks the templates' text against the generator's objects: every kind and name, every env
 * variable, the probes, and the values the relay's `helmCommand` sets. Rendering is not tested.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentManifestObjects, helmCommand } from '@switchboard/relay-server/install';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const CHART = join(import.meta.dirname, '../../../cluster-agent/chart');

async function templates(): Promise<string> {
  const dir = join(CHART, 'templates');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.yaml'));
  return (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')))).join('\n---\n');
}

const objects = agentManifestObjects({
  cluster: 'prod',
  relayUrl: 'https://relay.example.com',
  joinToken: `sbj_${'a'.repeat(43)}`,
  image: 'example/agent:1',
  relayCaPem: 'PEM',
  httpsProxy: 'http://proxy:3128',
  noProxy: '.svc',
  heartbeatInterval: '30s',
});

describe('the Helm chart', () => {
  it('has every object of the manifests except the Namespace (helm --create-namespace makes it)', async () => {
    const text = await templates();
    for (const object of objects) {
      const { kind, metadata } = object as { kind: string; metadata: { name: string } };
      if (kind === 'Namespace') continue;
      expect(text, kind).toMatch(
        new RegExp(`^kind: ${kind}\\n(?:.*\\n)*?metadata:\\n  name: ${metadata.name}$`, 'm'),
      );
    }
  });

  it('sets every env variable, port and probe of the Deployment', async () => {
    const text = await readFile(join(CHART, 'templates/deployment.yaml'), 'utf8');
    const deployment = objects.find((object) => object.kind === 'Deployment') as {
      spec: {
        template: {
          spec: {
            containers: { env: { name: string }[]; livenessProbe: unknown; readinessProbe: unknown }[];
          };
        };
      };
    };
    const container = deployment.spec.template.spec.containers[0]!;
    for (const { name } of container.env) expect(text).toContain(`- name: ${name}\n`);
    for (const path of ['/healthz', '/readyz']) expect(text).toContain(`path: ${path}`);
    for (const setting of [
      'readOnlyRootFilesystem: true',
      'allowPrivilegeEscalation: false',
      'runAsNonRoot: true',
      'drop: [ALL]',
      'type: RuntimeDefault',
      'maxUnavailable: 0',
    ]) {
      expect(text).toContain(setting);
    }
  });

  it('takes the values the relay prints in its helm command, and documents the rest', async () => {
    const values = parse(await readFile(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    const command = helmCommand('https://relay.example.com', 'prod', 'sbj_x');
    for (const [, key] of command.matchAll(/--set(?:-file)? (\w+)=/g)) expect(values).toHaveProperty(key!);
    for (const key of [
      'image.repository',
      'image.tag',
      'image.pullPolicy',
      'replicas',
      'resources',
      'networkPolicy.enabled',
      'relayCaBundle',
      'httpsProxy',
      'noProxy',
      'heartbeatInterval',
    ]) {
      expect(values).toHaveProperty(key);
    }
    expect(values.replicas).toBe(2);
    const chart = parse(await readFile(join(CHART, 'Chart.yaml'), 'utf8')) as {
      name: string;
      apiVersion: string;
    };
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'switchboard-agent' });
  });
});
