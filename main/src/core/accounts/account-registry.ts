import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic-write.js';

/**
 * The non-secret list of relays the user has signed in to, and which one commands use when no
 * `--relay` is given. Tokens are never here; they are in the token store.
 */
const accountsFileSchema = z.object({
  defaultRelay: z.string().optional(),
  relays: z.array(z.string()).default([]),
});
type AccountsFile = z.infer<typeof accountsFileSchema>;

/** No `--relay` was given and there is no default to fall back on. */
export class NoRelaySelectedError extends Error {
  override readonly name = 'NoRelaySelectedError';
}

export class AccountRegistry {
  private readonly file: string;

  constructor(configDirectory: string) {
    this.file = join(configDirectory, 'config.json');
  }

  /** The relay a command acts on: the one asked for, else the default. */
  async selectRelay(requested: string | undefined): Promise<string> {
    if (requested) return requested;
    const { defaultRelay } = await this.read();
    if (!defaultRelay) {
      throw new NoRelaySelectedError(
        'no relay selected: pass --relay URL (or sign in first with `switchboard login --relay URL`)',
      );
    }
    return defaultRelay;
  }

  async relays(): Promise<string[]> {
    return (await this.read()).relays;
  }

  /** Records a sign-in; the relay signed in to last becomes the default. */
  async addSignedIn(relayUrl: string): Promise<void> {
    const accounts = await this.read();
    await this.write({
      defaultRelay: relayUrl,
      relays: accounts.relays.includes(relayUrl) ? accounts.relays : [...accounts.relays, relayUrl],
    });
  }

  /** Forgets a relay; if it was the default and exactly one other remains, that one becomes default. */
  async remove(relayUrl: string): Promise<void> {
    const accounts = await this.read();
    const relays = accounts.relays.filter((relay) => relay !== relayUrl);
    let defaultRelay = accounts.defaultRelay === relayUrl ? undefined : accounts.defaultRelay;
    if (defaultRelay === undefined && relays.length === 1) defaultRelay = relays[0];
    await this.write({ ...(defaultRelay !== undefined && { defaultRelay }), relays });
  }

  private async read(): Promise<AccountsFile> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) return { relays: [] };
    const parsed = accountsFileSchema.safeParse(parseJson(text));
    if (!parsed.success)
      throw new Error(`${this.file} is not a valid Switchboard configuration; fix or delete it`);
    return parsed.data;
  }

  private async write(accounts: AccountsFile): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(accounts, null, 2)}\n`, 0o600);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
