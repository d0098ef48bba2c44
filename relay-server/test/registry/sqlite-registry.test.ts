import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DATABASE_FILE, openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryContract } from './registry-contract.js';

registryContract('SQLite', async () => {
  const dataDir = await tempDir();
  return {
    location: { dataDir },
    revokeCredentialOnly: async (id, at) => {
      const raw = new Database(join(dataDir, DATABASE_FILE));
      try {
        raw.prepare('UPDATE agent_credentials SET revoked_at = ? WHERE id = ?').run(at.toISOString(), id);
      } finally {
        raw.close();
      }
    },
  };
});

describe('SQLite registry file', () => {
  it('is in WAL mode, so the operator CLI can write while the relay reads', async () => {
    const dataDir = await tempDir();
    const registry = await openSqliteRegistry(dataDir);
    onTestFinished(() => registry.close());
    const raw = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    onTestFinished(() => {
      raw.close();
    });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});
