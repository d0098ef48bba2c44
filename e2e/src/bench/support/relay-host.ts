/**
 * A relay in a child process of its own (so its memory is its own, and it can be killed), driven
 * over IPC by the agent benchmarks. It starts with the configuration it is sent first (a relay on
 * its own on SQLite, or a fleet replica on Postgres and Redis; secrets travel over IPC, never argv),
 * then: provisions clusters with agent credentials straight in the registry, sets up a cluster that
 * a real agent may join and a user may reach, says how many agent sessions it holds (all, or of one
 * cluster), reports its memory once its queued work is done and after a GC, and closes (GOAWAY,
 * drain) on request. Run with --expose-gc.
 */
import { randomBytes } from 'node:crypto';
import { type Relay, type RelayConfigInput, startRelay } from '@switchboard/relay-server';

export type HostRequest =
  | { type: 'start'; config: RelayConfigInput }
  | {
      type: 'provision';
      /** Clusters `<prefix>-00000` … with one agent credential each, under this public key. */
      prefix: string;
      first: number;
      count: number;
      publicKey: string;
      thumbprint: string;
    }
  | { type: 'reachable-cluster'; cluster: string; user: string }
  /** Agent sessions it holds: of one cluster, or of all. */
  | { type: 'holding'; cluster?: string }
  /** Memory after a GC, once the status work queued before the question is done or `settleBudgetMs` passed. */
  | { type: 'memory'; settleBudgetMs: number }
  | { type: 'close' };

export type HostReply =
  | { type: 'ready'; url: string; agentUrl: string; audience: string; port: number }
  | { type: 'provisioned'; credentials: AgentCredentialRef[] }
  | { type: 'reachable-cluster'; joinToken: string }
  | { type: 'holding'; sessions: number }
  | {
      type: 'memory';
      rss: number;
      heapUsed: number;
      external: number;
      arrayBuffers: number;
      /** Agent sessions it holds. */
      sessions: number;
      /** How long the status work queued before the question took to finish; null: not within the budget. */
      settledMs: number | null;
    }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

export interface AgentCredentialRef {
  id: string;
  cluster: string;
}

/** Registry writes in flight while provisioning: Postgres takes them on several connections. */
const PROVISION_CONCURRENCY = 8;
const OPERATOR = { kind: 'operator' as const, name: 'switchboard-bench' };

const reply = (message: HostReply) => process.send?.(message);
let relay: Relay | undefined;

async function provision(
  registry: Relay['registry'],
  request: Extract<HostRequest, { type: 'provision' }>,
): Promise<AgentCredentialRef[]> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 24 * 3600_000);
  const credentials: AgentCredentialRef[] = new Array(request.count);
  let next = 0;
  const worker = async () => {
    while (next < request.count) {
      const index = next++;
      const cluster = `${request.prefix}-${String(request.first + index).padStart(5, '0')}`;
      await registry.createCluster({ name: cluster, description: '', labels: {}, createdBy: 'bench' });
      const tokenHash = randomBytes(32).toString('hex');
      await registry.createJoinToken({ cluster, tokenHash, expiresAt, createdBy: 'bench' });
      const id = `agc_${randomBytes(16).toString('base64url')}`;
      const result = await registry.redeemJoinToken(
        tokenHash,
        {
          id,
          publicKey: request.publicKey,
          thumbprint: request.thumbprint,
          agentVersion: 'bench',
          expiresAt,
        },
        now,
      );
      if (!result.ok) throw new Error(`cannot provision ${cluster}: ${result.failure}`);
      credentials[index] = { id, cluster };
    }
  };
  await Promise.all(Array.from({ length: PROVISION_CONCURRENCY }, worker));
  return credentials;
}

async function answer(request: HostRequest): Promise<HostReply> {
  if (request.type === 'start') {
    if (relay) throw new Error('the relay host is started already');
    relay = await startRelay(request.config);
    const url = new URL(relay.url);
    return {
      type: 'ready',
      url: relay.url,
      agentUrl: relay.tunnel.agentUrl,
      audience: relay.tunnel.agentAudience,
      port: Number(url.port),
    };
  }
  if (!relay) throw new Error(`${request.type} before start`);
  switch (request.type) {
    case 'provision':
      return { type: 'provisioned', credentials: await provision(relay.registry, request) };
    case 'reachable-cluster': {
      const { cluster, user } = request;
      await relay.admin.createCluster(OPERATOR, { name: cluster, description: 'bench', labels: {} });
      await relay.admin.grant(OPERATOR, cluster, { subjectKind: 'user', subject: user, role: 'admin' });
      const { joinToken } = await relay.admin.issueJoinToken(OPERATOR, cluster);
      return { type: 'reachable-cluster', joinToken };
    }
    case 'holding':
      return { type: 'holding', sessions: relay.tunnel.liveSessions.list(request.cluster).length };
    case 'memory': {
      // Work queued before now (status updates of sessions opened, closed, or held elsewhere in a
      // fleet) is done first: what is left is what the sessions themselves hold.
      const settling = performance.now();
      let budget: NodeJS.Timeout | undefined;
      const settled = await Promise.race([
        relay.status.service.exclusive(async () => true),
        new Promise<false>((resolve) => {
          budget = setTimeout(() => resolve(false), request.settleBudgetMs);
        }),
      ]);
      clearTimeout(budget);
      const settledMs = settled ? performance.now() - settling : null;
      for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      return {
        type: 'memory',
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        sessions: relay.tunnel.liveSessions.list().length,
        settledMs,
      };
    }
    case 'close':
      await relay.close();
      return { type: 'closed' };
  }
}

process.on('message', (request: HostRequest) => {
  answer(request).then(
    (message) => {
      reply(message);
      if (message.type === 'closed') process.exit(0);
    },
    (error: Error) => reply({ type: 'failed', message: error.stack ?? error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
