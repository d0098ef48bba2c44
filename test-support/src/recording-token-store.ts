import type { StoredTokens, TokenStore } from '@switchboard/main/core';

/** A test double that records what the session persisted; the keychain store has its own tests. */
export class RecordingTokenStore implements TokenStore {
  readonly saved: StoredTokens[] = [];
  removals = 0;
  private readonly tokens = new Map<string, StoredTokens>();

  async assertUsable(): Promise<void> {}

  async load(accountId: string): Promise<StoredTokens | undefined> {
    return this.tokens.get(accountId);
  }

  async save(accountId: string, tokens: StoredTokens): Promise<void> {
    this.saved.push(tokens);
    this.tokens.set(accountId, tokens);
  }

  async remove(accountId: string): Promise<void> {
    this.removals++;
    this.tokens.delete(accountId);
  }

  exclusively<T>(_accountId: string, critical: () => Promise<T>): Promise<T> {
    return critical();
  }
}
