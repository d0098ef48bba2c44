/**
 * The relay's side of identity tickets for agent tests: a ticket key (the real signing code the
 * relay uses), the key set the agent pins at join, and OPENs carrying tickets as the relay sends them.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { TunnelMode } from '@switchboard/contract/identity';
import type { AgentRequestOpen, TicketKeyAnnouncement, TicketKeys } from '@switchboard/contract/tunnel';
import {
  importSigningKey,
  signIdentityTicket,
  signKeyAnnouncement,
  type TicketSigningKey,
} from '@switchboard/tickets';
import type { JWK } from 'jose';

export const TICKET_ISSUER = 'https://relay.test';

/** Who a ticket names, and how it is made. */
export interface TicketFor {
  username: string;
  groups?: string[];
  mode?: TunnelMode;
  /** Seconds until the user's token expires (default 600; negative: already expired). */
  tokenExpiresInSeconds?: number;
  /** Default: the stand-in relay's cluster, `prod`. */
  cluster?: string;
}

export async function newTicketKey(): Promise<TicketSigningKey> {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return importSigningKey({ ...jwk, kid: `stk_${randomBytes(6).toString('hex')}` } as JWK);
}

export class TestTickets {
  private constructor(public key: TicketSigningKey) {}

  static async create(): Promise<TestTickets> {
    return new TestTickets(await newTicketKey());
  }

  /** The key set the stand-in relay hands out at join. */
  get keys(): TicketKeys {
    return { issuer: TICKET_ISSUER, keys: [this.key.publicJwk] };
  }

  ticket(who: TicketFor, requestId: string, key: TicketSigningKey = this.key): Promise<string> {
    return signIdentityTicket(
      key,
      TICKET_ISSUER,
      {
        cluster: who.cluster ?? 'prod',
        username: who.username,
        groups: who.groups ?? [],
        requestId,
        mode: who.mode ?? 'impersonate',
        tokenExpiresAt: new Date(Date.now() + (who.tokenExpiresInSeconds ?? 600) * 1000),
      },
      Date.now(),
    );
  }

  /** A request OPEN with a fresh ticket (and requestId) for `who`. */
  async open(who: TicketFor, extra: { serviceAccountToken?: string } = {}): Promise<AgentRequestOpen> {
    const requestId = randomBytes(8).toString('hex');
    return { type: 'request', ticket: await this.ticket(who, requestId), requestId, ...extra };
  }

  announcement(
    keys: TicketKeys,
    signers: TicketSigningKey[],
    nowMs = Date.now(),
  ): Promise<TicketKeyAnnouncement> {
    return signKeyAnnouncement(keys, signers, nowMs);
  }
}
