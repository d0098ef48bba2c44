import { describe, expect, it } from 'vitest';
import { openapiResponse } from '../src/api/openapi.js';
import { apiVersionOf, RESOURCES } from '../src/api/resources.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk arbitrary OpenAPI JSON by path.
type Json = Record<string, any>;

function getJson(path: string, accept = 'application/json'): Json {
  const res = openapiResponse(path, accept);
  expect(res?.status).toBe(200);
  return JSON.parse(String(res?.body));
}

const discovery = getJson('/openapi/v3').paths as Record<string, { serverRelativeURL: string }>;

function gvDoc(group: string, version: string): Json {
  const key = group ? `apis/${group}/${version}` : `api/${version}`;
  return getJson(discovery[key]!.serverRelativeURL);
}

describe('openapi v3', () => {
  it('lists every served group version with a hash URL that resolves immutably', () => {
    const keys = [
      ...new Set(RESOURCES.map((r) => (r.group ? `apis/${apiVersionOf(r)}` : `api/${r.version}`))),
    ];
    expect(Object.keys(discovery).sort()).toEqual(keys.sort());
    for (const { serverRelativeURL } of Object.values(discovery)) {
      const res = openapiResponse(serverRelativeURL, 'application/json');
      expect(res?.status).toBe(200);
      expect(res?.headers?.['Cache-Control']).toBe('public, immutable');
      expect(res?.etag).toBe(`"${new URL(serverRelativeURL, 'https://x').searchParams.get('hash')}"`);
    }
  });

  it('redirects a stale hash and serves without a hash uncached', () => {
    const url = discovery['api/v1']!.serverRelativeURL;
    const stale = openapiResponse('/openapi/v3/api/v1?hash=0000', 'application/json');
    expect(stale?.status).toBe(301);
    expect(stale?.headers?.Location).toBe(url);
    const bare = openapiResponse('/openapi/v3/api/v1?timeout=32s', 'application/json, */*');
    expect(bare?.status).toBe(200);
    expect(bare?.headers?.['Cache-Control']).toBeUndefined();
  });

  it.each(RESOURCES.map((r) => [`${apiVersionOf(r)} ${r.kind}`, r] as const))(
    '%s has its schema and operations',
    (_, r) => {
      const doc = gvDoc(r.group, r.version);
      const gvk = { group: r.group, version: r.version, kind: r.kind };
      const schemas = Object.values(doc.components.schemas as Record<string, Json>).filter((s) =>
        (s['x-kubernetes-group-version-kind'] ?? []).some(
          (g: Json) => g.group === r.group && g.version === r.version && g.kind === r.kind,
        ),
      );
      expect(schemas).toHaveLength(1);
      expect(schemas[0]!['x-kubernetes-preserve-unknown-fields']).toBeUndefined();
      expect(Object.keys(schemas[0]!.properties)).toEqual(
        expect.arrayContaining(['apiVersion', 'kind', 'metadata']),
      );

      const ops = Object.values(doc.paths as Record<string, Json>).flatMap((item) =>
        ['get', 'put', 'post', 'delete', 'patch']
          .filter((m) => item[m])
          .map((m) => ({ method: m, op: item[m] as Json })),
      );
      const mine = ops.filter(
        ({ op }) => JSON.stringify(op['x-kubernetes-group-version-kind']) === JSON.stringify(gvk),
      );
      const fieldValidation = (op: Json) =>
        op.parameters.some((p: Json) => p.name === 'fieldValidation' && p.in === 'query');
      expect(mine.some(({ method }) => method === 'post')).toBe(true);
      for (const { method, op } of mine) {
        if (['post', 'put', 'patch'].includes(method) && op['x-kubernetes-action'] !== 'connect')
          expect(fieldValidation(op)).toBe(true);
      }
      if (r.verbs.includes('patch')) {
        const patch = mine.find(({ method }) => method === 'patch')!.op;
        expect(Object.keys(patch.requestBody.content)).toContain('application/strategic-merge-patch+json');
      }
    },
  );

  it('carries the strategic merge patch extensions kubectl apply relies on', () => {
    const core = gvDoc('', 'v1').components.schemas;
    expect(core['io.k8s.api.core.v1.PodSpec'].properties.containers).toMatchObject({
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(core['io.k8s.api.core.v1.PodSpec'].properties.volumes['x-kubernetes-patch-strategy']).toBe(
      'merge,retainKeys',
    );
    expect(core['io.k8s.api.core.v1.Container'].properties.ports['x-kubernetes-list-map-keys']).toEqual([
      'containerPort',
      'protocol',
    ]);
    expect(
      core['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.ownerReferences[
        'x-kubernetes-patch-merge-key'
      ],
    ).toBe('uid');
    const apps = gvDoc('apps', 'v1').components.schemas;
    expect(apps['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy']).toBe(
      'retainKeys',
    );
    // Every reference resolves inside its own document.
    for (const [gv] of Object.entries(discovery)) {
      const doc = getJson(discovery[gv]!.serverRelativeURL);
      for (const [, target] of JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
        expect(doc.components.schemas[target!], `${gv}: ${target}`).toBeDefined();
      }
    }
  });

  it('404s unknown documents and ignores non-OpenAPI paths', () => {
    expect(openapiResponse('/openapi/v3/apis/batch/v1', 'application/json')?.status).toBe(404);
    expect(openapiResponse('/openapi/v4', undefined)?.status).toBe(404);
    expect(openapiResponse('/api/v1', undefined)).toBeUndefined();
    expect(openapiResponse('/openapix', undefined)).toBeUndefined();
  });
});

describe('openapi v2', () => {
  it('answers JSON and protobuf, 406 otherwise', () => {
    const json = getJson('/openapi/v2?timeout=32s');
    const patch = json.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(patch.parameters.map((p: Json) => p.name)).toContain('fieldValidation');
    const pb = openapiResponse('/openapi/v2', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
    expect(pb?.contentType).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect(Buffer.isBuffer(pb?.body) && pb.body.subarray(0, 5).toString('latin1')).toBe('\n\x032.0');
    expect(openapiResponse('/openapi/v2', 'text/html')?.status).toBe(406);
  });
});
