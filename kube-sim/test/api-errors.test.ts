/**
 * kube-sim over raw HTTPS: the Status answers (code, reason, message) a real kube-apiserver gives
 * for bad input, list/watch behaviour at scale, and deletion semantics.
 */
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { findResource } from '../src/api/resources.js';
import { type KubeSim, startKubeSim } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: decoded JSON responses are walked freely in assertions.
type Json = Record<string, any>;

interface Credentials {
  cert?: string;
  key?: string;
  token?: string;
}

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Json;
}

interface Client {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  watch(path: string): Promise<WatchStream>;
}

function adminCredentials(kubeconfig: string): Credentials {
  const config = parseYaml(kubeconfig) as Json;
  const user = config.users[0].user;
  return {
    cert: Buffer.from(user['client-certificate-data'], 'base64').toString(),
    key: Buffer.from(user['client-key-data'], 'base64').toString(),
  };
}

function client(sim: KubeSim, credentials: Credentials): Client {
  const url = new URL(sim.url);
  const options = (method: string, path: string, headers: Record<string, string>) => ({
    host: url.hostname,
    port: url.port,
    method,
    path,
    ca: sim.caPem,
    cert: credentials.cert,
    key: credentials.key,
    agent: false as const,
    headers: {
      Accept: 'application/json',
      ...(credentials.token ? { Authorization: `Bearer ${credentials.token}` } : {}),
      ...headers,
    },
  });
  return {
    request(method, path, body, headers = {}) {
      const payload =
        body === undefined
          ? undefined
          : Buffer.isBuffer(body) || typeof body === 'string'
            ? body
            : JSON.stringify(body);
      const allHeaders: Record<string, string> = {
        ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      };
      if (payload !== undefined) allHeaders['Content-Length'] = String(Buffer.byteLength(payload));
      return new Promise((resolve, reject) => {
        const req = httpsRequest(options(method, path, allHeaders), (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Json = {};
            try {
              json = JSON.parse(text);
            } catch {
              // not JSON
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
          res.on('error', reject);
        });
        // The server may answer (413) before the whole body is sent and close; that is fine.
        req.on('error', reject);
        if (payload !== undefined) req.write(payload);
        req.end();
      });
    },
    watch(path) {
      return new Promise((resolve, reject) => {
        const req = httpsRequest(options('GET', path, {}), (res) =>
          resolve(new WatchStream(res.statusCode ?? 0, res, req)),
        );
        req.on('error', reject);
        req.end();
      });
    },
  };
}

interface WatchEvent {
  type: string;
  object: Json;
}

/** The events of one watch response, for tests to wait on in order. */
class WatchStream {
  readonly events: WatchEvent[] = [];
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];

  constructor(
    readonly status: number,
    res: NodeJS.ReadableStream,
    private readonly req: { destroy(): void },
  ) {
    res.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let newline = this.buffer.indexOf('\n');
      while (newline >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        if (line.trim()) this.events.push(JSON.parse(line));
        newline = this.buffer.indexOf('\n');
      }
      this.wake();
    });
    res.on('end', () => {
      this.ended = true;
      this.wake();
    });
    res.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves with the first event matching `match`; rejects if the stream ends first. */
  async next(match: (event: WatchEvent) => boolean, what = 'a watch event'): Promise<WatchEvent> {
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.ended) throw new Error(`watch ended before ${what}`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async end(): Promise<void> {
    while (!this.ended) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for the watch to end')), 10_000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.req.destroy();
  }
}

function configMap(name: string, data: Record<string, string> = { a: '1' }): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

function expectStatus(response: Response, code: number, reason: string, message?: string | RegExp): void {
  expect(response.status, response.text).toBe(code);
  expect(response.json.kind).toBe('Status');
  expect(response.json.apiVersion).toBe('v1');
  expect(response.json.status).toBe('Failure');
  expect(response.json.code).toBe(code);
  expect(response.json.reason).toBe(reason);
  if (typeof message === 'string') expect(response.json.message).toBe(message);
  else if (message) expect(response.json.message).toMatch(message);
}

/** Polls `check` after each change in kube-sim's store (no fixed sleeps). */
function until<T>(sim: KubeSim, check: () => T | undefined | false, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      let value: T | undefined | false;
      try {
        value = check();
      } catch (error) {
        done();
        reject(error);
        return;
      }
      if (value) {
        done();
        resolve(value);
      }
    };
    const unsubscribe = sim.store.subscribe(() => attempt());
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, 15_000);
    const done = () => {
      unsubscribe();
      clearTimeout(timer);
    };
    attempt();
  });
}

function longRunningPod(name: string): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'sleeper' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'exec sleep 3600'] }],
    },
  };
}

describe('kube-sim API errors', () => {
  let sim: KubeSim;
  let admin: Client;
  let anonymous: Client;

  const ns = (name: string) => `/api/v1/namespaces/${name}`;
  const cms = (namespace: string) => `${ns(namespace)}/configmaps`;

  async function createNamespace(name: string): Promise<void> {
    const response = await admin.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
    expect(response.status, response.text).toBe(201);
  }

  async function runningPod(namespace: string, name: string): Promise<Json> {
    const created = await admin.request('POST', `${ns(namespace)}/pods`, longRunningPod(name));
    expect(created.status, created.text).toBe(201);
    const path = `${ns(namespace)}/pods/${name}`;
    const watch = await admin.watch(
      `${ns(namespace)}/pods?watch=true&fieldSelector=metadata.name%3D${name}&resourceVersion=${created.json.metadata.resourceVersion}`,
    );
    try {
      await watch.next((e) => e.object.status?.phase === 'Running', `pod ${name} Running`);
    } finally {
      watch.close();
    }
    return (await admin.request('GET', path)).json;
  }

  beforeAll(async () => {
    sim = await startKubeSim({
      scenario: 'empty',
      podStartDelayMs: 0,
      users: [{ username: 'alice', token: 'alice-token', groups: ['dev'] }],
    });
    admin = client(sim, adminCredentials(sim.adminKubeconfig));
    anonymous = client(sim, {});
    await createNamespace('errors');
  });

  afterAll(async () => {
    await sim?.close();
  });

  describe('decoding create bodies', () => {
    it('answers malformed JSON with 400 and the Go decoder text', async () => {
      const response = await admin.request('POST', cms('errors'), '{"kind": "ConfigMap", "metadata": {');
      expectStatus(
        response,
        400,
        'BadRequest',
        `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input ({"kind": "ConfigMap", "metadat ...)`,
      );
      const bad = await admin.request('POST', cms('errors'), '{bad}');
      expectStatus(
        bad,
        400,
        'BadRequest',
        `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character 'b' looking for beginning of object key string ({bad})`,
      );
    });

    it('answers a body of another kind with 400', async () => {
      const response = await admin.request('POST', cms('errors'), {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'not-a-cm' },
      });
      expectStatus(
        response,
        400,
        'BadRequest',
        'Pod in version "v1" cannot be handled as a ConfigMap: converting (v1.Pod) to (core.ConfigMap): unknown conversion',
      );
      expect((await admin.request('GET', `${cms('errors')}/not-a-cm`)).status).toBe(404);
    });

    it('takes kind and apiVersion from the endpoint when the body leaves them out', async () => {
      const response = await admin.request('POST', cms('errors'), {
        metadata: { name: 'kindless' },
        data: { a: 'b' },
      });
      expect(response.status, response.text).toBe(201);
      expect(response.json.kind).toBe('ConfigMap');
      expect(response.json.apiVersion).toBe('v1');
      expect(response.json.data).toEqual({ a: 'b' });
    });

    it('answers a body over 3 MiB with 413', async () => {
      const big = configMap('big', { blob: 'x'.repeat(3 * 1024 * 1024 + 10) });
      const response = await admin.request('POST', cms('errors'), big);
      expectStatus(response, 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    });
  });

  describe('create and update conflicts', () => {
    it('answers create in a missing namespace with 404', async () => {
      const response = await admin.request('POST', cms('nope'), configMap('x'));
      expectStatus(response, 404, 'NotFound', 'namespaces "nope" not found');
      expect(response.json.details).toEqual({ name: 'nope', kind: 'namespaces' });
    });

    it('answers a second create with 409 AlreadyExists', async () => {
      expect((await admin.request('POST', cms('errors'), configMap('x'))).status).toBe(201);
      const response = await admin.request('POST', cms('errors'), configMap('x'));
      expectStatus(response, 409, 'AlreadyExists', 'configmaps "x" already exists');
      expect(response.json.details).toEqual({ name: 'x', kind: 'configmaps' });
    });

    it('answers an update with a stale resourceVersion with 409 Conflict', async () => {
      const created = await admin.request('POST', cms('errors'), configMap('stale'));
      const first = created.json;
      const updated = await admin.request('PUT', `${cms('errors')}/stale`, { ...first, data: { a: '2' } });
      expect(updated.status, updated.text).toBe(200);
      expect(updated.json.metadata.resourceVersion).not.toBe(first.metadata.resourceVersion);
      const response = await admin.request('PUT', `${cms('errors')}/stale`, { ...first, data: { a: '3' } });
      expectStatus(
        response,
        409,
        'Conflict',
        'Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again',
      );
      expect(response.json.details).toEqual({ name: 'stale', kind: 'configmaps' });
    });

    it('answers invalid names with 422 Invalid and causes', async () => {
      const response = await admin.request('POST', cms('errors'), configMap('Bad_Name'));
      const detail =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
      expectStatus(
        response,
        422,
        'Invalid',
        `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${detail}`,
      );
      expect(response.json.details).toEqual({
        name: 'Bad_Name',
        kind: 'ConfigMap',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: "Bad_Name": ${detail}`,
            field: 'metadata.name',
          },
        ],
      });
    });

    it('answers an unsupported patch content type with 415', async () => {
      const response = await admin.request('PATCH', `${cms('errors')}/x`, '{"data":{"a":"2"}}', {
        'Content-Type': 'text/plain',
      });
      expectStatus(
        response,
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
      );
    });

    it('creates nothing with dryRun=All', async () => {
      const response = await admin.request('POST', `${cms('errors')}?dryRun=All`, configMap('dry'));
      expect(response.status, response.text).toBe(201);
      expect(response.json.metadata.name).toBe('dry');
      expect((await admin.request('GET', `${cms('errors')}/dry`)).status).toBe(404);
      const deleted = await admin.request('DELETE', `${cms('errors')}/x?dryRun=All`);
      expect(deleted.status).toBe(200);
      expect((await admin.request('GET', `${cms('errors')}/x`)).status).toBe(200);
    });

    it('names objects from generateName', async () => {
      const response = await admin.request('POST', cms('errors'), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { generateName: 'gen-' },
      });
      expect(response.status, response.text).toBe(201);
      expect(response.json.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(response.json.metadata.generateName).toBe('gen-');
      expect((await admin.request('GET', `${cms('errors')}/${response.json.metadata.name}`)).status).toBe(
        200,
      );
    });
  });

  describe('paths and credentials', () => {
    it('answers an unknown resource with a NotFound Status', async () => {
      const response = await admin.request('GET', '/api/v1/namespaces/default/widgets');
      expectStatus(response, 404, 'NotFound', 'the server could not find the requested resource');
      expect(response.json.details).toEqual({});
    });

    it('answers an unknown non-resource path with plain text', async () => {
      const response = await admin.request('GET', '/foo');
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.text).toBe('404 page not found\n');
    });

    it('refuses a bad bearer token with 401', async () => {
      const response = await client(sim, { token: 'wrong' }).request('GET', '/api/v1/namespaces');
      expectStatus(response, 401, 'Unauthorized', 'Unauthorized');
      expect(response.json.details).toBeUndefined();
    });

    it('lets a good bearer token in and applies RBAC to it', async () => {
      const response = await client(sim, { token: 'alice-token' }).request(
        'GET',
        '/api/v1/namespaces/errors/pods',
      );
      expectStatus(
        response,
        403,
        'Forbidden',
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "errors"',
      );
      expect(response.json.details).toEqual({ kind: 'pods' });
    });

    it('lets anonymous users read /version but not list pods', async () => {
      const version = await anonymous.request('GET', '/version');
      expect(version.status).toBe(200);
      expect(version.json.gitVersion).toMatch(/^v1\.\d+\.\d+/);
      const pods = await anonymous.request('GET', '/api/v1/pods');
      expectStatus(
        pods,
        403,
        'Forbidden',
        'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope',
      );
    });
  });

  describe('list options', () => {
    it('answers a bad label selector with 400 and the parser text', async () => {
      const response = await admin.request(
        'GET',
        `${cms('errors')}?labelSelector=${encodeURIComponent('app in prod')}`,
      );
      expectStatus(response, 400, 'BadRequest', "unable to parse requirement: found 'prod' expected: '('");
    });

    it('answers a non-numeric limit with the strconv text, and ignores a negative one', async () => {
      const response = await admin.request('GET', `${cms('errors')}?limit=abc`);
      expectStatus(response, 400, 'BadRequest', 'strconv.ParseInt: parsing "abc": invalid syntax');
      const negative = await admin.request('GET', `${cms('errors')}?limit=-1`);
      expect(negative.status, negative.text).toBe(200);
      expect(negative.json.metadata.continue).toBeUndefined();
    });

    it('answers an empty limit with the strconv text, as a present parameter is parsed', async () => {
      const response = await admin.request('GET', `${cms('errors')}?limit=`);
      expectStatus(response, 400, 'BadRequest', 'strconv.ParseInt: parsing "": invalid syntax');
    });

    it('indents JSON for pretty (strconv.ParseBool) or a curl user agent, and not for pretty=yes', async () => {
      const path = `${ns('errors')}`;
      const indented = (await admin.request('GET', `${path}?pretty=True`)).text;
      expect(indented).toMatch(/^\{\n {2}"/);
      expect(indented).toContain('\n  "kind": "Namespace",\n');
      expect(indented.endsWith('}')).toBe(true);
      const curl = await admin.request('GET', path, undefined, { 'User-Agent': 'curl/8.5.0' });
      expect(curl.text).toBe(indented);
      const compact = await admin.request('GET', `${path}?pretty=yes`, undefined, {
        'User-Agent': 'curl/8.5.0',
      });
      expect(compact.text).toBe(`${JSON.stringify(compact.json)}\n`);
    });

    it('answers invalid continue tokens with 400', async () => {
      const garbage = await admin.request(
        'GET',
        `${cms('errors')}?limit=1&continue=${encodeURIComponent('!!!')}`,
      );
      expectStatus(
        garbage,
        400,
        'BadRequest',
        'invalid continue token: continue key is not valid: illegal base64 data at input byte 0',
      );
      const zeroRV = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 0, start: 'x' })).toString(
        'base64url',
      );
      const response = await admin.request('GET', `${cms('errors')}?limit=1&continue=${zeroRV}`);
      expectStatus(
        response,
        400,
        'BadRequest',
        'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      );
    });

    it('pages with continue tokens clients can use as they are', async () => {
      await createNamespace('paging');
      for (const name of ['p1', 'p2', 'p3']) await admin.request('POST', cms('paging'), configMap(name));
      const first = await admin.request('GET', `${cms('paging')}?limit=2`);
      // Every namespace also holds the kube-root-ca.crt config map.
      expect(first.json.items.map((i: Json) => i.metadata.name)).toEqual(['kube-root-ca.crt', 'p1']);
      expect(first.json.metadata.remainingItemCount).toBe(2);
      expect(first.json.metadata.continue).toMatch(/^[A-Za-z0-9_-]+$/);
      const second = await admin.request(
        'GET',
        `${cms('paging')}?limit=2&continue=${first.json.metadata.continue}`,
      );
      expect(second.json.items.map((i: Json) => i.metadata.name)).toEqual(['p2', 'p3']);
      expect(second.json.metadata.continue).toBeUndefined();
      expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
      const both = await admin.request(
        'GET',
        `${cms('paging')}?limit=2&continue=${first.json.metadata.continue}&resourceVersion=1`,
      );
      expectStatus(both, 400, 'BadRequest', 'specifying resource version is not allowed when using continue');
      const matchWithoutRV = await admin.request('GET', `${cms('paging')}?resourceVersionMatch=NotOlderThan`);
      expectStatus(
        matchWithoutRV,
        422,
        'Invalid',
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      );
    });
  });

  describe('watch', () => {
    it('watches for any watch value but 0 and false in any case, as the url.Values conversion reads it', async () => {
      for (const value of ['True', 'yes', '', 'f']) {
        const watch = await admin.watch(`${cms('errors')}?watch=${value}&timeoutSeconds=1`);
        expect(watch.status, value).toBe(200);
        await watch.end();
      }
      for (const value of ['0', 'FALSE']) {
        const list = await admin.request('GET', `${cms('errors')}?watch=${value}`);
        expect(list.json.kind, value).toBe('ConfigMapList');
      }
    });

    it('answers a bad timeoutSeconds with the strconv text, and ends at a negative one at once', async () => {
      const response = await admin.request('GET', `${cms('errors')}?watch=1&timeoutSeconds=1.5`);
      expectStatus(response, 400, 'BadRequest', 'strconv.ParseInt: parsing "1.5": invalid syntax');
      const expired = await admin.watch(`${cms('errors')}?watch=1&timeoutSeconds=-1`);
      expect(expired.status).toBe(200);
      await expired.end();
    });

    it('reports a too-old resourceVersion as an ERROR event with 410 Expired', async () => {
      const small = await startKubeSim({ scenario: 'empty', historySize: 20 });
      try {
        const smallAdmin = client(small, adminCredentials(small.adminKubeconfig));
        for (let i = 0; i < 25; i++) {
          const r = await smallAdmin.request(
            'POST',
            '/api/v1/namespaces/default/configmaps',
            configMap(`c${i}`),
          );
          expect(r.status).toBe(201);
        }
        const watch = await smallAdmin.watch(
          '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=5',
        );
        expect(watch.status).toBe(200);
        await watch.end();
        expect(watch.events).toHaveLength(1);
        expect(watch.events[0]!.type).toBe('ERROR');
        expect(watch.events[0]!.object).toEqual({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: expect.stringMatching(/^too old resource version: 5 \(\d+\)$/),
          reason: 'Expired',
          code: 410,
        });
      } finally {
        await small.close();
      }
    });
  });

  describe('deletion', () => {
    it('reads DeleteOptions from the query only without a body, where a bad gracePeriodSeconds is 400', async () => {
      const path = `${cms('errors')}/delete-options`;
      expect((await admin.request('POST', cms('errors'), configMap('delete-options'))).status).toBe(201);
      expectStatus(
        await admin.request('DELETE', `${path}?gracePeriodSeconds=soon`),
        400,
        'BadRequest',
        'strconv.ParseInt: parsing "soon": invalid syntax',
      );
      // With a body the query is not read at all: neither its bad value nor its dryRun counts.
      const deleted = await admin.request('DELETE', `${path}?gracePeriodSeconds=soon&dryRun=All`, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
      });
      expect(deleted.status, deleted.text).toBe(200);
      expect((await admin.request('GET', path)).status).toBe(404);
    });

    it('deletes a running pod gracefully: the object with deletionTimestamp, then DELETED', async () => {
      await createNamespace('graceful');
      const pod = await runningPod('graceful', 'sleeper');
      const watch = await admin.watch(
        `${ns('graceful')}/pods?watch=true&resourceVersion=${pod.metadata.resourceVersion}`,
      );
      try {
        const response = await admin.request('DELETE', `${ns('graceful')}/pods/sleeper`);
        expect(response.status, response.text).toBe(200);
        expect(response.json.kind).toBe('Pod');
        expect(response.json.metadata.deletionTimestamp).toEqual(expect.any(String));
        expect(response.json.metadata.deletionGracePeriodSeconds).toBe(1);
        const deleted = await watch.next((e) => e.type === 'DELETED', 'the pod DELETED event');
        expect(deleted.object.metadata.name).toBe('sleeper');
        const types = watch.events.map((e) => e.type);
        expect(types.indexOf('MODIFIED')).toBeLessThan(types.indexOf('DELETED'));
        expectStatus(
          await admin.request('GET', `${ns('graceful')}/pods/sleeper`),
          404,
          'NotFound',
          'pods "sleeper" not found',
        );
      } finally {
        watch.close();
      }
    });

    async function deployment(namespace: string, name: string): Promise<{ rs: Json[]; pods: Json[] }> {
      const labels = { app: name };
      const created = await admin.request('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        },
      });
      expect(created.status, created.text).toBe(201);
      return until(
        sim,
        () => {
          const rs = sim.store
            .list(findType('apps', 'replicasets'), namespace)
            .filter((r) => r.metadata.labels?.app === name);
          const pods = sim.store
            .list(findType('', 'pods'), namespace)
            .filter((p) => p.metadata.labels?.app === name);
          return rs.length === 1 && pods.length === 2
            ? { rs: rs as Json[], pods: pods as Json[] }
            : undefined;
        },
        `deployment ${name} with its replica set and pods`,
      );
    }

    async function gone(path: string): Promise<void> {
      const watchPath = path.replace(/\/([^/]+)$/, '?watch=true&fieldSelector=metadata.name%3D$1');
      const watch = await admin.watch(watchPath);
      try {
        // A watch without resourceVersion starts with the current state; wait for DELETED unless absent.
        const current = await admin.request('GET', path);
        if (current.status === 404) return;
        await watch.next((e) => e.type === 'DELETED', `${path} deleted`);
      } finally {
        watch.close();
      }
    }

    it('propagates Background deletion to replica sets and pods', async () => {
      await createNamespace('bg');
      const { rs, pods } = await deployment('bg', 'web');
      const response = await admin.request('DELETE', '/apis/apps/v1/namespaces/bg/deployments/web', {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: 'Background',
      });
      expect(response.status, response.text).toBe(200);
      expect(response.json).toMatchObject({
        kind: 'Status',
        status: 'Success',
        details: { name: 'web', group: 'apps', kind: 'deployments' },
      });
      expect((await admin.request('GET', '/apis/apps/v1/namespaces/bg/deployments/web')).status).toBe(404);
      await gone(`/apis/apps/v1/namespaces/bg/replicasets/${rs[0]!.metadata.name}`);
      for (const pod of pods) await gone(`${ns('bg')}/pods/${pod.metadata.name}`);
    });

    it('propagates Foreground deletion: the owner waits for its dependents', async () => {
      await createNamespace('fg');
      const { rs } = await deployment('fg', 'web');
      const response = await admin.request(
        'DELETE',
        '/apis/apps/v1/namespaces/fg/deployments/web?propagationPolicy=Foreground',
      );
      expect(response.status, response.text).toBe(200);
      expect(response.json.kind).toBe('Deployment');
      expect(response.json.metadata.deletionTimestamp).toEqual(expect.any(String));
      expect(response.json.metadata.finalizers).toContain('foregroundDeletion');
      await gone(`/apis/apps/v1/namespaces/fg/replicasets/${rs[0]!.metadata.name}`);
      await gone('/apis/apps/v1/namespaces/fg/deployments/web');
    });

    it('orphans dependents with propagationPolicy Orphan', async () => {
      await createNamespace('orphan');
      const { rs } = await deployment('orphan', 'web');
      const response = await admin.request(
        'DELETE',
        '/apis/apps/v1/namespaces/orphan/deployments/web?propagationPolicy=Orphan',
      );
      expect(response.status, response.text).toBe(200);
      await gone('/apis/apps/v1/namespaces/orphan/deployments/web');
      const rsPath = `/apis/apps/v1/namespaces/orphan/replicasets/${rs[0]!.metadata.name}`;
      const orphaned = await until(
        sim,
        () => {
          const current = sim.store.get(findType('apps', 'replicasets'), 'orphan', rs[0]!.metadata.name);
          return current && !(current.metadata.ownerReferences ?? []).length ? current : undefined;
        },
        'the replica set to lose its owner reference',
      );
      expect(orphaned.metadata.name).toBe(rs[0]!.metadata.name);
      expect((await admin.request('GET', rsPath)).status).toBe(200);
    });

    it('deletes a namespace: Terminating, content deleted, then gone', async () => {
      await createNamespace('doomed');
      await admin.request('POST', cms('doomed'), configMap('content'));
      const response = await admin.request('DELETE', ns('doomed'));
      expect(response.status, response.text).toBe(200);
      expect(response.json.kind).toBe('Namespace');
      expect(response.json.status.phase).toBe('Terminating');
      expect(response.json.metadata.deletionTimestamp).toEqual(expect.any(String));
      await gone(ns('doomed'));
      expect((await admin.request('GET', `${cms('doomed')}/content`)).status).toBe(404);
      expectStatus(
        await admin.request('GET', ns('doomed')),
        404,
        'NotFound',
        'namespaces "doomed" not found',
      );
    });

    it('refuses new content in a terminating namespace', async () => {
      await createNamespace('closing');
      await admin.request('POST', cms('closing'), {
        ...configMap('held'),
        metadata: { name: 'held', finalizers: ['example.com/hold'] },
      });
      await admin.request('DELETE', ns('closing'));
      const response = await admin.request('POST', cms('closing'), configMap('late'));
      expectStatus(
        response,
        403,
        'Forbidden',
        'configmaps "late" is forbidden: unable to create new content in namespace closing because it is being terminated',
      );
      await admin.request(
        'PATCH',
        `${cms('closing')}/held`,
        { metadata: { finalizers: null } },
        {
          'Content-Type': 'application/merge-patch+json',
        },
      );
      await gone(ns('closing'));
    });
  });
});

describe('kube-sim at 10,000 pods', () => {
  let sim: KubeSim;
  let admin: Client;

  beforeAll(async () => {
    sim = await startKubeSim({ scenario: 'empty', extraPods: 10_000 });
    admin = client(sim, adminCredentials(sim.adminKubeconfig));
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('lists all of them in one response', async () => {
    const response = await admin.request('GET', '/api/v1/namespaces/load/pods');
    expect(response.status).toBe(200);
    expect(response.json.kind).toBe('PodList');
    expect(response.json.items).toHaveLength(10_000);
    expect(response.json.metadata.continue).toBeUndefined();
  });

  it('walks them 500 at a time with remainingItemCount decreasing', async () => {
    const names: string[] = [];
    const remaining: (number | undefined)[] = [];
    let token = '';
    let rv = '';
    for (;;) {
      const response = await admin.request(
        'GET',
        `/api/v1/namespaces/load/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      expect(response.status, response.text).toBe(200);
      expect(response.json.items.length).toBeLessThanOrEqual(500);
      names.push(...response.json.items.map((p: Json) => p.metadata.name));
      remaining.push(response.json.metadata.remainingItemCount);
      if (rv) expect(response.json.metadata.resourceVersion).toBe(rv);
      rv = response.json.metadata.resourceVersion;
      token = response.json.metadata.continue ?? '';
      if (!token) break;
    }
    expect(names).toHaveLength(10_000);
    expect(new Set(names).size).toBe(10_000);
    expect(names).toEqual([...names].sort());
    expect(remaining).toEqual([...Array.from({ length: 19 }, (_, i) => 10_000 - 500 * (i + 1)), undefined]);
  });

  it('filters by label and sees a new pod from the list resourceVersion', async () => {
    const created = await admin.request('POST', '/api/v1/namespaces/load/pods', {
      ...longRunningPod('special'),
      metadata: { name: 'special', labels: { app: 'special' } },
    });
    expect(created.status, created.text).toBe(201);
    const selected = await admin.request('GET', '/api/v1/namespaces/load/pods?labelSelector=app%3Dspecial');
    expect(selected.json.items.map((p: Json) => p.metadata.name)).toEqual(['special']);
    const load = await admin.request(
      'GET',
      '/api/v1/namespaces/load/pods?labelSelector=app%3Dload&limit=100',
    );
    expect(load.json.items).toHaveLength(100);
    expect(load.json.metadata.continue).toEqual(expect.any(String));

    const list = await admin.request('GET', '/api/v1/namespaces/load/pods?labelSelector=app%3Dload&limit=1');
    const watch = await admin.watch(
      `/api/v1/namespaces/load/pods?watch=true&labelSelector=app%3Dload&resourceVersion=${list.json.metadata.resourceVersion}`,
    );
    try {
      const pod = longRunningPod('load-new');
      pod.metadata.labels = { app: 'load' };
      expect((await admin.request('POST', '/api/v1/namespaces/load/pods', pod)).status).toBe(201);
      const added = await watch.next((e) => e.type === 'ADDED', 'the new pod');
      expect(added.object.metadata.name).toBe('load-new');
    } finally {
      watch.close();
    }
  });
});

function findType(group: string, plural: string) {
  const type = findResource(group, 'v1', plural);
  if (!type) throw new Error(`no resource ${group}/${plural}`);
  return type;
}
