/**
 * The local proxy's identity: the CA kubectl trusts (its certificate goes into the kubeconfig as
 * `certificate-authority-data`), the serving certificate and key the proxy presents, and the
 * per-user local credential every request must carry.
 *
 * Decisions:
 * - Persisted, not regenerated per start, so a kubeconfig (and anything a user merged into
 *   ~/.kube/config) stays valid across restarts, crashes and `kill -9`.
 * - The CA's private key is never stored anywhere, not even encrypted: it exists only in memory
 *   while the serving certificate is signed, then is dropped. Nobody can mint another certificate
 *   under this CA afterwards, so trusting it (only for the 127.0.0.1 proxy, only via our
 *   kubeconfig) trusts exactly one certificate. When that certificate nears expiry a fresh CA and
 *   certificate are made and the kubeconfig rewritten.
 * - The serving key and the local credential are secrets: they are sealed (AES-256-GCM) with a key
 *   held in the OS keychain, exactly like the token cache (`token-store/`), and never written in
 *   plaintext. (The credential also appears in the 0600 kubeconfig, as the architecture requires:
 *   that file is the credential's consumer, the sealed file its source of truth.)
 * - ECDSA P-256 everywhere: instant to generate, accepted by every Kubernetes client.
 */
import 'reflect-metadata';
import { createHash, randomBytes, timingSafeEqual, webcrypto } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { Logger } from '../logging/logger.js';
import { OsKeychain } from '../token-store/os-keychain.js';
import {
  openTokenCache,
  sealTokenCache,
  TOKEN_CACHE_KEY_BYTES,
  TokenCacheIntegrityError,
} from '../token-store/token-cache-cipher.js';

x509.cryptoProvider.set(webcrypto as never);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const VALIDITY_MS = 825 * 24 * 3600 * 1000;
/** Renew when less than this is left, so a certificate never expires under a running proxy. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
/** Names the serving certificate is valid for: the proxy only ever listens on loopback. */
export const LOCAL_PROXY_SERVER_NAMES = ['127.0.0.1', 'localhost', '::1'];

export const localIdentitySchema = z.object({
  version: z.literal(1),
  caCertPem: z.string(),
  servingCertPem: z.string(),
  servingKeyPem: z.string(),
  /** 256 random bits, base64url: the bearer token kubectl presents to the proxy. */
  credential: z.string().min(43),
  /** Epoch milliseconds after which the serving certificate is invalid. */
  notAfter: z.number(),
});
export type LocalIdentity = z.infer<typeof localIdentitySchema>;

/** Where the identity lives between runs. */
export interface LocalIdentityStore {
  load(): Promise<LocalIdentity | undefined>;
  save(identity: LocalIdentity): Promise<void>;
  remove(): Promise<void>;
}

/** Generates a CA (whose key is then discarded), a serving certificate for loopback, and a credential. */
export async function generateLocalIdentity(now = Date.now()): Promise<LocalIdentity> {
  const generate = async () =>
    (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const [caKeys, servingKeys] = await Promise.all([generate(), generate()]);
  const notBefore = new Date(now - 60_000);
  const notAfter = new Date(now + VALIDITY_MS);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Switchboard local proxy CA ${randomBytes(4).toString('hex')}`,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [
      // pathLen 0: even with the key, it could not sign intermediate CAs.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const servingCert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=127.0.0.1',
    issuer: caCert.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: servingKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      new x509.SubjectAlternativeNameExtension(
        LOCAL_PROXY_SERVER_NAMES.map((name) =>
          /^[\d.]+$|:/.test(name) ? { type: 'ip', value: name } : { type: 'dns', value: name },
        ),
      ),
    ],
  });
  // caKeys.privateKey goes out of scope here and is never exported.
  return {
    version: 1,
    caCertPem: caCert.toString('pem'),
    servingCertPem: servingCert.toString('pem'),
    servingKeyPem: await exportKeyPem(servingKeys.privateKey),
    credential: randomBytes(32).toString('base64url'),
    notAfter: notAfter.getTime(),
  };
}

/** The stored identity, or a new one (stored) when there is none or it is close to expiry. */
export async function loadOrCreateLocalIdentity(
  store: LocalIdentityStore,
  now = Date.now(),
): Promise<{ identity: LocalIdentity; created: boolean }> {
  const stored = await store.load();
  if (stored && stored.notAfter - now > RENEW_BEFORE_MS) return { identity: stored, created: false };
  const identity = await generateLocalIdentity(now);
  await store.save(identity);
  return { identity, created: true };
}

/** Constant-time comparison of a presented credential with the expected one (hashed first: equal lengths). */
export function credentialMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

const KEYCHAIN_ACCOUNT = 'switchboard-local-proxy';

/**
 * The identity sealed with a keychain-held key (`<directory>/identity.sealed`), the same scheme
 * as the token cache: without the keychain item the file is useless.
 */
export class KeychainLocalIdentityStore implements LocalIdentityStore {
  private readonly keychain = new OsKeychain();
  private readonly file: string;

  constructor(
    directory: string,
    private readonly logger?: Logger,
  ) {
    this.file = join(directory, 'identity.sealed');
  }

  async load(): Promise<LocalIdentity | undefined> {
    const sealed = await readFile(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!sealed) return undefined;
    const encodedKey = await this.keychain.read(KEYCHAIN_ACCOUNT);
    if (!encodedKey) {
      this.logger?.warn('local proxy identity has no key in the keychain; generating a new one');
      return undefined;
    }
    try {
      const plaintext = openTokenCache(sealed, Buffer.from(encodedKey, 'base64'), KEYCHAIN_ACCOUNT);
      const parsed = localIdentitySchema.safeParse(JSON.parse(plaintext.toString('utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      if (!(error instanceof TokenCacheIntegrityError) && !(error instanceof SyntaxError)) throw error;
      this.logger?.warn('unreadable local proxy identity; generating a new one');
      return undefined;
    }
  }

  async save(identity: LocalIdentity): Promise<void> {
    let encodedKey = await this.keychain.read(KEYCHAIN_ACCOUNT);
    if (!encodedKey) {
      encodedKey = randomBytes(TOKEN_CACHE_KEY_BYTES).toString('base64');
      await this.keychain.write(KEYCHAIN_ACCOUNT, encodedKey);
    }
    const plaintext = Buffer.from(JSON.stringify(localIdentitySchema.parse(identity)), 'utf8');
    await writeFileAtomic(
      this.file,
      sealTokenCache(plaintext, Buffer.from(encodedKey, 'base64'), KEYCHAIN_ACCOUNT),
    );
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
    await this.keychain.delete(KEYCHAIN_ACCOUNT);
  }
}

/** Memory only (tests, the demo): a new identity each process. */
export class EphemeralLocalIdentityStore implements LocalIdentityStore {
  private identity: LocalIdentity | undefined;
  async load(): Promise<LocalIdentity | undefined> {
    return this.identity;
  }
  async save(identity: LocalIdentity): Promise<void> {
    this.identity = identity;
  }
  async remove(): Promise<void> {
    this.identity = undefined;
  }
}

async function exportKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
