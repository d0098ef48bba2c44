/**
 * The ticket key schedule on a real registry: a key is announced before it signs, the old one is
 * announced for a while after, held keys still sign announcements, replicas (two rings, two
 * registry connections) make each key once, and a restart keeps the keys.
 */
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { verifyKeyAnnouncement } from '../../src/tickets/identity-ticket.js';
import { TicketKeyRing } from '../../src/tickets/ticket-key-ring.js';
import { tempDir } from '../helpers/temp-dir.js';

const SCHEDULE = { rotateEveryMs: 30_000, announceAheadMs: 7_000, retainMs: 7_000, holdMs: 20_000 };

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
    const ring = new TicketKeyRing({ registry, issuer: 'https://relay', schedule: SCHEDULE, now: () => now });
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
        new TicketKeyRing({ registry, issuer: 'https://relay', schedule: SCHEDULE, now: () => now }),
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
      issuer: 'https://relay',
      schedule: SCHEDULE,
      now: () => now,
    });
    await restarted.refresh();
    expect(restarted.ticketKeys()).toEqual(rings[1]!.ticketKeys());
  });
});
