import { switchboardConfigurationSchema } from '@switchboard/contract/relay-api';
import { z } from 'zod';

/**
 * How the tokens were obtained, which decides how they are renewed: a user grant renews with its
 * refresh token; a service principal re-runs client credentials with the secret read again from
 * its file (the secret itself is never copied into Switchboard's storage).
 */
export const oauthGrantSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('authorization_code') }),
  z.object({ type: z.literal('device_code') }),
  z.object({
    type: z.literal('client_credentials'),
    clientId: z.string().min(1),
    clientSecretFile: z.string(),
    scope: z.string().optional(),
  }),
]);
export type OAuthGrant = z.infer<typeof oauthGrantSchema>;

/** Everything stored for one account (one relay): enough to use and renew its tokens offline. */
export const storedTokensSchema = z.object({
  relayUrl: z.string(),
  /** The relay's configuration at sign-in: issuer, client, scopes, resource, bearer kind. */
  configuration: switchboardConfigurationSchema,
  grant: oauthGrantSchema,
  accessToken: z.string().min(1),
  /** Epoch milliseconds; absent when the issuer did not say (no `expires_in`, not a JWT). */
  accessTokenExpiresAt: z.number().optional(),
  refreshToken: z.string().min(1).optional(),
  idToken: z.string().min(1).optional(),
  /** Epoch milliseconds of the token response, to measure each token's lifetime. */
  obtainedAt: z.number(),
});
export type StoredTokens = z.infer<typeof storedTokensSchema>;

/**
 * Where an account's tokens live between runs. An account is identified by its normalized relay
 * URL. Implementations: `KeychainTokenStore` (the OS keychain; used by the app and CLI) and
 * `EphemeralTokenStore` (memory only; for the demo's headless mode).
 */
export interface TokenStore {
  /** Fails now if tokens could not be saved, so a sign-in does not end in an error after the browser. */
  assertUsable(): Promise<void>;
  load(accountId: string): Promise<StoredTokens | undefined>;
  /** Replaces what is stored for the account, atomically (a reader never sees half an update). */
  save(accountId: string, tokens: StoredTokens): Promise<void>;
  /** Removes everything stored for the account; removing an absent account is not an error. */
  remove(accountId: string): Promise<void>;
  /**
   * Runs `critical` while no other user of the same storage (another process included) runs one
   * for the account, so two renewals never spend the same rotating refresh token.
   */
  exclusively<T>(accountId: string, critical: () => Promise<T>): Promise<T>;
}
