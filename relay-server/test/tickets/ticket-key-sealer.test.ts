/**
 * Sealing a ticket key: AES-256-GCM with a fresh nonce per key, the format version and the key id
 * authenticated, so a sealed key opens only under its own kid, unaltered, with the same sealing key.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TicketKeySealer, UnopenableTicketKeyError } from '../../src/tickets/ticket-key-sealer.js';

const PRIVATE_JWK = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'x-value', d: 'd-value', kid: 'stk_a' });

describe('ticket key sealer', () => {
  const sealer = new TicketKeySealer(randomBytes(32), '/data/sealing.key');

  it('seals with a fresh nonce each time and opens what it sealed', () => {
    const first = sealer.seal('stk_a', PRIVATE_JWK);
    const second = sealer.seal('stk_a', PRIVATE_JWK);
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('d-value');
    expect(Buffer.from(first.slice(3), 'base64url').toString('latin1')).not.toContain('d-value');
    expect(sealer.open('stk_a', first)).toBe(PRIVATE_JWK);
    expect(sealer.open('stk_a', second)).toBe(PRIVATE_JWK);
  });

  it('refuses another kid, an altered byte, another format version and another sealing key', () => {
    const sealed = sealer.seal('stk_a', PRIVATE_JWK);
    const refused =
      (kid: string, text: string, by = sealer) =>
      () =>
        by.open(kid, text);
    expect(refused('stk_b', sealed)).toThrow(UnopenableTicketKeyError);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    for (const offset of [0, 12, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[offset]! ^= 1;
      expect(refused('stk_a', `v1.${altered.toString('base64url')}`)).toThrow(UnopenableTicketKeyError);
    }
    expect(refused('stk_a', `v2${sealed.slice(2)}`)).toThrow(UnopenableTicketKeyError);
    expect(refused('stk_a', 'v1.')).toThrow(UnopenableTicketKeyError);
    expect(refused('stk_a', PRIVATE_JWK)).toThrow(UnopenableTicketKeyError);
    const other = new TicketKeySealer(randomBytes(32), '/etc/other.key');
    expect(refused('stk_a', sealed, other)).toThrow(
      'ticket key stk_a in the registry does not open with the sealing key from /etc/other.key',
    );
  });

  it('takes only a 32-byte key', () => {
    expect(() => new TicketKeySealer(randomBytes(16), 'short')).toThrow('a sealing key is 32 bytes, not 16');
  });
});
