import type { StoredTokens, TokenStore } from './token-store.js';

/**
 * Keeps tokens in this process's memory only; they are gone when it exits. Exists solely for the
 * demo's headless mode, which signs in a throw-away user on a machine that may have no keychain.
 * Never a fallback for a missing keychain: real sign-ins use `KeychainTokenStore`, which fails
 * loudly instead.
 */
export class EphemeralTokenStore implements TokenStore {
  private readonly tokensByAccount = new Map<string, StoredTokens>();

  async assertUsable(): Promise<void> {}

  async load(accountId: string): Promise<StoredTokens | undefined> {
    const tokens = this.tokensByAccount.get(accountId);
    return tokens && structuredClone(tokens);
  }

  async save(accountId: string, tokens: StoredTokens): Promise<void> {
    this.tokensByAccount.set(accountId, structuredClone(tokens));
  }

  async remove(accountId: string): Promise<void> {
    this.tokensByAccount.delete(accountId);
  }

  /** Memory is private to this process, and the session already serializes its own renewals. */
  exclusively<T>(_accountId: string, critical: () => Promise<T>): Promise<T> {
    return critical();
  }
}
