import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONFIGURATION_PATH, type SwitchboardConfiguration } from '@switchboard/relay-server/contract';
import { createDevIdp, type DevIdp, type DevIdpUser } from '../../../relay-server/src/dev-idp/index.js';

export const TEST_USERS: DevIdpUser[] = [
  {
    username: 'alice',
    password: 'alice-password',
    email: 'alice@example.com',
    groups: ['switchboard-admins', 'developers'],
  },
  { username: 'bob', password: 'bob-password', groups: ['developers'] },
];
export const SERVICE_CLIENT = {
  clientId: 'ci-deployer',
  clientSecret: 'ci-deployer-secret-value',
  username: 'ci-bot',
  groups: ['ci'],
};

/**
 * A relay's sign-in surface for tests: the real embedded OpenID provider (dev-idp, oidc-provider)
 * mounted at `<relay>/dev-idp`, and `/.well-known/switchboard-configuration` built with the
 * relay's contract. It counts token-endpoint requests, so tests can see single-flight renewal.
 */
export interface DevRelay {
  url: string;
  configuration: SwitchboardConfiguration;
  tokenEndpointRequests: number;
  /** Restarts the provider in place: every grant and refresh token it issued is forgotten. */
  restartIdentityProvider(): Promise<void>;
  close(): Promise<void>;
}

export async function startDevRelay(options: { accessTokenTtlSeconds?: number } = {}): Promise<DevRelay> {
  let identityProvider: DevIdp | undefined;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    if (path === CONFIGURATION_PATH) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(relay.configuration));
      return;
    }
    if (path.startsWith('/dev-idp/') && identityProvider) {
      if (request.method === 'POST' && path === '/dev-idp/token') relay.tokenEndpointRequests++;
      identityProvider.handler(request, response);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/problem+json' });
    response.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const startProvider = () =>
    createDevIdp({
      issuer: `${url}/dev-idp`,
      users: TEST_USERS,
      publicClientId: 'switchboard-cli',
      serviceClients: [SERVICE_CLIENT],
      resource: url,
      ...(options.accessTokenTtlSeconds !== undefined && {
        accessTokenTtlSeconds: options.accessTokenTtlSeconds,
      }),
    });
  identityProvider = await startProvider();

  const relay: DevRelay = {
    url,
    configuration: {
      relayVersion: 'test',
      issuer: `${url}/dev-idp`,
      clientId: 'switchboard-cli',
      scopes: ['openid', 'profile', 'email'],
      resource: url,
      bearerToken: 'access_token',
    },
    tokenEndpointRequests: 0,
    async restartIdentityProvider() {
      await identityProvider?.close();
      identityProvider = await startProvider();
    },
    async close() {
      await identityProvider?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return relay;
}
