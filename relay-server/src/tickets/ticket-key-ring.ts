/**
 * The relay's identity-ticket keys: kept in the registry (so a restart does not strand agents and
 * every replica signs with the same keys), rotated on a schedule, and announced ahead of use.
 *
 * Each key signs tickets for `rotateEveryMs` from `activatesAt`. `announceAheadMs` before it
 * retires, the next key is made and joins the announced set, so agents pin it before any ticket
 * carries it. A retired key stays announced for `retainMs` (tickets live 5 minutes; the rest is
 * margin for clocks and slow announcements), then leaves the set; its private half still signs key
 * announcements for `holdMs`, so an agent that was away for weeks still follows the chain, and is
 * deleted after that. Rotation runs at start and on the relay's periodic check; replicas racing
 * to make the next key make it once (the registry keys it by generation).
 *
 * The registry holds private keys only sealed (`ticket-key-sealer.ts`). A stored key that does not
 * open stops the refresh before anything is made: minting fresh keys instead would strand every
 * agent, which pinned the old ones.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { TicketKeyAnnouncement, TicketKeys } from '@switchboard/contract/tunnel';
import {
  importSigningKey,
  signIdentityTicket,
  signKeyAnnouncement,
  type TicketSigningKey,
  type TicketSubject,
} from '@switchboard/tickets';
import type { JWK } from 'jose';
import type { ClusterRegistry, TicketKey } from '../registry/registry.js';
import type { TicketKeySealer } from './ticket-key-sealer.js';

const DAY_MS = 24 * 3600 * 1000;

export interface TicketKeySchedule {
  rotateEveryMs: number;
  announceAheadMs: number;
  retainMs: number;
  holdMs: number;
}

export const DEFAULT_TICKET_KEY_SCHEDULE: TicketKeySchedule = {
  rotateEveryMs: 30 * DAY_MS,
  announceAheadMs: 7 * DAY_MS,
  retainMs: 7 * DAY_MS,
  // As long as an agent credential lives: an agent away longer must join again anyway.
  holdMs: 90 * DAY_MS,
};

export interface TicketKeyRingOptions {
  registry: ClusterRegistry;
  /** Seals private keys for the registry and opens them again (the relay's sealing key). */
  sealer: TicketKeySealer;
  /** `iss` of every ticket (the relay's URL). */
  issuer: string;
  schedule?: Partial<TicketKeySchedule>;
  /** The clock of the key schedule and announcements (tests move it); tickets use real time. */
  now?: () => number;
}

interface LoadedKey {
  stored: TicketKey;
  signing: TicketSigningKey;
}

export class TicketKeyRing {
  readonly #registry: ClusterRegistry;
  readonly #sealer: TicketKeySealer;
  readonly #issuer: string;
  readonly #schedule: TicketKeySchedule;
  readonly #now: () => number;
  #keys: LoadedKey[] = [];
  /** The kids announced as of the last refresh, to tell when the set changed. */
  #announced = '';
  #announcement: Promise<TicketKeyAnnouncement> | undefined;

  constructor(options: TicketKeyRingOptions) {
    this.#registry = options.registry;
    this.#sealer = options.sealer;
    this.#issuer = options.issuer;
    this.#schedule = { ...DEFAULT_TICKET_KEY_SCHEDULE, ...options.schedule };
    this.#now = options.now ?? Date.now;
  }

  /**
   * Makes the keys the schedule calls for, deletes those past holding, and reloads. Resolves true
   * when the announced set changed (the caller announces it to live agents). Throws
   * UnopenableTicketKeyError when a stored key does not open, before making any key.
   */
  async refresh(): Promise<boolean> {
    const now = this.#now();
    let stored = await this.#registry.listTicketKeys();
    let keys = await this.#open(stored);
    const next = this.#due(stored, now);
    if (next) {
      // False: another replica made this generation first; the reload below picks it up.
      await this.#registry.addTicketKey(next);
      stored = await this.#registry.listTicketKeys();
      keys = await this.#open(stored, keys);
    }
    if (stored.some((key) => key.heldUntil.getTime() <= now)) {
      await this.#registry.deleteTicketKeysHeldUntil(new Date(now));
      keys = keys.filter(({ stored: key }) => key.heldUntil.getTime() > now);
    }
    this.#keys = keys;
    const announced = this.#announcedKids();
    if (announced === this.#announced) return false;
    this.#announced = announced;
    this.#announcement = undefined;
    return true;
  }

  /** The announced public keys (what agents pin). */
  ticketKeys(): TicketKeys {
    const now = this.#now();
    const keys = this.#keys
      .filter(({ stored }) => stored.announcedUntil.getTime() > now)
      .map(({ signing }) => signing.publicJwk);
    if (keys.length === 0) throw new Error('the relay holds no ticket key: refresh() first');
    return { issuer: this.#issuer, keys };
  }

  /** The announcement of the current set, signed by every key held (cached until the set changes). */
  announcement(): Promise<TicketKeyAnnouncement> {
    this.#announcement ??= signKeyAnnouncement(
      this.ticketKeys(),
      this.#keys.map(({ signing }) => signing),
      this.#now(),
    );
    return this.#announcement;
  }

  /** Signs a ticket with the newest active key. */
  sign(subject: TicketSubject): Promise<string> {
    const now = this.#now();
    const active = this.#keys.filter(
      ({ stored }) => stored.activatesAt.getTime() <= now && stored.retiresAt.getTime() > now,
    );
    const key = active.at(-1);
    if (!key) throw new Error('the relay has no active ticket key');
    return signIdentityTicket(key.signing, this.#issuer, subject, Date.now());
  }

  /** The stored keys ready to sign; those loaded before are not opened again. */
  #open(stored: readonly TicketKey[], loaded: readonly LoadedKey[] = this.#keys): Promise<LoadedKey[]> {
    const known = new Map(loaded.map((key) => [key.stored.kid, key]));
    return Promise.all(
      stored.map(
        async (key) =>
          known.get(key.kid) ?? {
            stored: key,
            signing: await importSigningKey(
              JSON.parse(this.#sealer.open(key.kid, key.sealedPrivateKey)) as JWK,
            ),
          },
      ),
    );
  }

  #announcedKids(): string {
    const now = this.#now();
    return this.#keys
      .filter(({ stored }) => stored.announcedUntil.getTime() > now)
      .map(({ stored }) => stored.kid)
      .join(',');
  }

  /** The key the schedule wants made now, if any. */
  #due(stored: readonly TicketKey[], now: number): TicketKey | undefined {
    const generation = (stored.at(-1)?.generation ?? 0) + 1;
    const active = stored
      .filter((key) => key.activatesAt.getTime() <= now && key.retiresAt.getTime() > now)
      .at(-1);
    // No active key (a new relay, or one stopped for longer than the announcement lead): one now.
    if (!active) return this.#newKey(generation, now, now);
    const successor = stored.some((key) => key.generation > active.generation);
    if (successor || now < active.retiresAt.getTime() - this.#schedule.announceAheadMs) return undefined;
    return this.#newKey(generation, now, active.retiresAt.getTime());
  }

  #newKey(generation: number, now: number, activatesAt: number): TicketKey {
    const kid = `stk_${randomBytes(12).toString('base64url')}`;
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    const retiresAt = activatesAt + this.#schedule.rotateEveryMs;
    const announcedUntil = retiresAt + this.#schedule.retainMs;
    return {
      generation,
      kid,
      sealedPrivateKey: this.#sealer.seal(kid, JSON.stringify({ ...jwk, kid })),
      createdAt: new Date(now),
      activatesAt: new Date(activatesAt),
      retiresAt: new Date(retiresAt),
      announcedUntil: new Date(announcedUntil),
      heldUntil: new Date(announcedUntil + this.#schedule.holdMs),
    };
  }
}
