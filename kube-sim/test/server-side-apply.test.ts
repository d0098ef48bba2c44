/**
 * Server-side apply and managedFields with the real kubectl on PATH (and @kubernetes/client-node):
 * create and update by apply, field ownership as `kubectl get --show-managed-fields` shows it,
 * conflicts with kubectl's own error text, --force-conflicts, pruning of dropped fields, the move
 * from client-side apply, and --dry-run=server.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../src/api/objects.js';
import { findResource } from '../src/api/resources.js';
import { type KubeSim, startKubeSim } from '../src/index.js';

const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const deployment = (replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa-web
  labels:
    app: ssa-web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ssa-web
  template:
    metadata:
      labels:
        app: ssa-web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
${extra}`;

const configMap = (data: Record<string, string>) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-config' }, data });

describe('server-side apply', () => {
  let sim: KubeSim;
  let dir: string;
  let env: Record<string, string>;

  const kubectl = (args: string[]): Promise<Result> =>
    new Promise((resolve) => {
      execFile('kubectl', args, { env, timeout: 20_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  const ok = async (args: string[]): Promise<string> => {
    const result = await kubectl(args);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  };
  const manifest = async (name: string, text: string): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };
  const live = async (kind: string, name: string): Promise<KubeObject> =>
    parseYaml(await ok(['get', kind, name, '-o', 'yaml', '--show-managed-fields'])) as KubeObject;
  const managers = (object: KubeObject) =>
    (object.metadata.managedFields as { manager: string; operation: string }[]).map(
      (entry) => `${entry.manager}/${entry.operation}`,
    );

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kube-sim-ssa-'));
    sim = await startKubeSim({ scenario: 'empty', podStartDelayMs: 0 });
    await writeFile(path.join(dir, 'admin.kubeconfig'), sim.adminKubeconfig, { mode: 0o600 });
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      KUBECONFIG: path.join(dir, 'admin.kubeconfig'),
    };
  });

  afterAll(async () => {
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates, then updates, with the applied fields owned by the "kubectl" applier', async () => {
    const file = await manifest('web.yaml', deployment(2));
    expect(await ok(['apply', '--server-side', '-f', file])).toBe(
      'deployment.apps/ssa-web serverside-applied\n',
    );
    const created = await live('deployment', 'ssa-web');
    const entry = (created.metadata.managedFields as Record<string, unknown>[])[0]!;
    expect(entry).toMatchObject({
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
    });
    expect(entry.fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
    // Defaults are the server's, not the applier's.
    expect((created.spec as { strategy: { type: string } }).strategy.type).toBe('RollingUpdate');

    await writeFile(file, deployment(3));
    expect(await ok(['apply', '--server-side', '-f', file])).toBe(
      'deployment.apps/ssa-web serverside-applied\n',
    );
    expect((await live('deployment', 'ssa-web')).spec).toMatchObject({ replicas: 3 });
  });

  it('without --show-managed-fields kubectl hides them; a repeated apply changes nothing', async () => {
    const plain = parseYaml(await ok(['get', 'deployment', 'ssa-web', '-o', 'yaml'])) as KubeObject;
    expect(plain.metadata.managedFields).toBeUndefined();
    const before = sim.store.get(DEPLOYMENTS, 'default', 'ssa-web')!.metadata.resourceVersion;
    await ok(['apply', '--server-side', '-f', path.join(dir, 'web.yaml')]);
    expect(sim.store.get(DEPLOYMENTS, 'default', 'ssa-web')!.metadata.resourceVersion).toBe(before);
  });

  it('a second manager changing an owned field conflicts, with kubectl printing the apiserver message', async () => {
    const file = await manifest(
      'scaler.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa-web
spec:
  replicas: 5
`,
    );
    const result = await kubectl(['apply', '--server-side', '--field-manager=scaler', '-f', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(result.stderr).toContain('--force-conflicts');

    expect(
      await ok(['apply', '--server-side', '--field-manager=scaler', '--force-conflicts', '-f', file]),
    ).toBe('deployment.apps/ssa-web serverside-applied\n');
    const taken = await live('deployment', 'ssa-web');
    expect((taken.spec as { replicas: number }).replicas).toBe(5);
    expect(managers(taken)).toEqual(['kubectl/Apply', 'scaler/Apply']);
    const entries = taken.metadata.managedFields as { manager: string; fieldsV1: { 'f:spec': object } }[];
    expect(entries.find((e) => e.manager === 'scaler')!.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(entries.find((e) => e.manager === 'kubectl')!.fieldsV1['f:spec']).not.toHaveProperty('f:replicas');
  });

  it('conflicts with an Update manager name its apiVersion; several list per manager', async () => {
    await ok(['label', 'deployment', 'ssa-web', 'tier=web']);
    const file = await manifest(
      'labels.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa-web
  labels:
    tier: api
spec:
  replicas: 7
`,
    );
    const result = await kubectl(['apply', '--server-side', '--field-manager=other', '-f', file]);
    expect(result.stderr).toContain(
      'Apply failed with 2 conflicts: conflicts with "kubectl-label" using apps/v1:\n- .metadata.labels.tier\nconflicts with "scaler":\n- .spec.replicas',
    );
  });

  it('a field dropped from the manifest is removed when no one else owns it', async () => {
    const file = await manifest('cm.yaml', configMap({ a: '1', b: '2' }));
    await ok(['apply', '--server-side', '-f', file]);
    await writeFile(file, configMap({ a: '1' }));
    await ok(['apply', '--server-side', '-f', file]);
    const cm = await live('configmap', 'ssa-config');
    expect(cm.data).toEqual({ a: '1' });
    expect((cm.metadata.managedFields as { fieldsV1: object }[])[0]!.fieldsV1).toEqual({
      'f:data': { 'f:a': {} },
    });

    // Owned by another manager too, a dropped field stays.
    await ok(['patch', 'configmap', 'ssa-config', '--type=merge', '-p', '{"data":{"c":"3"}}']);
    await writeFile(file, configMap({ a: '1', c: '3' }));
    await ok(['apply', '--server-side', '-f', file]);
    await writeFile(file, configMap({ a: '1' }));
    await ok(['apply', '--server-side', '-f', file]);
    expect((await live('configmap', 'ssa-config')).data).toEqual({ a: '1', c: '3' });
  });

  it('--dry-run=server answers without storing', async () => {
    const file = await manifest('dry.yaml', configMap({ a: 'dry' }).replace('ssa-config', 'ssa-dry'));
    expect(await ok(['apply', '--server-side', '--dry-run=server', '-f', file])).toBe(
      'configmap/ssa-dry serverside-applied (server dry run)\n',
    );
    const missing = await kubectl(['get', 'configmap', 'ssa-dry']);
    expect(missing.stderr).toContain('configmaps "ssa-dry" not found');
  });

  it('moves from client-side apply without conflicts and keeps the annotation in step', async () => {
    const csa = (replicas: number) =>
      configMap({ replicas: String(replicas) }).replace('ssa-config', 'csa-config');
    const file = await manifest('csa.yaml', csa(1));
    await ok(['apply', '-f', file]);
    const before = await live('configmap', 'csa-config');
    expect(managers(before)).toEqual(['kubectl-client-side-apply/Update']);

    await writeFile(file, csa(2));
    await ok(['apply', '--server-side', '-f', file]);
    const after = await live('configmap', 'csa-config');
    expect(after.data).toEqual({ replicas: '2' });
    const annotation = after.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
    expect(JSON.parse(annotation!).data).toEqual({ replicas: '2' });
    expect(managers(after)).toContain('kubectl/Apply');
  });

  it('answers the apiserver errors: no fieldManager, managedFields in the body, unknown fields', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(sim.adminKubeconfig);
    const api = kc.makeApiClient(CoreV1Api);
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'node-applied' },
      data: { k: 'v' },
    };
    const created = await api.patchNamespacedConfigMap(
      { name: 'node-applied', namespace: 'default', body, fieldManager: 'node-client' },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    expect(created.metadata?.managedFields?.[0]).toMatchObject({
      manager: 'node-client',
      operation: 'Apply',
    });

    const failure = async (call: Promise<unknown>) => {
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiException);
      const exception = error as ApiException<unknown>;
      return { code: exception.code, body: JSON.parse(String(exception.body)) };
    };
    const noManager = await failure(
      api.patchNamespacedConfigMap(
        { name: 'node-applied', namespace: 'default', body },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      ),
    );
    expect(noManager.code).toBe(422);
    expect(noManager.body.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    const withManaged = await failure(
      api.patchNamespacedConfigMap(
        {
          name: 'node-applied',
          namespace: 'default',
          fieldManager: 'node-client',
          body: { ...body, metadata: { name: 'node-applied', managedFields: [] } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      ),
    );
    expect(withManaged.body).toMatchObject({ code: 400, message: 'metadata.managedFields must be nil' });
    const unknown = await failure(
      api.patchNamespacedConfigMap(
        {
          name: 'node-applied',
          namespace: 'default',
          fieldManager: 'node-client',
          body: { ...body, bogus: 1 },
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      ),
    );
    expect(unknown.code).toBe(500);
    expect(unknown.body.message).toBe(
      'failed to create typed patch object (/node-applied; /v1, Kind=ConfigMap): .bogus: field not declared in schema',
    );
  });

  it('records Update managers for other writes and resets them on an empty managedFields', async () => {
    await ok(['create', 'configmap', 'plain', '--from-literal=a=1']);
    const created = await live('configmap', 'plain');
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
      },
    ]);
    await ok([
      'patch',
      'configmap',
      'plain',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/metadata/managedFields","value":[{}]}]',
    ]);
    expect((await live('configmap', 'plain')).metadata.managedFields).toBeUndefined();
    // Untracked objects stay untracked through updates, until someone applies.
    await ok(['patch', 'configmap', 'plain', '--type=merge', '-p', '{"data":{"b":"2"}}']);
    expect((await live('configmap', 'plain')).metadata.managedFields).toBeUndefined();
  });
});
