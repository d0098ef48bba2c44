import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/errors.js';
import type { KubeObject } from '../src/api/objects.js';
import { applyPatch, jsonMergePatch, patchTypeFromContentType } from '../src/api/patch.js';
import { findResource, type ResourceType } from '../src/api/resources.js';
import {
  labelSelectorFromSpec,
  matches,
  matchesFields,
  parseFieldSelector,
  parseLabelSelector,
} from '../src/api/selectors.js';
import { humanDuration, tableRow, toTable } from '../src/api/table.js';
import { validate } from '../src/api/validation.js';

function resource(group: string, plural: string): ResourceType {
  const type = findResource(group, 'v1', plural);
  if (!type) throw new Error(`no resource ${plural}`);
  return type;
}

const pods = resource('', 'pods');
const deployments = resource('apps', 'deployments');
const configmaps = resource('', 'configmaps');
const rolebindings = resource('rbac.authorization.k8s.io', 'rolebindings');
const secrets = resource('', 'secrets');
const ingresses = resource('networking.k8s.io', 'ingresses');
const podDisruptionBudgets = resource('policy', 'poddisruptionbudgets');

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web', tier: 'front' },
      finalizers: ['a/x', 'a/y'],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'nginx:1.25',
              env: [{ name: 'A', value: '1' }],
              ports: [{ containerPort: 80 }],
            },
            { name: 'sidecar', image: 'busybox' },
          ],
        },
      },
    },
  };
}

type Json = Record<string, unknown>;

function json(value: unknown): Json {
  return value as Json;
}

/** Walks decoded JSON for assertions. */
function dig(value: unknown, ...path: string[]): unknown {
  return path.reduce((current, key) => json(current)?.[key], value);
}

function containers(object: KubeObject): Json[] {
  return dig(object, 'spec', 'template', 'spec', 'containers') as Json[];
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('patch content types', () => {
  it('maps the three patch media types and ignores parameters', () => {
    expect(patchTypeFromContentType('application/json-patch+json')).toBe('json');
    expect(patchTypeFromContentType('application/merge-patch+json; charset=utf-8')).toBe('merge');
    expect(patchTypeFromContentType('application/strategic-merge-patch+json')).toBe('strategic');
  });

  it('rejects anything else with 415', () => {
    const error = apiError(() => patchTypeFromContentType('application/json'));
    expect(error.code).toBe(415);
    expect(error.reason).toBe('UnsupportedMediaType');
    expect(error.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
  });
});

describe('JSON patch and merge patch', () => {
  it('applies RFC 6902 operations without touching the original', () => {
    const original = deployment();
    const patched = applyPatch(deployments, original, 'json', [
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/metadata/labels/new', value: 'yes' },
    ]);
    expect(json(patched.spec).replicas).toBe(5);
    expect(patched.metadata.labels?.new).toBe('yes');
    expect(json(original.spec).replicas).toBe(2);
  });

  it('answers a failed test or missing path with the generic 422', () => {
    for (const op of [
      { op: 'test', path: '/spec/replicas', value: 9 },
      { op: 'remove', path: '/spec/affinity' },
      { op: 'frobnicate', path: '/spec' },
    ]) {
      const error = apiError(() => applyPatch(deployments, deployment(), 'json', [op]));
      expect(error.toStatus()).toMatchObject({
        code: 422,
        reason: 'Invalid',
        message: 'the server rejected our request due to an error in our request',
        details: {},
      });
    }
  });

  it('rejects a non-array JSON patch with 400', () => {
    const error = apiError(() => applyPatch(deployments, deployment(), 'json', { op: 'add' }));
    expect(error.code).toBe(400);
    expect(error.message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });

  it('merge patch replaces lists and deletes with null', () => {
    const patched = applyPatch(deployments, deployment(), 'merge', {
      metadata: { labels: { tier: null } },
      spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }] } } },
    });
    expect(patched.metadata.labels).toEqual({ app: 'web' });
    expect(containers(patched)).toEqual([{ name: 'only', image: 'x' }]);
    expect(jsonMergePatch({ a: { b: 1 } }, { a: { c: null, d: 2 } })).toEqual({ a: { b: 1, d: 2 } });
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name and keeps unpatched fields', () => {
    const patched = applyPatch(deployments, deployment(), 'strategic', {
      spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } } },
    });
    expect(containers(patched).map((c) => [c.name, c.image])).toEqual([
      ['app', 'nginx:1.26'],
      ['sidecar', 'busybox'],
    ]);
    expect(containers(patched)[0]?.env).toEqual([{ name: 'A', value: '1' }]);
  });

  it('applies what kubectl apply sends: $setElementOrder, a deleted container, null labels', () => {
    // kubectl apply after removing the sidecar, adding `worker` and dropping the `tier` label.
    const patch = {
      metadata: { labels: { tier: null } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'worker' }, { name: 'app' }],
            containers: [
              { name: 'worker', image: 'worker:1' },
              { name: 'app', image: 'nginx:1.27' },
              { $patch: 'delete', name: 'sidecar' },
            ],
          },
        },
      },
    };
    const patched = applyPatch(deployments, deployment(), 'strategic', patch);
    expect(patched.metadata.labels).toEqual({ app: 'web' });
    expect(containers(patched)).toEqual([
      { name: 'worker', image: 'worker:1' },
      { name: 'app', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
    ]);
    expect(JSON.stringify(patched)).not.toContain('$');
  });

  it('merges env by name and ports by containerPort inside a container', () => {
    const patched = applyPatch(deployments, deployment(), 'strategic', {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                env: [
                  { name: 'B', value: '2' },
                  { name: 'A', value: 'changed' },
                ],
                ports: [{ containerPort: 80, name: 'http' }],
              },
            ],
          },
        },
      },
    });
    const app = containers(patched)[0] as Json;
    expect(app.env).toEqual([
      { name: 'B', value: '2' },
      { name: 'A', value: 'changed' },
    ]);
    expect(app.ports).toEqual([{ containerPort: 80, name: 'http' }]);
  });

  it('treats finalizers as a set and honours $deleteFromPrimitiveList', () => {
    const added = applyPatch(deployments, deployment(), 'strategic', {
      metadata: { finalizers: ['a/y', 'a/z'] },
    });
    expect(added.metadata.finalizers).toEqual(['a/x', 'a/y', 'a/z']);
    const removed = applyPatch(deployments, deployment(), 'strategic', {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a/x'] },
    });
    expect(removed.metadata.finalizers).toEqual(['a/y']);
  });

  it('supports $patch: replace on a list and on a map', () => {
    const patched = applyPatch(deployments, deployment(), 'strategic', {
      metadata: { labels: { $patch: 'replace', only: 'this' } },
      spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'solo', image: 's' }] } } },
    });
    expect(patched.metadata.labels).toEqual({ only: 'this' });
    expect(containers(patched)).toEqual([{ name: 'solo', image: 's' }]);
  });

  it('replaces lists without a merge strategy (tolerations)', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'i' }], tolerations: [{ key: 'a', operator: 'Exists' }] },
    };
    const patched = applyPatch(pods, pod, 'strategic', {
      spec: { tolerations: [{ key: 'b', operator: 'Exists' }] },
    });
    expect(json(patched.spec).tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('applies $retainKeys (deployment strategy switch)', () => {
    const original = deployment();
    json(original.spec).strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } };
    const patched = applyPatch(deployments, original, 'strategic', {
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } },
    });
    expect(json(patched.spec).strategy).toEqual({ type: 'Recreate' });
  });

  it('reports an unknown $patch directive as a plain 500', () => {
    const error = apiError(() =>
      applyPatch(deployments, deployment(), 'strategic', { metadata: { labels: { $patch: 'bogus' } } }),
    );
    expect(error.code).toBe(500);
    expect(error.message).toBe('unknown patch type: bogus in map: map[$patch:bogus]');
  });
});

describe('label selectors', () => {
  it('parses and matches equality, set and existence requirements', () => {
    const selector = parseLabelSelector('app=web, tier!=db,env in (prod,staging),!legacy,team');
    const labels = { app: 'web', tier: 'front', env: 'prod', team: 'x' };
    expect(matches(selector, labels)).toBe(true);
    expect(matches(selector, { ...labels, legacy: 'yes' })).toBe(false);
    expect(matches(selector, { ...labels, env: 'dev' })).toBe(false);
    expect(matches(parseLabelSelector('env notin (prod)'), {})).toBe(true);
    expect(matches(parseLabelSelector(''), {})).toBe(true);
  });

  it('rejects bad syntax with the apiserver texts', () => {
    const cases: [string, string][] = [
      ['app in prod', "unable to parse requirement: found 'prod' expected: '('"],
      ['app=web,', "found '', expected: identifier after ','"],
      ['app web', "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"],
      ['=web', "found '=', expected: !, identifier, or 'end of string'"],
      ['app==a b', "found 'b', expected: ',' or 'end of string'"],
      [
        'Bad_=x',
        "unable to parse requirement: <nil>: Invalid value: \"Bad_\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ];
    for (const [text, message] of cases) {
      const error = apiError(() => parseLabelSelector(text));
      expect(error.code).toBe(400);
      expect(error.message).toBe(message);
    }
  });

  it('converts metav1.LabelSelector specs', () => {
    const selector = labelSelectorFromSpec({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
    });
    expect(matches(selector, { app: 'web', tier: 'front' })).toBe(true);
    expect(matches(selector, { app: 'web', tier: 'db' })).toBe(false);
    expect(matches(labelSelectorFromSpec(undefined), { app: 'web' })).toBe(false);
    expect(matches(labelSelectorFromSpec({}), {})).toBe(true);
  });
});

describe('field selectors', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { nodeName: 'n1' },
    status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }] },
  };

  it('matches supported pod fields', () => {
    expect(matchesFields(parseFieldSelector(pods, 'spec.nodeName=n1,status.phase!=Failed'), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector(pods, 'status.podIP==10.0.0.1'), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector(pods, 'spec.hostNetwork=true'), pod)).toBe(false);
    expect(matchesFields(parseFieldSelector(pods, 'metadata.namespace=other'), pod)).toBe(false);
  });

  it('rejects unsupported fields with the conversion texts', () => {
    expect(apiError(() => parseFieldSelector(pods, 'spec.foo=x')).message).toBe(
      'field label not supported: spec.foo',
    );
    expect(apiError(() => parseFieldSelector(configmaps, 'data.x=1')).message).toBe(
      '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(apiError(() => parseFieldSelector(pods, 'spec.nodeName')).message).toBe(
      "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'",
    );
  });
});

describe('tables', () => {
  const now = new Date('2024-01-01T12:00:00Z');

  it('formats ages like duration.HumanDuration', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(192_000)).toBe('3m12s');
    expect(humanDuration(30 * 60_000)).toBe('30m');
    expect(humanDuration((2 * 24 + 3) * 3_600_000)).toBe('2d3h');
  });

  it('prints pod rows with status, restarts and wide columns', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2024-01-01T11:00:00Z' },
      spec: { nodeName: 'node-a', containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'Running',
        podIPs: [{ ip: '10.1.0.5' }],
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          {
            name: 'b',
            ready: false,
            restartCount: 2,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { finishedAt: '2024-01-01T11:55:00Z', exitCode: 1 } },
          },
        ],
      },
    };
    const table = toTable(pods, [pod], {
      includeObject: 'Metadata',
      listMeta: { resourceVersion: '7' },
      now,
    });
    expect((table.columnDefinitions as { name: string }[]).map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    const row = (table.rows as Json[])[0] as Json;
    expect(row.cells).toEqual([
      'web-1',
      '1/2',
      'CrashLoopBackOff',
      '2 (5m ago)',
      '60m',
      '10.1.0.5',
      'node-a',
      '<none>',
      '<none>',
    ]);
    expect(row.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: pod.metadata,
    });
    expect(table.metadata).toEqual({ resourceVersion: '7' });
  });

  it('prints ContainerCreating, Completed and Terminating pods', () => {
    const base = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', creationTimestamp: '2024-01-01T11:59:50Z' } as KubeObject['metadata'],
      spec: { containers: [{ name: 'a' }] },
    };
    const creating = {
      ...base,
      status: {
        phase: 'Pending',
        containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }],
      },
    };
    const completed = {
      ...base,
      status: {
        phase: 'Succeeded',
        containerStatuses: [{ name: 'a', state: { terminated: { reason: 'Completed', exitCode: 0 } } }],
      },
    };
    const terminating = {
      ...base,
      metadata: { ...base.metadata, deletionTimestamp: '2024-01-01T12:00:00Z' },
      status: { phase: 'Running' },
    };
    expect((tableRow(pods, creating, 'None', now).cells as unknown[])[2]).toBe('ContainerCreating');
    const completedRow = tableRow(pods, completed, 'None', now);
    expect((completedRow.cells as unknown[])[2]).toBe('Completed');
    expect(completedRow.conditions).toEqual([
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
    expect((tableRow(pods, terminating, 'None', now).cells as unknown[])[2]).toBe('Terminating');
    expect(tableRow(pods, terminating, 'None', now).object).toBeUndefined();
  });

  it('prints deployment rows', () => {
    const d = deployment();
    d.metadata.creationTimestamp = '2023-12-30T09:00:00Z';
    d.status = { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 };
    const row = tableRow(deployments, d, 'Object', now);
    expect(row.cells).toEqual(['web', '1/2', 2, 1, '2d3h', 'app,sidecar', 'nginx:1.25,busybox', 'app=web']);
    expect(row.object).toBe(d);
  });

  it('prints role bindings with wide subject columns', () => {
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: 'ns', creationTimestamp: '2024-01-01T11:59:00Z' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'ServiceAccount', name: 'bot', namespace: 'ns' },
      ],
    };
    expect(tableRow(rolebindings, binding, 'None', now).cells).toEqual([
      'rb',
      'ClusterRole/view',
      '60s',
      'alice',
      '',
      'ns/bot',
    ]);
  });
});

describe('validation', () => {
  it('reports invalid names with the RFC 1123 text', () => {
    const errors = validate(configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'Foo_bar', namespace: 'default' },
    });
    expect(errors).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        detail:
          "Invalid value: \"Foo_bar\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      },
    ]);
  });

  it('requires containers with name and image, unique names', () => {
    const pod = (containers: unknown[]): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers },
    });
    expect(validate(pods, pod([]))).toEqual([
      { type: 'FieldValueRequired', field: 'spec.containers', detail: 'Required value' },
    ]);
    expect(
      validate(pods, pod([{ name: 'a', image: 'x' }, { name: 'a' }])).map((e) => `${e.field}: ${e.detail}`),
    ).toEqual(['spec.containers[1].name: Duplicate value: "a"', 'spec.containers[1].image: Required value']);
  });

  it('rejects pod spec changes other than images', () => {
    const old: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'a', image: 'x' }] },
    };
    const imageOnly = { ...old, spec: { containers: [{ name: 'a', image: 'y' }] } };
    expect(validate(pods, imageOnly, old)).toEqual([]);
    const changed = { ...old, spec: { containers: [{ name: 'a', image: 'x', command: ['sh'] }] } };
    const [error] = validate(pods, changed, old);
    expect(error?.field).toBe('spec');
    expect(error?.detail).toMatch(
      /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/,
    );
  });

  it('requires the deployment selector to match the template labels', () => {
    const d = deployment();
    json(dig(d, 'spec', 'template', 'metadata')).labels = { app: 'other' };
    expect(validate(deployments, d).map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    ]);
    const noSelector = deployment();
    delete json(noSelector.spec).selector;
    expect(validate(deployments, noSelector)[0]).toEqual({
      type: 'FieldValueRequired',
      field: 'spec.selector',
      detail: 'Required value',
    });
  });

  it('keeps roleRef immutable', () => {
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: 'ns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a' },
    };
    expect(validate(rolebindings, binding)).toEqual([]);
    const changed = {
      ...binding,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'b' },
    };
    expect(validate(rolebindings, changed, binding)).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'roleRef',
        detail:
          'Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
      },
    ]);
  });
  it('wants the keys of a kubernetes.io/tls Secret', () => {
    const secret = (data: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'ns' },
      type: 'kubernetes.io/tls',
      data,
    });
    expect(validate(secrets, secret({ 'tls.crt': 'Qw==', 'tls.key': 'Qw==' }))).toEqual([]);
    expect(validate(secrets, secret({ 'tls.crt': 'Qw==' })).map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'data[tls.key]: Required value',
    ]);
  });

  it('checks Ingress rules, paths and backends with the apiserver texts', () => {
    const ingress = (spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'i', namespace: 'ns' },
      spec,
    });
    const backend = { service: { name: 'relay', port: { name: 'https' } } };
    const valid = {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['relay.example.com'], secretName: 'tls' }],
      rules: [{ host: 'relay.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
    };
    expect(validate(ingresses, ingress(valid))).toEqual([]);
    const messages = (spec: Record<string, unknown>) =>
      validate(ingresses, ingress(spec)).map((e) => `${e.field}: ${e.detail}`);
    expect(messages({})).toEqual([
      'spec: Invalid value: null: either `defaultBackend` or `rules` must be specified',
    ]);
    expect(
      messages({
        rules: [
          {
            host: '10.0.0.1',
            http: {
              paths: [
                { path: '/', backend },
                { path: 'relative', pathType: 'Exact', backend: { service: { name: 'relay', port: {} } } },
                { path: '/', pathType: 'Regex', backend: {} },
              ],
            },
          },
        ],
      }),
    ).toEqual([
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
      'spec.rules[0].http.paths[1].path: Invalid value: "relative": must be an absolute path',
      'spec.rules[0].http.paths[1].backend: Required value: port name or number is required',
      'spec.rules[0].http.paths[2].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      'spec.rules[0].http.paths[2].backend: Invalid value: "": resource or service backend is required',
    ]);
  });

  it('checks a PodDisruptionBudget: one of minAvailable and maxUnavailable, each a count or a percentage', () => {
    const pdb = (spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'p', namespace: 'ns' },
      spec,
    });
    expect(
      validate(podDisruptionBudgets, pdb({ maxUnavailable: 1, selector: { matchLabels: { a: 'b' } } })),
    ).toEqual([]);
    expect(validate(podDisruptionBudgets, pdb({ minAvailable: '50%' }))).toEqual([]);
    expect(
      validate(podDisruptionBudgets, pdb({ minAvailable: 1, maxUnavailable: '150%' })).map(
        (e) => `${e.field}: ${e.detail}`,
      ),
    ).toEqual([
      'spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:intstr.IntOrString{Type:0, IntVal:1, StrVal:""}, MaxUnavailable:intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}}: minAvailable and maxUnavailable cannot be both set',
      'spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    ]);
    expect(validate(podDisruptionBudgets, pdb({ maxUnavailable: -1 }))[0]?.detail).toBe(
      'Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('prints Ingresses and PodDisruptionBudgets as kubectl get shows them', () => {
    const now = new Date('2024-01-01T00:01:00Z');
    const metadata = { name: 'relay', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' };
    const ingress: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata,
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['a.example'] }],
        rules: [{ host: 'a.example' }, {}],
      },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
    };
    expect(tableRow(ingresses, ingress, 'None', now).cells).toEqual([
      'relay',
      'nginx',
      'a.example,*',
      '192.0.2.1',
      '80, 443',
      '60s',
    ]);
    const pdb: KubeObject = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable: 1 },
    };
    expect(tableRow(podDisruptionBudgets, pdb, 'None', now).cells).toEqual(['relay', 'N/A', '1', 0, '60s']);
  });
});
