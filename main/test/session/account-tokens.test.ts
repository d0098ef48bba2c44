import { RecordingTokenStore } from '@switchboard/test-support/recording-token-store';
import { describe, expect, it } from 'vitest';
import { AccountTokens } from '../../src/core/session/account-tokens.js';
import { needsRenewal } from '../../src/core/session/refresh-policy.js';
import { SignInRequiredError } from '../../src/core/session/sign-in-required-error.js';
import type { StoredTokens } from '../../src/core/token-store/token-store.js';
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

describe('AccountTokens with stubbed renewal', () => {
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
    const session = new AccountTokens(relayUrl, store, {
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
    const session = new AccountTokens(relayUrl, store, {
      renew: async () => {
        throw new TypeError('fetch failed');
      },
    });
    expect((await session.bearerToken()).value).toBe(tokens.accessToken);
  });

  it('is "sign-in required" without any request when nothing is stored', async () => {
    const session = new AccountTokens(relayUrl, new RecordingTokenStore());
    const failure = session.bearerToken();
    await expect(failure).rejects.toBeInstanceOf(SignInRequiredError);
    await expect(failure).rejects.toThrow(`Run \`switchboard login --relay ${relayUrl}\``);
  });
});
