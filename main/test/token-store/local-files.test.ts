import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../src/core/accounts/account-registry.js';
import { createLogger } from '../../src/core/logging/logger.js';
import { EphemeralTokenStore } from '../../src/core/token-store/ephemeral-token-store.js';
import { openTokenCache, sealTokenCache } from '../../src/core/token-store/token-cache-cipher.js';
import { sampleTokens } from '../support/sample-tokens.js';

describe('account registry (the non-secret config file)', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchboard-registry-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('remembers relays and the default, in a 0600 file written atomically', async () => {
    const registry = new AccountRegistry(join(directory, 'config'));
    await expect(registry.selectRelay(undefined)).rejects.toThrow(/no relay selected/);
    await registry.addSignedIn('https://a.example.com');
    await registry.addSignedIn('https://b.example.com');
    expect(await registry.selectRelay(undefined)).toBe('https://b.example.com');
    expect(await registry.selectRelay('https://a.example.com')).toBe('https://a.example.com');
    expect((await stat(join(directory, 'config', 'config.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'config'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(directory, 'config'))).toEqual(['config.json']); // no temp files left

    await registry.remove('https://b.example.com');
    expect(await registry.selectRelay(undefined)).toBe('https://a.example.com');
    expect(JSON.parse(await readFile(join(directory, 'config', 'config.json'), 'utf8'))).toEqual({
      defaultRelay: 'https://a.example.com',
      relays: ['https://a.example.com'],
    });
  });
});

describe('token cache cipher', () => {
  it('round-trips, and fails on a different key, account or a flipped bit', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = sealTokenCache(Buffer.from('secret tokens'), key, 'https://a');
    expect(openTokenCache(sealed, key, 'https://a').toString()).toBe('secret tokens');
    expect(sealed.includes(Buffer.from('secret tokens'))).toBe(false);
    expect(() => openTokenCache(sealed, Buffer.alloc(32, 8), 'https://a')).toThrow(/failed authentication/);
    expect(() => openTokenCache(sealed, key, 'https://b')).toThrow(/failed authentication/);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => openTokenCache(tampered, key, 'https://a')).toThrow(/failed authentication/);
  });
});

describe('logger', () => {
  it('redacts token fields, also nested ones', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', destination);
    const tokens = sampleTokens('https://a.example.com');
    logger.info(
      {
        tokens,
        response: { access_token: 'at-value', refresh_token: 'rt-value' },
        headers: { authorization: 'Bearer x' },
      },
      'x',
    );
    const line = lines.join('');
    for (const secret of [
      tokens.accessToken,
      tokens.refreshToken!,
      tokens.idToken!,
      'at-value',
      'rt-value',
      'Bearer x',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });
});

describe('EphemeralTokenStore', () => {
  it('keeps copies in memory only', async () => {
    const store = new EphemeralTokenStore();
    const tokens = sampleTokens('https://a.example.com');
    await store.save('https://a.example.com', tokens);
    const loaded = await store.load('https://a.example.com');
    expect(loaded).toEqual(tokens);
    expect(loaded).not.toBe(tokens);
    await store.remove('https://a.example.com');
    expect(await store.load('https://a.example.com')).toBeUndefined();
  });
});
