import { connect } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problemSchema } from '@switchboard/contract/problem-details';
import { apiPaths } from '@switchboard/contract/relay-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestIssuer } from '../helpers/test-issuer.js';
import { jsonBody, startTestRelay } from '../helpers/test-relay.js';

let issuer: TestIssuer;
let admin: string;

beforeAll(async () => {
  issuer = await TestIssuer.start();
  admin = await issuer.sign({ sub: 'root-admin' });
});
afterAll(() => issuer.close());

/** Sends raw bytes and returns the whole response text (the server closes or answers once). */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let response = '';
    socket.on('data', (chunk) => {
      response += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
  });
}

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
  return problemSchema.parse(await response.json());
}

describe('HTTP edges', () => {
  it('answers a request without a token with 401 and a bearer challenge', async () => {
    const relay = await startTestRelay(issuer.url);
    const response = await relay.request(apiPaths.clusters);
    await problem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="switchboard"');
  });

  it('answers malformed and invalid tokens with 401 invalid_token and a reason', async () => {
    const relay = await startTestRelay(issuer.url);
    for (const authorization of [
      'Bearer',
      'Bearer ',
      'Basic YWxpY2U6c2VjcmV0',
      'Bearer a b',
      'Bearer not.a.jwt',
      'Bearer \xff',
    ]) {
      const response = await fetch(`${relay.relay.url}${apiPaths.whoami}`, { headers: { authorization } });
      await problem(response, 401);
      expect(response.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="switchboard", error="invalid_token", error_description="[^"]+"$/,
      );
    }
    const expired = await relay.request(apiPaths.whoami, {
      token: await issuer.sign({}, { expiresIn: -120 }),
    });
    await problem(expired, 401);
    expect(expired.headers.get('www-authenticate')).toContain('error_description="the token has expired"');
  });

  it('answers a huge header block with 431 and keeps serving', async () => {
    const relay = await startTestRelay(issuer.url);
    const response = await rawRequest(
      relay.relay.url,
      `GET /healthz HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer ${'a'.repeat(100_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
    expect((await relay.request('/healthz')).status).toBe(200);
  });

  it('refuses request targets that are not a path', async () => {
    const relay = await startTestRelay(issuer.url);
    const response = await rawRequest(
      relay.relay.url,
      'GET http://elsewhere/healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n',
    );
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(response).toContain(PROBLEM_CONTENT_TYPE);
  });

  it('answers unknown routes with 404 and wrong methods with 405 and Allow', async () => {
    const relay = await startTestRelay(issuer.url);
    expect((await problem(await relay.request('/nope'), 404)).instance).toBe('/nope');
    await problem(await relay.request('/api/v1/clusters/a/b/c/d/e/f', { token: admin }), 404);
    const wrongMethod = await relay.request(apiPaths.clusters, { method: 'PUT', token: admin });
    await problem(wrongMethod, 405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST, HEAD');
    expect(
      (await relay.request(apiPaths.grant('a', 'user', 'x'), { method: 'GET' })).headers.get('allow'),
    ).toBe('DELETE');
  });

  it('refuses bad JSON, wrong media types and oversized bodies', async () => {
    const relay = await startTestRelay(issuer.url);
    const badJson = await relay.request(apiPaths.clusters, {
      token: admin,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect((await problem(badJson, 400)).detail).toMatch(/not valid JSON/);
    const empty = await relay.request(apiPaths.clusters, {
      token: admin,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    await problem(empty, 400);
    const notArray = await relay.request(apiPaths.clusters, { token: admin, ...jsonBody(['a']) });
    await problem(notArray, 400);
    const text = await relay.request(apiPaths.clusters, {
      token: admin,
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    await problem(text, 415);
    const large = await relay.request(apiPaths.clusters, {
      token: admin,
      ...jsonBody({ name: 'big', description: 'x'.repeat(70_000) }),
    });
    await problem(large, 413);
    expect((await relay.request('/healthz')).status).toBe(200);
  });

  it('reads no body from a caller without a valid token', async () => {
    const relay = await startTestRelay(issuer.url);
    const response = await relay.request(apiPaths.clusters, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    await problem(response, 401);
  });
});
