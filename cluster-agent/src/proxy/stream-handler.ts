/**
 * Answers each stream the relay opens: reads the OPEN metadata, which is either a user's request
 * (with the identity ticket the relay signed for it) or a key announcement. A request is served
 * only after its ticket verified with the pinned ticket keys, for this cluster and this stream,
 * once, and its identity passed the same check the relay made. Refusals carry the contract's JSON
 * reason, which the local proxy turns into a status for kubectl.
 */
import type { Identity } from '@switchboard/contract/identity';
import { IdentityRefusedError, validateKubernetesIdentity } from '@switchboard/contract/identity';
import {
  type AgentKeyAnnouncementOpen,
  type AgentRequestOpen,
  agentOpenSchema,
  type OpenRefusal,
  type TicketKeys,
} from '@switchboard/contract/tunnel';
import { ErrorCode, type IncomingStream } from '@switchboard/protocol';
import {
  ReplayCache,
  readFirstKeyAnnouncement,
  TICKET_CLOCK_TOLERANCE_SECONDS,
  TicketRejectedError,
  verifyIdentityTicket,
  verifyKeyAnnouncement,
} from '@switchboard/tickets';
import type { Logger } from '../logger.js';
import type { ApiServerProxy, ConnectionContext } from './apiserver-proxy.js';

/** The relay's ticket keys as this agent pins them (kept in its state). */
export interface PinnedTicketKeys {
  /** Undefined for an agent that joined before ticket keys existed, until the first announcement. */
  keys(): TicketKeys | undefined;
  /** `iat` of the announcement the pinned keys came from, when they came from one. */
  announcedAt(): number | undefined;
  /** Pins (and persists) a new set. */
  pin(keys: TicketKeys, announcedAt: number): Promise<void>;
}

export interface StreamHandlerOptions {
  /** The cluster this agent serves: the only ticket audience it accepts. */
  cluster: () => string;
  ticketKeys: PinnedTicketKeys;
  proxy: ApiServerProxy;
  logger: Logger;
  /** Milliseconds since the epoch (tests inject a clock). */
  now?: () => number;
}

export function refusal(reason: OpenRefusal['reason'], message: string): string {
  return JSON.stringify({ reason, message: message.slice(0, 400) } satisfies OpenRefusal);
}

export class StreamHandler {
  /** Ticket ids seen, until their ticket expires: each ticket opens one stream. */
  readonly #seenTickets = new ReplayCache(TICKET_CLOCK_TOLERANCE_SECONDS);
  readonly #now: () => number;
  /** Announcements are taken one at a time, so two cannot interleave their saves. */
  #pinning: Promise<void> = Promise.resolve();

  constructor(private readonly options: StreamHandlerOptions) {
    this.#now = options.now ?? Date.now;
  }

  readonly handle = (request: IncomingStream): void => {
    this.#handle(request).catch((error: Error) => {
      this.options.logger.error({ stream: request.id, err: error.message }, 'stream handling failed');
      if (!request.signal.aborted) {
        try {
          request.reject('internal error in the cluster agent', ErrorCode.InternalError);
        } catch {}
      }
    });
  };

  async #handle(request: IncomingStream): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(request.metadata.toString('utf8'));
    } catch {
      request.reject(refusal('bad-request', 'the OPEN metadata is not JSON'));
      return;
    }
    const parsed = agentOpenSchema.safeParse(json);
    if (!parsed.success) {
      // The path and message only: never the value, which may be a ticket or a token.
      const issue = parsed.error.issues[0];
      request.reject(
        refusal(
          'bad-request',
          `the OPEN metadata is invalid: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}`,
        ),
      );
      return;
    }
    if (parsed.data.type === 'ticket-keys') {
      const open = parsed.data;
      const taken = this.#pinning.then(() => this.#takeAnnouncement(request, open));
      this.#pinning = taken.catch(() => {});
      await taken;
      return;
    }
    await this.#serve(request, parsed.data);
  }

  async #serve(request: IncomingStream, open: AgentRequestOpen): Promise<void> {
    const log = this.options.logger;
    const keys = this.options.ticketKeys.keys();
    if (!keys) {
      // Only before the first announcement of an agent that joined before ticket keys existed.
      request.reject(
        refusal('cluster-offline', 'the cluster agent has not learnt the relay ticket keys yet; retry'),
      );
      return;
    }
    const now = this.#now();
    let identity: Identity;
    let mode: ConnectionContext['mode'];
    try {
      const claims = await verifyIdentityTicket(open.ticket, {
        keys,
        cluster: this.options.cluster(),
        requestId: open.requestId,
        now,
      });
      if (!this.#seenTickets.remember(claims.jti, claims.exp, Math.floor(now / 1000))) {
        throw new TicketRejectedError('the identity ticket was presented before (or too many are in flight)');
      }
      if (claims.mode === 'service-account-token' && !open.serviceAccountToken) {
        request.reject(refusal('bad-request', 'service-account-token mode needs a serviceAccountToken'));
        return;
      }
      // The relay checked this before signing; checked again so the apiserver never sees otherwise.
      const validated = validateKubernetesIdentity(
        { username: claims.sub, groups: claims.groups },
        claims.mode,
      );
      if (validated.droppedGroups.length > 0) {
        log.warn(
          { requestId: open.requestId, user: claims.sub, groups: validated.droppedGroups },
          'dropping reserved system: groups from the ticket',
        );
      }
      identity = {
        username: validated.username,
        groups: validated.groups,
        expiresAt: new Date(claims.tokenExp * 1000),
      };
      mode = claims.mode;
    } catch (error) {
      if (request.signal.aborted) return;
      if (error instanceof TicketRejectedError) {
        log.warn({ requestId: open.requestId, reason: error.reason }, 'identity ticket refused');
        request.reject(refusal('unauthenticated', error.reason));
        return;
      }
      if (error instanceof IdentityRefusedError) {
        log.warn(
          { requestId: open.requestId, reason: error.message },
          'identity refused: Kubernetes must not see it',
        );
        request.reject(refusal('forbidden', error.message));
        return;
      }
      throw error;
    }
    if (request.signal.aborted) return;

    const stream = request.accept();
    const context: ConnectionContext = {
      identity,
      mode,
      requestId: open.requestId,
      ...(open.serviceAccountToken !== undefined && { serviceAccountToken: open.serviceAccountToken }),
    };
    log.debug(
      { requestId: open.requestId, stream: request.id, user: identity.username, mode },
      'stream accepted',
    );
    this.options.proxy.serve(stream, context);
  }

  async #takeAnnouncement(request: IncomingStream, open: AgentKeyAnnouncementOpen): Promise<void> {
    const log = this.options.logger;
    const { ticketKeys } = this.options;
    const pinned = ticketKeys.keys();
    const same = (keys: TicketKeys) => JSON.stringify(pinned) === JSON.stringify(keys);
    try {
      const announced = pinned
        ? await verifyKeyAnnouncement(open.announcement, pinned)
        : readFirstKeyAnnouncement(open.announcement);
      // The set it pins already (every session hears it, from whichever relay replica): nothing to do.
      if (!same(announced.ticketKeys)) {
        const since = ticketKeys.announcedAt();
        if (since !== undefined && announced.iat < since) {
          throw new TicketRejectedError('the key announcement is older than the one the agent pins');
        }
        await ticketKeys.pin(announced.ticketKeys, announced.iat);
        log.info(
          { kids: announced.ticketKeys.keys.map((key) => key.kid) },
          pinned
            ? 'pinned the relay ticket keys it announced'
            : 'pinned the relay ticket keys from its first announcement (this agent joined before ticket keys existed)',
        );
      }
    } catch (error) {
      if (!(error instanceof TicketRejectedError)) throw error;
      log.warn({ reason: error.reason }, 'ticket key announcement refused');
      if (!request.signal.aborted) request.reject(refusal('unauthenticated', error.reason));
      return;
    }
    if (request.signal.aborted) return;
    const stream = request.accept();
    stream.on('error', () => {});
    stream.resume();
    stream.end();
  }
}
