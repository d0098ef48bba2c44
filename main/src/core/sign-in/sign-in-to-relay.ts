import { fetchRelayConfiguration } from '../relay-client/relay-configuration.js';
import type { OAuthGrant, StoredTokens, TokenStore } from '../token-store/token-store.js';
import { type BrowserSignInOptions, signInWithBrowser } from './browser-sign-in.js';
import { type ServicePrincipal, signInWithClientCredentials } from './client-credentials-sign-in.js';
import { type DeviceCodePrompt, signInWithDeviceCode } from './device-code-sign-in.js';
import { storedTokensFromResponse } from './token-response.js';

export type SignInMethod =
  | ({ kind: 'browser' } & BrowserSignInOptions)
  | { kind: 'device-code'; onPrompt: (prompt: DeviceCodePrompt) => void; signal?: AbortSignal }
  | ({ kind: 'client-credentials' } & ServicePrincipal);

/**
 * Signs in to a relay from nothing but its URL: fetches its published configuration, runs the
 * chosen flow against its issuer, and stores the tokens (replacing any earlier sign-in for the
 * relay). Returns what was stored.
 */
export async function signInToRelay(
  relayUrl: string,
  method: SignInMethod,
  store: TokenStore,
): Promise<StoredTokens> {
  await store.assertUsable();
  const configuration = await fetchRelayConfiguration(relayUrl);
  let grant: OAuthGrant;
  let response: Awaited<ReturnType<typeof signInWithBrowser>>;
  switch (method.kind) {
    case 'browser':
      grant = { type: 'authorization_code' };
      response = await signInWithBrowser(configuration, method);
      break;
    case 'device-code':
      grant = { type: 'device_code' };
      response = await signInWithDeviceCode(configuration, method);
      break;
    case 'client-credentials':
      grant = {
        type: 'client_credentials',
        clientId: method.clientId,
        clientSecretFile: method.clientSecretFile,
        ...(method.scope !== undefined && { scope: method.scope }),
      };
      response = await signInWithClientCredentials(configuration, method);
      break;
  }
  const tokens = storedTokensFromResponse(response, { relayUrl, configuration, grant, now: Date.now() });
  await store.save(relayUrl, tokens);
  return tokens;
}
