/**
 * A relay in a child process of its own (so its memory is its own), driven over IPC by the fleet
 * benchmarks: provisions clusters with agent credentials straight in the registry, reports its
 * memory after a GC, and closes (GOAWAY, drain) on request. Run with --expose-gc.
 * argv: <dataDir> <port>
 */
import { randomBytes } from 'node:crypto';
import { type Relay, startRelay } from '@switchboard/relay-server';

export type HostRequest =
  | { type: 'provision'; first: number; count: number; publicKey: string; thumbprint: string }
  | { type: 'memory' }
  | { type: 'close' };

export type HostReply =
  | { type: 'ready'; url: string; agentUrl: string; audience: string; port: number }
  | { type: 'provisioned'; credentials: { id: string; cluster: string }[] }
  | {
      type: 'memory';
      rss: number;
      heapUsed: number;
      external: number;
      arrayBuffers: number;
      sessions: number;
    }
  | { type: 'closed' };

const [dataDir, port] = process.argv.slice(2);
const reply = (message: HostReply) => process.send?.(message);

async function main(): Promise<void> {
  const relay: Relay = await startRelay(
    {
      listen: `127.0.0.1:${port ?? 0}`,
      dataDir: dataDir!,
      // Never asked: fleet agents open no user streams. A loopback issuer that does not answer.
      trust: { issuer: 'http://127.0.0.1:9/bench', clientId: 'bench' },
      admins: { users: [], groups: [] },
      logLevel: 'fatal',
    },
    { logDestination: { write: () => {} } },
  );
  const url = new URL(relay.url);
  reply({
    type: 'ready',
    url: relay.url,
    agentUrl: relay.tunnel.agentUrl,
    audience: relay.tunnel.agentAudience,
    port: Number(url.port),
  });
  process.on('message', async (request: HostRequest) => {
    if (request.type === 'provision') {
      const credentials: { id: string; cluster: string }[] = [];
      const now = new Date();
      const expiresAt = new Date(now.getTime() + 24 * 3600_000);
      for (let i = request.first; i < request.first + request.count; i++) {
        const cluster = `idle-${String(i).padStart(5, '0')}`;
        await relay.registry.createCluster({
          name: cluster,
          description: '',
          labels: {},
          createdBy: 'bench',
        });
        const tokenHash = randomBytes(32).toString('hex');
        await relay.registry.createJoinToken({ cluster, tokenHash, expiresAt, createdBy: 'bench' });
        const id = `agc_${randomBytes(16).toString('base64url')}`;
        const result = await relay.registry.redeemJoinToken(
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
        credentials.push({ id, cluster });
      }
      reply({ type: 'provisioned', credentials });
    } else if (request.type === 'memory') {
      for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      reply({
        type: 'memory',
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        sessions: relay.tunnel.server.sessionCount,
      });
    } else if (request.type === 'close') {
      await relay.close();
      reply({ type: 'closed' });
      process.exit(0);
    }
  });
}

main().catch((error: Error) => {
  process.stderr.write(`relay-host: ${error.stack}\n`);
  process.exit(1);
});
