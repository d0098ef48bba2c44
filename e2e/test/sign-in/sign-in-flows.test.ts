import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SignInTimedOutError,
  signInWithBrowser,
  signInWithClientCredentials,
  signInWithDeviceCode,
} from '@switchboard/main/core';
import { approveDeviceCode, ScriptedBrowserUser } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import { decodeJwt } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevIdpRelay, SERVICE_CLIENT, startDevIdpRelay, TEST_USERS } from '../support/dev-idp-relay.js';

const alice = TEST_USERS[0]!;

describe('sign-in flows against the embedded OpenID provider', () => {
  let relay: DevIdpRelay;
  let browser: Browser;
  let scratch: string;

  beforeAll(async () => {
    [relay, browser, scratch] = await Promise.all([
      startDevIdpRelay(),
      launchChromium(),
      mkdtemp(join(tmpdir(), 'switchboard-sign-in-')),
    ]);
  });
  afterAll(async () => {
    await Promise.all([relay?.close(), browser?.close(), rm(scratch, { recursive: true, force: true })]);
  });

  it('authorization code + PKCE through the browser, with a loopback redirect', async () => {
    const user = new ScriptedBrowserUser(browser, alice);
    const tokens = await signInWithBrowser(relay.configuration, {
      openBrowser: async (url) => {
        const authorizationUrl = new URL(url);
        expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
        expect(authorizationUrl.searchParams.get('redirect_uri')).toMatch(
          /^http:\/\/127\.0\.0\.1:\d+\/callback$/,
        );
        // The scopes the relay publishes (`groups` included), with offline_access for a refresh token.
        expect(authorizationUrl.searchParams.get('scope')).toBe('openid profile email offline_access groups');
        expect(authorizationUrl.searchParams.get('resource')).toBe(relay.url);
        expect(authorizationUrl.searchParams.get('state')).toBeTruthy();
        expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy();
        await user.openBrowser(url);
      },
    });
    expect(tokens.refresh_token).toBeTruthy();
    expect(decodeJwt(tokens.id_token!).preferred_username).toBe('alice');
    const accessClaims = decodeJwt(tokens.access_token);
    expect(accessClaims.aud).toBe(relay.url);
    expect(accessClaims.groups).toEqual(alice.groups);
    expect(await user.finished()).toEqual([expect.stringContaining('You can close this tab')]);
  });

  it('ignores a callback with a foreign state and times out with a clear message', async () => {
    const attempt = signInWithBrowser(relay.configuration, {
      timeoutMs: 1_500,
      openBrowser: async (url) => {
        const redirectUri = new URL(url).searchParams.get('redirect_uri')!;
        const forged = await fetch(`${redirectUri}?code=stolen&state=not-the-state`);
        expect(forged.status).toBe(400);
        expect(await fetch(new URL('/favicon.ico', redirectUri)).then((response) => response.status)).toBe(
          404,
        );
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(SignInTimedOutError);
    await expect(attempt).rejects.toThrow(/within 2 seconds.*--device-code/);
  });

  it('device code: prints a code the user approves on another device', async () => {
    let approval: Promise<void> | undefined;
    const tokens = await signInWithDeviceCode(relay.configuration, {
      onPrompt: (prompt) => {
        expect(prompt.userCode).toBeTruthy();
        approval = approveDeviceCode(browser, prompt.verificationUri, prompt.userCode, alice);
      },
    });
    await approval;
    expect(tokens.refresh_token).toBeTruthy();
    expect(decodeJwt(tokens.access_token).preferred_username).toBe('alice');
  }, 60_000);

  it('client credentials with the secret read from a private file; a world-readable file is refused', async () => {
    const secretFile = join(scratch, 'client-secret');
    await writeFile(secretFile, `${SERVICE_CLIENT.clientSecret}\n`, { mode: 0o644 });
    const principal = { clientId: SERVICE_CLIENT.clientId, clientSecretFile: secretFile };
    await expect(signInWithClientCredentials(relay.configuration, principal)).rejects.toThrow(
      /readable by every user on this machine \(mode 644\).*chmod 600/,
    );
    await chmod(secretFile, 0o600);
    const tokens = await signInWithClientCredentials(relay.configuration, principal);
    const claims = decodeJwt(tokens.access_token);
    expect(claims.aud).toBe(relay.url);
    expect(claims.preferred_username).toBe('ci-bot');
    expect(tokens.refresh_token).toBeUndefined();
  });
});
