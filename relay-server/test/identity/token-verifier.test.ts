import { createPublicKey } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrust } from '../../src/config/trust.js';
import { OidcTokenVerifier } from '../../src/identity/token-verifier.js';
import { TEST_AUDIENCE, TestIssuer } from '../helpers/test-issuer.js';
import { rejection, testTrust } from '../helpers/trust.js';

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await TestIssuer.start();
  await issuer.addUnpublishedKey('rogue');
  await issuer.addUnpublishedKey('rogue-2');
});
afterAll(() => issuer.close());

function verifier(overrides = {}) {
  return new OidcTokenVerifier(testTrust(issuer.url, overrides));
}

describe('OidcTokenVerifier', () => {
  it('accepts a valid token and reads username, groups and display name', async () => {
    const token = await issuer.sign({ sub: 'alice', groups: ['devs', 'ops'], preferred_username: 'Alice' });
    const identity = await verifier().verify(token);
    expect(identity).toMatchObject({ username: 'alice', groups: ['devs', 'ops'], displayName: 'Alice' });
    expect(identity.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('applies username and group prefixes', async () => {
    const token = await issuer.sign({ sub: 'alice', groups: ['devs'] });
    const identity = await verifier({ usernamePrefix: 'oidc:', groupsPrefix: 'oidc:' }).verify(token);
    expect(identity).toMatchObject({ username: 'oidc:alice', groups: ['oidc:devs'] });
  });

  it('rejects an expired token, but tolerates 30 s of clock skew', async () => {
    expect(await rejection(verifier().verify(await issuer.sign({}, { expiresIn: -60 })))).toBe(
      'the token has expired',
    );
    await expect(verifier().verify(await issuer.sign({}, { expiresIn: -10 }))).resolves.toBeTruthy();
  });

  it('rejects a token that is not valid yet', async () => {
    expect(await rejection(verifier().verify(await issuer.sign({}, { notBefore: 120 })))).toMatch(
      /not valid yet/,
    );
    await expect(verifier().verify(await issuer.sign({}, { notBefore: 10 }))).resolves.toBeTruthy();
  });

  it('rejects a token without exp', async () => {
    expect(await rejection(verifier().verify(await issuer.sign({}, { expiresIn: null })))).toMatch(/exp/);
  });

  it('rejects a token from another issuer', async () => {
    const token = await issuer.sign({}, { issuer: 'https://evil.example.com' });
    expect(await rejection(verifier().verify(token))).toMatch(/not issued by the issuer this relay trusts/);
  });

  it('rejects a token for another audience', async () => {
    const token = await issuer.sign({}, { audience: 'some-other-app' });
    expect(await rejection(verifier().verify(token))).toMatch(/audience/);
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await issuer.sign({ groups: ['devs'] })).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        sub: 'alice',
        groups: ['admins'],
        iss: issuer.url,
        aud: TEST_AUDIENCE,
        exp: 9999999999,
      }),
    ).toString('base64url');
    expect(await rejection(verifier().verify(`${header}.${forged}.${signature}`))).toBe(
      'the token signature is invalid',
    );
  });

  it('rejects alg "none"', async () => {
    const token = new UnsecuredJWT({ sub: 'alice' })
      .setIssuer(issuer.url)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('5m')
      .encode();
    expect(await rejection(verifier().verify(token))).toMatch(/algorithm/);
  });

  it('rejects HS256 signed with the public key as the secret, without fetching keys', async () => {
    const publicPem = createPublicKey({ key: issuer.publicJwk(), format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const token = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setIssuer(issuer.url)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(publicPem));
    const before = issuer.jwksRequests;
    expect(await rejection(verifier().verify(token))).toMatch(/algorithm/);
    expect(issuer.jwksRequests).toBe(before);
  });

  it('rejects malformed tokens', async () => {
    for (const token of ['', 'abc', 'a.b.c', 'x'.repeat(20_000), `${'eyJ'.repeat(3)}.e30.`]) {
      await rejection(verifier().verify(token));
    }
  });

  it('refetches the JWKS exactly once for an unknown kid, and never loops', async () => {
    const subject = verifier();
    await subject.verify(await issuer.sign({}));
    const afterFirstFetch = issuer.jwksRequests;

    const rogue = await issuer.sign({}, { kid: 'rogue' });
    expect(await rejection(subject.verify(rogue))).toMatch(/key the issuer does not publish/);
    expect(issuer.jwksRequests).toBe(afterFirstFetch + 1);

    // The same unknown kid again, many times and at once: no further fetch.
    await Promise.all(Array.from({ length: 20 }, () => rejection(subject.verify(rogue))));
    expect(issuer.jwksRequests).toBe(afterFirstFetch + 1);

    // Another made-up kid right after: refetches are spaced apart, so still no fetch.
    await rejection(subject.verify(await issuer.sign({}, { kid: 'rogue-2' })));
    expect(issuer.jwksRequests).toBe(afterFirstFetch + 1);
  });

  it('shares one refetch among concurrent requests with the same unknown kid', async () => {
    const subject = verifier();
    await subject.verify(await issuer.sign({}));
    const before = issuer.jwksRequests;
    const rogue = await issuer.sign({}, { kid: 'rogue' });
    await Promise.all(Array.from({ length: 10 }, () => rejection(subject.verify(rogue))));
    expect(issuer.jwksRequests).toBe(before + 1);
  });

  it('picks up a key rotated in after the keys were fetched, with one refetch', async () => {
    const subject = verifier();
    await subject.verify(await issuer.sign({}));
    const before = issuer.jwksRequests;
    await issuer.addKey('key-2', 'ES256');
    const identity = await subject.verify(await issuer.sign({ sub: 'bob' }, { kid: 'key-2' }));
    expect(identity.username).toBe('bob');
    expect(issuer.jwksRequests).toBe(before + 1);
    await subject.verify(await issuer.sign({ sub: 'bob' }, { kid: 'key-2' }));
    expect(issuer.jwksRequests).toBe(before + 1);
  });

  it('rejects a token without the username claim, naming the claim', async () => {
    const token = await issuer.sign({ email: 'alice@example.com' });
    expect(await rejection(verifier({ usernameClaim: 'upn' }).verify(token))).toBe(
      'the token has no "upn" claim (the configured username claim)',
    );
  });

  it('reads missing groups as no groups, and a single group string as one group', async () => {
    expect((await verifier().verify(await issuer.sign({}))).groups).toEqual([]);
    expect((await verifier().verify(await issuer.sign({ groups: 'devs' }))).groups).toEqual(['devs']);
    expect(await rejection(verifier().verify(await issuer.sign({ groups: [1, 2] })))).toMatch(/not a list/);
  });

  it('discovers the issuer once', async () => {
    const subject = verifier();
    const before = issuer.discoveryRequests;
    await Promise.all([subject.verify(await issuer.sign({})), subject.verify(await issuer.sign({}))]);
    await subject.verify(await issuer.sign({}));
    expect(issuer.discoveryRequests).toBe(before + 1);
    expect(subject.discovered).toBe(true);
  });
});

describe('Entra ID preset', () => {
  const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const clientId = '0d5ad7a8-4a6e-4c2b-9b7c-1f2e3d4c5b6a';

  it('derives issuer, audience, claims and what clients request', () => {
    const trust = resolveTrust({ entra: { tenantId, clientId } });
    expect(trust.issuer).toBe(`https://login.microsoftonline.com/${tenantId}/v2.0`);
    expect(trust.audiences).toContain(clientId);
    expect(trust.usernameClaim).toBe('oid');
    expect(trust.client).toEqual({
      clientId,
      scopes: ['openid', 'profile', 'offline_access', `api://${clientId}/access`],
      bearerToken: 'access_token',
    });
  });

  it('refuses a token in groups overage instead of reading it as "no groups"', async () => {
    // The preset's claim rules, pointed at the local issuer.
    const entra = {
      ...resolveTrust({ entra: { tenantId, clientId } }),
      issuer: issuer.url,
      audiences: [TEST_AUDIENCE],
    };
    const subject = new OidcTokenVerifier(entra);
    const oid = '4b1f7e02-0000-4000-8000-000000000001';

    const normal = await subject.verify(
      await issuer.sign({ oid, preferred_username: 'alice@contoso.com', groups: ['g1'] }),
    );
    expect(normal).toMatchObject({ username: oid, displayName: 'alice@contoso.com', groups: ['g1'] });

    const overage = await issuer.sign({
      oid,
      _claim_names: { groups: 'src1' },
      _claim_sources: { src1: { endpoint: 'https://graph.microsoft.com/v1.0/users/x/getMemberObjects' } },
    });
    expect(await rejection(subject.verify(overage))).toMatch(/too many .*assign fewer groups.*app roles/);
    expect(await rejection(subject.verify(await issuer.sign({ oid, hasgroups: true })))).toMatch(/overage/);
  });
});
