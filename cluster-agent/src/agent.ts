/**
 * The cluster agent in-process: credential (join once, then reuse), apiserver access, the
 * relay sessions, and the HTTP proxy each accepted stream is served by.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join as joinPath } from 'node:path';
import { ReconnectBackoff, type SessionOptions } from '@switchboard/protocol';
import { OidcTokenVerifier, type OidcTokenVerifierOptions } from '@switchboard/relay-server/identity';
import type { DestinationStream } from 'pino';
import { ApiServer, type ApiServerConfig } from './kube/apiserver.js';
import { type InClusterOptions, isInCluster, loadInCluster, loadKubeconfig } from './kube/kubeconfig.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { ApiServerProxy } from './proxy/apiserver-proxy.js';
import { StreamHandler } from './proxy/stream-handler.js';
import { FileStateStore } from './state/file-store.js';
import { DEFAULT_SECRET_NAME, SecretStateStore } from './state/secret-store.js';
import type { AgentState, StateStore } from './state/state.js';
import { importPrivateKey } from './tunnel/assertion.js';
import { Connector, type Credential, type SessionObserver } from './tunnel/connector.js';
import { JoinError, join, joinTokenDigest } from './tunnel/join.js';
import { relayAgent } from './tunnel/proxy-agent.js';
import { relayBaseUrl } from './tunnel/relay-urls.js';

export interface AgentOptions {
  /** The relay's base URL, e.g. `https://relay.example.com`. */
  relay: string;
  /** Single-use join token; needed only for the first start (or to revive an expired credential). */
  joinToken?: string;

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
  /** How often token files (projected ServiceAccount tokens) are re-read. */
  tokenRefreshMs?: number;
  verifier?: OidcTokenVerifierOptions;
  /** Hears about each session (heartbeats and metadata hook in here). */
  observer?: SessionObserver;

  logger?: Logger;
  logLevel?: LogLevel;
  logDestination?: DestinationStream;
}

export interface RunningAgent {
  /** The cluster this agent serves, as the relay named it at join. */
  cluster: string;
  credentialId: string;
  /** Where the credential is kept. */
  stateLocation: string;
  /** Whether this start joined (true) or reused a stored credential (false). */
  joined: boolean;
  apiServer: string;
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
    relayAgent(relay, { env, ...(options.relayCa !== undefined && { ca: options.relayCa }) });

  const apiServerConfig = resolveApiServer(options, env, logger);
  const apiServer = new ApiServer(apiServerConfig);
  let connector: Connector | undefined;
  let proxy: ApiServerProxy | undefined;
  try {
    const store = resolveStateStore(options, apiServer, apiServerConfig);
    const { state, joined } = await obtainCredential(store, options, relay, agentFor, logger);
    let credential: Credential = { state, key: await importPrivateKey(state) };
    let verifier = new OidcTokenVerifier(state.trust, options.verifier);
    const triedJoinTokens = new Set<string>(state.joinTokenSha256 ? [state.joinTokenSha256] : []);

    const rejoin = async (): Promise<boolean> => {
      const token = options.joinToken;
      if (!token || triedJoinTokens.has(joinTokenDigest(token))) return false;
      triedJoinTokens.add(joinTokenDigest(token));
      try {
        const fresh = await join({ relay, joinToken: token, agent: agentFor() });
        await store.save(fresh);
        credential = { state: fresh, key: await importPrivateKey(fresh) };
        verifier = new OidcTokenVerifier(fresh.trust, options.verifier);
        logger.info(
          { cluster: fresh.cluster, credentialId: fresh.credentialId, expiresAt: fresh.expiresAt },
          'joined the relay again with the new join token',
        );
        return true;
      } catch (error) {
        logger.error({ err: (error as Error).message }, 'joining with the new join token failed');
        return false;
      }
    };

    proxy = new ApiServerProxy({
      apiServer,
      logger,
      ...(options.keepAliveTimeoutMs !== undefined && { keepAliveTimeoutMs: options.keepAliveTimeoutMs }),
    });
    const handler = new StreamHandler({ verifier: () => verifier, proxy, logger });
    connector = new Connector({
      relay,
      credential: () => credential,
      agent: agentFor,
      onStream: handler.handle,
      onCredentialRejected: rejoin,
      logger,
      ...(options.sessions !== undefined && { sessions: options.sessions }),
      ...(options.session !== undefined && { session: options.session }),
      ...(options.backoff !== undefined && { backoff: options.backoff }),
      ...(options.observer !== undefined && { observer: options.observer }),
    });
    // The issuer is fetched ahead of the first stream; failures are retried on demand.
    verifier
      .discover()
      .catch((error: Error) =>
        logger.warn({ issuer: state.trust.issuer, err: error.message }, 'cannot reach the OpenID issuer yet'),
      );
    if (Date.parse(state.expiresAt) < Date.now()) {
      logger.error(
        { expiresAt: state.expiresAt },
        'the agent credential has expired: ask an admin for a new join token and restart with --join-token',
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

    let closing: Promise<void> | undefined;
    const running = connector;
    const runningProxy = proxy;
    return {
      cluster: state.cluster,
      credentialId: state.credentialId,
      stateLocation: store.description,
      joined,
      apiServer: apiServer.url.origin,
      get liveSessions() {
        return running.liveSessions.length;
      },
      waitForSessions: (count, timeoutMs) => running.waitForSessions(count, timeoutMs),
      close: ({ graceMs = 5_000 } = {}) => {
        closing ??= (async () => {
          await running.close(graceMs);
          runningProxy.close();
          apiServer.close();
          logger.info('agent stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
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

function resolveStateStore(options: AgentOptions, apiServer: ApiServer, config: ApiServerConfig): StateStore {
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
  return new FileStateStore(options.stateDir ?? defaultStateDir(options.env));
}

async function obtainCredential(
  store: StateStore,
  options: AgentOptions,
  relay: URL,
  agentFor: () => ReturnType<typeof relayAgent>,
  logger: Logger,
): Promise<{ state: AgentState; joined: boolean }> {
  const stored = await store.load();
  const token = options.joinToken;
  if (stored) {
    const expired = Date.parse(stored.expiresAt) < Date.now();
    const fresh = token !== undefined && joinTokenDigest(token) !== stored.joinTokenSha256;
    if (stored.relay !== relay.href.replace(/\/+$/, '')) {
      logger.warn(
        { joinedTo: stored.relay, relay: relay.origin },
        'the stored credential was issued by a different relay URL',
      );
    }
    if (!(expired && fresh)) {
      logger.info(
        { cluster: stored.cluster, credentialId: stored.credentialId, state: store.description },
        token !== undefined
          ? 'using the stored agent credential (the join token is not needed again and is ignored)'
          : 'using the stored agent credential',
      );
      return { state: stored, joined: false };
    }
    logger.info(
      { expiresAt: stored.expiresAt },
      'the stored credential has expired; joining with the new join token',
    );
  }
  if (token === undefined) {
    throw new AgentStartError(
      `no agent credential in ${store.description}: pass --join-token (an admin creates one for the cluster on the relay)`,
    );
  }
  const backoff = new ReconnectBackoff();
  for (;;) {
    try {
      const state = await join({ relay, joinToken: token, agent: agentFor() });
      await store.save(state);
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
        throw new AgentStartError((error as Error).message, { cause: error });
      }
      const delay = backoff.nextDelayMs();
      logger.warn({ err: error.message, retryInMs: delay }, 'cannot join yet');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Reads a PEM file for `--ca-file`. */
export function readCaFile(path: string): string {
  return readFileSync(path, 'utf8');
}
