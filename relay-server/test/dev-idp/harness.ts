/**
 * Real parts for the dev-idp tests: the provider mounted under `/dev-idp` of a plain HTTP server
 * (as the relay mounts it), a loopback redirect server like the desktop app's, openid-client as
 * the client (the pages a person uses are driven in test-support's headless Chromium).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { createDevIdp, type DevIdpOptions } from '../../src/dev-idp/index.js';

export const PUBLIC_CLIENT_ID = 'switchboard-cli';
export const RESOURCE = 'https://relay.switchboard.test';
export const USERS = [
  {
    username: 'alice',
    password: 'correct horse battery staple',
    email: 'alice@example.com',
    name: 'Alice Example',
    groups: ['switchboard-admins', 'developers'],
  },
  { username: 'bob', password: 'bob-password', groups: ['developers'] },
];
export const SERVICE_CLIENT = {
  clientId: 'ci-deployer',
  clientSecret: 'ci-deployer-secret-0123456789abcdef',
  username: 'ci-deployer-bot',
  groups: ['ci', 'deployers'],
};

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface RunningIdp {
  issuer: string;
  /** Origin of the server the provider is mounted in (the "relay"). */
  origin: string;
  close(): Promise<void>;
}

/** Starts the provider at `http://127.0.0.1:<port>/dev-idp`; other paths of the server answer 404 by themselves. */
export async function startIdp(overrides: Partial<DevIdpOptions> = {}): Promise<RunningIdp> {
  let idpHandler: http.RequestListener | undefined;
  const server = http.createServer((req, res) => {
    if (idpHandler && (req.url === '/dev-idp' || req.url?.startsWith('/dev-idp/'))) {
      idpHandler(req, res);
    } else {
      res.writeHead(404).end('not the dev-idp');
    }
  });
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  const idp = await createDevIdp({
    issuer: `${origin}/dev-idp`,
    users: USERS,
    publicClientId: PUBLIC_CLIENT_ID,
    serviceClients: [SERVICE_CLIENT],
    resource: RESOURCE,
    ...overrides,
  });
  idpHandler = idp.handler;
  return {
    issuer: idp.issuer,
    origin,
    close: async () => {
      await idp.close();
      await closeServer(server);
    },
  };
}

export interface LoopbackCallback {
  redirectUri: string;
  /** Resolves with the full URL the browser was redirected to. */
  received: Promise<URL>;
  /** Whether any request reached the callback so far. */
  hit(): boolean;
  close(): Promise<void>;
}

/** The desktop app's side of RFC 8252: a one-shot redirect listener on an ephemeral loopback port. */
export async function startLoopbackCallback(): Promise<LoopbackCallback> {
  let resolveReceived!: (url: URL) => void;
  const received = new Promise<URL>((resolve) => {
    resolveReceived = resolve;
  });
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    const port = (server.address() as AddressInfo).port;
    resolveReceived(new URL(req.url ?? '/', `http://127.0.0.1:${port}`));
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<h1>Signed in</h1><p>You can close this window.</p>');
  });
  const port = await listen(server);
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    received,
    hit: () => hits > 0,
    close: () => closeServer(server),
  };
}

export function discoverPublicClient(issuer: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), PUBLIC_CLIENT_ID, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

export function discoverServiceClient(issuer: string, secret: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), SERVICE_CLIENT.clientId, undefined, oidc.ClientSecretBasic(secret), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** Fills the dev-idp sign-in page the way a person would: by the labels. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('heading', { name: 'Switchboard dev identity provider' }).waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export interface AuthorizationRequest {
  url: URL;
  codeVerifier: string;
  nonce: string;
}

/** An authorization code + PKCE (S256) request as the desktop app makes it. */
export async function authorizationRequest(
  config: oidc.Configuration,
  redirectUri: string,
): Promise<AuthorizationRequest> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    nonce,
    resource: RESOURCE,
  });
  return { url, codeVerifier, nonce };
}

/** Runs a whole browser sign-in for `user` and redeems the code. */
export async function signInWithBrowser(
  browser: Browser,
  config: oidc.Configuration,
  user: { username: string; password: string },
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const callback = await startLoopbackCallback();
  const context = await browser.newContext();
  try {
    const request = await authorizationRequest(config, callback.redirectUri);
    const page = await context.newPage();
    await page.goto(request.url.href);
    await signIn(page, user.username, user.password);
    return await oidc.authorizationCodeGrant(config, await callback.received, {
      pkceCodeVerifier: request.codeVerifier,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
  } finally {
    await context.close();
    await callback.close();
  }
}
