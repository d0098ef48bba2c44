/**
 * The ticket key schedule on a real registry: a key is announced before it signs, the old one is
 * announced for a while after, held keys still sign announcements, replicas (two rings, two
 * registry connections) make each key once, and a restart with the same sealing key keeps the
 * keys. A stored key that does not open (another sealing key, a row moved or altered) stops the
 * ring before it makes a key.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { verifyKeyAnnouncement } from '@switchboard/tickets';
import Database from 'better-sqlite3';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { TicketKeyRing } from '../../src/tickets/ticket-key-ring.js';
import { TicketKeySealer, UnopenableTicketKeyError } from '../../src/tickets/ticket-key-sealer.js';
import { tempDir } from '../helpers/temp-dir.js';

const SCHEDULE = { rotateEveryMs: 30_000, announceAheadMs: 7_000, retainMs: 7_000, holdMs: 20_000 };

const sealingKey = randomBytes(32);
/** A sealer as a (re)started relay makes it: from the same sealing key bytes. */
const sealer = () => new TicketKeySealer(sealingKey, 'the test sealing key');

async function registryIn(dataDir: string) {
  const registry = await openSqliteRegistry(dataDir);
  onTestFinished(() => registry.close());
  return registry;
}

const subject = {
  cluster: 'prod',
  username: 'alice',
  groups: [],
  requestId: 'r',
  mode: 'impersonate' as const,
  tokenExpiresAt: new Date(Date.now() + 600_000),
};

describe('ticket key ring', () => {
  it('announces the next key before it signs, retires the old one after, and deletes it after holding', async () => {
    const registry = await registryIn(await tempDir());
    let now = 1_000_000;
    const ring = new TicketKeyRing({
      registry,
      sealer: sealer(),
      issuer: 'https://relay',
      schedule: SCHEDULE,
      now: () => now,
    });
    const kidOf = async () => decodeProtectedHeader(await ring.sign(subject)).kid;

    expect(await ring.refresh()).toBe(true);
    const [first] = ring.ticketKeys().keys;
    expect(await kidOf()).toBe(first!.kid);
    now += 20_000; // before the lead: nothing new
    expect(await ring.refresh()).toBe(false);

    now += 4_000; // 6 s before the first retires: the next is made and announced, not used yet
    expect(await ring.refresh()).toBe(true);
    const announced = ring.ticketKeys().keys.map((key) => key.kid);
    expect(announced).toHaveLength(2);
    const second = announced[1]!;
    expect(await kidOf()).toBe(first!.kid);
    // Pinned the old set only: the announcement still verifies (the old key signed it too).
    const fromOld = await verifyKeyAnnouncement(await ring.announcement(), {
      issuer: 'https://relay',
      keys: [first!],
    });
    expect(fromOld.ticketKeys.keys.map((key) => key.kid)).toEqual(announced);

    now = 1_000_000 + 30_000; // the switch
    expect(await ring.refresh()).toBe(false);
    expect(await kidOf()).toBe(second);
    now += 7_000; // the old key leaves the announced set
    expect(await ring.refresh()).toBe(true);
    expect(ring.ticketKeys().keys.map((key) => key.kid)).toEqual([second]);
    // …but still signs announcements for agents that were away, until it is deleted.
    const late = await verifyKeyAnnouncement(await ring.announcement(), {
      issuer: 'https://relay',
      keys: [first!],
    });
    expect(late.ticketKeys.keys.map((key) => key.kid)).toEqual([second]);
    expect((await registry.listTicketKeys()).map((key) => key.kid)).toContain(first!.kid);
    now += 20_000;
    await ring.refresh();
    expect((await registry.listTicketKeys()).map((key) => key.kid)).not.toContain(first!.kid);
  });

  it('replicas sharing the registry make each key once; a restart keeps them', async () => {
    const dataDir = await tempDir();
    const [a, b] = [await registryIn(dataDir), await registryIn(dataDir)];
    let now = 5_000_000;
    const rings = [a, b].map(
      (registry) =>
        new TicketKeyRing({
          registry,
          sealer: sealer(),
          issuer: 'https://relay',
          schedule: SCHEDULE,
          now: () => now,
        }),
    );
    await Promise.all(rings.map((ring) => ring.refresh()));
    expect(await a.listTicketKeys()).toHaveLength(1);
    now += 24_000;
    await Promise.all(rings.map((ring) => ring.refresh()));
    await Promise.all(rings.map((ring) => ring.refresh()));
    expect((await a.listTicketKeys()).map((key) => key.generation)).toEqual([1, 2]);
    expect(rings[0]!.ticketKeys()).toEqual(rings[1]!.ticketKeys());

    await a.close();
    const restarted = new TicketKeyRing({
      registry: await registryIn(dataDir),
      sealer: sealer(),
      issuer: 'https://relay',
      schedule: SCHEDULE,
      now: () => now,
    });
    await restarted.refresh();
    expect(restarted.ticketKeys()).toEqual(rings[1]!.ticketKeys());
  });

  it('makes no key when a stored one does not open: another sealing key, or a sealed key moved to another row', async () => {
    const dataDir = await tempDir();
    const registry = await registryIn(dataDir);
    let now = 9_000_000;
    const ringWith = (keySealer: TicketKeySealer) =>
      new TicketKeyRing({
        registry,
        sealer: keySealer,
        issuer: 'https://relay',
        schedule: SCHEDULE,
        now: () => now,
      });
    await ringWith(sealer()).refresh();
    now += 24_000;
    await ringWith(sealer()).refresh();
    const stored = await registry.listTicketKeys();
    expect(stored.map((key) => key.generation)).toEqual([1, 2]);

    // Long after every key retired a ring would make one at once; with a different sealing key it
    // must not, or every agent (which pinned the stored keys) would be stranded.
    now += 60_000;
    const other = new TicketKeySealer(randomBytes(32), '/etc/relay/other.key');
    const refused = await ringWith(other)
      .refresh()
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnopenableTicketKeyError);
    expect((refused as Error).message).toBe(
      `ticket key ${stored[0]!.kid} in the registry does not open with the sealing key from /etc/relay/other.key: ` +
        'the sealing key most likely changed since the key was made (another file configured, or the file lost ' +
        'or replaced), or the stored key was altered',
    );
    expect(await registry.listTicketKeys()).toEqual(stored);

    // Each sealed key names its kid: swapped between rows, neither opens.
    const database = new Database(join(dataDir, 'relay.db'));
    onTestFinished(() => {
      database.close();
    });
    const swap = database.prepare('UPDATE ticket_keys SET sealed_private_key = ? WHERE generation = ?');
    swap.run(stored[1]!.sealedPrivateKey, 1);
    swap.run(stored[0]!.sealedPrivateKey, 2);
    now -= 60_000;
    await expect(ringWith(sealer()).refresh()).rejects.toThrow(UnopenableTicketKeyError);
  });
});
