/**
 * A relay replica's membership in a fleet (`redis` configured): its Redis connections, its lease and
 * holdings, its view of the other replicas, the change feed, and the links that forward streams to
 * the replica holding a cluster's agent. `relay.ts` wires it to the tunnel and the status service;
 * without Redis none of this exists and the relay runs alone, as before.
 */

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { SessionOptions } from '@switchboard/protocol';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { TicketKeySealer } from '../tickets/ticket-key-sealer.js';
import type { Forwarder } from '../tunnel/tunnel-server.js';
import { type FleetEvent, FleetEventBus, type RegistryChange } from './fleet-events.js';
import { FleetView } from './fleet-view.js';
import { PEER_KEY_PURPOSE, PeerAuthenticator } from './peer-auth.js';
import { type FleetCertificate, PeerLinks } from './peer-links.js';
import { connectRedis, type RedisConnections } from './redis-connection.js';
import { ReplicaLease, reapReplica } from './replica-lease.js';

export interface FleetSettings {
  /** How long a replica's lease lasts without a refresh: how long a killed replica still counts. */
  leaseMs: number;
  /** How often the lease is refreshed and the others' leases read. */
  refreshMs: number;
}

/** A killed replica's agents stop counting within 1.5 s; a replica may stall 1 s without losing its lease. */
export const DEFAULT_FLEET_SETTINGS: FleetSettings = { leaseMs: 1_500, refreshMs: 500 };

export interface FleetOptions {
  redisUrl: string;
  replicaId: string;
  /** Where the other replicas reach this one. */
  peerUrl: string;
  /** The fleet's shared sealing key: the replicas derive their peer authentication key from it. */
  sealer: TicketKeySealer;
  /** The TLS certificate the replicas serve, pinned on peer links. */
  certificate?: FleetCertificate;
  /** Windows and limits of peer sessions (those of the tunnel). */
  peerSession: Omit<SessionOptions, 'role'>;
  /** Agent sessions this replica holds now, per cluster. */
  localHoldings: () => ReadonlyMap<string, number>;
  /** A registry change made through another replica or the operator CLI. */
  onRegistryChange: (change: RegistryChange, cluster: string) => void;
  /** Redis is back after an absence (or the first time): changes may have been missed. */
  onReconnected: () => void;
  /** The fleet-wide session count of a cluster may have changed. */
  onSessions: (cluster: string) => void;
  logger: Logger;
  settings?: Partial<FleetSettings>;
}

export class Fleet {
  readonly replicaId: string;
  readonly auth: PeerAuthenticator;
  readonly peers: PeerLinks;
  readonly #redis: RedisConnections;
  readonly #bus: FleetEventBus;
  readonly #view: FleetView;
  readonly #lease: ReplicaLease;
  readonly #tick: NodeJS.Timeout;
  readonly #logger: Logger;

  constructor(options: FleetOptions) {
    const settings = { ...DEFAULT_FLEET_SETTINGS, ...options.settings };
    const { replicaId, logger } = options;
    this.replicaId = replicaId;
    this.#logger = logger;
    this.#redis = connectRedis(options.redisUrl, replicaId, logger);
    const { commands, subscriber } = this.#redis;
    this.#view = new FleetView({
      redis: commands,
      replicaId,
      logger,
      onReplicaExpired: async (expired) => {
        logger.warn(
          { replica: expired },
          'a replica lease ran out (killed or cut off): forgetting its agents',
        );
        await reapReplica(commands, this.#bus, expired);
      },
    });
    this.#view.on('sessions', options.onSessions);
    this.#bus = new FleetEventBus({
      commands,
      subscriber,
      logger,
      onEvent: (event) => this.#onEvent(event, options),
      onResubscribed: () => {
        void this.#lease.refresh();
        void this.#view.reload().catch(() => {});
        options.onReconnected();
      },
    });
    this.#lease = new ReplicaLease({
      redis: commands,
      bus: this.#bus,
      replicaId,
      peerUrl: options.peerUrl,
      leaseMs: settings.leaseMs,
      refreshMs: settings.refreshMs,
      holdings: options.localHoldings,
      logger,
    });
    this.auth = new PeerAuthenticator(options.sealer.deriveKey(PEER_KEY_PURPOSE), replicaId);
    this.peers = new PeerLinks({
      auth: this.auth,
      session: options.peerSession,
      ...(options.certificate && { certificate: options.certificate }),
      logger,
    });
    this.#lease.start();
    this.#tick = setInterval(() => void this.#view.tick().catch(() => {}), settings.refreshMs);
    this.#tick.unref();
  }

  /** The command connection to Redis, for the fleet-wide replay cache and user limits. */
  get redis(): Redis {
    return this.#redis.commands;
  }

  /** What routing needs: the replicas holding a cluster's agents, and a way to open a stream there. */
  get forwarder(): Forwarder {
    return {
      holders: (cluster) => this.#view.holders(cluster),
      open: (peer, forward, signal) => this.peers.open(peer, forward, signal),
    };
  }

  /** Agent sessions of the cluster the other live replicas hold. */
  sessionsElsewhere(cluster: string): number {
    return this.#view.sessionsElsewhere(cluster);
  }

  /** This replica now holds `sessions` sessions of the cluster. */
  holdingChanged(cluster: string, sessions: number): void {
    void this.#lease.holdingChanged(cluster, sessions);
  }

  /** Tells the other replicas about a registry change this replica (or the CLI) made. */
  async publishRegistryChange(change: RegistryChange, cluster: string): Promise<void> {
    const sent = await this.#bus.publish({ type: 'registry', change, cluster, origin: this.replicaId });
    if (!sent) {
      this.#logger.warn(
        { change, cluster },
        'cannot tell the other replicas about a registry change (Redis away): they see it at their next reconciliation',
      );
    }
  }

  /** Why this replica cannot take part in the fleet now (readiness); undefined when it can. */
  notReadyBecause(): string | undefined {
    const unavailable = this.#redis.unavailableReason();
    if (unavailable) return unavailable;
    const failure = this.#lease.failure;
    return failure === undefined
      ? undefined
      : `this replica cannot refresh its fleet lease in Redis (${failure})`;
  }

  /** Leaves the fleet: the lease is given up so the others stop counting this replica at once. */
  async close(): Promise<void> {
    clearInterval(this.#tick);
    await this.#lease.release();
    this.peers.close('replica stopping');
    await this.#redis.close();
  }

  #onEvent(event: FleetEvent, options: FleetOptions): void {
    if (event.type === 'registry') {
      if (event.origin !== this.replicaId) options.onRegistryChange(event.change, event.cluster);
      return;
    }
    this.#view.apply(event);
  }
}

/** A replica id unique enough for a fleet when none is configured: the host name and a random suffix. */
export function defaultReplicaId(): string {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 50) || 'relay';
  return `${host}-${randomBytes(4).toString('hex')}`;
}
