/** Identity tickets and key announcements: what the agent accepts, and every way it refuses. */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { agentRequestOpenSchema, type TicketKeys } from '@switchboard/contract/tunnel';
import { base64url, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  importSigningKey,
  signIdentityTicket,
  signKeyAnnouncement,
  type TicketSigningKey,
  type TicketSubject,
  verifyIdentityTicket,
  verifyKeyAnnouncement,
} from '../src/identity-ticket.js';

const ISSUER = 'https://relay.example';

async function newKey(): Promise<TicketSigningKey> {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return importSigningKey({ ...jwk, kid: `stk_${randomBytes(6).toString('hex')}` } as JWK);
}

const subject = (overrides: Partial<TicketSubject> = {}): TicketSubject => ({
  cluster: 'prod',
  username: 'alice',
  groups: ['devs'],
  requestId: 'req-1',
  mode: 'impersonate',
  tokenExpiresAt: new Date(Date.now() + 3_600_000),
  ...overrides,
});

const keysOf = (...keys: TicketSigningKey[]): TicketKeys => ({
  issuer: ISSUER,
  keys: keys.map((key) => key.publicJwk),
});

describe('identity tickets', () => {
  it('verify for the pinned key, this cluster and this stream; exp is capped at 5 minutes', async () => {
    const key = await newKey();
    const now = Date.now();
    const ticket = await signIdentityTicket(key, ISSUER, subject(), now);
    const claims = await verifyIdentityTicket(ticket, {
      keys: keysOf(key),
      cluster: 'prod',
      requestId: 'req-1',
      now,
    });
    expect(claims).toMatchObject({
      iss: ISSUER,
      aud: 'prod',
      sub: 'alice',
      groups: ['devs'],
      mode: 'impersonate',
    });
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims.tokenExp).toBeGreaterThan(claims.exp);
    // Never after the user's token.
    const soon = new Date(now + 60_000);
    const short = await signIdentityTicket(key, ISSUER, subject({ tokenExpiresAt: soon }), now);
    const shortClaims = await verifyIdentityTicket(short, {
      keys: keysOf(key),
      cluster: 'prod',
      requestId: 'req-1',
      now,
    });
    expect(shortClaims.exp).toBe(Math.floor(soon.getTime() / 1000));
  });

  it('the largest identity the validator passes fits the agent OPEN', async () => {
    const key = await newKey();
    // Close to 8192 bytes of username and groups as JSON (MAX_IDENTITY_BYTES), two bytes a letter.
    const fitting = Array.from({ length: 16 }, (_, i) => `${i}`.padEnd(250, 'é'));
    const ticket = await signIdentityTicket(
      key,
      ISSUER,
      subject({ username: 'u'.repeat(64), groups: fitting }),
      Date.now(),
    );
    const open = agentRequestOpenSchema.parse({ type: 'request', ticket, requestId: 'req-1' });
    expect(Buffer.byteLength(JSON.stringify(open))).toBeLessThan(16 * 1024);
    expect(Buffer.byteLength(JSON.stringify(['u'.repeat(64), ...fitting]))).toBeLessThanOrEqual(8192);
  });

  it('refuses a wrong audience, stream, key, typ, algorithm, lifetime, claim set, or an expired ticket', async () => {
    const key = await newKey();
    const other = await newKey();
    const now = Date.now();
    const iat = Math.floor(now / 1000);
    const expect_ = { keys: keysOf(key), cluster: 'prod', requestId: 'req-1', now };
    const good = await signIdentityTicket(key, ISSUER, subject(), now);
    const claims = { groups: ['devs'], requestId: 'req-1', mode: 'impersonate', tokenExp: iat + 3600 };
    const forge = (header: Record<string, unknown>, body: Record<string, unknown> = {}, signer = key) =>
      new SignJWT({ ...claims, ...body })
        .setProtectedHeader({
          alg: 'EdDSA',
          typ: 'switchboard-ticket+jwt',
          kid: signer.kid,
          ...header,
        } as never)
        .setIssuer(ISSUER)
        .setAudience('prod')
        .setSubject('alice')
        .setIssuedAt(iat)
        .setExpirationTime((body.exp as number | undefined) ?? iat + 120)
        .setJti(randomBytes(16).toString('base64url'))
        .sign(signer.privateKey);
    const [headerPart, payloadPart] = good.split('.');
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'switchboard-ticket+jwt', kid: key.kid }))}.${payloadPart}.`;
    // HS256 keyed with the public key's bytes: the classic confusion.
    const hmac = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'switchboard-ticket+jwt', kid: key.kid })
      .setIssuer(ISSUER)
      .setAudience('prod')
      .setSubject('alice')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 120)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(new TextEncoder().encode(JSON.stringify(key.publicJwk)));

    const cases: Array<[string, Promise<string> | string, Partial<typeof expect_>, RegExp]> = [
      ['another cluster', signIdentityTicket(key, ISSUER, subject({ cluster: 'staging' }), now), {}, /aud/],
      ['another stream', good, { requestId: 'req-2' }, /another stream/],
      ['a key not pinned', signIdentityTicket(other, ISSUER, subject(), now), {}, /does not pin/],
      ['a known kid, signed by another key', forge({ kid: key.kid }, {}, other), {}, /signature/],
      ['an unknown issuer', signIdentityTicket(key, 'https://evil.example', subject(), now), {}, /iss/],
      ['a JWT of another type', forge({ typ: 'JWT' }), {}, /typ/],
      ['no typ', forge({ typ: undefined }), {}, /typ/],
      ['alg none', unsigned, {}, /invalid/],
      ['HS256 with the public key', hmac, {}, /algorithm not allowed|invalid/],
      ['expired', good, { now: now + 400_000 }, /expired/],
      ['issued in the future', good, { now: now - 120_000 }, /future|iat/],
      ['a lifetime over 300 s', forge({}, { exp: iat + 301 }), {}, /longer than 300/],
      ['exp after the user token', forge({}, { tokenExp: iat + 60 }), {}, /outlives/],
      ['a uid claim', forge({}, { uid: '0' }), {}, /malformed/],
      ['an extra claim', forge({}, { extra: { scopes: ['all'] } }), {}, /malformed/],
      [
        'a tampered payload',
        `${headerPart}.${base64url.encode(JSON.stringify({ ...claims, sub: 'admin' }))}.${good.split('.')[2]}`,
        {},
        /signature|invalid/,
      ],
    ];
    for (const [why, ticket, overrides, message] of cases) {
      const outcome = await verifyIdentityTicket(await ticket, { ...expect_, ...overrides }).then(
        () => `${why}: accepted`,
        (error: Error) => error.message,
      );
      expect(outcome, why).toMatch(message);
    }
  });
});

describe('key announcements', () => {
  it('verify when one signature is by a pinned key; refuse otherwise', async () => {
    const [old, next, stranger] = await Promise.all([newKey(), newKey(), newKey()]);
    const announced = keysOf(old, next);
    const announcement = await signKeyAnnouncement(announced, [old, next], Date.now());
    expect(await verifyKeyAnnouncement(announcement, keysOf(old))).toMatchObject({ ticketKeys: announced });
    expect(await verifyKeyAnnouncement(announcement, keysOf(next))).toMatchObject({ ticketKeys: announced });
    await expect(verifyKeyAnnouncement(announcement, keysOf(stranger))).rejects.toThrow(/no signature/);

    // Signed by a stranger who put a pinned kid in the header.
    const forged = await signKeyAnnouncement(keysOf(stranger), [{ ...stranger, kid: old.kid }], Date.now());
    await expect(verifyKeyAnnouncement(forged, keysOf(old))).rejects.toThrow(/no signature/);
    // A payload swapped under a genuine signature.
    const swapped = { ...announcement, payload: forged.payload };
    await expect(verifyKeyAnnouncement(swapped, keysOf(old, next))).rejects.toThrow(/no signature/);
  });
});
