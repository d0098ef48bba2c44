import { PROBLEM_CONTENT_TYPE, problemSchema } from '@switchboard/contract/problem-details';
import {
  apiPaths,
  CONFIGURATION_PATH,
  clusterListSchema,
  clusterSchema,
  grantListSchema,
  switchboardConfigurationSchema,
  whoamiSchema,
} from '@switchboard/contract/relay-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestIssuer } from '../helpers/test-issuer.js';
import { jsonBody, startTestRelay, type TestRelay } from '../helpers/test-relay.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.close());

const tokenFor = (sub: string, groups: string[] = []) => issuer.sign({ sub, groups });

async function expectProblem(response: Response, status: number): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
  const problem = problemSchema.parse(await response.json());
  expect(problem.status).toBe(status);
  return problem.detail ?? '';
}

async function clusterNames(relay: TestRelay, token: string): Promise<string[]> {
  const response = await relay.request(apiPaths.clusters, { token });
  expect(response.status).toBe(200);
  return clusterListSchema.parse(await response.json()).items.map((cluster) => cluster.name);
}

/** A relay with clusters a, b, c created by the global admin. */
async function relayWithClusters(): Promise<{ relay: TestRelay; admin: string }> {
  const relay = await startTestRelay(issuer.url);
  const admin = await tokenFor('root-admin');
  for (const name of ['a', 'b', 'c']) {
    const created = await relay.request(apiPaths.clusters, {
      token: admin,
      ...jsonBody({ name, labels: { env: 'test' } }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(apiPaths.cluster(name));
    expect(clusterSchema.parse(await created.json())).toMatchObject({ name, createdBy: 'root-admin' });
  }
  return { relay, admin };
}

describe('admin API', () => {
  it('serves the agent install manifests to global admins only, with a fresh join token each time', async () => {
    const { relay, admin } = await relayWithClusters();
    const alice = await tokenFor('alice');
    await relay.request(apiPaths.grants('a'), {
      token: admin,
      ...jsonBody({ subjectKind: 'user', subject: 'alice', role: 'admin' }),
    });
    await expectProblem(await relay.request(apiPaths.manifests('a'), { token: alice }), 403);
    await expectProblem(await relay.request(apiPaths.manifests('nope'), { token: admin }), 404);
    await expectProblem(
      await relay.request(`${apiPaths.manifests('a')}?replicas=zero`, { token: admin }),
      400,
    );

    const first = await relay.request(`${apiPaths.manifests('a')}?replicas=3`, { token: admin });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/yaml/);
    const yaml = await first.text();
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).toMatch(/replicas: 3/);
    const second = await (await relay.request(apiPaths.manifests('a'), { token: admin })).text();
    const joinTokens = [yaml, second].map((text) => /sbj_[A-Za-z0-9_-]{43}/.exec(text)?.[0]);
    expect(joinTokens[0]).toBeDefined();
    expect(joinTokens[1]).toBeDefined();
    expect(joinTokens[0]).not.toBe(joinTokens[1]);
  });

  it('publishes the client configuration and health', async () => {
    const relay = await startTestRelay(issuer.url);
    const configuration = switchboardConfigurationSchema.parse(
      await (await relay.request(CONFIGURATION_PATH)).json(),
    );
    expect(configuration).toMatchObject({
      issuer: issuer.url,
      clientId: 'switchboard-test',
      bearerToken: 'id_token',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    });
    expect((await relay.request('/healthz')).status).toBe(200);
    // Ready once the issuer has been discovered (the relay starts discovering at once).
    await expect.poll(async () => (await relay.request('/readyz')).status).toBe(200);
  });

  it('is not ready while the issuer cannot be discovered', async () => {
    const relay = await startTestRelay('http://127.0.0.1:9/unreachable');
    expect(await expectProblem(await relay.request('/readyz'), 503)).toMatch(/has not been discovered/);
    expect((await relay.request('/healthz')).status).toBe(200);
    const response = await relay.request(apiPaths.whoami, { token: await tokenFor('alice') });
    expect(await expectProblem(response, 503)).toMatch(/cannot reach its OpenID issuer/);
  });

  it('tells callers who they are', async () => {
    const relay = await startTestRelay(issuer.url);
    const alice = whoamiSchema.parse(
      await (await relay.request(apiPaths.whoami, { token: await tokenFor('alice', ['devs']) })).json(),
    );
    expect(alice).toEqual({ username: 'alice', groups: ['devs'], admin: false });
    const viaGroup = await relay.request(apiPaths.whoami, {
      token: await tokenFor('carol', ['relay-admins']),
    });
    expect(whoamiSchema.parse(await viaGroup.json()).admin).toBe(true);
  });

  it('shows users only the clusters they hold a grant on, directly or through a group', async () => {
    const { relay, admin } = await relayWithClusters();
    expect(await clusterNames(relay, admin)).toEqual(['a', 'b', 'c']);
    const alice = await tokenFor('alice', ['devs']);
    expect(await clusterNames(relay, alice)).toEqual([]);

    await relay.request(apiPaths.grants('a'), {
      token: admin,
      ...jsonBody({ subjectKind: 'user', subject: 'alice', role: 'connect' }),
    });
    await relay.request(apiPaths.grants('c'), {
      token: admin,
      ...jsonBody({ subjectKind: 'group', subject: 'devs', role: 'connect' }),
    });
    expect(await clusterNames(relay, alice)).toEqual(['a', 'c']);
    expect(await clusterNames(relay, await tokenFor('dave', ['devs']))).toEqual(['c']);

    expect((await relay.request(apiPaths.cluster('a'), { token: alice })).status).toBe(200);
    // A cluster alice holds no grant on looks exactly like one that does not exist.
    const hidden = await expectProblem(await relay.request(apiPaths.cluster('b'), { token: alice }), 404);
    const missing = await expectProblem(await relay.request(apiPaths.cluster('zz'), { token: alice }), 404);
    expect(hidden.replace('"b"', '"zz"')).toBe(missing);
  });

  it('keeps cluster administration to global admins', async () => {
    const { relay, admin } = await relayWithClusters();
    const alice = await tokenFor('alice');
    await relay.request(apiPaths.grants('a'), {
      token: admin,
      ...jsonBody({ subjectKind: 'user', subject: 'alice', role: 'admin' }),
    });

    await expectProblem(
      await relay.request(apiPaths.clusters, { token: alice, ...jsonBody({ name: 'mine' }) }),
      403,
    );
    await expectProblem(await relay.request(apiPaths.cluster('a'), { token: alice, method: 'DELETE' }), 403);
    await expectProblem(await relay.request(apiPaths.cluster('b'), { token: alice, method: 'DELETE' }), 404);
    await expectProblem(
      await relay.request(apiPaths.clusters, { token: admin, ...jsonBody({ name: 'a' }) }),
      409,
    );

    expect((await relay.request(apiPaths.cluster('b'), { token: admin, method: 'DELETE' })).status).toBe(204);
    await expectProblem(await relay.request(apiPaths.cluster('b'), { token: admin }), 404);
  });

  it('lets cluster admins manage that cluster’s grants, and nobody else', async () => {
    const { relay, admin } = await relayWithClusters();
    const alice = await tokenFor('alice');
    const bob = await tokenFor('bob');
    await relay.request(apiPaths.grants('a'), {
      token: admin,
      ...jsonBody({ subjectKind: 'user', subject: 'alice', role: 'admin' }),
    });
    await relay.request(apiPaths.grants('a'), {
      token: admin,
      ...jsonBody({ subjectKind: 'user', subject: 'bob', role: 'connect' }),
    });

    const granted = await relay.request(apiPaths.grants('a'), {
      token: alice,
      ...jsonBody({ subjectKind: 'group', subject: 'ops', role: 'connect' }),
    });
    expect(granted.status).toBe(200);
    const grants = grantListSchema.parse(
      await (await relay.request(apiPaths.grants('a'), { token: alice })).json(),
    );
    expect(grants.items.map((grant) => `${grant.subjectKind}:${grant.subject}:${grant.role}`)).toEqual([
      'user:alice:admin',
      'user:bob:connect',
      'group:ops:connect',
    ]);

    await expectProblem(await relay.request(apiPaths.grants('a'), { token: bob }), 403);
    await expectProblem(
      await relay.request(apiPaths.grants('a'), {
        token: bob,
        ...jsonBody({ subjectKind: 'user', subject: 'bob', role: 'admin' }),
      }),
      403,
    );
    await expectProblem(await relay.request(apiPaths.grants('b'), { token: alice }), 404);
    await expectProblem(
      await relay.request(apiPaths.grant('a', 'user', 'nobody'), { token: alice, method: 'DELETE' }),
      404,
    );
  });

  it('makes a revocation effective on the next request', async () => {
    const { relay, admin } = await relayWithClusters();
    const alice = await tokenFor('alice', ['devs']);
    await relay.request(apiPaths.grants('a'), {
      token: admin,
      ...jsonBody({ subjectKind: 'group', subject: 'devs', role: 'connect' }),
    });
    expect((await relay.request(apiPaths.cluster('a'), { token: alice })).status).toBe(200);

    const revoked = await relay.request(apiPaths.grant('a', 'group', 'devs'), {
      token: admin,
      method: 'DELETE',
    });
    expect(revoked.status).toBe(204);
    await expectProblem(await relay.request(apiPaths.cluster('a'), { token: alice }), 404);
    expect(await clusterNames(relay, alice)).toEqual([]);
  });

  it('handles subjects that need encoding in the path', async () => {
    const { relay, admin } = await relayWithClusters();
    const subject = 'CN=ops/team@example.com';
    await relay.request(apiPaths.grants('a'), {
      token: admin,
      ...jsonBody({ subjectKind: 'group', subject, role: 'connect' }),
    });
    expect(
      (await relay.request(apiPaths.grant('a', 'group', subject), { token: admin, method: 'DELETE' })).status,
    ).toBe(204);
  });

  it('validates input at the edge', async () => {
    const { relay, admin } = await relayWithClusters();
    expect(
      await expectProblem(
        await relay.request(apiPaths.clusters, { token: admin, ...jsonBody({ name: 'Bad_Name' }) }),
        400,
      ),
    ).toMatch(/^name: a cluster name is/);
    expect(
      await expectProblem(
        await relay.request(apiPaths.clusters, { token: admin, ...jsonBody({ name: 'ok', extra: 1 }) }),
        400,
      ),
    ).toBe('unknown field extra');
    await expectProblem(
      await relay.request(apiPaths.grants('a'), {
        token: admin,
        ...jsonBody({ subjectKind: 'robot', subject: 'x', role: 'connect' }),
      }),
      400,
    );
    await expectProblem(
      await relay.request(apiPaths.grants('a'), {
        token: admin,
        ...jsonBody({ subjectKind: 'user', subject: 'x', role: 'owner' }),
      }),
      400,
    );
    await expectProblem(
      await relay.request(apiPaths.grants('nope'), {
        token: admin,
        ...jsonBody({ subjectKind: 'user', subject: 'x', role: 'connect' }),
      }),
      404,
    );
    await expectProblem(
      await relay.request(apiPaths.grant('a', 'user', 'x').replace('/user/', '/robot/'), {
        token: admin,
        method: 'DELETE',
      }),
      400,
    );
    await expectProblem(await relay.request('/api/v1/clusters/%E0%A4%A', { token: admin }), 400);
  });
});
