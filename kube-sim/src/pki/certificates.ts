/**
 * kube-sim's own certificate authority: a serving certificate for the API and client certificates
 * whose CN is the user and whose O entries are the groups, exactly how kube-apiserver reads them.
 * ECDSA P-256 keeps generation instant, so every kube-sim instance gets a fresh CA.
 */
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect polyfill.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const VALIDITY_MS = 365 * 24 * 3600 * 1000;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority extends KeyPairPem {
  issue(request: {
    commonName: string;
    organizations?: string[];
    serverNames?: string[];
  }): Promise<KeyPairPem>;
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  // Positive, non-zero 16-byte serial as RFC 5280 asks.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function distinguishedName(commonName: string, organizations: string[] = []): string {
  const escapeValue = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [...organizations.map((o) => `O=${escapeValue(o)}`), `CN=${escapeValue(commonName)}`].join(', ');
}

export async function createCertificateAuthority(commonName = 'kube-sim-ca'): Promise<CertificateAuthority> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + VALIDITY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });

  return {
    certPem: caCert.toString('pem'),
    keyPem: await exportKey(keys.privateKey),
    async issue({ commonName, organizations, serverNames }) {
      const leafKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
        'sign',
        'verify',
      ])) as webcrypto.CryptoKeyPair;
      const extensions: x509.Extension[] = [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([
          serverNames ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      ];
      if (serverNames) {
        extensions.push(
          new x509.SubjectAlternativeNameExtension(
            serverNames.map((n) =>
              /^[\d.]+$|:/.test(n) ? { type: 'ip', value: n } : { type: 'dns', value: n },
            ),
          ),
        );
      }
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: distinguishedName(commonName, organizations),
        issuer: caCert.subject,
        notBefore,
        notAfter: new Date(notBefore.getTime() + VALIDITY_MS),
        signingAlgorithm: ALGORITHM,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        extensions,
      });
      return { certPem: cert.toString('pem'), keyPem: await exportKey(leafKeys.privateKey) };
    },
  };
}
