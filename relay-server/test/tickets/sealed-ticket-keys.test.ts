/**
 * Ticket keys at rest, through a real relay: the database (its WAL included) never holds a private
 * key, the sealing key lives in a file of its own (made private on first start, or configured), a
 * restart with the same sealing key keeps the keys agents pinned, and a different sealing key or
 * a bad sealing key file stops the start with a message saying what to do.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyIdentityTicket } from '@switchboard/tickets';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayConfigInput } from '../../src/config/schema.js';
import { startRelay } from '../../src/relay.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TEST_AUDIENCE, TestIssuer } from '../helpers/test-issuer.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.close());

const DATABASE_FILES = ['relay.db', 'relay.db-wal', 'relay.db-shm'];
/** The private scalar of a JWK, in any JSON spelling. */
const PRIVATE_MEMBER = /"d"\s*:/;

function config(dataDir: string, overrides: Partial<RelayConfigInput> = {}): RelayConfigInput {
  return {
    listen: '127.0.0.1:0',
    // The ticket issuer: the same across restarts, as a real relay's URL.
    publicUrl: 'https://relay.example.com',
    dataDir,
    trust: { issuer: issuer.url, clientId: TEST_AUDIENCE },
    logLevel: 'silent',
    ...overrides,
  };
}

/** Starts a relay that made ticket keys (one rotation ahead), and stops it. */
async function relayWithKeys(dataDir: string, overrides: Partial<RelayConfigInput> = {}) {
  let now = Date.now();
  const relay = await startRelay(config(dataDir, overrides), {
    ticketKeys: { schedule: { rotateEveryMs: 60_000, announceAheadMs: 30_000 }, now: () => now },
  });
  now += 40_000; // inside the announcement lead: a second key is made
  await relay.ticketKeys.refresh();
  expect(relay.ticketKeys.ticketKeys().keys).toHaveLength(2);
  return relay;
}

async function startError(input: RelayConfigInput): Promise<string> {
  const relay = await startRelay(input).catch((error: Error) => error);
  if (!(relay instanceof Error)) {
    await relay.close();
    throw new Error('the relay started');
  }
  return relay.message;
}

/** Every printable run of 4+ bytes in the file, like `strings`. */
async function strings(file: string): Promise<string> {
  if (!existsSync(file)) return '';
  return ((await readFile(file)).toString('latin1').match(/[\x20-\x7e]{4,}/g) ?? []).join('\n');
}

describe('ticket keys at rest', () => {
  it('leaves no private key in relay.db or its WAL: only the sealed form', async () => {
    const dataDir = await tempDir();
    const relay = await relayWithKeys(dataDir);
    const scanFiles = async () => {
      for (const name of DATABASE_FILES) {
        expect(await strings(join(dataDir, name)), name).not.toMatch(PRIVATE_MEMBER);
      }
    };
    // While it runs the rows sit in the WAL; after the stop, in the database file.
    await scanFiles();
    await relay.close();
    await scanFiles();

    const database = new Database(join(dataDir, 'relay.db'), { readonly: true });
    try {
      const rows = database.prepare('SELECT * FROM ticket_keys').all() as Record<string, unknown>[];
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        for (const value of Object.values(row)) expect(String(value)).not.toMatch(PRIVATE_MEMBER);
        expect(row.sealed_private_key).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
      }
    } finally {
      database.close();
    }
  });

  it('makes <dataDir>/sealing.key private on first start, apart from the database, and keeps the keys across a restart', async () => {
    const dataDir = join(await tempDir(), 'relay-data');
    const first = await relayWithKeys(dataDir);
    const pinned = first.ticketKeys.ticketKeys();
    await first.close();

    const sealingKey = join(dataDir, 'sealing.key');
    expect((await stat(sealingKey)).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    const encoded = (await readFile(sealingKey, 'utf8')).trim();
    expect(Buffer.from(encoded, 'base64')).toHaveLength(32);
    for (const name of DATABASE_FILES) expect(await strings(join(dataDir, name))).not.toContain(encoded);

    // The restarted relay signs with a key the agents pinned before, and takes back a sealing key
    // left readable by others (a copy, a restore), as it does the database files.
    await chmod(sealingKey, 0o644);
    const restarted = await startRelay(config(dataDir));
    try {
      expect((await stat(sealingKey)).mode & 0o777).toBe(0o600);
      expect((await readFile(sealingKey, 'utf8')).trim()).toBe(encoded);
      expect(restarted.ticketKeys.ticketKeys()).toEqual(pinned);
      const ticket = await restarted.ticketKeys.sign({
        cluster: 'prod',
        username: 'alice',
        groups: [],
        requestId: 'r1',
        mode: 'impersonate',
        tokenExpiresAt: new Date(Date.now() + 600_000),
      });
      await expect(
        verifyIdentityTicket(ticket, { keys: pinned, cluster: 'prod', requestId: 'r1', now: Date.now() }),
      ).resolves.toMatchObject({ sub: 'alice' });
    } finally {
      await restarted.close();
    }
  });

  it('uses a configured sealing key file and writes none in the data directory', async () => {
    const dataDir = await tempDir();
    const file = join(await tempDir(), 'sealing-key');
    await writeFile(file, `${randomBytes(32).toString('base64url')}\n`);
    const relay = await relayWithKeys(dataDir, { sealingKeyFile: file });
    const pinned = relay.ticketKeys.ticketKeys();
    await relay.close();
    expect(existsSync(join(dataDir, 'sealing.key'))).toBe(false);

    const replica = await startRelay(config(dataDir, { sealingKeyFile: file }));
    expect(replica.ticketKeys.ticketKeys()).toEqual(pinned);
    await replica.close();
  });

  it('refuses to start with another sealing key instead of minting keys no agent pinned', async () => {
    const dataDir = await tempDir();
    await (await relayWithKeys(dataDir)).close();
    const before = new Database(join(dataDir, 'relay.db'), { readonly: true });
    const rowsBefore = before.prepare('SELECT kid FROM ticket_keys').all();
    before.close();

    const other = join(await tempDir(), 'other.key');
    await writeFile(other, randomBytes(32).toString('base64'));
    const message = await startError(config(dataDir, { sealingKeyFile: other }));
    expect(message).toMatch(
      /^config: sealingKeyFile: ticket key stk_\S+ in the registry does not open with the sealing key from /,
    );
    expect(message).toContain(other);
    expect(message).toContain('the sealing key most likely changed');
    expect(message).toContain('Restore the sealing key');
    expect(message).toContain(`sqlite3 ${join(dataDir, 'relay.db')} 'DELETE FROM ticket_keys'`);
    expect(message).toContain('join every agent again');

    // The same when the data directory's own sealing.key was replaced.
    await writeFile(join(dataDir, 'sealing.key'), randomBytes(32).toString('base64'));
    expect(await startError(config(dataDir))).toMatch(/^config: sealingKeyFile: ticket key stk_/);

    const after = new Database(join(dataDir, 'relay.db'), { readonly: true });
    expect(after.prepare('SELECT kid FROM ticket_keys').all()).toEqual(rowsBefore);
    after.close();
  });

  it('refuses a bad sealing key file, saying what is wrong without echoing it', async () => {
    const directory = await tempDir();
    const cases: [content: string, problem: RegExp][] = [
      ['', /is empty: it must hold 32 random bytes as base64, e\.g\. made by "openssl rand -base64 32"$/],
      [
        `${randomBytes(16).toString('base64')}\n`,
        /decodes to 16 bytes, not 32: it must hold 32 random bytes/,
      ],
      [randomBytes(32).toString('hex'), /decodes to 48 bytes, not 32/],
      ['correct horse battery staple, correct horse!', /is not base64 text: it must hold 32 random bytes/],
      [randomBytes(32).toString('latin1'), /is not base64 text/],
    ];
    for (const [index, [content, problem]] of cases.entries()) {
      const file = join(directory, `sealing-${index}.key`);
      await writeFile(file, content, 'latin1');
      const message = await startError(config(await tempDir(), { sealingKeyFile: file }));
      expect(message).toMatch(new RegExp(`^config: sealingKeyFile: ${file} `));
      expect(message).toMatch(problem);
      if (content.trim() !== '') expect(message).not.toContain(content.trim());
    }
    expect(await startError(config(await tempDir(), { sealingKeyFile: join(directory, 'missing') }))).toMatch(
      /^config: sealingKeyFile: cannot read .*missing: ENOENT/,
    );
  });
});
