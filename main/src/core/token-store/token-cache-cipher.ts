import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The cache file failed authentication: tampered with, truncated, or written for another account. */
export class TokenCacheIntegrityError extends Error {
  override readonly name = 'TokenCacheIntegrityError';
}

export const TOKEN_CACHE_KEY_BYTES = 32;
const FORMAT_MAGIC = Buffer.from('SBT1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with the account id as additional authenticated data, so a cache file copied over
 * another account's file fails to open instead of silently swapping identities.
 * Layout: "SBT1" | 12-byte IV | 16-byte tag | ciphertext. A fresh random IV per write.
 */
export function sealTokenCache(plaintext: Uint8Array, key: Uint8Array, accountId: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(accountId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([FORMAT_MAGIC, iv, cipher.getAuthTag(), ciphertext]);
}

export function openTokenCache(sealed: Uint8Array, key: Uint8Array, accountId: string): Buffer {
  const data = Buffer.from(sealed);
  const headerBytes = FORMAT_MAGIC.length + IV_BYTES + TAG_BYTES;
  if (data.length < headerBytes || !data.subarray(0, FORMAT_MAGIC.length).equals(FORMAT_MAGIC)) {
    throw new TokenCacheIntegrityError('the token cache file is not in a format this version understands');
  }
  const iv = data.subarray(FORMAT_MAGIC.length, FORMAT_MAGIC.length + IV_BYTES);
  const tag = data.subarray(FORMAT_MAGIC.length + IV_BYTES, headerBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(accountId, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data.subarray(headerBytes)), decipher.final()]);
  } catch {
    throw new TokenCacheIntegrityError('the token cache file failed authentication');
  }
}
