/**
 * The whole request path in-process, every part real and on port 0:
 *
 *   kubectl ─> LocalProxy (main/) ══> relay (startRelay, --dev-idp, SQLite) ══> agent (startAgent) ─> kube-sim
 *
 * For tests, benchmarks and `npm run demo`. See `startChain` and the `Chain` it returns.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type AgentOptions, type RunningAgent, startAgent } from '@switchboard/cluster-agent';
import { type KubeSim, type KubeSimOptions, type ScenarioName, startKubeSim } from '@switchboard/kube-sim';
import {
  AccountTokens,
  createLogger,
  EphemeralTokenStore,
  generateLocalIdentity,
  KeychainTokenStore,
  KeychainUnavailableError,
  type LocalIdentity,
  LocalProxy,
  RelayTunnel,
  SignInRequiredError,
  signInToRelay,
  type TokenStore,
  writeSwitchboardKubeconfig,
} from '@switchboard/main/core';
import { ReconnectBackoff } from '@switchboard/protocol';
import { type Relay, startRelay, type TunnelSettings } from '@switchboard/relay-server';
import { KubeAdminClient } from './kube-admin.js';

export type RelayRole = 'connect' | 'admin';

/** A principal of the relay's embedded identity provider, signed in with client credentials. */
export interface ChainUserSpec {
  /** The username grants and RBAC refer to; the agent impersonates exactly this name. */
  name: string;
  groups?: string[];
  /** Its grant on the chain's cluster; `null` for none (default `connect`). */
  relayRole?: RelayRole | null;
  /** A ClusterRoleBinding to `cluster-admin` on kube-sim (default false). */
  clusterAdmin?: boolean;
}

export interface ChainUser {
  name: string;
  groups: string[];
  /** The service principal it signs in as (client credentials). */
  clientId: string;
  /** 0600 file holding its client secret (what `switchboard login --client-secret-file` takes). */
  clientSecretFile: string;
}

export interface ChainOptions {
  /** The cluster's name on the relay (default `demo`); the kubeconfig context is `switchboard-<cluster>`. */
  cluster?: string;
  /** Relay database, agent state, secrets, kubeconfig. A fresh temp directory (removed on close) by default. */
  dataDir?: string;
  /** kube-sim's scenario (default `demo`). */
  scenario?: ScenarioName;
  /** More kube-sim options (extraPods, podStartDelayMs, …). */
  kubeSim?: Omit<KubeSimOptions, 'scenario'>;
  /** Put the agent in front of a real cluster (this kubeconfig file) instead of starting kube-sim. */
  upstreamKubeconfig?: string;
  /**
   * Give the impersonated default users `cluster-admin` on the apiserver (a ClusterRoleBinding).
   * Default: true with kube-sim, false with an upstream cluster (never touch a real cluster unasked).
   */
  bindClusterAdmin?: boolean;
  /** The signed-in default user (a service principal): default `demo`. */
  userName?: string;
  /** Extra principals (for narrow-role tests); connect with `chain.connectAs(name)`. */
  users?: ChainUserSpec[];
  /** The human demo user of the dev identity provider (browser / device-code sign-in). */
  human?: { username: string; password: string };
  /**
   * Where the signed-in tokens live: `ephemeral` (memory, the default), `keychain` (the OS keychain,
   * fails without one), `auto` (keychain when usable, else memory), or a store of your own.
   */
  tokenStore?: 'ephemeral' | 'keychain' | 'auto' | TokenStore;
  /** Relay port on 127.0.0.1 (default 0). */
  relayPort?: number;
  /** Local proxy port (default 0). */
  proxyPort?: number;
  /** Where the kubeconfig is written (default `<dataDir>/kubeconfig`). */
  kubeconfigPath?: string;
  /** Lifetime of the dev identity provider's access tokens. */
  accessTokenTtlSeconds?: number;
  /** Relay tunnel settings (limits, timers). */
  relayTunnel?: Partial<TunnelSettings>;
  /** Lifetime of agent credentials the relay issues (90 days by default; credential tests shorten it). */
  agentCredentialTtlMs?: number;
  /** More agent options (sessions, backoff, …). */
  agent?: Partial<Omit<AgentOptions, 'relay' | 'joinToken' | 'kubeconfig' | 'stateDir'>>;
  /** Reconnect backoff of agent and proxy: `fast` (50–500 ms, default, for tests) or `default` (up to 30 s). */
  backoff?: 'fast' | 'default';
  /** Logs of relay, agent and proxy (JSON lines). Silent by default. */
  logDestination?: LogDestination;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/** One signed-in user's side: token store, relay tunnel, local proxy and kubeconfig. */
export interface ChainClient {
  user: ChainUser;
  store: TokenStore;
  tokenStoreKind: 'keychain' | 'ephemeral' | 'custom';
  tunnel: RelayTunnel;
  proxy: LocalProxy;
  identity: LocalIdentity;
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** `https://127.0.0.1:<port>/clusters/<cluster>`. */
  readonly serverUrl: string;
  kubeconfigPath: string;
  /** `switchboard-<cluster>`, the current context of the kubeconfig. */
  context: string;
  /** The user's current bearer token for the relay (never goes to kubectl). */
  bearerToken(): Promise<string>;
  /** Signs in again (client credentials) and uses the new tokens from the next stream on. */
  signInAgain(): Promise<void>;
  /** Starts the proxy again on the same port after `stopProxy` (same identity and kubeconfig). */
  startProxy(): Promise<void>;
  stopProxy(): Promise<void>;
  close(): Promise<void>;
}

export interface ChainRelay {
  readonly current: Relay;
  readonly url: string;
  readonly running: boolean;
  /** Stops the relay (GOAWAY, drain); its URL refuses connections until `start`. */
  stop(): Promise<void>;
  /**
   * Starts it again at the same URL and data directory. The dev identity provider gets fresh keys,
   * so every client signs in again (the chain does that for its clients).
   */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Grants `subject` a role on the chain's cluster (or another one). */
  grant(
    subject: string,
    role: RelayRole,
    options?: { kind?: 'user' | 'group'; cluster?: string },
  ): Promise<void>;
  revoke(subject: string, options?: { kind?: 'user' | 'group'; cluster?: string }): Promise<void>;
  /** Registers another cluster (no agent) and returns its first join token. */
  createCluster(name: string): Promise<string>;
}

export interface ChainAgent {
  /** The running agent, undefined while stopped. */
  readonly current: RunningAgent | undefined;
  readonly running: boolean;
  /** Its kubeconfig file (kube-sim's admin, or the upstream one). */
  kubeconfigPath: string;
  stateDir: string;
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Starts again from its stored credential (no join token needed) and waits for its session. */
  start(): Promise<void>;
  restart(options?: { graceMs?: number }): Promise<void>;
}

export interface Chain {
  cluster: string;
  /** `switchboard-<cluster>`. */
  context: string;
  dataDir: string;
  relayUrl: string;
  /** The apiserver the agent fronts: kube-sim's URL, or the upstream cluster's. */
  apiServerUrl: string;
  /** The default signed-in user's kubeconfig (context current). */
  kubeconfigPath: string;
  /** The proxy URL for the cluster, `https://127.0.0.1:<port>/clusters/<cluster>`. */
  proxyUrl: string;
  /** The default signed-in user's side. */
  client: ChainClient;
  /** Every principal by name (the default user and `users`). */
  users: ReadonlyMap<string, ChainUser>;
  /** The human demo user of the dev identity provider. */
  human: { username: string; password: string };
  /** kube-sim, unless an upstream cluster is used. */
  sim: KubeSim | undefined;
  /** The cluster admin's client on the apiserver, past the tunnel (RBAC, fixtures). */
  kubeAdmin: KubeAdminClient;
  relay: ChainRelay;
  agent: ChainAgent;
  /** Another principal's own token store, proxy (port 0) and kubeconfig under `<dataDir>/users/<name>`. */
  connectAs(name: string, options?: { tokenStore?: ChainOptions['tokenStore'] }): Promise<ChainClient>;
  /** A ClusterRoleBinding of `clusterRole` for `user` (name `chain-<user>-<clusterRole>`). */
  bindClusterRole(user: string, clusterRole: string): Promise<void>;
  /** Stops everything (proxies, agent, relay, kube-sim) and removes the temp directory it made. */
  close(): Promise<void>;
}

/** Where JSON log lines go (a pino destination). */
export interface LogDestination {
  write(line: string): void;
}

const SILENT: LogDestination = { write: () => {} };
const OPERATOR = { kind: 'operator' as const, name: 'switchboard-chain' };

export async function startChain(options: ChainOptions = {}): Promise<Chain> {
  const cluster = options.cluster ?? 'demo';
  const ownDataDir = options.dataDir === undefined;
  const dataDir = resolve(options.dataDir ?? (await mkdtemp(join(tmpdir(), 'switchboard-chain-'))));
  const logDestination = options.logDestination ?? SILENT;
  const logLevel = options.logLevel ?? (options.logDestination ? 'info' : 'warn');
  const fast = (options.backoff ?? 'fast') === 'fast';
  const human = options.human ?? { username: 'alice', password: 'alice' };
  const defaultName = options.userName ?? 'demo';
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await mkdir(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });

    // Principals: the default user and the extra ones, each a service principal with a secret file.
    const specs: ChainUserSpec[] = [
      { name: defaultName, groups: ['demo-users'], relayRole: 'admin', clusterAdmin: true },
      ...(options.users ?? []),
    ];
    const users = new Map<string, ChainUser>();
    const principals = [];
    for (const spec of specs) {
      if (users.has(spec.name) || spec.name === human.username)
        throw new Error(`duplicate user "${spec.name}"`);
      // Client ids stay ASCII (they travel in HTTP Basic credentials); the username is the name as given.
      const clientId = `chain-${spec.name.replace(/[^\w.-]/g, '_')}`;
      const clientSecret = randomBytes(24).toString('hex');
      const clientSecretFile = join(dataDir, 'secrets', clientId);
      await writeFile(clientSecretFile, `${clientSecret}\n`, { mode: 0o600 });
      users.set(spec.name, { name: spec.name, groups: spec.groups ?? [], clientId, clientSecretFile });
      principals.push({ clientId, clientSecret, username: spec.name, groups: spec.groups ?? [] });
    }
    const usersFile = join(dataDir, 'dev-idp-users.json');
    // JSON is YAML too.
    await writeFile(
      usersFile,
      JSON.stringify({
        users: [{ ...human, name: 'Demo User', groups: ['switchboard-admins', 'demo-users'] }],
        servicePrincipals: principals,
      }),
      { mode: 0o600 },
    );

    // The relay.
    const relayConfig = (listen: string) => ({
      listen,
      dataDir: join(dataDir, 'relay'),
      devIdp: {
        enabled: true,
        usersFile,
        ...(options.accessTokenTtlSeconds !== undefined && {
          accessTokenTtlSeconds: options.accessTokenTtlSeconds,
        }),
      },
      logLevel,
    });
    const relayOptions = {
      logDestination,
      ...(options.relayTunnel && { tunnel: options.relayTunnel }),
      ...(options.agentCredentialTtlMs !== undefined && {
        agentCredentialTtlMs: options.agentCredentialTtlMs,
      }),
    };
    let relay = await startRelay(relayConfig(`127.0.0.1:${options.relayPort ?? 0}`), relayOptions);
    let relayRunning = true;
    const relayUrl = relay.url;
    closers.push(async () => {
      if (relayRunning) await relay.close();
    });

    // The apiserver: kube-sim or an upstream cluster.
    let sim: KubeSim | undefined;
    let agentKubeconfig: string;
    let adminKubeconfigText: string;
    if (options.upstreamKubeconfig) {
      agentKubeconfig = resolve(options.upstreamKubeconfig);
      adminKubeconfigText = await readFile(agentKubeconfig, 'utf8');
    } else {
      sim = await startKubeSim({ scenario: options.scenario ?? 'demo', ...options.kubeSim });
      const running = sim;
      closers.push(() => running.close());
      agentKubeconfig = join(dataDir, 'agent', 'kubeconfig');
      await mkdir(join(dataDir, 'agent'), { recursive: true, mode: 0o700 });
      await writeFile(agentKubeconfig, sim.adminKubeconfig, { mode: 0o600 });
      adminKubeconfigText = sim.adminKubeconfig;
    }
    const kubeAdmin = new KubeAdminClient(adminKubeconfigText);
    closers.push(async () => kubeAdmin.close());

    const bindClusterRole = (user: string, clusterRole: string) =>
      kubeAdmin.bindClusterRole(user, clusterRole, 'chain');
    if (options.bindClusterAdmin ?? sim !== undefined) {
      await bindClusterRole(human.username, 'cluster-admin');
      for (const spec of specs) if (spec.clusterAdmin) await bindClusterRole(spec.name, 'cluster-admin');
    }

    // The cluster on the relay, its grants, and the agent joined with a join token.
    await relay.admin.createCluster(OPERATOR, {
      name: cluster,
      description: 'Switchboard chain',
      labels: {},
    });
    const grant: ChainRelay['grant'] = async (subject, role, grantOptions = {}) => {
      await relay.admin.grant(OPERATOR, grantOptions.cluster ?? cluster, {
        subjectKind: grantOptions.kind ?? 'user',
        subject,
        role,
      });
    };
    await grant(human.username, 'admin');
    for (const spec of specs) {
      const role = spec.relayRole === undefined ? 'connect' : spec.relayRole;
      if (role) await grant(spec.name, role);
    }
    const { joinToken } = await relay.admin.issueJoinToken(OPERATOR, cluster);

    const agentStateDir = join(dataDir, 'agent', 'state');
    const runAgent = async (): Promise<RunningAgent> => {
      const running = await startAgent({
        ...(fast && { backoff: { baseMs: 50, capMs: 500 } }),
        ...options.agent,
        relay: relayUrl,
        joinToken,
        kubeconfig: agentKubeconfig,
        stateDir: agentStateDir,
        ...(options.agent?.logger === undefined && { logLevel, logDestination }),
      });
      await running.waitForSessions(undefined, 20_000);
      return running;
    };
    let agent: RunningAgent | undefined = await runAgent();
    closers.push(async () => {
      await agent?.close({ graceMs: 200 });
      agent = undefined;
    });
    const waitForRelayToSeeAgent = () =>
      until(
        () => relayRunning && relay.tunnel.liveSessions.list(cluster).length > 0,
        'the relay to see the agent',
      );
    await waitForRelayToSeeAgent();

    // Clients: token store, sign-in, relay tunnel, local proxy, kubeconfig.
    const clients = new Set<ChainClient>();
    const proxyLogger = createLogger(logLevel, logDestination);
    const openClient = async (
      user: ChainUser,
      where: { kubeconfigPath: string; port: number; tokenStore: ChainOptions['tokenStore'] },
    ): Promise<ChainClient> => {
      const { store, kind } = await tokenStoreFor(where.tokenStore, join(dataDir, 'tokens', user.name));
      const signIn = () =>
        signInToRelay(
          relayUrl,
          { kind: 'client-credentials', clientId: user.clientId, clientSecretFile: user.clientSecretFile },
          store,
        );
      await signIn();
      // A fresh Session after each sign-in: a Session caches its tokens, and after a relay restart
      // (new provider keys) those no longer verify.
      let session = new AccountTokens(relayUrl, store, { logger: proxyLogger });
      const bearerToken = async () => {
        try {
          return (await session.bearerToken()).value;
        } catch (error) {
          if (error instanceof SignInRequiredError)
            session = new AccountTokens(relayUrl, store, { logger: proxyLogger });
          throw error;
        }
      };
      const identity = await generateLocalIdentity();
      const makeTunnel = () =>
        new RelayTunnel({
          relayUrl,
          bearerToken,
          logger: proxyLogger,
          ...(fast && { backoff: new ReconnectBackoff({ baseMs: 50, capMs: 500 }) }),
        });
      let tunnel = makeTunnel();
      let proxy = await LocalProxy.start({ tunnel, identity, port: where.port, logger: proxyLogger });
      let proxyRunning = true;
      const port = proxy.port;
      tunnel.start();
      await proxy.ready();
      await writeSwitchboardKubeconfig(where.kubeconfigPath, { clusters: [cluster], port, identity });
      const client: ChainClient = {
        user,
        store,
        tokenStoreKind: kind,
        get tunnel() {
          return tunnel;
        },
        get proxy() {
          return proxy;
        },
        identity,
        port,
        serverUrl: proxy.serverUrl(cluster),
        kubeconfigPath: where.kubeconfigPath,
        context: `switchboard-${cluster}`,
        bearerToken,
        async signInAgain() {
          await signIn();
          session = new AccountTokens(relayUrl, store, { logger: proxyLogger });
        },
        async stopProxy() {
          if (!proxyRunning) return;
          proxyRunning = false;
          await proxy.close();
          await tunnel.close();
        },
        async startProxy() {
          if (proxyRunning) return;
          tunnel = makeTunnel();
          proxy = await LocalProxy.start({ tunnel, identity, port, logger: proxyLogger });
          proxyRunning = true;
          tunnel.start();
          await proxy.ready();
        },
        async close() {
          if (!clients.delete(client)) return;
          await client.stopProxy();
          if (kind === 'keychain') await store.remove(relayUrl).catch(() => {});
        },
      };
      clients.add(client);
      return client;
    };
    closers.push(async () => {
      for (const client of [...clients]) await client.close();
    });

    const kubeconfigPath = resolve(options.kubeconfigPath ?? join(dataDir, 'kubeconfig'));
    const client = await openClient(users.get(defaultName)!, {
      kubeconfigPath,
      port: options.proxyPort ?? 0,
      tokenStore: options.tokenStore,
    });

    const relayHandle: ChainRelay = {
      get current() {
        return relay;
      },
      url: relayUrl,
      get running() {
        return relayRunning;
      },
      async stop() {
        if (!relayRunning) return;
        relayRunning = false;
        await relay.close();
      },
      async start() {
        if (relayRunning) return;
        relay = await startRelay(relayConfig(new URL(relayUrl).host), relayOptions);
        relayRunning = true;
        // New provider keys: tokens from before do not verify any more.
        for (const each of clients) await each.signInAgain();
      },
      async restart() {
        await relayHandle.stop();
        await relayHandle.start();
      },
      grant,
      async revoke(subject, revokeOptions = {}) {
        await relay.admin.revoke(
          OPERATOR,
          revokeOptions.cluster ?? cluster,
          revokeOptions.kind ?? 'user',
          subject,
        );
      },
      async createCluster(name) {
        await relay.admin.createCluster(OPERATOR, { name, description: '', labels: {} });
        return (await relay.admin.issueJoinToken(OPERATOR, name)).joinToken;
      },
    };

    const agentHandle: ChainAgent = {
      get current() {
        return agent;
      },
      get running() {
        return agent !== undefined;
      },
      kubeconfigPath: agentKubeconfig,
      stateDir: agentStateDir,
      async stop(stopOptions) {
        const running = agent;
        agent = undefined;
        await running?.close({ graceMs: stopOptions?.graceMs ?? 200 });
      },
      async start() {
        if (agent) return;
        agent = await runAgent();
        if (relayRunning) await waitForRelayToSeeAgent();
      },
      async restart(restartOptions) {
        await agentHandle.stop(restartOptions);
        await agentHandle.start();
      },
    };

    return {
      cluster,
      context: `switchboard-${cluster}`,
      dataDir,
      relayUrl,
      apiServerUrl: sim?.url ?? kubeAdmin.server,
      kubeconfigPath,
      proxyUrl: client.serverUrl,
      client,
      users,
      human,
      sim,
      kubeAdmin,
      relay: relayHandle,
      agent: agentHandle,
      async connectAs(name, connectOptions = {}) {
        const user = users.get(name);
        if (!user) throw new Error(`no chain user "${name}": declare it in startChain({ users })`);
        const dir = join(dataDir, 'users', name);
        await mkdir(dir, { recursive: true, mode: 0o700 });
        return openClient(user, {
          kubeconfigPath: join(dir, 'kubeconfig'),
          port: 0,
          tokenStore: connectOptions.tokenStore ?? options.tokenStore,
        });
      },
      bindClusterRole,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * Resolves the token store option. `auto` uses the OS keychain when a round trip works and falls
 * back to memory otherwise (the demo says which one it got).
 */
export async function tokenStoreFor(
  choice: ChainOptions['tokenStore'],
  directory: string,
): Promise<{ store: TokenStore; kind: ChainClient['tokenStoreKind'] }> {
  if (choice !== undefined && typeof choice !== 'string') return { store: choice, kind: 'custom' };
  if (choice === undefined || choice === 'ephemeral')
    return { store: new EphemeralTokenStore(), kind: 'ephemeral' };
  const keychain = new KeychainTokenStore(directory);
  try {
    await keychain.assertUsable();
    return { store: keychain, kind: 'keychain' };
  } catch (error) {
    if (choice === 'keychain' || !(error instanceof KeychainUnavailableError)) throw error;
    return { store: new EphemeralTokenStore(), kind: 'ephemeral' };
  }
}

/** Waits for a condition of in-process state (checked every 20 ms, at most `timeoutMs`). */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
