/**
 * A real (small) OpenID issuer for tests: serves a discovery document and a JWKS over HTTP on
 * loopback, counts requests, and signs tokens with its keys using jose.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

export const TEST_AUDIENCE = 'switchboard-test';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface SignOptions {
  /** Sign with this published key (default: the first). */
  kid?: string;
  /** Leave `exp` out, or move the lifetime (seconds relative to now). */
  expiresIn?: number | null;
  notBefore?: number;
  issuer?: string;
  audience?: string | string[];
}

export class TestIssuer {
  jwksRequests = 0;
  discoveryRequests = 0;
  private readonly keys: SigningKey[] = [];
  private readonly unpublished = new Map<string, SigningKey>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestIssuer> {
    let issuer: TestIssuer | undefined;
    const server = createServer((req, res) => issuer!.handle(req.url ?? '', res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = new TestIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await issuer.addKey('key-1');
    return issuer;
  }

  /** Publishes a new signing key. */
  async addKey(kid: string, alg = 'RS256'): Promise<void> {
    this.keys.push(await createKey(kid, alg));
  }

  /** A key the issuer signs with but does not publish (an attacker's, or a not-yet-rotated one). */
  async addUnpublishedKey(kid: string, alg = 'RS256'): Promise<void> {
    this.unpublished.set(kid, await createKey(kid, alg));
  }

  publicJwk(kid = 'key-1'): JWK {
    return this.key(kid).publicJwk;
  }

  async sign(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
    const key = this.key(options.kid ?? this.keys[0]!.kid);
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ sub: 'alice', ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.url)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setIssuedAt(now);
    if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 300));
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(key.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private key(kid: string): SigningKey {
    const key = this.keys.find((candidate) => candidate.kid === kid) ?? this.unpublished.get(kid);
    if (!key) throw new Error(`no test key ${kid}`);
    return key;
  }

  private handle(url: string, res: import('node:http').ServerResponse): void {
    if (url === '/.well-known/openid-configuration') {
      this.discoveryRequests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: this.url, jwks_uri: `${this.url}/jwks` }));
    } else if (url === '/jwks') {
      this.jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: this.keys.map((key) => key.publicJwk) }));
    } else {
      res.writeHead(404).end();
    }
  }
}

async function createKey(kid: string, alg: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}
