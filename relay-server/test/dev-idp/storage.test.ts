/**
 * The dev identity provider's storage: refresh tokens and grants in the registry (a refresh token
 * only by its hash), everything else in memory.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdapterPayload } from 'oidc-provider';
import { describe, expect, it, onTestFinished } from 'vitest';
import { devIdpStorage } from '../../src/dev-idp/storage.js';
import { DATABASE_FILE, openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { tempDir } from '../helpers/temp-dir.js';

const REFRESH_TOKEN = 'rt-3q2-secret-value-the-database-must-not-hold';

const refreshPayload = (grantId: string): AdapterPayload => ({
  jti: REFRESH_TOKEN,
  kind: 'RefreshToken',
  accountId: 'alice',
  clientId: 'switchboard-cli',
  grantId,
  iat: 1_800_000_000,
  exp: 1_800_000_000 + 14 * 86_400,
});

/** The database with its write-ahead log, where recent writes are. */
async function databaseBytes(dataDir: string): Promise<Buffer> {
  const files = (await readdir(dataDir)).filter((name) => name.startsWith(DATABASE_FILE));
  return Buffer.concat(await Promise.all(files.map((name) => readFile(join(dataDir, name)))));
}

async function registryIn(dataDir: string) {
  const registry = await openSqliteRegistry(dataDir);
  onTestFinished(() => registry.close());
  return registry;
}

describe('dev identity provider storage', () => {
  it('keeps refresh tokens and grants across a restart, a refresh token only by its hash', async () => {
    const dataDir = await tempDir();
    const before = devIdpStorage(await registryIn(dataDir));
    await before('Grant').upsert('grant-1', { jti: 'grant-1', kind: 'Grant', accountId: 'alice' }, 3600);
    await before('RefreshToken').upsert(REFRESH_TOKEN, refreshPayload('grant-1'), 3600);

    // A new provider over the same registry: what a restarted relay has.
    const after = devIdpStorage(await registryIn(dataDir));
    expect(await after('RefreshToken').find(REFRESH_TOKEN)).toEqual(refreshPayload('grant-1'));
    expect(await after('Grant').find('grant-1')).toEqual({
      jti: 'grant-1',
      kind: 'Grant',
      accountId: 'alice',
    });
    expect(await after('RefreshToken').find('some-other-token')).toBeUndefined();

    const database = await databaseBytes(dataDir);
    expect(database.includes(REFRESH_TOKEN)).toBe(false);
    expect(database.includes('grant-1')).toBe(true);
  });

  it('marks a refresh token consumed (rotation), drops a grant’s tokens on revocation, forgets expired ones', async () => {
    const storage = devIdpStorage(await registryIn(await tempDir()));
    const tokens = storage('RefreshToken');
    await tokens.upsert(REFRESH_TOKEN, refreshPayload('grant-1'), 3600);
    await tokens.consume(REFRESH_TOKEN);
    expect((await tokens.find(REFRESH_TOKEN))?.consumed).toEqual(expect.any(Number));

    await tokens.revokeByGrantId('grant-1');
    expect(await tokens.find(REFRESH_TOKEN)).toBeUndefined();

    await tokens.upsert(REFRESH_TOKEN, refreshPayload('grant-2'), -1);
    expect(await tokens.find(REFRESH_TOKEN)).toBeUndefined();
    await tokens.upsert('another', { ...refreshPayload('grant-2'), jti: 'another' }, 3600);
    await tokens.destroy('another');
    expect(await tokens.find('another')).toBeUndefined();
  });

  it('keeps sessions, interactions and codes in memory, found by id, uid or user code until they expire', async () => {
    const dataDir = await tempDir();
    const storage = devIdpStorage(await registryIn(dataDir));
    await storage('Session').upsert(
      'cookie-id',
      { jti: 'cookie-id', uid: 'uid-1', accountId: 'alice' },
      3600,
    );
    await storage('DeviceCode').upsert('device-code', { userCode: 'BCDF-GHJK', grantId: 'g' }, 600);
    await storage('Interaction').upsert('gone', { uid: 'gone' }, -1);

    expect(await storage('Session').findByUid('uid-1')).toMatchObject({ accountId: 'alice' });
    expect(await storage('DeviceCode').findByUserCode('BCDF-GHJK')).toMatchObject({ grantId: 'g' });
    expect(await storage('Interaction').find('gone')).toBeUndefined();
    await storage('DeviceCode').revokeByGrantId('g');
    expect(await storage('DeviceCode').find('device-code')).toBeUndefined();

    const database = await databaseBytes(dataDir);
    expect(database.includes('cookie-id')).toBe(false);
    // Without a registry (the provider on its own), refresh tokens stay in memory too.
    const memoryOnly = devIdpStorage(undefined);
    await memoryOnly('RefreshToken').upsert(REFRESH_TOKEN, refreshPayload('grant-1'), 3600);
    expect(await memoryOnly('RefreshToken').find(REFRESH_TOKEN)).toEqual(refreshPayload('grant-1'));
  });

  it('holds at most 10,000 records per model in memory, dropping the oldest', async () => {
    const interactions = devIdpStorage(undefined)('Interaction');
    for (let i = 0; i <= 10_000; i++) await interactions.upsert(`i-${i}`, { uid: `i-${i}` }, 3600);
    expect(await interactions.find('i-0')).toBeUndefined();
    expect(await interactions.find('i-1')).toMatchObject({ uid: 'i-1' });
    expect(await interactions.find('i-10000')).toMatchObject({ uid: 'i-10000' });
  });
});
