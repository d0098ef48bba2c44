/** Replica-to-replica authentication: only a replica holding the fleet's key, for this replica, once. */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { PEER_KEY_PURPOSE, PeerAuthError, PeerAuthenticator } from '../../src/fleet/peer-auth.js';
import { TicketKeySealer } from '../../src/tickets/ticket-key-sealer.js';

const sealingKey = randomBytes(32);
const keyOf = (key: Buffer) => new TicketKeySealer(key, 'test').deriveKey(PEER_KEY_PURPOSE);

describe('peer authentication', () => {
  it('accepts an assertion of a replica with the same sealing key, for this replica, once', async () => {
    const a = new PeerAuthenticator(keyOf(sealingKey), 'relay-a');
    const b = new PeerAuthenticator(keyOf(sealingKey), 'relay-b');
    const assertion = await a.assertionFor('relay-b');
    expect(await b.verify(assertion)).toBe('relay-a');
    await expect(b.verify(assertion)).rejects.toThrow(/already used/);
  });

  it('refuses an assertion meant for another replica, or made under another key', async () => {
    const a = new PeerAuthenticator(keyOf(sealingKey), 'relay-a');
    const c = new PeerAuthenticator(keyOf(sealingKey), 'relay-c');
    await expect(c.verify(await a.assertionFor('relay-b'))).rejects.toThrow(PeerAuthError);
    const stranger = new PeerAuthenticator(keyOf(randomBytes(32)), 'relay-x');
    await expect(c.verify(await stranger.assertionFor('relay-c'))).rejects.toThrow(/signature/);
  });

  it('refuses an expired assertion and one without an id to remember', async () => {
    const key = keyOf(sealingKey);
    const b = new PeerAuthenticator(key, 'relay-b');
    const old = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('relay-a')
      .setAudience('switchboard-relay-peer:relay-b')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 540)
      .setJti('x')
      .sign(key);
    await expect(b.verify(old)).rejects.toThrow(PeerAuthError);
    const noJti = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('relay-a')
      .setAudience('switchboard-relay-peer:relay-b')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(key);
    await expect(b.verify(noJti)).rejects.toThrow(/jti/);
  });

  it('derives a key of its own from the sealing key, not the sealing key itself', () => {
    expect(keyOf(sealingKey)).toHaveLength(32);
    expect(keyOf(sealingKey).equals(sealingKey)).toBe(false);
    expect(keyOf(sealingKey).equals(keyOf(sealingKey))).toBe(true);
  });
});
