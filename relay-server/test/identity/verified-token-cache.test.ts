import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcTokenVerifier } from '../../src/identity/token-verifier.js';
import { TestIssuer } from '../helpers/test-issuer.js';
import { rejection, testTrust } from '../helpers/trust.js';

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await TestIssuer.start();
  await issuer.addUnpublishedKey('rogue');
});
afterAll(() => issuer.close());

/** A verifier on a clock the test moves (jose's lifetime checks and the cache both read it). */
function verifierWithClock(maxEntries?: number) {
  const clock = { now: Date.now() };
  const verifier = new OidcTokenVerifier(testTrust(issuer.url), {
    now: () => clock.now,
    ...(maxEntries !== undefined && { cache: { maxEntries } }),
  });
  return { verifier, clock };
}

// A cache hit hands back the very identity object stored at the first verification; a fresh
// verification builds a new one. `toBe` / `not.toBe` tell the two apart.
describe('OidcTokenVerifier: verified-token cache', () => {
  it('answers the same token from the cache, without a second verification', async () => {
    const { verifier } = verifierWithClock();
    const token = await issuer.sign({ sub: 'alice', groups: ['devs'] });
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).toBe(first);
    expect(second).toMatchObject({ username: 'alice', groups: ['devs'] });
    // Shared between callers, so nobody may change it.
    expect(Object.isFrozen(second)).toBe(true);
    expect(Object.isFrozen(second.groups)).toBe(true);
  });

  it("never serves an entry past the token's exp", async () => {
    const { verifier, clock } = verifierWithClock();
    const token = await issuer.sign({ sub: 'alice' }, { expiresIn: 60 });
    const first = await verifier.verify(token);
    const exp = first.expiresAt.getTime();

    clock.now = exp - 1_000;
    expect(await verifier.verify(token)).toBe(first);

    // Past exp but inside the 30 s clock tolerance: verified again (accepted), not from the cache,
    // and not stored (it is already past its exp).
    clock.now = exp + 1_000;
    const tolerated = await verifier.verify(token);
    expect(tolerated).not.toBe(first);
    expect(await verifier.verify(token)).not.toBe(tolerated);

    // Beyond the tolerance: refused, as without a cache.
    clock.now = exp + 60_000;
    expect(await rejection(verifier.verify(token))).toBe('the token has expired');
  });

  it('never answers a different token from the cache', async () => {
    const { verifier } = verifierWithClock();
    const alice = await issuer.sign({ sub: 'alice' });
    const bob = await issuer.sign({ sub: 'bob' });
    const aliceIdentity = await verifier.verify(alice);
    const bobIdentity = await verifier.verify(bob);
    expect(bobIdentity.username).toBe('bob');
    expect(bobIdentity).not.toBe(aliceIdentity);

    // Alice's claims with a signature that is not the issuer's: the cached genuine token does not help it.
    const [header, payload] = alice.split('.');
    const [, , otherSignature] = bob.split('.');
    expect(await rejection(verifier.verify(`${header}.${payload}.${otherSignature}`))).toMatch(
      /signature is invalid/,
    );
    expect(await rejection(verifier.verify(`${alice}x`))).toBeTruthy();
  });

  it('does not cache a token that fails verification, nor the failure', async () => {
    const { verifier, clock } = verifierWithClock();
    const rogue = await issuer.sign({ sub: 'alice' }, { kid: 'rogue' });
    for (let i = 0; i < 2; i++) {
      expect(await rejection(verifier.verify(rogue))).toMatch(/key the issuer does not publish/);
    }

    // Not valid yet: refused now; once the clock reaches its nbf, checked afresh and accepted.
    const early = await issuer.sign({ sub: 'alice' }, { notBefore: 120 });
    expect(await rejection(verifier.verify(early))).toMatch(/not valid yet/);
    clock.now += 120_000;
    expect((await verifier.verify(early)).username).toBe('alice');
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const { verifier } = verifierWithClock(2);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => issuer.sign({ sub })));
    const identityA = await verifier.verify(a!);
    const identityB = await verifier.verify(b!);
    expect(await verifier.verify(a!)).toBe(identityA); // a is now the most recent
    await verifier.verify(c!); // drops b
    expect(await verifier.verify(a!)).toBe(identityA);
    expect(await verifier.verify(b!)).not.toBe(identityB);
  });

  it('can be turned off', async () => {
    const { verifier } = verifierWithClock(0);
    const token = await issuer.sign({ sub: 'alice' });
    expect(await verifier.verify(token)).not.toBe(await verifier.verify(token));
  });
});
