/**
 * A small real OpenID issuer: discovery + JWKS over HTTP on loopback, tokens signed with jose. The
 * real relay trusts it in tests; agents never see its tokens (they get the relay's identity tickets).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export const AUDIENCE = 'switchboard-test';

export class TestIssuer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
  ) {}

  static async start(): Promise<TestIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    let url = '';
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }));
      } else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [publicJwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new TestIssuer(server, url, privateKey, publicJwk);
  }

  token(
    claims: { preferred_username: string; groups?: string[]; [claim: string]: unknown },
    options: { expiresInSeconds?: number; audience?: string } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(this.url)
      .setSubject(claims.preferred_username)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt(now - 5)
      .setExpirationTime(now + (options.expiresInSeconds ?? 600))
      .sign(this.privateKey);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
