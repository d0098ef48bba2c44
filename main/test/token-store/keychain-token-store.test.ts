import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runNode } from '@switchboard/test-support/child-process';
import { type PrivateKeyring, startPrivateKeyring } from '@switchboard/test-support/private-keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredTokens } from '../../src/core/token-store/token-store.js';
import { KEYCHAIN_DRIVER } from '../support/entry-points.js';
import { sampleTokens } from '../support/sample-tokens.js';

type Operation =
  | { op: 'save'; account: string; tokens: StoredTokens }
  | { op: 'load'; account: string }
  | { op: 'remove'; account: string };
type Result = { ok: boolean; tokens?: StoredTokens | null; name?: string; message?: string };

/** Every file under a directory, recursively, as bytes. */
async function allFiles(directory: string): Promise<{ path: string; bytes: Buffer }[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (path) => ({ path, bytes: await readFile(path) })));
}

describe('KeychainTokenStore against a real gnome-keyring (Secret Service)', () => {
  let keyring: PrivateKeyring;
  let cacheDirectory: string;
  const run = async (operations: Operation[], env: NodeJS.ProcessEnv = keyring.env): Promise<Result[]> => {
    const result = await runNode(KEYCHAIN_DRIVER, [cacheDirectory], env, JSON.stringify(operations));
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as Result[];
  };

  beforeAll(async () => {
    keyring = await startPrivateKeyring();
    cacheDirectory = join(keyring.root, 'home', '.config', 'switchboard', 'tokens');
  });
  afterAll(async () => {
    await keyring?.stop();
  });

  it('saves, loads and removes tokens, leaving a 0600 cache file with no plaintext', async () => {
    const account = 'https://relay-a.example.com';
    const tokens = sampleTokens(account);
    const [saved, loaded] = await run([
      { op: 'save', account, tokens },
      { op: 'load', account },
    ]);
    expect(saved).toEqual({ ok: true });
    expect(loaded?.tokens).toEqual(tokens);

    const [cacheFile] = await readdir(cacheDirectory);
    expect((await stat(join(cacheDirectory, cacheFile!))).mode & 0o777).toBe(0o600);
    expect((await stat(cacheDirectory)).mode & 0o777).toBe(0o700);
    expect(await keyring.searchSwitchboardItems()).toContain(account);

    const [removed, afterRemove] = await run([
      { op: 'remove', account },
      { op: 'load', account },
    ]);
    expect(removed).toEqual({ ok: true });
    expect(afterRemove?.tokens).toBeNull();
    expect(await readdir(cacheDirectory)).toEqual([]);
    expect(await keyring.searchSwitchboardItems()).not.toContain(account);
  });

  it('stores tokens larger than Windows Credential Manager allows (3 KB) and 100 KB+', async () => {
    const account = 'https://big-tokens.example.com';
    const over2_5Kb = sampleTokens(account, { access: 3_000, refresh: 3_000, id: 3_000 });
    const over100Kb = sampleTokens(account, { access: 120_000, refresh: 4_000, id: 110_000 });
    const results = await run([
      { op: 'save', account, tokens: over2_5Kb },
      { op: 'load', account },
      { op: 'save', account, tokens: over100Kb },
      { op: 'load', account },
      { op: 'remove', account },
    ]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(results[1]?.tokens).toEqual(over2_5Kb);
    expect(results[3]?.tokens).toEqual(over100Kb);
  });

  it('keeps two accounts on two relays apart; removing one leaves the other, and nothing is in plaintext', async () => {
    const first = 'https://relay-one.example.com';
    const second = 'http://127.0.0.1:8443';
    const firstTokens = sampleTokens(first);
    const secondTokens = sampleTokens(second);
    const results = await run([
      { op: 'save', account: first, tokens: firstTokens },
      { op: 'save', account: second, tokens: secondTokens },
      { op: 'load', account: first },
      { op: 'load', account: second },
    ]);
    expect(results[2]?.tokens).toEqual(firstTokens);
    expect(results[3]?.tokens).toEqual(secondTokens);

    // Nothing secret anywhere under the temp dir: cache files, keyring files, config.
    const secrets = [firstTokens, secondTokens].flatMap((tokens) => [
      tokens.accessToken,
      tokens.refreshToken!,
      tokens.idToken!,
    ]);
    for (const file of await allFiles(keyring.root)) {
      for (const secret of secrets)
        expect(file.bytes.includes(secret), `${secret.slice(0, 8)}… in ${file.path}`).toBe(false);
    }

    const [removeFirst, loadFirst, loadSecond] = await run([
      { op: 'remove', account: first },
      { op: 'load', account: first },
      { op: 'load', account: second },
    ]);
    expect(removeFirst?.ok).toBe(true);
    expect(loadFirst?.tokens).toBeNull();
    expect(loadSecond?.tokens).toEqual(secondTokens);
    const items = await keyring.searchSwitchboardItems();
    expect(items).not.toContain(first);
    expect(items).toContain(second);
    await run([{ op: 'remove', account: second }]);
    expect(await keyring.searchSwitchboardItems()).toBe('');
  });

  it('refuses to open a cache file moved onto another account (the account id is authenticated)', async () => {
    const victim = 'https://victim.example.com';
    const results = await run([
      { op: 'save', account: victim, tokens: sampleTokens(victim) },
      { op: 'load', account: victim },
    ]);
    expect(results[1]?.tokens).not.toBeNull();
    // Copy the victim's ciphertext over another account's file: load must not accept it.
    const attacker = 'https://attacker.example.com';
    await run([{ op: 'save', account: attacker, tokens: sampleTokens(attacker) }]);
    const files = await readdir(cacheDirectory);
    const nameOf = (account: string) =>
      `${createHash('sha256').update(account).digest('hex').slice(0, 32)}.tokens`;
    expect(files).toEqual(expect.arrayContaining([nameOf(victim), nameOf(attacker)]));
    await copyFile(join(cacheDirectory, nameOf(victim)), join(cacheDirectory, nameOf(attacker)));
    const [swapped] = await run([{ op: 'load', account: attacker }]);
    expect(swapped).toEqual({ ok: true, tokens: null });
    await run([
      { op: 'remove', account: victim },
      { op: 'remove', account: attacker },
    ]);
  });

  it('fails with a message that says how to fix a missing Secret Service, and writes nothing', async () => {
    const account = 'https://no-keyring.example.com';
    const noBus = {
      ...keyring.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(keyring.root, 'no-such-bus')}`,
    };
    const [saved] = await run([{ op: 'save', account, tokens: sampleTokens(account) }], noBus);
    expect(saved?.ok).toBe(false);
    expect(saved?.name).toBe('KeychainUnavailableError');
    expect(saved?.message).toMatch(/Secret Service/);
    expect(saved?.message).toMatch(/gnome-keyring/);
    expect(saved?.message).toMatch(/never falls back to plaintext/);
    const [loaded] = await run([{ op: 'load', account }], keyring.env);
    expect(loaded?.tokens).toBeNull();
  });
});
