/**
 * Unknown and duplicate fields on create, update and patch, per `fieldValidation`
 * (Strict / Warn / Ignore), as kube-apiserver answers them; plus real kubectl's strict validation.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../src/api/errors.js';
import {
  duplicateFields,
  fieldValidationMode,
  jsonPatchOperationErrors,
  pruneUnknownFields,
  strictDecodingErrors,
  warningHeaderValue,
} from '../src/api/field-pruning.js';
import { goFormat } from '../src/api/go-format.js';
import { findResource, type ResourceType } from '../src/api/resources.js';
import { type KubeSim, startKubeSim } from '../src/index.js';

function resource(group: string, version: string, plural: string): ResourceType {
  const type = findResource(group, version, plural);
  if (!type) throw new Error(`no resource ${plural}`);
  return type;
}
const configmaps = resource('', 'v1', 'configmaps');
const deployments = resource('apps', 'v1', 'deployments');
const pods = resource('', 'v1', 'pods');

describe('pruneUnknownFields', () => {
  it('drops unknown fields at every depth, through lists, and keeps map entries', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      bogus: 1,
      metadata: { name: 'web', labels: { anything: 'goes' }, annotations: { 'a/b': 'c' }, nope: true },
      spec: {
        replicas: 1,
        extra: { deep: 1 },
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: 'In', x: 1 }] },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'a', image: 'x' },
              {
                name: 'b',
                image: 'y',
                imagePullPolcy: 'Always',
                ports: [{ containerPort: 80, targetPort: 8080 }],
                resources: { limits: { cpu: '1', memory: '1Gi' } },
                env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'x', junk: 1 } } }],
              },
            ],
          },
        },
      },
    };
    expect(pruneUnknownFields(deployments, deployment)).toEqual([
      'bogus',
      'metadata.nope',
      'spec.extra',
      'spec.selector.matchExpressions[0].x',
      'spec.template.spec.containers[1].imagePullPolcy',
      'spec.template.spec.containers[1].ports[0].targetPort',
      'spec.template.spec.containers[1].env[0].valueFrom.fieldRef.junk',
    ]);
    expect(deployment).not.toHaveProperty('bogus');
    expect(deployment.spec).not.toHaveProperty('extra');
    expect(deployment.metadata.labels).toEqual({ anything: 'goes' });
    expect(deployment.spec.template.spec.containers[1]).toEqual({
      name: 'b',
      image: 'y',
      ports: [{ containerPort: 80 }],
      resources: { limits: { cpu: '1', memory: '1Gi' } },
      env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'x' } } }],
    });
  });

  it('leaves free-form values alone: int-or-string, raw extensions, fieldsV1, opaque objects', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        managedFields: [{ manager: 'm', fieldsV1: { 'f:data': { 'f:x': {} } } }],
      },
      spec: {
        containers: [{ name: 'c', image: 'i', livenessProbe: { httpGet: { port: 'http', path: '/' } } }],
      },
    };
    expect(pruneUnknownFields(pods, pod)).toEqual([]);
    expect(pod.metadata.managedFields[0]!.fieldsV1).toEqual({ 'f:data': { 'f:x': {} } });
  });

  it('honours x-kubernetes-preserve-unknown-fields', async () => {
    const { TYPE_DEFS } = await import('../src/api/openapi-schemas.js');
    const spec = TYPE_DEFS['io.k8s.api.core.v1.ConfigMap']!;
    const saved = spec.properties.data;
    spec.properties.data = ['object', '', { 'x-kubernetes-preserve-unknown-fields': true }];
    try {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { a: { b: 1 } }, x: 1 };
      expect(pruneUnknownFields(configmaps, cm)).toEqual(['x']);
      expect(cm.data).toEqual({ a: { b: 1 } });
    } finally {
      spec.properties.data = saved!;
    }
  });

  it('reports duplicate keys in document order, where the decoder reads them typed', () => {
    const text =
      '{"apiVersion":"v1","kind":"ConfigMap","zz":1,"metadata":{"name":"a","name":"b"},"data":{"k":"1","k":"2"}}';
    const body = JSON.parse(text);
    expect(strictDecodingErrors(configmaps, body, text)).toEqual([
      'unknown field "zz"',
      'duplicate field "metadata.name"',
      'duplicate field "data.k"',
    ]);
    expect(duplicateFields('[{"op":"add","op":"x"}]')).toEqual(['[0].op']);
  });

  it('words the pieces as the apiserver does', () => {
    expect(jsonPatchOperationErrors([{ op: 'add', path: '/a', value: 1, extra: 2 }])).toEqual([
      'json patch unknown field "[0].extra"',
    ]);
    expect(warningHeaderValue('unknown field "spec.foo"')).toBe('299 - "unknown field \\"spec.foo\\""');
    expect(goFormat({ data: { b: 'x', a: 1 }, foo: [true, null, 1.5] })).toBe(
      'map[data:map[a:1 b:x] foo:[true <nil> 1.5]]',
    );
    expect(fieldValidationMode(new URLSearchParams(''), 'CreateOptions')).toBe('Warn');
    expect(fieldValidationMode(new URLSearchParams('fieldValidation=Strict'), 'CreateOptions')).toBe(
      'Strict',
    );
    try {
      fieldValidationMode(new URLSearchParams('fieldValidation=strict'), 'PatchOptions');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(422);
      expect((error as ApiError).message).toBe(
        'PatchOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  status: number;
  warnings: string[];
  body: Record<string, unknown>;
}

describe('kube-sim write path', () => {
  let sim: KubeSim;
  let tls: { ca: string; cert: string; key: string };

  beforeAll(async () => {
    sim = await startKubeSim();
    const config = parseYaml(sim.adminKubeconfig) as {
      clusters: { cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
    };
    const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
    tls = {
      ca: b64(config.clusters[0]!.cluster['certificate-authority-data']),
      cert: b64(config.users[0]!.user['client-certificate-data']),
      key: b64(config.users[0]!.user['client-key-data']),
    };
  });
  afterAll(async () => {
    await sim?.close();
  });

  function call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Answer> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${sim.url}${path}`,
        {
          method,
          ...tls,
          headers: payload
            ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = res.headers.warning;
            resolve({
              status: res.statusCode ?? 0,
              warnings: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  const CM = '/api/v1/namespaces/default/configmaps';
  const cm = (name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { a: 'b' } },
    data: { k: 'v' },
    ...extra,
  });
  // Node merges repeated Warning headers into one comma-joined value.
  const warned = (a: Answer) => a.warnings.join(', ');

  it('create, Strict: 400 naming every unknown field in document order; nothing is stored', async () => {
    const answer = await call('POST', `${CM}?fieldValidation=Strict`, {
      ...cm('strict'),
      foo: 1,
      metadata: { name: 'strict', bar: 2 },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
      message:
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.bar", unknown field "foo"',
    });
    expect((await call('GET', `${CM}/strict`)).status).toBe(404);
  });

  it('create, Strict: duplicate fields', async () => {
    const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"k":"1","k":"2"}}';
    const answer = await call('POST', `${CM}?fieldValidation=Strict`, text);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data.k"',
    );
  });

  it('create, Warn (and the default): 201, fields dropped, one Warning header each', async () => {
    for (const [name, query] of [
      ['warn', '?fieldValidation=Warn'],
      ['default', ''],
    ]) {
      const answer = await call('POST', `${CM}${query}`, {
        ...cm(name!),
        foo: 1,
        data: { k: 'v' },
        spec: { x: 1 },
      });
      expect(answer.status).toBe(201);
      expect(answer.warnings.length).toBeGreaterThan(0);
      expect(warned(answer)).toBe('299 - "unknown field \\"foo\\"", 299 - "unknown field \\"spec\\""');
      expect(answer.body).not.toHaveProperty('foo');
      expect(answer.body).not.toHaveProperty('spec');
      expect((await call('GET', `${CM}/${name}`)).body).not.toHaveProperty('foo');
    }
  });

  it('create, Ignore: 201, fields dropped silently', async () => {
    const answer = await call('POST', `${CM}?fieldValidation=Ignore`, { ...cm('ignore'), foo: 1 });
    expect(answer.status).toBe(201);
    expect(answer.warnings).toEqual([]);
    expect(answer.body).not.toHaveProperty('foo');
  });

  it('rejects an unknown fieldValidation value before decoding', async () => {
    const answer = await call('POST', `${CM}?fieldValidation=Loud`, cm('loud'));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      reason: 'Invalid',
      message:
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"',
      details: { group: 'meta.k8s.io', kind: 'CreateOptions' },
    });
  });

  it('update: Strict fails with the decode error, Warn and Ignore store the pruned object', async () => {
    await call('POST', CM, cm('upd'));
    const strict = await call('PUT', `${CM}/upd?fieldValidation=Strict`, { ...cm('upd'), foo: 1 });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"',
    );
    const warn = await call('PUT', `${CM}/upd?fieldValidation=Warn`, {
      ...cm('upd'),
      data: { k: 'w' },
      foo: 1,
    });
    expect(warn.status).toBe(200);
    expect(warn.warnings).toEqual(['299 - "unknown field \\"foo\\""']);
    expect(warn.body).not.toHaveProperty('foo');
    expect(warn.body.data).toEqual({ k: 'w' });
    const ignore = await call('PUT', `${CM}/upd?fieldValidation=Ignore`, { ...cm('upd'), foo: 1 });
    expect(ignore.status).toBe(200);
    expect(ignore.warnings).toEqual([]);
    expect(ignore.body).not.toHaveProperty('foo');
  });

  it('merge patch: Strict is a 422 on the patched JSON; Warn warns; Ignore is silent', async () => {
    await call('POST', CM, cm('mp'));
    const strict = await call(
      'PATCH',
      `${CM}/mp?fieldValidation=Strict`,
      { foo: 'x', data: { k: 'p' } },
      'application/merge-patch+json',
    );
    expect(strict.status).toBe(422);
    expect(strict.body).toMatchObject({ reason: 'Invalid', code: 422 });
    const message = strict.body.message as string;
    expect(message.startsWith(' "" is invalid: patch: Invalid value: "{')).toBe(true);
    expect(message).toContain('\\"foo\\":\\"x\\"');
    expect(message.endsWith('": strict decoding error: unknown field "foo"')).toBe(true);
    expect((strict.body.details as { causes: unknown[] }).causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: message.slice(' "" is invalid: patch: '.length),
        field: 'patch',
      },
    ]);
    expect(((await call('GET', `${CM}/mp`)).body.data as Record<string, string>).k).toBe('v');

    const warn = await call(
      'PATCH',
      `${CM}/mp?fieldValidation=Warn`,
      { foo: 'x' },
      'application/merge-patch+json',
    );
    expect(warn.status).toBe(200);
    expect(warn.warnings).toEqual(['299 - "unknown field \\"foo\\""']);
    expect(warn.body).not.toHaveProperty('foo');
    const ignore = await call(
      'PATCH',
      `${CM}/mp?fieldValidation=Ignore`,
      { foo: 'x' },
      'application/merge-patch+json',
    );
    expect(ignore.status).toBe(200);
    expect(ignore.warnings).toEqual([]);
    expect(ignore.body).not.toHaveProperty('foo');
  });

  it('strategic merge patch: Strict quotes the patch map as Go prints it', async () => {
    await call('POST', CM, cm('smp'));
    const strict = await call(
      'PATCH',
      `${CM}/smp?fieldValidation=Strict`,
      { metadata: { zap: 1 }, data: { k: 'p' } },
      'application/strategic-merge-patch+json',
    );
    expect(strict.status).toBe(422);
    expect(strict.body.message).toBe(
      ' "" is invalid: patch: Invalid value: "map[data:map[k:p] metadata:map[zap:1]]": strict decoding error: unknown field "metadata.zap"',
    );
    const warn = await call(
      'PATCH',
      `${CM}/smp`,
      { metadata: { zap: 1 }, data: { k: 'p' } },
      'application/strategic-merge-patch+json',
    );
    expect(warn.status).toBe(200);
    expect(warn.warnings).toEqual(['299 - "unknown field \\"metadata.zap\\""']);
    expect(warn.body.data).toEqual({ k: 'p' });
  });

  it('JSON patch: unknown operation keys are reported with the "json patch" prefix', async () => {
    await call('POST', CM, cm('jp'));
    const warn = await call(
      'PATCH',
      `${CM}/jp?fieldValidation=Warn`,
      [{ op: 'add', path: '/foo', value: 1, junk: true }],
      'application/json-patch+json',
    );
    expect(warn.status).toBe(200);
    expect(warned(warn)).toBe(
      '299 - "json patch unknown field \\"[0].junk\\"", 299 - "unknown field \\"foo\\""',
    );
    expect(warn.body).not.toHaveProperty('foo');
    const strict = await call(
      'PATCH',
      `${CM}/jp?fieldValidation=Strict`,
      [{ op: 'add', path: '/foo', value: 1 }],
      'application/json-patch+json',
    );
    expect(strict.status).toBe(422);
    expect((strict.body.message as string).endsWith('": strict decoding error: unknown field "foo"')).toBe(
      true,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Real kubectl

/** The oldest and newest kubectl releases we support; a missing one shows as a skip (a failure in CI). */
const kubectls = [27, 33].map(requireKubectl).filter((binary) => binary !== undefined);

describe.skipIf(kubectls.length === 0)('kubectl create -f with an unknown field', () => {
  let sim: KubeSim;
  let home: string;

  beforeAll(async () => {
    sim = await startKubeSim();
    home = await mkdtemp(join(tmpdir(), 'kube-sim-fv-'));
    await writeFile(join(home, 'config'), sim.adminKubeconfig);
  });
  afterAll(async () => {
    await sim?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const run = (binary: string, args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        binary,
        args,
        { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(home, 'config') }, timeout: 20_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
    });

  it.each(kubectls.map((b) => [b.slice(b.lastIndexOf('kubectl.')), b]))('%s', async (label, binary) => {
    const name = `fv-${label.replaceAll('.', '-')}`;
    const file = join(home, `${name}.yaml`);
    await writeFile(
      file,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  a: "1"\nfoo: bar\n`,
    );
    const strict = await run(binary, ['create', '-f', file]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain(
      `Error from server (BadRequest): error when creating "${file}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"`,
    );
    const lenient = await run(binary, ['create', '--validate=false', '-f', file]);
    expect(lenient.stderr).toBe('');
    expect(lenient.stdout).toBe(`configmap/${name} created\n`);
    const got = await run(binary, ['get', 'configmap', name, '-n', 'default', '-o', 'json']);
    const object = JSON.parse(got.stdout);
    expect(object).not.toHaveProperty('foo');
    expect(object.data).toEqual({ a: '1' });
    expect(readFileSync(file, 'utf8')).toContain('foo: bar');
  });
});
