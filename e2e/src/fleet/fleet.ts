/**
 * A relay fleet as it runs in production, every part a real process on loopback:
 *
 *   kubectl ─ local proxy ─┐                 ┌─ replica r1 ─┐
 *                          ├─ HAProxy (TCP, ─┼─ replica r2 ─┼─ Postgres, Redis
 *   agent ─ kube-sim ──────┘   round-robin)  └─ replica r3 ─┘
 *
 * The replicas are `switchboard-relay serve` processes on Postgres and Redis; HAProxy picks one per
 * connection in turn and takes a replica out of rotation when its /readyz fails. The replicas trust
 * an OpenID provider of their own: a relay with the development provider on SQLite, in-process (a
 * fleet cannot run the development provider: its keys live in one process). Agents and local proxies
 * run in-process and know only HAProxy's URL. For the fleet tests and `npm run bench -- fleet`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningAgent, startAgent } from '@switchboard/cluster-agent';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import {
  AccountTokens,
  createLogger,
  EphemeralTokenStore,
  generateLocalIdentity,
  LocalProxy,
  RelayTunnel,
  signInToRelay,
  writeSwitchboardKubeconfig,
} from '@switchboard/main/core';
import { ReconnectBackoff } from '@switchboard/protocol';
import { type Relay, startRelay } from '@switchboard/relay-server';
import { type Haproxy, startHaproxy } from '@switchboard/test-support/haproxy';
import { type PostgresServer, startPostgresServer } from '@switchboard/test-support/postgres-server';
import { type RedisServer, startRedis } from '@switchboard/test-support/redis-server';
import { freeLoopbackPort, ServerProcess } from '@switchboard/test-support/server-process';
import { KubeAdminClient } from '../chain/kube-admin.js';
import { devIdpIssuerTrust } from './issuer-trust.js';

const RELAY_CLI = fileURLToPath(new URL('../../../relay-server/dist/cli/main.js', import.meta.url));
const ADMIN_GROUP = 'fleet-admins';

export interface FleetUserSpec {
  name: string;
  groups?: string[];
}

export interface FleetOptions {
  /** Replicas behind HAProxy (default 3). */
  replicas?: number;
  /** Clusters, each with a kube-sim and an agent (default `alpha`, `beta`). */
  clusters?: string[];
  /** Users, signed in with client credentials at the fleet's issuer (default `alice`, `bob`). */
  users?: FleetUserSpec[];
  /** Environment for every replica beyond what the fleet sets (timers, limits). */
  replicaEnv?: Record<string, string>;
  /** Agent sessions per cluster (default 1). */
  agentSessions?: number;
}

export interface FleetReplica {
  /** `r1`, `r2`, … (its `--replica-id` and HAProxy server name). */
  id: string;
  port: number;
  /** Its own URL, past HAProxy. */
  url: string;
  readonly running: boolean;
  /** Everything it logged (JSON lines) since it was last started. */
  readonly output: string;
  /** SIGTERM: it drains, then exits. */
  stop(): Promise<void>;
  /** SIGKILL. */
  kill(): Promise<void>;
  /** Starts it again on its port and waits until HAProxy has it in rotation. */
  start(): Promise<void>;
}

export interface FleetCluster {
  name: string;
  sim: KubeSim;
  readonly agent: RunningAgent | undefined;
  stopAgent(): Promise<void>;
  startAgent(): Promise<void>;
}

export interface FleetClient {
  user: string;
  kubeconfigPath: string;
  /** `switchboard-<cluster>`. */
  context(cluster: string): string;
  tunnel: RelayTunnel;
  close(): Promise<void>;
}

export interface Fleet {
  /** HAProxy's URL: what agents, proxies and users know. */
  publicUrl: string;
  issuer: Relay;
  postgres: PostgresServer;
  /** The fleet's database (password included): what the operator CLI takes in its environment. */
  databaseUrl: string;
  redis: RedisServer;
  haproxy: Haproxy;
  replicas: FleetReplica[];
  clusters: Map<string, FleetCluster>;
  /** Admin API call (as the fleet admin) at one replica's own URL, or through HAProxy. */
  adminRequest(path: string, init?: RequestInit & { via?: FleetReplica }): Promise<Response>;
  /** A bearer token of `user` at the fleet. */
  tokenOf(user: string): Promise<string>;
  /** A signed-in local proxy and kubeconfig for `user`, with a context per cluster. */
  connectAs(user: string): Promise<FleetClient>;
  /** The last `lines` log lines of every replica (what a failed test prints). */
  logTails(lines?: number): string;
  /** Waits until every replica reports `cluster`'s status as `status` (`GET /api/v1/clusters`). */
  waitForStatus(cluster: string, status: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface Principal {
  clientId: string;
  clientSecretFile: string;
}

export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-fleet-'));
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const replicaCount = options.replicas ?? 3;
    const clusterNames = options.clusters ?? ['alpha', 'beta'];
    const userSpecs = options.users ?? [{ name: 'alice' }, { name: 'bob' }];
    await mkdir(join(dir, 'secrets'), { recursive: true, mode: 0o700 });

    // The issuer: service principals for every user and the fleet admin.
    const principals = new Map<string, Principal>();
    const servicePrincipals = [];
    for (const { name, groups = [] } of [...userSpecs, { name: 'fleet-admin', groups: [ADMIN_GROUP] }]) {
      const clientId = `fleet-${name}`;
      const clientSecret = randomBytes(24).toString('hex');
      const clientSecretFile = join(dir, 'secrets', clientId);
      await writeFile(clientSecretFile, `${clientSecret}\n`, { mode: 0o600 });
      principals.set(name, { clientId, clientSecretFile });
      servicePrincipals.push({ clientId, clientSecret, username: name, groups });
    }
    const usersFile = join(dir, 'issuer-users.json');
    // The provider wants one person besides the principals: an operator nobody signs in as here.
    const operator = {
      username: 'fleet-operator',
      password: randomBytes(16).toString('hex'),
      groups: [ADMIN_GROUP],
    };
    await writeFile(usersFile, JSON.stringify({ users: [operator], servicePrincipals }), { mode: 0o600 });
    const issuer = await startRelay(
      {
        listen: '127.0.0.1:0',
        dataDir: join(dir, 'issuer'),
        devIdp: { enabled: true, usersFile },
        logLevel: 'warn',
      },
      { logDestination: { write: () => {} } },
    );
    closers.push(() => issuer.close());

    const postgres = await startPostgresServer();
    closers.push(() => postgres.close());
    const database = await postgres.createDatabase('switchboard');
    const redis = await startRedis();
    closers.push(() => redis.stop());
    const sealingKeyFile = join(dir, 'secrets', 'sealing.key');
    await writeFile(sealingKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });

    // Ports first: every replica must know HAProxy's URL, HAProxy every replica's port.
    const ports = await Promise.all(Array.from({ length: replicaCount }, () => freeLoopbackPort()));
    const haproxy = await startHaproxy({
      backends: ports.map((port, index) => ({ name: `r${index + 1}`, host: '127.0.0.1', port })),
      healthCheck: { path: '/readyz' },
    });
    closers.push(() => haproxy.stop());
    const publicUrl = `http://127.0.0.1:${haproxy.port}`;
    const configFile = join(dir, 'fleet.yaml');
    await writeFile(
      configFile,
      JSON.stringify({
        publicUrl,
        trust: devIdpIssuerTrust(issuer.url),
        admins: { groups: [ADMIN_GROUP] },
        sealingKeyFile,
        logLevel: 'info',
      }),
      { mode: 0o600 },
    );

    const replicas = ports.map((port, index) =>
      replicaProcess({
        id: `r${index + 1}`,
        port,
        configFile,
        env: {
          SWITCHBOARD_RELAY_DATABASE: database,
          SWITCHBOARD_RELAY_REDIS: redis.url,
          ...options.replicaEnv,
        },
        dir,
        haproxy,
      }),
    );
    closers.push(() => Promise.all(replicas.map((replica) => replica.kill())));
    // One at a time: the first migrates the database (the others would wait on its lock anyway).
    for (const replica of replicas) await replica.start();

    const tokenStores = new Map<string, EphemeralTokenStore>();
    const tokensOf = async (user: string) => {
      let store = tokenStores.get(user);
      if (!store) {
        const principal = principals.get(user);
        if (!principal) throw new Error(`no user "${user}" in this fleet`);
        store = new EphemeralTokenStore();
        await signInToRelay(publicUrl, { kind: 'client-credentials', ...principal }, store);
        tokenStores.set(user, store);
      }
      return new AccountTokens(publicUrl, store);
    };
    const tokenOf = async (user: string) => (await (await tokensOf(user)).bearerToken()).value;
    const adminRequest: Fleet['adminRequest'] = async (path, { via, headers, ...init } = {}) =>
      fetch(`${via?.url ?? publicUrl}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${await tokenOf('fleet-admin')}`,
          ...(init.body !== undefined && { 'content-type': 'application/json' }),
          ...headers,
        },
      });
    const expectOk = async (response: Promise<Response>, what: string) => {
      const answer = await response;
      if (!answer.ok) throw new Error(`${what}: HTTP ${answer.status} ${await answer.text()}`);
      return answer;
    };

    const clusters = new Map<string, FleetCluster>();
    for (const name of clusterNames) {
      const sim = await startKubeSim({ scenario: 'demo' });
      closers.push(() => sim.close());
      const kubeconfig = join(dir, 'agents', name, 'kubeconfig');
      await mkdir(join(dir, 'agents', name), { recursive: true, mode: 0o700 });
      await writeFile(kubeconfig, sim.adminKubeconfig, { mode: 0o600 });
      await expectOk(
        adminRequest('/api/v1/clusters', { method: 'POST', body: JSON.stringify({ name }) }),
        `create cluster ${name}`,
      );
      for (const { name: user } of userSpecs) {
        await expectOk(
          adminRequest(`/api/v1/clusters/${name}/grants`, {
            method: 'POST',
            body: JSON.stringify({ subjectKind: 'user', subject: user, role: 'connect' }),
          }),
          `grant ${user} on ${name}`,
        );
        await bindClusterAdmin(sim, user);
      }
      const { joinToken: token } = (await (
        await expectOk(adminRequest(`/api/v1/clusters/${name}/join-tokens`, { method: 'POST' }), 'join token')
      ).json()) as { joinToken: string };
      let agent: RunningAgent | undefined;
      const run = async (joinToken?: string) => {
        agent = await startAgent({
          relay: publicUrl,
          ...(joinToken !== undefined && { joinToken }),
          kubeconfig,
          stateDir: join(dir, 'agents', name, 'state'),
          sessions: options.agentSessions ?? 1,
          backoff: { baseMs: 50, capMs: 500 },
          logLevel: 'warn',
          logDestination: { write: () => {} },
        });
        await agent.waitForSessions(undefined, 20_000);
      };
      await run(token);
      closers.push(async () => agent?.close({ graceMs: 100 }));
      clusters.set(name, {
        name,
        sim,
        get agent() {
          return agent;
        },
        stopAgent: async () => {
          await agent?.close({ graceMs: 100 });
          agent = undefined;
        },
        startAgent: () => run(),
      });
    }

    const clients = new Set<FleetClient>();
    closers.push(() => Promise.all([...clients].map((client) => client.close())));
    const logger = createLogger('warn', { write: () => {} });
    const connectAs = async (user: string): Promise<FleetClient> => {
      const tokens = await tokensOf(user);
      const tunnel = new RelayTunnel({
        relayUrl: publicUrl,
        bearerToken: async () => (await tokens.bearerToken()).value,
        logger,
        backoff: new ReconnectBackoff({ baseMs: 50, capMs: 500 }),
      });
      const identity = await generateLocalIdentity();
      const proxy = await LocalProxy.start({ tunnel, identity, port: 0, logger });
      tunnel.start();
      await proxy.ready();
      const kubeconfigPath = join(dir, 'users', user, 'kubeconfig');
      await mkdir(join(dir, 'users', user), { recursive: true, mode: 0o700 });
      await writeSwitchboardKubeconfig(kubeconfigPath, {
        clusters: clusterNames,
        port: proxy.port,
        identity,
      });
      const client: FleetClient = {
        user,
        kubeconfigPath,
        context: (cluster) => `switchboard-${cluster}`,
        tunnel,
        close: async () => {
          if (!clients.delete(client)) return;
          await proxy.close();
          await tunnel.close();
        },
      };
      clients.add(client);
      return client;
    };

    const waitForStatus: Fleet['waitForStatus'] = async (cluster, status, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      let seen: string[] = [];
      for (;;) {
        seen = await Promise.all(
          replicas
            .filter((replica) => replica.running)
            .map(async (replica) => {
              const response = await adminRequest('/api/v1/clusters', { via: replica }).catch(
                () => undefined,
              );
              if (!response?.ok) return `${replica.id}: HTTP ${response?.status ?? 'unreachable'}`;
              const { items } = (await response.json()) as { items: { name: string; status: string }[] };
              return `${replica.id}: ${items.find((item) => item.name === cluster)?.status ?? 'absent'}`;
            }),
        );
        if (seen.every((line) => line.endsWith(`: ${status}`))) return;
        if (Date.now() > deadline) {
          throw new Error(`cluster ${cluster} is not ${status} on every replica: ${seen.join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };

    const logTails = (lines = 40) =>
      replicas
        .map(
          (replica) =>
            `--- replica ${replica.id}:\n${replica.output.trimEnd().split('\n').slice(-lines).join('\n')}`,
        )
        .join('\n');

    return {
      publicUrl,
      issuer,
      logTails,
      postgres,
      databaseUrl: database,
      redis,
      haproxy,
      replicas,
      clusters,
      adminRequest,
      tokenOf,
      connectAs,
      waitForStatus,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function replicaProcess(options: {
  id: string;
  port: number;
  configFile: string;
  env: Record<string, string>;
  dir: string;
  haproxy: Haproxy;
}): FleetReplica {
  const { id, port, configFile, env, dir, haproxy } = options;
  let child: ServerProcess | undefined;
  const replica: FleetReplica = {
    id,
    port,
    url: `http://127.0.0.1:${port}`,
    get running() {
      return child?.running ?? false;
    },
    get output() {
      return child?.output ?? '';
    },
    async start() {
      if (child?.running) return;
      child = new ServerProcess({
        name: `relay replica ${id}`,
        command: process.execPath,
        args: [
          RELAY_CLI,
          'serve',
          '--config',
          configFile,
          '--listen',
          `127.0.0.1:${port}`,
          '--replica-id',
          id,
        ],
        cwd: dir,
        env,
      });
      await child.waitForOutput(/^ready /m, { timeoutMs: 30_000 });
      await haproxy.waitForServer(id, 'UP', 10_000);
    },
    async stop() {
      await child?.stop('SIGTERM');
    },
    async kill() {
      await child?.stop('SIGKILL');
    },
  };
  return replica;
}

/** Every fleet user may do anything on the cluster (RBAC is not what these tests are about). */
async function bindClusterAdmin(sim: KubeSim, user: string): Promise<void> {
  const admin = new KubeAdminClient(sim.adminKubeconfig);
  try {
    await admin.bindClusterRole(user, 'cluster-admin', 'fleet');
  } finally {
    admin.close();
  }
}
