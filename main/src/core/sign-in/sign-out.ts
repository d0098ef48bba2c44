import * as oidc from 'openid-client';
import type { AccountRegistry } from '../accounts/account-registry.js';
import type { LocalIdentityStore } from '../local-proxy/local-identity.js';
import type { Logger } from '../logging/logger.js';
import type { StoredTokens, TokenStore } from '../token-store/token-store.js';
import { connectToIssuer } from './issuer-connection.js';

/**
 * Removes everything stored for a relay (keychain item and encrypted cache). Before that, the
 * refresh token is revoked at the issuer when it supports RFC 7009, so a copy of it elsewhere
 * dies too; that is best effort: signing out must work offline.
 */
export async function signOutOfRelay(relayUrl: string, store: TokenStore, logger?: Logger): Promise<boolean> {
  const tokens = await store.load(relayUrl);
  if (tokens?.refreshToken) await revokeRefreshToken(tokens, tokens.refreshToken, logger);
  await store.remove(relayUrl);
  return tokens !== undefined;
}

/**
 * Once no relay holds tokens any more, also removes the local proxy's identity (its CA and the
 * per-user credential, sealed with a keychain key), so signing out everywhere leaves nothing of
 * Switchboard in the keychain. The next proxy start makes a new one. Returns whether it did.
 */
export async function removeLocalIdentityWhenSignedOutEverywhere(
  registry: AccountRegistry,
  store: TokenStore,
  localIdentityStore: LocalIdentityStore,
): Promise<boolean> {
  for (const relayUrl of await registry.relays()) {
    if (await store.load(relayUrl)) return false;
  }
  await localIdentityStore.remove();
  return true;
}

async function revokeRefreshToken(
  tokens: StoredTokens,
  refreshToken: string,
  logger?: Logger,
): Promise<void> {
  try {
    const issuer = await connectToIssuer(tokens.configuration.issuer, tokens.configuration.clientId);
    if (!issuer.serverMetadata().revocation_endpoint) return;
    await oidc.tokenRevocation(issuer, refreshToken, { token_type_hint: 'refresh_token' });
  } catch (error) {
    logger?.info(
      { relayUrl: tokens.relayUrl, err: error },
      'could not revoke the refresh token at the issuer',
    );
  }
}
