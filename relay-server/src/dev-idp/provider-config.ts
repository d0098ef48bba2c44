/**
 * oidc-provider configuration of the dev identity provider: clients, grants, claims, token
 * formats and lifetimes, and the pages the provider renders itself. All OAuth and OpenID
 * protocol work is oidc-provider's; this module only states the policy.
 */

import type { JWK } from 'jose';
import type {
  Account,
  AccountClaims,
  AdapterFactory,
  ClientMetadata,
  Configuration,
  KoaContextWithOIDC,
  ResourceServer,
} from 'oidc-provider';
import { errors } from 'oidc-provider';
import { SIGNING_ALG } from './keys.js';
import type { DevIdpServiceClient, DevIdpUser } from './types.js';
import {
  deviceSuccessPage,
  errorPage,
  logoutPage,
  logoutSuccessPage,
  PAGE_HEADERS,
  userCodeConfirmPage,
  userCodeInputPage,
} from './views.js';

/**
 * Redirect URIs of the public client. oidc-provider lets native clients use any port on a
 * registered loopback URI (RFC 8252 §7.3), so the desktop app and CLI can listen on an
 * ephemeral port; the path must be one of these.
 */
export const DEV_IDP_LOOPBACK_REDIRECT_URIS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'].flatMap(
  (host) => [`http://${host}/`, `http://${host}/callback`],
);

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface ProviderSettings {
  users: ReadonlyMap<string, DevIdpUser>;
  serviceClients: ReadonlyMap<string, DevIdpServiceClient>;
  publicClientId: string;
  resource: string;
  accessTokenTtlSeconds: number;
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  /** Where the provider keeps its records (`storage.ts`). */
  adapter: AdapterFactory;
  /** Absolute path of the sign-in page of an interaction (the provider is mounted under a prefix). */
  interactionPath: (uid: string) => string;
}

/** What the relay reads from a user: the same claims in ID tokens and access tokens. */
function userClaims(user: DevIdpUser): AccountClaims {
  return {
    sub: user.username,
    preferred_username: user.username,
    groups: user.groups,
    ...(user.email === undefined ? {} : { email: user.email }),
    ...(user.name === undefined ? {} : { name: user.name }),
  };
}

function render(ctx: KoaContextWithOIDC, html: string): void {
  ctx.set({ ...PAGE_HEADERS });
  ctx.body = html;
}

function clientName(ctx: KoaContextWithOIDC): string {
  return ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? 'the application';
}

function clients(settings: ProviderSettings): ClientMetadata[] {
  const publicClient: ClientMetadata = {
    client_id: settings.publicClientId,
    client_name: 'Switchboard',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: [...DEV_IDP_LOOPBACK_REDIRECT_URIS],
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
  };
  const serviceClients = [...settings.serviceClients.values()].map(
    (service): ClientMetadata => ({
      client_id: service.clientId,
      client_secret: service.clientSecret,
      client_name: `service principal ${service.username}`,
      // The method RFC 6749 §2.3.1 requires every server to support; oidc-provider allows one per client.
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
    }),
  );
  return [publicClient, ...serviceClients];
}

export function providerConfiguration(settings: ProviderSettings): Configuration {
  const resourceServer: ResourceServer = {
    // The relay authorizes by groups and cluster grants, not by scopes, so the resource has none.
    scope: '',
    audience: settings.resource,
    accessTokenTTL: settings.accessTokenTtlSeconds,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: SIGNING_ALG } },
  };

  return {
    adapter: settings.adapter,
    clients: clients(settings),
    jwks: settings.jwks,
    cookies: { keys: settings.cookieKeys },
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic'],
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALG] },
    pkce: { required: () => true },

    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
    // `groups` comes with `profile` too, so a client that asks only for the usual scopes still gets
    // it; the separate `groups` scope is for clients written for Dex.
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name', 'groups'],
      email: ['email'],
      groups: ['groups'],
    },
    // Access tokens are for the relay, so there is no userinfo endpoint to fetch profile claims
    // from; ID tokens carry them instead.
    conformIdTokenClaims: false,
    findAccount(_ctx, sub): Account | undefined {
      const user = settings.users.get(sub);
      return user && { accountId: user.username, claims: () => userClaims(user) };
    },
    extraTokenClaims(_ctx, token) {
      if (token.kind === 'ClientCredentials') {
        const service =
          token.clientId === undefined ? undefined : settings.serviceClients.get(token.clientId);
        return service && { preferred_username: service.username, groups: service.groups };
      }
      const user = token.accountId === undefined ? undefined : settings.users.get(token.accountId);
      if (!user) return undefined;
      const { sub: _sub, ...claims } = userClaims(user);
      return claims;
    },

    // Desktop and CLI want a refresh token without sending prompt=consent (which OpenID requires
    // for offline_access), and it must outlive the browser's session cookie.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    rotateRefreshToken: true,

    ttl: {
      AccessToken: settings.accessTokenTtlSeconds,
      ClientCredentials: settings.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      DeviceCode: 10 * 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      RefreshToken: 14 * 24 * 60 * 60,
      Session: 14 * 24 * 60 * 60,
      Grant: 14 * 24 * 60 * 60,
    },

    interactions: { url: (_ctx, interaction) => settings.interactionPath(interaction.uid) },

    features: {
      // Its pages accept any password; the interactions module checks the users instead.
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource(ctx, form, _out, err) {
          let message: string | undefined;
          if (err && ('userCode' in err || err.name === 'NoCodeError')) {
            message = 'That code is not valid. Check it and try again.';
          } else if (err?.name === 'AbortedError') {
            message = 'The sign-in was aborted.';
          } else if (err) {
            message = 'The code could not be checked. Try again.';
          }
          render(ctx, userCodeInputPage(form, message));
        },
        userCodeConfirmSource(ctx, form, _client, _deviceInfo, userCode) {
          render(ctx, userCodeConfirmPage(form, clientName(ctx), userCode));
        },
        successSource(ctx) {
          render(ctx, deviceSuccessPage(clientName(ctx)));
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => render(ctx, logoutPage(form)),
        postLogoutSuccessSource: (ctx) => render(ctx, logoutSuccessPage()),
      },
      resourceIndicators: {
        enabled: true,
        // Every token is for the relay, whether or not the client names it.
        defaultResource: () => settings.resource,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== settings.resource) throw new errors.InvalidTarget();
          return resourceServer;
        },
      },
    },

    renderError(ctx, out) {
      render(ctx, errorPage(String(out.error), out.error_description));
    },
  };
}
