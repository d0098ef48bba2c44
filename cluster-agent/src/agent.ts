/**
 * The cluster agent in-process: credential (join once, then reuse), apiserver access, the
 * relay sessions, and the HTTP proxy each accepted stream is served by.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join as joinPath } from 'node:path';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '@switchboard/contract/tunnel';
import { outboundAgent } from '@switchboard/http-edge/outbound';
import { ReconnectBackoff, type SessionOptions } from '@switchboard/protocol';
import type { DestinationStream } from 'pino';
import { type RunningHealthServer, startHealthServer } from './health/health-server.js';
import { ClusterReader } from './heartbeat/cluster-reader.js';
import { HeartbeatSender } from './heartbeat/heartbeat-sender.js';
import { ApiServer, type ApiServerConfig } from './kube/apiserver.js';
import { type InClusterOptions, isInCluster, loadInCluster, loadKubeconfig } from './kube/kubeconfig.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { ApiServerProxy } from './proxy/apiserver-proxy.js';
import { type PinnedTicketKeys, StreamHandler } from './proxy/stream-handler.js';
import { FileStateStore } from './state/file-store.js';
import { DEFAULT_SECRET_NAME, SecretStateStore } from './state/secret-store.js';
import type { AgentState, StateStore } from './state/state.js';
import { importPrivateKey } from './tunnel/assertion.js';
import { Connector, type Credential, type SessionObserver } from './tunnel/connector.js';
import { JoinError, join, joinTokenDigest } from './tunnel/join.js';
import { relayBaseUrl } from './tunnel/relay-urls.js';
import { CredentialRotator } from './tunnel/rotation.js';
import { AGENT_VERSION } from './version.js';

export interface AgentOptions {
  /** The relay's base URL, e.g. `https://relay.example.com`. */
  relay: string;
  /** Single-use join token; needed only for the first start (or to revive an expired credential). */
  joinToken?: string;
  /** The cluster the install was made for; a credential for another cluster is reported. */
  expectedCluster?: string;

  /** Out of cluster: the apiserver and the agent's credential come from this kubeconfig. */
  kubeconfig?: string;
  context?: string;
  /** In cluster (the default when no kubeconfig is given and KUBERNETES_SERVICE_HOST is set). */
  inCluster?: InClusterOptions;
  /** The apiserver settings directly (instead of a kubeconfig or the pod's service account). */
  apiServer?: ApiServerConfig;

  /** Out of cluster: where the state file lives (default `~/.local/state/switchboard-agent`). */
  stateDir?: string;
  /**
   * In cluster, or when set: keep the state in this Secret (namespace defaults to the agent's own,
   * name to `switchboard-agent-credential`).
   */
  stateSecret?: { namespace?: string; name?: string };
  /** A custom store (tests). */
  stateStore?: StateStore;

  /** PEM roots for the relay's certificate, in addition to nothing else (like curl --cacert). */
  relayCa?: string;
  /** Environment for HTTPS_PROXY/NO_PROXY (process.env by default). */
  env?: NodeJS.ProcessEnv;

  /** Parallel sessions to the relay (default 1). */
  sessions?: number;
  session?: Partial<Omit<SessionOptions, 'role'>>;
  backoff?: { baseMs?: number; capMs?: number; healthyAfterMs?: number };
  /** Idle keep-alive tunnel connections are closed after this long. */
  keepAliveTimeoutMs?: number;
  /**
   * Requests in flight to the apiserver plus spliced upgrades (exec, attach, port-forward), across
   * all streams; past it requests are answered 503 (default `DEFAULT_MAX_UPSTREAM_CONNECTIONS`).
   */
  maxUpstreamConnections?: number;
  /** How often token files (projected ServiceAccount tokens) are re-read. */
  tokenRefreshMs?: number;
  /** Hears about each session (besides the agent's own heartbeats). */
  observer?: SessionObserver;
  /**
   * Credential rotation at half-life: `now` is the clock that decides when it is due (tests move
   * it), `checkIntervalMs` how often a connected agent checks (default 1 h; also on each connect).
   */
  credentialRotation?: { now?: () => number; checkIntervalMs?: number };
  /** How often each session sends a heartbeat with the cluster's metadata (default 60 s). */
  heartbeatIntervalMs?: number;
  /** `HOST:PORT` of the probe endpoint (`/healthz`, `/readyz`); none when absent. */
  healthListen?: string;

  logger?: Logger;
  logLevel?: LogLevel;
  logDestination?: DestinationStream;
}

export interface RunningAgent {
  /** The cluster this agent serves, as the relay named it at join. */
  cluster: string;
  /** The credential in use now (it changes when the agent rotates or joins again). */
  readonly credentialId: string;
  /** Where the credential is kept. */
  stateLocation: string;
  /** Whether this start joined (true) or reused a stored credential (false). */
  joined: boolean;
  apiServer: string;
  /** The bound `host:port` of the probe endpoint, when `healthListen` was given. */
  healthAddress?: string;
  /** Sessions currently open. */
  readonly liveSessions: number;
  /** Resolves once `count` sessions (all by default) are open. */
  waitForSessions(count?: number, timeoutMs?: number): Promise<void>;
  close(options?: { graceMs?: number }): Promise<void>;
}

export class AgentStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AgentStartError';
  }
}

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || joinPath(homedir(), '.local', 'state');
  return joinPath(base, 'switchboard-agent');
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const logger = options.logger ?? createLogger(options.logLevel, options.logDestination);
  const relay = relayBaseUrl(options.relay);
  const env = options.env ?? process.env;
  const agentFor = () =>
    outboundAgent(relay, { env, ...(options.relayCa !== undefined && { ca: options.relayCa }) });

  const apiServerConfig = resolveApiServer(options, env, logger);
  const apiServer = new ApiServer(apiServerConfig);
  let connector: Connector | undefined;
  let proxy: ApiServerProxy | undefined;
  let health: RunningHealthServer | undefined;
  let rotator: CredentialRotator | undefined;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const clusterReader = new ClusterReader(apiServer, heartbeatIntervalMs, logger);
  const heartbeats = new HeartbeatSender({
    facts: () => clusterReader.read(),
    intervalMs: heartbeatIntervalMs,
    agentVersion: AGENT_VERSION,
    logger,
  });
  const observer: SessionObserver = {
    sessionStarted: (session, slot) => {
      heartbeats.sessionStarted(session, slot);
      void rotator?.check();
      options.observer?.sessionStarted?.(session, slot);
    },
    sessionEnded: (session, slot, reason) => {
      heartbeats.sessionEnded(session);
      options.observer?.sessionEnded?.(session, slot, reason);
    },
  };
  try {
    const store = resolveStateStore(options, apiServer, apiServerConfig, logger);
    const { state, joined } = await obtainCredential(store, options, relay, agentFor, env, logger);
    if (options.expectedCluster !== undefined && options.expectedCluster !== state.cluster) {
      logger.warn(
        { expected: options.expectedCluster, cluster: state.cluster, state: store.description },
        'the agent credential belongs to a different cluster than this install was made for: check the join token',
      );
    }
    let credential: Credential = { state, key: await importPrivateKey(state) };
    const useCredential = (next: Credential) => {
      credential = next;
    };
    const triedJoinTokens = new Set<string>(state.joinTokenSha256 ? [state.joinTokenSha256] : []);
    const rotating = new CredentialRotator({
      relay,
      store,
      agent: agentFor,
      credential: () => credential,
      onCredential: useCredential,
      connected: () => (connector?.liveSessions.length ?? 0) > 0,
      logger,
      ...options.credentialRotation,
    });
    rotator = rotating;

    const recover = async (): Promise<boolean> => {
      // A rotation this agent (or a replica sharing its state) began or finished elsewhere.
      if (await rotating.check()) return true;
      const token = options.joinToken;
      if (!token || triedJoinTokens.has(joinTokenDigest(token))) return false;
      try {
        const joined = await join({ relay, joinToken: token, agent: agentFor() });
        triedJoinTokens.add(joinTokenDigest(token));
        // A replica sharing the store may have stored an even newer credential meanwhile.
        const fresh = await store.save(joined);
        useCredential({ state: fresh, key: await importPrivateKey(fresh) });
        logger.info(
          { cluster: fresh.cluster, credentialId: fresh.credentialId, expiresAt: fresh.expiresAt },
          'joined the relay again with the new join token',
        );
        return true;
      } catch (error) {
        // A refused token is not tried again; an unreachable relay is, at the next refusal.
        if (!(error instanceof JoinError) || error.permanent) triedJoinTokens.add(joinTokenDigest(token));
        logger.error({ err: (error as Error).message }, 'joining with the new join token failed');
        return false;
      }
    };

    proxy = new ApiServerProxy({
      apiServer,
      logger,
      ...(options.keepAliveTimeoutMs !== undefined && { keepAliveTimeoutMs: options.keepAliveTimeoutMs }),
      ...(options.maxUpstreamConnections !== undefined && {
        maxUpstreamConnections: options.maxUpstreamConnections,
      }),
    });
    const ticketKeys: PinnedTicketKeys = {
      keys: () => credential.state.ticketKeys,
      announcedAt: () => credential.state.ticketKeysAnnouncedAt,
      pin: async (keys, announcedAt) => {
        const { state, key } = credential;
        await rotating.save({ ...state, ticketKeys: keys, ticketKeysAnnouncedAt: announcedAt }, key);
      },
    };
    const handler = new StreamHandler({ cluster: () => credential.state.cluster, ticketKeys, proxy, logger });
    connector = new Connector({
      relay,
      credential: () => credential,
      agent: agentFor,
      onStream: handler.handle,
      onCredentialRejected: recover,
      logger,
      ...(options.sessions !== undefined && { sessions: options.sessions }),
      ...(options.session !== undefined && { session: options.session }),
      ...(options.backoff !== undefined && { backoff: options.backoff }),
      observer,
    });
    if (Date.parse(state.expiresAt) < Date.now()) {
      logger.error(
        { expiresAt: state.expiresAt },
        `the agent credential expired at ${state.expiresAt}: ask the relay admin to run ` +
          `\`switchboard-relay clusters rejoin ${state.cluster}\` and restart the agent with the new join token`,
      );
    }
    logger.info(
      {
        cluster: state.cluster,
        relay: relay.origin,
        apiserver: apiServer.url.origin,
        apiserverCredentials: apiServerConfig.source,
        state: store.description,
        sessions: options.sessions ?? 1,
      },
      'agent starting',
    );
    connector.start();
    rotating.start();
    // A rotation left pending by a restart is completed now; one that is due starts now.
    void rotating.check();
    const started = connector;
    if (options.healthListen !== undefined) {
      health = await startHealthServer({
        listen: options.healthListen,
        liveSessions: () => started.liveSessions.length,
        logger,
      });
      logger.info({ address: health.address }, 'serving health probes (/healthz, /readyz)');
    }

    let closing: Promise<void> | undefined;
    const running = connector;
    const runningProxy = proxy;
    const runningHealth = health;
    return {
      cluster: state.cluster,
      get credentialId() {
        return credential.state.credentialId;
      },
      stateLocation: store.description,
      joined,
      apiServer: apiServer.url.origin,
      ...(runningHealth !== undefined && { healthAddress: runningHealth.address }),
      get liveSessions() {
        return running.liveSessions.length;
      },
      waitForSessions: (count, timeoutMs) => running.waitForSessions(count, timeoutMs),
      close: ({ graceMs = 5_000 } = {}) => {
        closing ??= (async () => {
          rotating.close();
          heartbeats.close();
          await runningHealth?.close();
          await running.close(graceMs);
          runningProxy.close();
          apiServer.close();
          logger.info('agent stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    rotator?.close();
    heartbeats.close();
    await health?.close();
    await connector?.close(0);
    proxy?.close();
    apiServer.close();
    throw error;
  }
}

function resolveApiServer(options: AgentOptions, env: NodeJS.ProcessEnv, logger: Logger): ApiServerConfig {
  if (options.apiServer) return options.apiServer;
  if (options.kubeconfig) {
    return loadKubeconfig(options.kubeconfig, {
      ...(options.context !== undefined && { context: options.context }),
      ...(options.tokenRefreshMs !== undefined && { tokenRefreshMs: options.tokenRefreshMs }),
    });
  }
  if (options.inCluster || isInCluster(env)) {
    return loadInCluster({
      env,
      ...options.inCluster,
      ...(options.tokenRefreshMs !== undefined && { tokenRefreshMs: options.tokenRefreshMs }),
      onTokenError: (error) =>
        logger.warn({ err: error.message }, 'cannot re-read the service account token; keeping the last one'),
    });
  }
  throw new AgentStartError(
    'no apiserver: pass --kubeconfig, or run the agent in a pod (KUBERNETES_SERVICE_HOST is not set)',
  );
}

function resolveStateStore(
  options: AgentOptions,
  apiServer: ApiServer,
  config: ApiServerConfig,
  logger: Logger,
): StateStore {
  if (options.stateStore) return options.stateStore;
  const inCluster = !options.kubeconfig && !options.apiServer;
  if (options.stateSecret || (inCluster && !options.stateDir)) {
    const namespace = options.stateSecret?.namespace ?? config.namespace;
    if (!namespace) {
      throw new AgentStartError(
        'the namespace of the state Secret is unknown: pass --state-secret-namespace',
      );
    }
    return new SecretStateStore(apiServer, namespace, options.stateSecret?.name ?? DEFAULT_SECRET_NAME);
  }
  return new FileStateStore(options.stateDir ?? defaultStateDir(options.env), logger);
}

async function obtainCredential(
  store: StateStore,
  options: AgentOptions,
  relay: URL,
  agentFor: () => ReturnType<typeof outboundAgent>,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<{ state: AgentState; joined: boolean }> {
  const stored = await store.load();
  const token = options.joinToken;
  if (stored) {
    // A join token this state was not made with: the cluster was rejoined (or the agent moved).
    const fresh = token !== undefined && joinTokenDigest(token) !== stored.joinTokenSha256;
    if (stored.relay !== relay.href.replace(/\/+$/, '')) {
      logger.warn(
        { joinedTo: stored.relay, relay: relay.origin },
        'the stored credential was issued by a different relay URL',
      );
    }
    if (!fresh) {
      logger.info(
        { cluster: stored.cluster, credentialId: stored.credentialId, state: store.description },
        token !== undefined
          ? 'using the stored agent credential (the join token is not needed again and is ignored)'
          : 'using the stored agent credential',
      );
      return { state: stored, joined: false };
    }
    logger.info(
      { credentialId: stored.credentialId, expiresAt: stored.expiresAt },
      'the join token is new to the stored credential; joining again with it (the stored one is replaced)',
    );
  }
  if (token === undefined) {
    throw new AgentStartError(
      `no agent credential in ${store.description}: give a join token in SWITCHBOARD_JOIN_TOKEN or --join-token-file (an admin creates one for the cluster on the relay)`,
    );
  }
  const joinedElsewhere = await waitForJoinClaim(store, stored, env, logger);
  if (joinedElsewhere) return { state: joinedElsewhere, joined: false };
  const backoff = new ReconnectBackoff();
  for (;;) {
    try {
      const state = await store.save(await join({ relay, joinToken: token, agent: agentFor() }));
      logger.info(
        {
          cluster: state.cluster,
          credentialId: state.credentialId,
          expiresAt: state.expiresAt,
          state: store.description,
        },
        'joined the relay',
      );
      return { state, joined: true };
    } catch (error) {
      if (!(error instanceof JoinError) || error.permanent) {
        if (stored && error instanceof JoinError) {
          // Keep running on what there is: the relay says on connect whether it still works.
          logger.error(
            { err: error.message, credentialId: stored.credentialId },
            'the new join token was refused; using the stored agent credential',
          );
          return { state: stored, joined: false };
        }
        throw new AgentStartError((error as Error).message, { cause: error });
      }
      const delay = backoff.nextDelayMs();
      logger.warn({ err: error.message, retryInMs: delay }, 'cannot join yet');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** How often a replica waiting for another one's join looks at the shared state. */
const JOIN_WAIT_POLL_MS = 1_000;

/**
 * With a store shared by replicas, only one may spend the join token: claims the join, or waits
 * until the replica holding the claim has stored a new credential (returned) or abandoned it.
 * Resolves undefined when this replica should join.
 */
async function waitForJoinClaim(
  store: StateStore,
  stored: AgentState | undefined,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<AgentState | undefined> {
  if (!store.claimJoin) return undefined;
  const holder = `${env.POD_NAME || hostname()}/${randomUUID().slice(0, 8)}`;
  let told = false;
  while (!(await store.claimJoin(holder))) {
    if (!told) {
      logger.info(
        { state: store.description },
        'another agent replica is joining; waiting for the credential it stores',
      );
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, JOIN_WAIT_POLL_MS));
    const current = await store.load();
    if (current && current.credentialId !== stored?.credentialId) {
      logger.info(
        { cluster: current.cluster, credentialId: current.credentialId, state: store.description },
        'using the credential another agent replica stored',
      );
      return current;
    }
  }
  return undefined;
}

/** Reads a PEM file for `--ca-file`. */
export function readCaFile(path: string): string {
  return readFileSync(path, 'utf8');
}
