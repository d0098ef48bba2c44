import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsRenewal } from '../../src/core/session/refresh-policy.js';
import { Session } from '../../src/core/session/session.js';
import { SignInRequiredError } from '../../src/core/session/sign-in-required-error.js';
import { signInWithBrowser } from '../../src/core/sign-in/browser-sign-in.js';
import { storedTokensFromResponse } from '../../src/core/sign-in/token-response.js';
import type { StoredTokens } from '../../src/core/token-store/token-store.js';
import { type DevIdpRelay, startDevIdpRelay, TEST_USERS } from '../support/dev-idp-relay.js';
import { launchChromium, ScriptedBrowserUser } from '../support/headless-chromium.js';
import { RecordingTokenStore } from '../support/recording-token-store.js';
import { sampleTokens } from '../support/sample-tokens.js';

describe('refresh policy', () => {
  const obtainedAt = 0;
  it('renews a 1-hour token when less than 6 minutes (10 %) remain', () => {
    const expiresAt = 3_600_000;
    expect(
      needsRenewal({ value: 't', kind: 'access_token', expiresAt }, obtainedAt, expiresAt - 361_000),
    ).toBe(false);
    expect(
      needsRenewal({ value: 't', kind: 'access_token', expiresAt }, obtainedAt, expiresAt - 359_000),
    ).toBe(true);
  });
  it('renews a 5-minute token when less than 60 s remain', () => {
    const expiresAt = 300_000;
    expect(
      needsRenewal({ value: 't', kind: 'access_token', expiresAt }, obtainedAt, expiresAt - 61_000),
    ).toBe(false);
    expect(
      needsRenewal({ value: 't', kind: 'access_token', expiresAt }, obtainedAt, expiresAt - 59_000),
    ).toBe(true);
  });
  it('uses a very short-lived token for the first half of its life', () => {
    const expiresAt = 20_000;
    expect(needsRenewal({ value: 't', kind: 'access_token', expiresAt }, obtainedAt, 9_000)).toBe(false);
    expect(needsRenewal({ value: 't', kind: 'access_token', expiresAt }, obtainedAt, 10_000)).toBe(true);
  });
});

describe('Session with stubbed renewal', () => {
  const relayUrl = 'https://relay.example.com';
  const nearlyExpired = (): StoredTokens => ({
    ...sampleTokens(relayUrl),
    accessTokenExpiresAt: Date.now() + 5_000,
    obtainedAt: Date.now() - 595_000,
  });

  it('hands out a fresh token without renewing', async () => {
    const store = new RecordingTokenStore();
    const tokens = sampleTokens(relayUrl);
    await store.save(relayUrl, tokens);
    let renewals = 0;
    const session = new Session(relayUrl, store, {
      renew: async (current) => {
        renewals++;
        return current;
      },
    });
    expect((await session.bearerToken()).value).toBe(tokens.accessToken);
    expect(renewals).toBe(0);
  });

  it('keeps using a still-valid token when the issuer is unreachable', async () => {
    const store = new RecordingTokenStore();
    const tokens = nearlyExpired();
    await store.save(relayUrl, tokens);
    const session = new Session(relayUrl, store, {
      renew: async () => {
        throw new TypeError('fetch failed');
      },
    });
    expect((await session.bearerToken()).value).toBe(tokens.accessToken);
  });

  it('is "sign-in required" without any request when nothing is stored', async () => {
    const session = new Session(relayUrl, new RecordingTokenStore());
    const failure = session.bearerToken();
    await expect(failure).rejects.toBeInstanceOf(SignInRequiredError);
    await expect(failure).rejects.toThrow(`Run \`switchboard login --relay ${relayUrl}\``);
  });
});

describe('Session against the embedded OpenID provider', () => {
  let relay: DevIdpRelay;
  let browser: Browser;

  beforeAll(async () => {
    [relay, browser] = await Promise.all([startDevIdpRelay(), launchChromium()]);
  });
  afterAll(async () => {
    await Promise.all([relay?.close(), browser?.close()]);
  });

  /** A sign-in of its own for each test: renewing rotates the refresh token, which no other test may see. */
  const signIn = async (): Promise<StoredTokens> => {
    const user = new ScriptedBrowserUser(browser, TEST_USERS[0]!);
    const response = await signInWithBrowser(relay.configuration, { openBrowser: user.openBrowser });
    await user.finished();
    return storedTokensFromResponse(response, {
      relayUrl: relay.url,
      configuration: relay.configuration,
      grant: { type: 'authorization_code' },
      now: Date.now(),
    });
  };

  it('renews ahead of expiry once for many concurrent callers, persisting the rotated refresh token', async () => {
    const signedIn = await signIn();
    const store = new RecordingTokenStore();
    await store.save(relay.url, signedIn);
    // Ten minutes from now the 600 s access token is expired; the session must renew.
    const later = () => Date.now() + 600_000;
    const session = new Session(relay.url, store, { now: later });
    const before = relay.tokenEndpointRequests;

    const bearers = await Promise.all(Array.from({ length: 20 }, () => session.bearerToken()));

    expect(relay.tokenEndpointRequests - before).toBe(1);
    expect(new Set(bearers.map((bearer) => bearer.value)).size).toBe(1);
    expect(bearers[0]?.value).not.toBe(signedIn.accessToken);
    expect(store.saved).toHaveLength(2);
    const renewed = store.saved[1]!;
    expect(renewed.refreshToken).toBeTruthy();
    expect(renewed.refreshToken).not.toBe(signedIn.refreshToken);
    expect(renewed.idToken).toBeTruthy();

    // Fresh now: more calls cost nothing.
    await session.bearerToken();
    expect(relay.tokenEndpointRequests - before).toBe(1);
  });

  it('a spent (rotated-away) refresh token leads to SignInRequired once, with no retries', async () => {
    const signedIn = await signIn();
    const later = () => Date.now() + 600_000;
    // Another holder of the same tokens renews first: the provider rotates the refresh token away.
    const elsewhere = new RecordingTokenStore();
    await elsewhere.save(relay.url, signedIn);
    await new Session(relay.url, elsewhere, { now: later }).bearerToken();
    expect(elsewhere.saved.at(-1)!.refreshToken).not.toBe(signedIn.refreshToken);

    const store = new RecordingTokenStore();
    await store.save(relay.url, signedIn);
    const session = new Session(relay.url, store, { now: later });
    const before = relay.tokenEndpointRequests;

    const failures = await Promise.allSettled(Array.from({ length: 5 }, () => session.bearerToken()));
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      const error = (failure as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(SignInRequiredError);
      expect(error.relayUrl).toBe(relay.url);
      expect(error.message).toBe(
        `Sign-in required for ${relay.url}: the refresh token expired or was revoked. Run \`switchboard login --relay ${relay.url}\`.`,
      );
    }
    await expect(session.bearerToken()).rejects.toBeInstanceOf(SignInRequiredError);
    expect(relay.tokenEndpointRequests - before).toBe(1);
    expect(store.removals).toBe(1);
    expect(await store.load(relay.url)).toBeUndefined();
  });
});
