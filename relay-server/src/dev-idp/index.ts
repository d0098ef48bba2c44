/**
 * `--dev-idp`: an OpenID provider embedded in the relay, for demos and tests. It is
 * oidc-provider (a certified implementation) configured for Switchboard's clients: the desktop
 * app and CLI sign in with authorization code + PKCE or the device code grant and refresh with
 * rotating refresh tokens; CI service principals use client credentials. Every access token is
 * a JWT for the relay's resource, carrying `preferred_username` and `groups`.
 *
 * Signing keys and cookie keys are generated at every start and held only in memory, as are
 * browser sessions and sign-ins in progress; refresh tokens (hashed) and grants are kept in the
 * relay's registry, so signed-in apps renew their tokens after a restart (`storage.ts`). The relay
 * decides whether it runs at all, and prints `DEV_IDP_BANNER` when it does.
 */
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';
import { createInteractionHandler } from './interactions.js';
import { generateSigningJwks } from './keys.js';
import { INTERACTION_SEGMENT, issuerPrefix, mountProvider } from './mount.js';
import { providerConfiguration } from './provider-config.js';
import { devIdpStorage } from './storage.js';
import type { DevIdp, DevIdpOptions } from './types.js';
import { DEV_IDP_DEMO_USERS } from './users.js';

export { DEV_IDP_LOOPBACK_REDIRECT_URIS } from './provider-config.js';
export type { DevIdp, DevIdpOptions, DevIdpServiceClient, DevIdpUser } from './types.js';
export { DEV_IDP_DEMO_USERS, type DevIdpUsersFile, loadDevIdpUsersFile } from './users.js';

export const DEV_IDP_BANNER = [
  '************************************************************************************',
  '* WARNING: the built-in development identity provider (--dev-idp) is ON.           *',
  '* Anyone who knows a password or client secret from its users file (or a demo      *',
  "* user's password) can sign in. Its keys and browser sessions live in memory and   *",
  '* are lost at every restart; signed-in apps renew their tokens after one.          *',
  '* Use it for demos and tests only; configure a real OpenID provider otherwise.     *',
  '************************************************************************************',
].join('\n');

const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 600;

function checkOptions(options: DevIdpOptions): void {
  const issuer = URL.parse(options.issuer);
  if (!issuer || !['http:', 'https:'].includes(issuer.protocol) || issuer.search || issuer.hash) {
    throw new Error(
      `dev-idp: issuer must be an http(s) URL without query or fragment, got "${options.issuer}"`,
    );
  }
  if (!URL.parse(options.resource)) {
    throw new Error(`dev-idp: resource must be an absolute URI, got "${options.resource}"`);
  }
  const ttl = options.accessTokenTtlSeconds;
  if (ttl !== undefined && (!Number.isSafeInteger(ttl) || ttl <= 0)) {
    throw new Error(`dev-idp: accessTokenTtlSeconds must be a positive integer, got ${ttl}`);
  }
  const clientIds = [options.publicClientId, ...(options.serviceClients ?? []).map((s) => s.clientId)];
  const duplicate = clientIds.find((id, index) => clientIds.indexOf(id) !== index);
  if (duplicate !== undefined) throw new Error(`dev-idp: client id "${duplicate}" is used twice`);
  const usernames = options.users.map((user) => user.username);
  const duplicateUser = usernames.find((name, index) => usernames.indexOf(name) !== index);
  if (duplicateUser !== undefined) throw new Error(`dev-idp: username "${duplicateUser}" is used twice`);
}

export async function createDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  checkOptions(options);
  const users = options.users.length > 0 ? options.users : DEV_IDP_DEMO_USERS;
  const interactionPath = (uid: string) => `${issuerPrefix(options.issuer)}${INTERACTION_SEGMENT}${uid}`;
  const usersByName = new Map(users.map((user) => [user.username, user]));

  const provider = new Provider(
    options.issuer,
    providerConfiguration({
      users: usersByName,
      serviceClients: new Map((options.serviceClients ?? []).map((service) => [service.clientId, service])),
      publicClientId: options.publicClientId,
      resource: options.resource,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
      jwks: await generateSigningJwks(),
      adapter: devIdpStorage(options.records),
      // Per start, so cookies signed by an earlier run (or another relay) are never accepted.
      cookieKeys: [randomBytes(32).toString('base64url')],
      interactionPath,
    }),
  );
  const mount = mountProvider(
    options.issuer,
    provider,
    createInteractionHandler(provider, usersByName, interactionPath),
  );

  return {
    issuer: options.issuer,
    handler: mount.handler,
    close: async () => mount.close(),
  };
}
