/**
 * The dev-idp's protocol surface without a browser: mounting under the issuer path, the policy
 * on PKCE, redirect URIs and resources, and client credentials for CI service principals.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDevIdp, DEV_IDP_BANNER, DEV_IDP_DEMO_USERS, type DevIdp } from '../../src/dev-idp/index.js';
import {
  discoverPublicClient,
  discoverServiceClient,
  PUBLIC_CLIENT_ID,
  RESOURCE,
  type RunningIdp,
  SERVICE_CLIENT,
  startIdp,
} from './harness.js';

let idp: RunningIdp;

beforeAll(async () => {
  idp = await startIdp();
});

afterAll(async () => {
  await idp?.close();
});

async function discoveryDocument(headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Sends an authorization request without following redirects, to see where the provider sends the browser. */
async function authorize(params: Record<string, string>): Promise<Response> {
  const url = new URL(`${idp.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: PUBLIC_CLIENT_ID,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: 'http://127.0.0.1:43123/callback',
    ...params,
  }).toString();
  return fetch(url, { redirect: 'manual' });
}

describe('mounting under the issuer path', () => {
  test('discovery advertises absolute endpoint URLs under the issuer, whatever Host the request names', async () => {
    const plain = await discoveryDocument();
    const forged = await discoveryDocument({
      host: 'attacker.example',
      'x-forwarded-host': 'attacker.example',
    });
    expect(forged).toEqual(plain);
    expect(plain.issuer).toBe(idp.issuer);
    for (const endpoint of [
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'device_authorization_endpoint',
      'revocation_endpoint',
      'end_session_endpoint',
    ]) {
      expect(plain[endpoint], endpoint).toMatch(new RegExp(`^${idp.issuer}/`));
    }
    expect(plain.code_challenge_methods_supported).toEqual(['S256']);
    expect(plain.grant_types_supported).toEqual(
      expect.arrayContaining([
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'urn:ietf:params:oauth:grant-type:device_code',
      ]),
    );
  });

  test('the JWKS publishes one public ES256 key', async () => {
    const { jwks_uri } = await discoveryDocument();
    const { keys } = (await (await fetch(String(jwks_uri))).json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  test('each start has its own signing key', async () => {
    const other = await startIdp();
    try {
      const kid = async (issuer: string) => {
        const { keys } = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] };
        return keys[0]?.kid;
      };
      expect(await kid(other.issuer)).not.toBe(await kid(idp.issuer));
    } finally {
      await other.close();
    }
  });

  test('the handler answers only below the issuer path, and nothing after close()', async () => {
    let devIdp: DevIdp | undefined;
    const server = http.createServer((req, res) => devIdp?.handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      devIdp = await createDevIdp({
        issuer: `${origin}/dev-idp`,
        users: [],
        publicClientId: PUBLIC_CLIENT_ID,
        resource: RESOURCE,
      });
      expect((await fetch(`${origin}/.well-known/openid-configuration`)).status).toBe(404);
      expect((await fetch(`${origin}/dev-idpx/.well-known/openid-configuration`)).status).toBe(404);
      expect((await fetch(`${origin}/dev-idp/interaction/`)).status).toBe(404);
      expect((await fetch(`${origin}/dev-idp/.well-known/openid-configuration`)).status).toBe(200);

      await devIdp.close();
      expect((await fetch(`${origin}/dev-idp/.well-known/openid-configuration`)).status).toBe(503);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('the banner names the dev identity provider, and there are demo users for an empty users list', () => {
    expect(DEV_IDP_BANNER).toContain('--dev-idp');
    expect(DEV_IDP_BANNER).toMatch(/demos and tests only/);
    expect(DEV_IDP_DEMO_USERS.map((user) => user.username)).toEqual(['alice', 'bob']);
  });
});

describe('authorization request policy', () => {
  test('PKCE is required, and only S256 is accepted', async () => {
    const withoutPkce = await authorize({});
    expect(withoutPkce.status).toBe(303);
    const location = new URL(withoutPkce.headers.get('location')!);
    expect(location.origin).toBe('http://127.0.0.1:43123');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);

    const plain = await authorize({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');

    const s256 = await authorize({ code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' });
    expect(new URL(s256.headers.get('location')!, idp.origin).pathname).toMatch(/^\/dev-idp\/interaction\//);
  });

  test('only loopback redirect URIs of the registered paths are accepted, on any port', async () => {
    const pkce = { code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' };
    for (const redirect_uri of [
      'http://127.0.0.1:1/callback',
      'http://localhost:65000/',
      'http://[::1]:8000/callback',
    ]) {
      const response = await authorize({ ...pkce, redirect_uri });
      expect(new URL(response.headers.get('location')!, idp.origin).pathname, redirect_uri).toMatch(
        /\/interaction\//,
      );
    }
    for (const redirect_uri of ['http://attacker.example/callback', 'http://127.0.0.1:8000/elsewhere']) {
      const response = await authorize({ ...pkce, redirect_uri });
      // Never redirected to an unregistered URI: the provider shows its error page instead.
      expect(response.status, redirect_uri).toBe(400);
      expect(await response.text()).toContain('redirect_uri did not match');
    }
  });

  test('a resource other than the relay is refused', async () => {
    const response = await authorize({
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
      resource: 'https://elsewhere.example',
    });
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('invalid_target');
  });
});

describe('client credentials for CI service principals', () => {
  test('issues a JWT access token for the resource with the service principal’s username and groups', async () => {
    const config = await discoverServiceClient(idp.issuer, SERVICE_CLIENT.clientSecret);
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const withAndWithoutResource: Record<string, string>[] = [{ resource: RESOURCE }, {}];
    for (const parameters of withAndWithoutResource) {
      const tokens = await oidc.clientCredentialsGrant(config, parameters);
      const { payload } = await jwtVerify(tokens.access_token, jwks, {
        issuer: idp.issuer,
        audience: RESOURCE,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      });
      expect(payload).toMatchObject({
        sub: SERVICE_CLIENT.clientId,
        client_id: SERVICE_CLIENT.clientId,
        preferred_username: 'ci-deployer-bot',
        groups: ['ci', 'deployers'],
      });
      expect(payload.exp! - payload.iat!).toBe(600);
      expect(tokens.refresh_token).toBeUndefined();
    }
  });

  test('a wrong secret is invalid_client; the public client cannot use client credentials', async () => {
    const wrongSecret = await discoverServiceClient(idp.issuer, 'not-the-secret');
    // Basic authentication failed, so the answer is a 401 challenge (RFC 6749 §5.2).
    await expect(oidc.clientCredentialsGrant(wrongSecret)).rejects.toMatchObject({
      status: 401,
      cause: [{ scheme: 'basic', parameters: { error: 'invalid_client' } }],
    });

    const publicClient = await discoverPublicClient(idp.issuer);
    await expect(oidc.clientCredentialsGrant(publicClient)).rejects.toMatchObject({
      error: 'invalid_request',
      error_description: 'requested grant type is not allowed for this client',
    });
  });
});
