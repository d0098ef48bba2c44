import type { Kubectl } from '@switchboard/test-support/kubectl';
import { kubectlBinary } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../src/index.js';
import { type AdminKubectl, adminKubectl } from './support/admin-kubectl.js';

const DEFINITION = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, shortNames: [wd] }
  versions:
    - name: v1
      served: true
      storage: true
      subresources: { status: {} }
      additionalPrinterColumns:
        - { name: Color, type: string, jsonPath: .spec.color }
        - { name: Size, type: integer, jsonPath: .spec.size }
        - { name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status' }
        - { name: Owner, type: string, priority: 1, jsonPath: .spec.owner }
        - { name: Age, type: date, jsonPath: .metadata.creationTimestamp }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [color]
              properties:
                color: { type: string }
                size: { type: integer }
                owner: { type: string }
            status:
              type: object
              properties:
                conditions:
                  type: array
                  items:
                    type: object
                    properties: { type: { type: string }, status: { type: string } }
`;

const GADGETS = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Cluster
  names: { plural: gadgets, singular: gadget, kind: Gadget }
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

const widget = (name: string, spec: string) => `apiVersion: example.com/v1
kind: Widget
metadata: { name: ${name}, namespace: default }
spec: ${spec}
`;

const KUBECTLS = [
  { label: '1.27', binary: kubectlBinary(27) },
  { label: 'on PATH', binary: 'kubectl' },
].filter((k): k is { label: string; binary: string } => k.binary !== undefined);

describe.each(KUBECTLS)('custom resources with kubectl $label', { timeout: 60_000 }, ({ binary }) => {
  let sim: KubeSim;
  let admin: AdminKubectl;
  let kubectl: Kubectl;

  beforeAll(async () => {
    sim = await startKubeSim();
    admin = await adminKubectl(sim, binary);
    kubectl = admin.kubectl;
  });

  afterAll(async () => {
    await sim?.close();
    await admin?.dispose();
  });

  it('applies a definition that becomes Established and shows in api-resources', async () => {
    expect(await kubectl.ok(['apply', '-f', '-'], { input: DEFINITION })).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    await kubectl.ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s']);
    const resources = await kubectl.ok(['api-resources', '--api-group=example.com']);
    expect(resources).toMatch(/widgets\s+wd\s+example\.com\/v1\s+true\s+Widget/);
    expect(await kubectl.ok(['get', '--raw', '/apis/example.com'])).toContain('"preferredVersion"');
  });

  it('creates objects and lists them with the printer columns', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      input: `${widget('blue', '{ color: blue, size: 3, owner: ana }')}---\n${widget('red', '{ color: red }')}`,
    });
    const table = await kubectl.ok(['get', 'widgets']);
    const [header, ...rows] = table.trim().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'COLOR', 'SIZE', 'READY', 'AGE']);
    // A column whose path finds nothing is a null cell, which kubectl prints as blank.
    expect(rows[0]).toMatch(/^blue {3}blue {4}3 {14}\d+s$/);
    expect(rows[1]).toMatch(/^red {4}red {20}\d+s$/);
    expect(await kubectl.ok(['get', 'wd', '-o', 'wide'])).toMatch(/OWNER +AGE\nblue +blue +3 +ana +\d+s\n/);
  });

  it('refuses objects that break the schema and prunes unknown fields', async () => {
    const missing = await kubectl.run(['create', '-f', '-'], { input: widget('plain', '{ size: 1 }') });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('spec.color: Required value');
    const wrongType = await kubectl.run(['create', '-f', '-'], {
      input: widget('odd', '{ color: green, size: big }'),
    });
    expect(wrongType.stderr).toContain('spec.size in body must be of type integer');
    await kubectl.ok(['create', '--validate=false', '-f', '-'], {
      input: widget('extra', '{ color: green, shade: dark }'),
    });
    expect(JSON.parse(await kubectl.ok(['get', 'widget', 'extra', '-o', 'json'])).spec).toEqual({
      color: 'green',
    });
  });

  it('writes status only through the status subresource', async () => {
    const status = JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    await kubectl.ok(['patch', 'widget', 'blue', '--type=merge', '-p', status]);
    expect(await kubectl.ok(['get', 'widget', 'blue'])).toMatch(/blue {3}blue {4}3 {14}\d+s/);
    await kubectl.ok(['patch', 'widget', 'blue', '--subresource=status', '--type=merge', '-p', status]);
    expect(await kubectl.ok(['get', 'widget', 'blue'])).toMatch(/blue +blue +3 +True +\d+s/);
  });

  it('watches objects with kubectl get -w', async () => {
    const watch = kubectl.stream(['get', 'widgets', '-w']);
    try {
      await watch.waitFor(/red/);
      await kubectl.ok(['apply', '-f', '-'], { input: widget('green', '{ color: green, size: 7 }') });
      await watch.waitFor(/green\s+green\s+7/);
    } finally {
      await watch.stop();
    }
  });

  it('serves cluster-scoped resources without a printer column as Name and Age', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: GADGETS });
    await kubectl.ok(['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=10s']);
    await kubectl.ok(['apply', '-f', '-'], {
      input:
        'apiVersion: example.com/v1alpha1\nkind: Gadget\nmetadata: { name: g1 }\nspec: { anything: [1, 2] }\n',
    });
    const table = await kubectl.ok(['get', 'gadgets']);
    expect(table).toMatch(/^NAME\s+AGE\ng1\s+\d+s\n$/);
    expect(JSON.parse(await kubectl.ok(['get', 'gadget', 'g1', '-o', 'json'])).spec).toEqual({
      anything: [1, 2],
    });
  });

  it('serves every served version from the same objects, each in its own apiVersion', async () => {
    const version = (name: string, storage: boolean) =>
      `    - name: ${name}\n      served: true\n      storage: ${storage}\n      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }\n`;
    await kubectl.ok(['apply', '-f', '-'], {
      input: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: things.example.org }
spec:
  group: example.org
  scope: Namespaced
  names: { plural: things, singular: thing, kind: Thing }
  versions:
${version('v1', true)}${version('v2', false)}`,
    });
    await kubectl.ok(['wait', '--for=condition=Established', 'crd/things.example.org', '--timeout=10s']);
    await kubectl.ok(['apply', '-f', '-'], {
      input:
        'apiVersion: example.org/v1\nkind: Thing\nmetadata: { name: t1, namespace: default }\nspec: { size: 1 }\n',
    });
    const read = async (resource: string) =>
      (await kubectl.ok(['get', resource, 't1', '-o', 'jsonpath={.apiVersion} {.spec.size}'])).trim();
    expect(await read('things.v1.example.org')).toBe('example.org/v1 1');
    expect(await read('things.v2.example.org')).toBe('example.org/v2 1');
  });

  it('garbage-collects a custom object whose owner is deleted', async () => {
    await kubectl.ok(['create', 'configmap', 'widget-owner']);
    const uid = (
      await kubectl.ok(['get', 'configmap', 'widget-owner', '-o', 'jsonpath={.metadata.uid}'])
    ).trim();
    await kubectl.ok(['apply', '-f', '-'], {
      input: `apiVersion: example.com/v1
kind: Widget
metadata:
  name: owned
  namespace: default
  ownerReferences: [{ apiVersion: v1, kind: ConfigMap, name: widget-owner, uid: ${uid} }]
spec: { color: grey }
`,
    });
    await kubectl.ok(['delete', 'configmap', 'widget-owner']);
    await kubectl.ok(['wait', '--for=delete', 'widget/owned', '--timeout=10s']);
  });

  it('deletes the objects with their definition and stops serving the resource', async () => {
    await kubectl.ok(['delete', 'crd', 'widgets.example.com']);
    // kubectl still has the resource in its discovery cache, so it asks and is told NotFound.
    const after = await kubectl.run(['get', 'widgets']);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('the server could not find the requested resource');
    const gone = await kubectl.run(['get', '--raw', '/apis/example.com/v1']);
    expect(gone.stderr).toContain('NotFound');
    expect(await kubectl.ok(['get', '--raw', '/apis/example.com/v1alpha1'])).toContain('"gadgets"');
  });
});

describe('the demo scenario', () => {
  let sim: KubeSim;
  let admin: AdminKubectl;
  let kubectl: Kubectl;

  beforeAll(async () => {
    sim = await startKubeSim({ scenario: 'demo' });
    admin = await adminKubectl(sim);
    kubectl = admin.kubectl;
  });

  afterAll(async () => {
    await sim?.close();
    await admin?.dispose();
  });

  it('has cert-manager certificates with their status', async () => {
    await kubectl.ok(['wait', '--for=condition=Established', 'crd/certificates.cert-manager.io']);
    const table = await kubectl.ok(['get', 'certificates', '-n', 'shop']);
    expect(table).toMatch(/^NAME +READY +SECRET +AGE\n/);
    expect(table).toMatch(/\nadmin-example-tls +False +admin-example-tls +\d+s\n/);
    expect(table).toMatch(/\nshop-example-tls +True +shop-example-tls +\d+s\n/);
  });
});
