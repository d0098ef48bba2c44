import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.js';
import { withLockFile } from '../files/lock-file.js';
import type { Logger } from '../logging/logger.js';
import { OsKeychain } from './os-keychain.js';
import {
  openTokenCache,
  sealTokenCache,
  TOKEN_CACHE_KEY_BYTES,
  TokenCacheIntegrityError,
} from './token-cache-cipher.js';
import { type StoredTokens, storedTokensSchema, type TokenStore } from './token-store.js';

/** An account name no relay URL can have; reading it is a harmless probe. */
const KEYCHAIN_PROBE_ACCOUNT = 'switchboard-availability-probe';

/**
 * Tokens protected by the OS keychain.
 *
 * Why a keychain-held key plus an encrypted file, rather than the tokens themselves in the
 * keychain (or chunked across several entries):
 * - Windows Credential Manager caps a credential blob at 2560 bytes, and an Entra access token
 *   with group claims alone can exceed that; refresh + ID tokens together routinely do.
 * - Chunking across N entries makes each update N non-atomic writes: a crash or a concurrent
 *   reader between them sees a mix of old and new chunks, which is exactly when refresh-token
 *   rotation must not lose the newest refresh token. One atomic file rename cannot tear.
 * - The same code path runs on every platform, so what the Linux tests exercise is what
 *   Windows and macOS run; the keychain item stays a fixed 44-byte string everywhere.
 * The file is AES-256-GCM ciphertext authenticated with the account id, so without the keychain
 * item (which stays in the keychain, unlocked only for the user) the file is useless. Logout
 * deletes both.
 */
export class KeychainTokenStore implements TokenStore {
  private readonly keychain = new OsKeychain();

  constructor(
    private readonly cacheDirectory: string,
    private readonly logger?: Logger,
  ) {}

  /** Any keychain round trip fails the same way a save would when there is no usable keychain. */
  async assertUsable(): Promise<void> {
    await this.keychain.read(KEYCHAIN_PROBE_ACCOUNT);
  }

  async load(accountId: string): Promise<StoredTokens | undefined> {
    const sealed = await readFile(this.cacheFile(accountId)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!sealed) return undefined;
    const encodedKey = await this.keychain.read(accountId);
    if (!encodedKey) {
      // The keychain item was removed (by the user, or a keychain reset): the file can never be
      // opened again, so it is as good as absent.
      this.logger?.warn(
        { accountId },
        'token cache has no key in the keychain; treating the account as signed out',
      );
      return undefined;
    }
    try {
      const plaintext = openTokenCache(sealed, Buffer.from(encodedKey, 'base64'), accountId);
      return storedTokensSchema.parse(JSON.parse(plaintext.toString('utf8')));
    } catch (error) {
      if (!(error instanceof TokenCacheIntegrityError)) throw error;
      this.logger?.warn(
        { accountId, reason: error.message },
        'unreadable token cache; treating the account as signed out',
      );
      return undefined;
    }
  }

  async save(accountId: string, tokens: StoredTokens): Promise<void> {
    const key = await this.keyFor(accountId);
    const plaintext = Buffer.from(JSON.stringify(storedTokensSchema.parse(tokens)), 'utf8');
    await writeFileAtomic(this.cacheFile(accountId), sealTokenCache(plaintext, key, accountId));
  }

  async remove(accountId: string): Promise<void> {
    await rm(this.cacheFile(accountId), { force: true });
    await this.keychain.delete(accountId);
  }

  exclusively<T>(accountId: string, critical: () => Promise<T>): Promise<T> {
    return withLockFile(`${this.cacheFile(accountId)}.lock`, critical);
  }

  /** The account's key, created on first save. It stays stable so a rotation is one file write. */
  private async keyFor(accountId: string): Promise<Buffer> {
    const encodedKey = await this.keychain.read(accountId);
    if (encodedKey) return Buffer.from(encodedKey, 'base64');
    const key = randomBytes(TOKEN_CACHE_KEY_BYTES);
    await this.keychain.write(accountId, key.toString('base64'));
    return key;
  }

  /** Hashed so the file name reveals nothing about the relay and needs no escaping. */
  private cacheFile(accountId: string): string {
    const name = createHash('sha256').update(accountId).digest('hex').slice(0, 32);
    return join(this.cacheDirectory, `${name}.tokens`);
  }
}
