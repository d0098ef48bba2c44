/**
 * The desktop session against the relay's embedded OpenID provider: renewal ahead of expiry, and
 * what a spent refresh token leads to (the session's own rules are unit-tested in main).
 */

import {
  AccountTokens,
  SignInRequiredError,
  type StoredTokens,
  signInWithBrowser,
  storedTokensFromResponse,
} from '@switchboard/main/core';
import { ScriptedBrowserUser } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import { RecordingTokenStore } from '@switchboard/test-support/recording-token-store';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevIdpRelay, startDevIdpRelay, TEST_USERS } from '../support/dev-idp-relay.js';

describe('AccountTokens against the embedded OpenID provider', () => {
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
    const session = new AccountTokens(relay.url, store, { now: later });
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
    await new AccountTokens(relay.url, elsewhere, { now: later }).bearerToken();
    expect(elsewhere.saved.at(-1)!.refreshToken).not.toBe(signedIn.refreshToken);

    const store = new RecordingTokenStore();
    await store.save(relay.url, signedIn);
    const session = new AccountTokens(relay.url, store, { now: later });
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
