/**
 * The flows a person goes through, completed for real: headless Chromium fills the dev-idp
 * pages by their labels, openid-client is the desktop app / CLI, jose verifies what comes back
 * against the provider's JWKS the way the relay will.
 */

import { launchChromium } from '@switchboard/test-support/headless-chromium';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  authorizationRequest,
  discoverPublicClient,
  PUBLIC_CLIENT_ID,
  RESOURCE,
  type RunningIdp,
  signIn,
  signInWithBrowser,
  startIdp,
  startLoopbackCallback,
  USERS,
} from './harness.js';

const [alice, bob] = USERS as [(typeof USERS)[0], (typeof USERS)[1]];
const ACCESS_TOKEN_TTL = 120;

let idp: RunningIdp;
let browser: Browser;
let config: oidc.Configuration;
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  idp = await startIdp({ accessTokenTtlSeconds: ACCESS_TOKEN_TTL });
  browser = await launchChromium();
  config = await discoverPublicClient(idp.issuer);
  jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
});

afterAll(async () => {
  await browser?.close();
  await idp?.close();
});

/** What the relay does with a bearer token: signature, issuer, audience, type, algorithm, expiry. */
async function verifyAccessToken(token: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, jwks, {
    issuer: idp.issuer,
    audience: RESOURCE,
    typ: 'at+jwt',
    algorithms: ['ES256'],
  });
  return payload;
}

async function expectInvalidGrant(refreshToken: string): Promise<void> {
  const error = await oidc.refreshTokenGrant(config, refreshToken).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(oidc.ResponseBodyError);
  expect((error as oidc.ResponseBodyError).error).toBe('invalid_grant');
}

describe('dev-idp in a real browser', () => {
  test('authorization code + PKCE: sign-in page, loopback redirect on an ephemeral port, ID and access token claims', async () => {
    const callback = await startLoopbackCallback();
    const context = await browser.newContext();
    try {
      const request = await authorizationRequest(config, callback.redirectUri);
      const page = await context.newPage();
      await page.goto(request.url.href);
      expect(new URL(page.url()).pathname).toMatch(/^\/dev-idp\/interaction\/[^/]+$/);
      await signIn(page, alice.username, alice.password);

      const redirect = await callback.received;
      expect(redirect.pathname).toBe('/callback');
      expect(redirect.searchParams.get('iss')).toBe(idp.issuer);
      const tokens = await oidc.authorizationCodeGrant(config, redirect, {
        pkceCodeVerifier: request.codeVerifier,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });

      // openid-client checked nonce, issuer and audience; the signature is checked here against the JWKS.
      const { payload: idToken, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, {
        issuer: idp.issuer,
        audience: PUBLIC_CLIENT_ID,
      });
      expect(protectedHeader.alg).toBe('ES256');
      expect(idToken).toMatchObject({
        sub: 'alice',
        nonce: request.nonce,
        preferred_username: 'alice',
        groups: ['switchboard-admins', 'developers'],
        email: 'alice@example.com',
        name: 'Alice Example',
      });
      expect(tokens.claims()?.nonce).toBe(request.nonce);

      const accessToken = await verifyAccessToken(tokens.access_token);
      expect(accessToken).toMatchObject({
        sub: 'alice',
        aud: RESOURCE,
        client_id: PUBLIC_CLIENT_ID,
        preferred_username: 'alice',
        groups: ['switchboard-admins', 'developers'],
        email: 'alice@example.com',
        name: 'Alice Example',
      });
      expect(accessToken.exp! - accessToken.iat!).toBe(ACCESS_TOKEN_TTL);
      expect(tokens.expires_in).toBe(ACCESS_TOKEN_TTL);
      expect(tokens.refresh_token).toEqual(expect.any(String));
    } finally {
      await context.close();
      await callback.close();
    }
  });

  test('device code: verification_uri_complete opened in the browser, confirm, sign in; polling gets tokens', async () => {
    const authorization = await oidc.initiateDeviceAuthorization(config, {
      scope: 'openid profile offline_access',
      resource: RESOURCE,
    });
    expect(authorization.verification_uri).toBe(`${idp.issuer}/device`);
    // Poll every second instead of RFC 8628's default five, to keep the test quick.
    const polling = oidc.pollDeviceAuthorizationGrant(config, { ...authorization, interval: 1 });

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(authorization.verification_uri_complete!);
      await page.getByRole('heading', { name: 'Confirm the device' }).waitFor();
      await expect.poll(() => page.locator('code').textContent()).toBe(authorization.user_code);
      await page.getByRole('button', { name: 'Continue' }).click();
      await signIn(page, bob.username, bob.password);
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();

      const tokens = await polling;
      const accessToken = await verifyAccessToken(tokens.access_token);
      expect(accessToken).toMatchObject({ sub: 'bob', preferred_username: 'bob', groups: ['developers'] });
      expect(accessToken).not.toHaveProperty('email');
      expect(tokens.claims()).toMatchObject({ preferred_username: 'bob', groups: ['developers'] });
      expect(tokens.refresh_token).toEqual(expect.any(String));
    } finally {
      await context.close();
    }
  });

  test('device code: the user code typed by hand at verification_uri', async () => {
    const authorization = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile' });
    const polling = oidc.pollDeviceAuthorizationGrant(config, { ...authorization, interval: 1 });

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(authorization.verification_uri);
      await page.getByLabel('Code shown on your device').fill('WRONG-CODE');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');

      await page.getByLabel('Code shown on your device').fill(authorization.user_code);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Continue' }).click(); // the confirmation page
      await signIn(page, alice.username, alice.password);
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();

      const accessToken = await verifyAccessToken((await polling).access_token);
      expect(accessToken).toMatchObject({ preferred_username: 'alice', aud: RESOURCE });
    } finally {
      await context.close();
    }
  });

  test('refresh tokens rotate: the new one works, a reused old one is rejected and ends the whole grant', async () => {
    const first = await signInWithBrowser(browser, config, alice);

    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await verifyAccessToken(second.access_token)).toMatchObject({
      preferred_username: 'alice',
      groups: ['switchboard-admins', 'developers'],
    });

    const third = await oidc.refreshTokenGrant(config, second.refresh_token!);
    expect(third.refresh_token).not.toBe(second.refresh_token);

    await expectInvalidGrant(first.refresh_token!);
    // Reuse means the token leaked: oidc-provider revokes the grant, so the newest token dies too.
    await expectInvalidGrant(third.refresh_token!);
  });

  test('a wrong password or unknown user shows an error and issues nothing; the right one then signs in', async () => {
    const callback = await startLoopbackCallback();
    const context = await browser.newContext();
    try {
      const request = await authorizationRequest(config, callback.redirectUri);
      const page = await context.newPage();
      await page.goto(request.url.href);
      const loginUrl = page.url();

      await signIn(page, alice.username, 'not the password');
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong username or password.');
      expect(page.url()).toBe(loginUrl);
      expect(await page.getByLabel('Username').inputValue()).toBe('alice');
      expect(await page.getByLabel('Password').inputValue()).toBe('');

      await signIn(page, 'mallory', alice.password);
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong username or password.');
      expect(callback.hit()).toBe(false);

      await signIn(page, alice.username, alice.password);
      const redirect = await callback.received;
      const tokens = await oidc.authorizationCodeGrant(config, redirect, {
        pkceCodeVerifier: request.codeVerifier,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      expect(tokens.claims()?.preferred_username).toBe('alice');
    } finally {
      await context.close();
      await callback.close();
    }
  });
});
