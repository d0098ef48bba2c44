/**
 * Starts a relay from its configuration: registry, HTTP(S) server, token verification, the
 * admin API and, with `--dev-idp`, the embedded OpenID provider on the same server.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { agentAssertionAudience } from '@switchboard/contract/agent-assertion';
import { CLUSTER_EVENTS_KEEPALIVE_MS, type SwitchboardConfiguration } from '@switchboard/contract/relay-api';
import { tunnelPaths } from '@switchboard/contract/tunnel';
import { outboundAgent } from '@switchboard/http-edge/outbound';
import type { DestinationStream } from 'pino';
import { AdminService, type GlobalAdmins } from './admin/admin-service.js';
import { AgentAssertionVerifier, ASSERTION_CLOCK_SKEW_SECONDS } from './agents/agent-assertion.js';
import { AgentJoinService } from './agents/agent-join.js';
import { AgentRotationService } from './agents/agent-rotation.js';
import { addAdminRoutes } from './api/admin-routes.js';
import { addAgentRoutes } from './api/agent-routes.js';
import { createRequestHandler, type RouteHandler, type SubApp } from './api/request-handler.js';
import { Router } from './api/router.js';
import { addServiceRoutes } from './api/service-routes.js';
import { addStatusRoutes } from './api/status-routes.js';
import { ConfigError } from './config/config-error.js';
import { parseListenAddress } from './config/listen-address.js';
import { parseRelayConfig } from './config/load.js';
import type { RelayConfig, RelayConfigInput } from './config/schema.js';
import { DEV_IDP_CLIENT_ID, DEV_IDP_PATH, devIdpTrust, resolveTrust } from './config/trust.js';
import type { DevIdp } from './dev-idp/index.js';
import { defaultReplicaId, Fleet, type FleetSettings } from './fleet/fleet.js';
import type { RegistryChange } from './fleet/fleet-events.js';
import type { FleetCertificate } from './fleet/peer-links.js';
import { PeerServer } from './fleet/peer-server.js';
import { RedisReplayGuard } from './fleet/redis-replay-guard.js';
import { RedisUserLimits } from './fleet/redis-user-limits.js';
import { OidcTokenVerifier } from './identity/token-verifier.js';
import type { TrustSettings } from './identity/trust-settings.js';
import { createLogger, type Logger } from './logging/logger.js';
import { EXTERNAL_CHANGE_POLL_MS, watchExternalChanges } from './registry/external-changes.js';
import { openRegistry } from './registry/open-registry.js';
import { type ClusterRegistry, PUBLIC_URL_SETTING } from './registry/registry.js';
import { ClusterEventHub } from './status/cluster-event-hub.js';
import { ClusterStatusService } from './status/cluster-status-service.js';
import { loadSealingKey } from './tickets/sealing-key-file.js';
import { TicketKeyRing, type TicketKeySchedule } from './tickets/ticket-key-ring.js';
import { UnopenableTicketKeyError } from './tickets/ticket-key-sealer.js';
import { InMemoryLiveSessions, type LiveSessionIndex } from './tunnel/live-sessions.js';
import { TunnelServer } from './tunnel/tunnel-server.js';
import {
  DEFAULT_TUNNEL_SETTINGS,
  type TunnelSettings,
  tunnelSessionOptions,
} from './tunnel/tunnel-settings.js';
import { RELAY_VERSION } from './version.js';

/** Header blocks beyond this get 431; large enough for an Entra token with many groups. */
const MAX_HEADER_BYTES = 32 * 1024;
/** How long in-flight requests may finish after close() before their connections are cut. */
const SHUTDOWN_GRACE_MS = 5_000;
/** Unread bytes a live status subscriber may leave in its connection beyond its snapshot. */
const STATUS_STREAM_MAX_BUFFERED_BYTES = 1024 * 1024;
/** At most one log line per this long about connections closed for `maxConnections`. */
const DROPPED_CONNECTIONS_LOG_INTERVAL_MS = 10_000;
/**
 * Streams one replica may forward to another at once, all users together. Each holds at most its
 * windows of relay memory, as a local stream does; users' own limits apply where they connect.
 */
const PEER_SESSION_MAX_STREAMS = 8_192;
/** Users' OPENs are rate-limited where they connect; the peer session only guards against a runaway replica. */
const PEER_SESSION_OPEN_RATE = { openRatePerSecond: 20_000, openBurst: 40_000 };
/** With the dev identity provider and no admins configured, its demo admins' group administers. */
const DEV_IDP_DEFAULT_ADMIN_GROUP = 'switchboard-admins';

export interface RelayOptions {
  /** Where logs go (standard error by default); tests pass a stream to read them. */
  logDestination?: DestinationStream;
  /** Tunnel sizes, limits and timers beyond the configuration (tests shorten timers). */
  tunnel?: Partial<TunnelSettings>;
  /** Lifetime of agent credentials (90 days by default); tests make them short. */
  agentCredentialTtlMs?: number;
  /**
   * The relay's clock (ms since the epoch) for agent credentials (issue, expiry, assertions) and
   * connectivity status; tests move it forward.
   */
  now?: () => number;
  /** Live status stream limits and timers (tests shorten them). */
  statusStream?: { keepAliveMs?: number; maxBufferedBytes?: number };
  /** How often to look for registry changes made by another process (the operator CLI on SQLite). */
  externalChangePollMs?: number;
  /** The identity-ticket key schedule and its clock (tests rotate keys in seconds). */
  ticketKeys?: { schedule?: Partial<TicketKeySchedule>; now?: () => number };
  /** Fleet lease timers (with `redis` configured). */
  fleet?: Partial<FleetSettings>;
}

/** What the agent, the local proxy and tests need from a running relay's tunnel. */
export interface TunnelRendezvous {
  /** `ws(s)://…/api/v1/agent/tunnel`: where agents dial. */
  agentUrl: string;
  /** `ws(s)://…/api/v1/tunnel`: where local proxies dial. */
  userUrl: string;
  /** The `aud` agent assertions must carry (`agentAssertionAudience(url)`). */
  agentAudience: string;
  server: TunnelServer;
  liveSessions: LiveSessionIndex;
  settings: TunnelSettings;
}

export interface Relay {
  /** The relay's base URL (its public URL when configured). */
  url: string;
  /** The issuer whose tokens the relay accepts. */
  issuer: string;
  /** Whether the embedded development OpenID provider serves under `<url>/dev-idp`. */
  devIdp: boolean;
  registry: ClusterRegistry;
  admin: AdminService;
  verifier: OidcTokenVerifier;
  logger: Logger;
  tunnel: TunnelRendezvous;
  /** The identity-ticket keys (tests drive rotation through `tunnel.server.refreshTicketKeys()`). */
  ticketKeys: TicketKeyRing;
  /** Connectivity status of every cluster, and the subscribers of its live stream. */
  status: { service: ClusterStatusService; events: ClusterEventHub };
  /** This replica's membership in a fleet; absent for a relay on its own (no Redis). */
  fleet?: Fleet;
  /**
   * Stops: refuses new connections, sends GOAWAY on every tunnel session and lets streams drain
   * (up to `drainTimeoutMs`), then closes the rest, the server and the registry.
   */
  close(): Promise<void>;
}

export async function startRelay(
  input: RelayConfigInput | RelayConfig,
  options: RelayOptions = {},
): Promise<Relay> {
  const config = parseRelayConfig(input);
  const logger = createLogger(config.logLevel, options.logDestination);
  const tls = config.tls && (await readTlsFiles(config.tls));
  const fleetCertificate: FleetCertificate | undefined = tls && {
    pem: tls.cert.toString('utf8'),
    fingerprint256: new X509Certificate(tls.cert).fingerprint256,
  };
  const sealer = await loadSealingKey(config, logger);
  const { registry, deleteTicketKeysHint, externalChangeCount, location } = await openRegistry(
    config,
    logger,
  );

  // The server listens before it can answer: with port 0 (and the dev provider, whose issuer is
  // on this server) the URL is known only then. Until the handler is installed it answers 503.
  let handle: SubApp = (_req, res) => {
    res.writeHead(503, { 'retry-after': '1' }).end();
  };
  const serverOptions = { maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: 30_000, headersTimeout: 10_000 };
  const server = tls
    ? createHttpsServer({ ...serverOptions, ...tls }, (req, res) => handle(req, res))
    : createHttpServer(serverOptions, (req, res) => handle(req, res));
  server.maxConnections = config.maxConnections;
  reportDroppedConnections(server, config.maxConnections, logger);

  let devIdp: DevIdp | undefined;
  let fleet: Fleet | undefined;
  let stopDiscovery = () => {};
  try {
    const address = await listen(server, config.listen);
    const url = config.publicUrl?.replace(/\/+$/, '') ?? localUrl(tls ? 'https' : 'http', address);

    let trust: TrustSettings;
    const mounts = new Map<string, SubApp>();
    let globalAdmins: GlobalAdmins = config.admins;
    if (config.devIdp.enabled) {
      trust = devIdpTrust(url);
      // Loaded only when asked for: the OpenID provider is a large dependency most relays never run.
      const { createDevIdp, loadDevIdpUsersFile } = await import('./dev-idp/index.js');
      const { usersFile, accessTokenTtlSeconds } = config.devIdp;
      const { users, servicePrincipals } = usersFile
        ? await loadDevIdpUsersFile(usersFile, { publicClientId: DEV_IDP_CLIENT_ID }).catch(
            (error: Error) => {
              throw new ConfigError('devIdp.usersFile', error.message);
            },
          )
        : { users: [], servicePrincipals: [] };
      devIdp = await createDevIdp({
        issuer: trust.issuer,
        users,
        publicClientId: DEV_IDP_CLIENT_ID,
        serviceClients: servicePrincipals,
        resource: url,
        ...(accessTokenTtlSeconds !== undefined && { accessTokenTtlSeconds }),
        records: registry,
      });
      mounts.set(DEV_IDP_PATH, devIdp.handler);
      if (globalAdmins.users.length === 0 && globalAdmins.groups.length === 0) {
        globalAdmins = { users: [], groups: [DEV_IDP_DEFAULT_ADMIN_GROUP] };
      }
      logger.warn(
        {
          issuer: trust.issuer,
          admins: globalAdmins,
          servicePrincipals: servicePrincipals.map((principal) => principal.clientId),
        },
        'the development identity provider is on: for demos and tests only',
      );
    } else {
      trust = resolveTrust(config.trust!);
    }

    // The issuer is outside: its discovery document and keys go through HTTPS_PROXY like any egress.
    const verifier = new OidcTokenVerifier(trust, { fetch: { agentFor: (target) => outboundAgent(target) } });
    stopDiscovery = keepDiscovering(verifier, logger);
    await registry.setSetting(PUBLIC_URL_SETTING, url);

    const settings: TunnelSettings = {
      ...DEFAULT_TUNNEL_SETTINGS,
      ...definedOnly({
        maxWindow: config.tunnel.maxWindowBytes,
        maxStreamsPerSession: config.tunnel.maxStreamsPerSession,
        maxStreamsPerUser: config.tunnel.maxStreamsPerUser,
        maxSessionsPerUser: config.tunnel.maxSessionsPerUser,
        userOpenRatePerSecond: config.tunnel.userOpenRatePerSecond,
        userOpenBurst: config.tunnel.userOpenBurst,
      }),
      ...options.tunnel,
    };
    const ticketKeys = new TicketKeyRing({
      registry,
      sealer,
      issuer: url,
      ...(options.ticketKeys?.schedule !== undefined && { schedule: options.ticketKeys.schedule }),
      ...(options.ticketKeys?.now !== undefined && { now: options.ticketKeys.now }),
    });
    await ticketKeys.refresh().catch((error: unknown) => {
      if (!(error instanceof UnopenableTicketKeyError)) throw error;
      throw new ConfigError(
        'sealingKeyFile',
        `${error.message}. Restore the sealing key this relay used before. To start over instead, ` +
          `delete the ticket keys (${deleteTicketKeysHint}) ` +
          'and join every agent again: agents pinned the old keys and refuse tickets of new ones.',
      );
    });
    const agentAudience = agentAssertionAudience(url);
    const liveSessions = new InMemoryLiveSessions();
    const now = options.now ?? Date.now;
    let tunnelServer: TunnelServer | undefined;
    // Late-bound: the fleet hears changes before the services it tells about them exist.
    let applyRegistryChange: (change: RegistryChange, cluster: string) => void = () => {};
    let reconcileEverything: () => Promise<void> = async () => {};
    const replicaFleet =
      config.redis === undefined
        ? undefined
        : new Fleet({
            redisUrl: config.redis,
            replicaId: config.fleet.replicaId ?? defaultReplicaId(),
            peerUrl: config.fleet.peerUrl ?? localUrl(tls ? 'https' : 'http', address),
            sealer,
            ...(fleetCertificate && { certificate: fleetCertificate }),
            peerSession: {
              ...tunnelSessionOptions(settings, PEER_SESSION_MAX_STREAMS),
              ...PEER_SESSION_OPEN_RATE,
            },
            localHoldings: () => sessionsByCluster(liveSessions),
            onRegistryChange: (change, cluster) => applyRegistryChange(change, cluster),
            onReconnected: () => void reconcileEverything(),
            onSessions: (cluster) => {
              status.sessionsChanged(cluster);
              tunnelServer?.sessionsChanged(cluster);
            },
            logger,
            ...(options.fleet && { settings: options.fleet }),
          });
    fleet = replicaFleet;
    const status = new ClusterStatusService({
      registry,
      liveSessions,
      ...(replicaFleet && {
        sessionsElsewhere: (cluster: string) => replicaFleet.sessionsElsewhere(cluster),
        onSessionClosedRecorded: (cluster: string) =>
          replicaFleet.holdingChanged(cluster, liveSessions.list(cluster).length),
      }),
      recommendedAgentVersion: config.agents.recommendedVersion ?? RELAY_VERSION,
      now,
      logger,
      reconcileIntervalMs: settings.credentialCheckIntervalMs,
    });
    applyRegistryChange = (change, name) => {
      if (change === 'deleted') {
        tunnelServer?.closeCluster(name, `cluster "${name}" was deleted`);
        status.clusterDeleted(name);
      } else if (change === 'changed') {
        status.clusterChanged(name);
        void tunnelServer?.checkGrants(name);
      } else {
        tunnelServer?.closeCluster(name, `the agent credentials of cluster "${name}" were revoked (rejoin)`);
      }
    };
    // Applied here at once, then told to the rest of the fleet.
    const registryChanged = (change: RegistryChange, name: string) => {
      applyRegistryChange(change, name);
      void fleet?.publishRegistryChange(change, name);
    };
    const admin = new AdminService(registry, globalAdmins, {
      joinTokenTtlSeconds: config.agents.joinTokenTtlSeconds,
      onClusterDeleted: (name) => registryChanged('deleted', name),
      onClusterChanged: (name) => registryChanged('changed', name),
      onAgentCredentialsRevoked: (name) => registryChanged('credentials-revoked', name),
    });
    // One verifier (one replay cache) for tunnel upgrades and rotations alike.
    const agentAudiences = [agentAudience, agentAudience.replace(/^http/, 'ws')];
    const assertions = new AgentAssertionVerifier(registry, {
      audiences: agentAudiences,
      now,
      ...(fleet && {
        replays: new RedisReplayGuard({
          redis: fleet.redis,
          clockSkewSeconds: ASSERTION_CLOCK_SKEW_SECONDS,
          logger,
        }),
      }),
    });
    let peerServer: PeerServer | undefined;
    tunnelServer = new TunnelServer({
      registry,
      verifier,
      assertions,
      tickets: ticketKeys,
      isGlobalAdmin: (identity) => admin.isGlobalAdmin(identity),
      liveSessions,
      settings,
      logger,
      presence: {
        sessionOpened: (entry) => {
          status.sessionOpened(entry);
          // At once, not after the status queue: under a reconnect storm that queue runs long,
          // and until the others know, their streams for this cluster find no holder.
          fleet?.holdingChanged(entry.cluster, liveSessions.list(entry.cluster).length);
        },
        sessionClosed: (entry) => status.sessionClosed(entry),
        heartbeat: (entry, heartbeat) => status.heartbeat(entry, heartbeat),
      },
      now,
      ...(fleet && {
        userLimits: new RedisUserLimits({ redis: fleet.redis, replicaId: fleet.replicaId, settings, logger }),
        forwarder: fleet.forwarder,
        peerUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) =>
          peerServer!.accept(req, socket, head),
      }),
    });
    const openLocal = tunnelServer;
    peerServer =
      fleet &&
      new PeerServer({
        auth: fleet.auth,
        session: { ...tunnelSessionOptions(settings, PEER_SESSION_MAX_STREAMS), ...PEER_SESSION_OPEN_RATE },
        openLocalAgentStream: (cluster, metadata, signal) =>
          openLocal.openLocalAgentStream(cluster, metadata, signal),
        logger,
      });
    const tunnel: TunnelRendezvous = {
      agentUrl: `${url.replace(/^http/, 'ws')}${tunnelPaths.agentTunnel}`,
      userUrl: `${url.replace(/^http/, 'ws')}${tunnelPaths.userTunnel}`,
      agentAudience,
      server: tunnelServer,
      liveSessions,
      settings,
    };
    const credentialTtl = {
      ...(options.agentCredentialTtlMs !== undefined && { credentialTtlMs: options.agentCredentialTtlMs }),
      now: () => new Date(now()),
    };
    const pinnedKeys = () => ticketKeys.ticketKeys();
    const agentJoin = new AgentJoinService(registry, pinnedKeys, logger, credentialTtl);
    const agentRotation = new AgentRotationService(registry, assertions, pinnedKeys, logger, {
      audiences: agentAudiences,
      ...credentialTtl,
    });

    const router = new Router<RouteHandler>();
    addServiceRoutes(router, publishedConfiguration(trust), async () => {
      try {
        await registry.ping();
      } catch (error) {
        return `the registry database does not answer: ${(error as Error).message}`;
      }
      if (tunnelServer.draining) return 'the relay is draining: it is shutting down';
      const fleetProblem = fleet?.notReadyBecause();
      if (fleetProblem) return fleetProblem;
      return verifier.discovered ? undefined : `the issuer ${trust.issuer} has not been discovered yet`;
    });
    const events = new ClusterEventHub({
      status,
      admin,
      logger,
      now,
      keepAliveMs: options.statusStream?.keepAliveMs ?? CLUSTER_EVENTS_KEEPALIVE_MS,
      maxBufferedBytes: options.statusStream?.maxBufferedBytes ?? STATUS_STREAM_MAX_BUFFERED_BYTES,
    });
    await status.start();
    reconcileEverything = async () => {
      await tunnelServer.checkCredentials();
      await tunnelServer.checkGrants();
      await status.reconcile();
    };
    // Only SQLite's operator CLI writes behind the relay's back this way; on Postgres the fleet's
    // change fan-out carries other processes' writes.
    const externalChanges =
      externalChangeCount &&
      (await watchExternalChanges(
        externalChangeCount,
        options.externalChangePollMs ?? EXTERNAL_CHANGE_POLL_MS,
        reconcileEverything,
        logger,
      ));
    addStatusRoutes(router, events);
    addAdminRoutes(router, admin, url, (clusters) => status.views(clusters));
    addAgentRoutes(router, agentJoin, agentRotation);
    handle = createRequestHandler({ router, mounts, verifier, logger });
    server.on('upgrade', tunnelServer.handleUpgrade);
    logger.info(
      { url, issuer: trust.issuer, registry: location, replica: config.fleet.replicaId },
      'relay serving',
    );

    let closing: Promise<void> | undefined;
    return {
      url,
      issuer: trust.issuer,
      devIdp: devIdp !== undefined,
      registry,
      admin,
      verifier,
      logger,
      tunnel,
      ticketKeys,
      status: { service: status, events },
      ...(fleet && { fleet }),
      close: () => {
        closing ??= (async () => {
          stopDiscovery();
          externalChanges?.close();
          // Live status streams never finish by themselves: end them so the server can close.
          events.close();
          // Stop accepting first, then drain the tunnels (upgraded sockets keep the server open).
          const serverClosed = closeServer(server);
          await Promise.all([
            tunnelServer.drain('relay shutting down'),
            peerServer?.drain('relay shutting down'),
          ]);
          peerServer?.close('relay stopped');
          await serverClosed;
          // After the drain: the sessions it closed are recorded as last seen now.
          await status.close();
          await fleet?.close();
          await devIdp?.close();
          await registry.close();
          logger.info('relay stopped');
          logger.flush();
        })();
        return closing;
      },
    };
  } catch (error) {
    stopDiscovery();
    server.close();
    await fleet?.close();
    await devIdp?.close();
    await registry.close();
    throw error;
  }
}

/** What /.well-known/switchboard-configuration tells clients about signing in. */
function publishedConfiguration(trust: TrustSettings): SwitchboardConfiguration {
  const configuration: SwitchboardConfiguration = {
    relayVersion: RELAY_VERSION,
    issuer: trust.issuer,
    clientId: trust.client.clientId,
    scopes: trust.client.scopes,
    bearerToken: trust.client.bearerToken,
  };
  if (trust.client.resource !== undefined) configuration.resource = trust.client.resource;
  return configuration;
}

/**
 * Loads the issuer's discovery document now, retrying with backoff while it is unreachable, so
 * the relay becomes ready by itself once the issuer is; requests would also load it on demand.
 */
function keepDiscovering(verifier: OidcTokenVerifier, logger: Logger): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = (delayMs: number) => {
    verifier.discover().then(
      (metadata) => logger.info({ issuer: metadata.issuer, jwksUri: metadata.jwksUri }, 'issuer discovered'),
      (error: Error) => {
        if (stopped) return;
        logger.warn(
          { issuer: verifier.trust.issuer, reason: error.message, retryInMs: delayMs },
          'issuer discovery failed',
        );
        timer = setTimeout(() => attempt(Math.min(delayMs * 2, 30_000)), delayMs);
        timer.unref();
      },
    );
  };
  // After the current tick, so a dev provider on this very server is already mounted.
  setImmediate(() => attempt(1_000));
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

async function readTlsFiles(tls: NonNullable<RelayConfig['tls']>): Promise<{ cert: Buffer; key: Buffer }> {
  const read = async (field: 'certFile' | 'keyFile') => {
    try {
      return await readFile(tls[field]);
    } catch (error) {
      throw new ConfigError(`tls.${field}`, `cannot read ${tls[field]}: ${(error as Error).message}`);
    }
  };
  return { cert: await read('certFile'), key: await read('keyFile') };
}

function listen(server: Server, listenAddress: string): Promise<AddressInfo> {
  const { host, port } = parseListenAddress(listenAddress)!;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** The URL of the bound address; a wildcard address is reached through loopback on this machine. */
function localUrl(scheme: 'http' | 'https', address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0'
      ? '127.0.0.1'
      : address.address === '::'
        ? '[::1]'
        : address.family === 'IPv6'
          ? `[${address.address}]`
          : address.address;
  return `${scheme}://${host}:${address.port}`;
}

/** Agent sessions this replica holds, per cluster. */
function sessionsByCluster(liveSessions: LiveSessionIndex): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of liveSessions.list()) counts.set(entry.cluster, (counts.get(entry.cluster) ?? 0) + 1);
  return counts;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Past `maxConnections` Node closes each new connection at once ('drop'). One warning says so, then
 * at most one per interval with the count since: a connection flood must not become a log flood.
 */
function reportDroppedConnections(server: Server, maxConnections: number, logger: Logger): void {
  let dropped = 0;
  let quietUntil = 0;
  server.on('drop', (connection) => {
    dropped++;
    const now = Date.now();
    if (now < quietUntil) return;
    quietUntil = now + DROPPED_CONNECTIONS_LOG_INTERVAL_MS;
    logger.warn(
      { maxConnections, dropped, remoteAddress: connection?.remoteAddress },
      'connection closed: the relay holds its maximum of concurrent connections (maxConnections)',
    );
    dropped = 0;
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
