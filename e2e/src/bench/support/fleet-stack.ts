/**
 * The relay fleet the fleet benchmark measures, every part a real process on loopback:
 *
 *   agents ─┬─ HAProxy 1 ─┐  (TCP round-robin,  ┌─ replica r1 ─┐
 *           ├─ HAProxy 2 ─┼─ each over every ───┼─ replica r2 ─┼─ Postgres, Redis
 *           └─ …         ─┘   replica)          └─ replica r3 ─┘
 *
 * Each replica is a relay host (`relay-host.ts`: `startRelay` with the fleet's configuration, in a
 * process of its own with `--expose-gc`, so its memory can be read after a GC and it can be killed);
 * they trust a relay with the development provider on SQLite in this process, as `startFleet`
 * (e2e/src/fleet) does. The load balancer is several HAProxy processes when one cannot hold every
 * agent's connection: HAProxy holds two sockets per connection and a process may not open more files
 * than `ulimit -n`, which an unprivileged container cannot raise. They are alike (round-robin over all
 * replicas, health checks on /readyz), so an agent sees one load balancer whichever it dials; the
 * first one's URL is the fleet's public URL, the audience of every agent's assertion.
 *
 * Replicas start and stop as a set on a database of the benchmark's choosing, so each part of the
 * benchmark gets fresh replica processes on a database of its own, behind the same load balancers.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Relay, type RelayConfigInput, startRelay } from '@switchboard/relay-server';
import { type Haproxy, startHaproxy } from '@switchboard/test-support/haproxy';
import { type PostgresServer, startPostgresServer } from '@switchboard/test-support/postgres-server';
import { type RedisServer, startRedis } from '@switchboard/test-support/redis-server';
import { freeLoopbackPort } from '@switchboard/test-support/server-process';
import { devIdpIssuerTrust } from '../../fleet/issuer-trust.js';
import { RelayHost } from './fleet.js';

export interface BenchFleetOptions {
  replicas: number;
  balancers: number;
  /** Client connections each HAProxy holds at most. */
  connectionsPerBalancer: number;
  /** Users the issuer knows as service principals (client credentials). */
  users: string[];
}

export interface ServicePrincipal {
  clientId: string;
  clientSecretFile: string;
}

export interface BenchFleet {
  /** The first load balancer's URL: what the fleet calls itself (`publicUrl`). */
  publicUrl: string;
  balancers: Haproxy[];
  postgres: PostgresServer;
  redis: RedisServer;
  /** Service principals of the issuer, by user name. */
  principals: Map<string, ServicePrincipal>;
  /** A temp directory removed on close. */
  dir: string;
  /** The replicas running now (empty between `startReplicas` and after `stopReplicas`). */
  readonly replicas: FleetReplicaHost[];
  /** Starts every replica on `databaseUrl` and waits until each load balancer has it in rotation. */
  startReplicas(databaseUrl: string, maxConnections: number): Promise<FleetReplicaHost[]>;
  /** Closes the replicas still running (GOAWAY, drain) and waits until the load balancers see them down. */
  stopReplicas(): Promise<void>;
  /**
   * Relay hosts on `databaseUrl` outside the fleet (no Redis, behind no load balancer): they write
   * the registry for the benchmark, so that the replicas measured later never held that work's garbage.
   */
  startRegistryWriters(databaseUrl: string, count: number): Promise<RelayHost[]>;
  close(): Promise<void>;
}

export interface FleetReplicaHost {
  id: string;
  /** Its own URL, past the load balancers. */
  url: string;
  host: RelayHost;
}

export async function startBenchFleet(options: BenchFleetOptions): Promise<BenchFleet> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-fleet-'));
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await mkdir(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
    const principals = new Map<string, ServicePrincipal>();
    const servicePrincipals = [];
    for (const user of options.users) {
      const clientId = `bench-${user}`;
      const clientSecret = randomBytes(24).toString('hex');
      const clientSecretFile = join(dir, 'secrets', clientId);
      await writeFile(clientSecretFile, `${clientSecret}\n`, { mode: 0o600 });
      principals.set(user, { clientId, clientSecretFile });
      servicePrincipals.push({ clientId, clientSecret, username: user, groups: [] });
    }
    const usersFile = join(dir, 'issuer-users.json');
    // The provider wants one person besides the principals: an operator nobody signs in as here.
    const operator = { username: 'bench-operator', password: randomBytes(16).toString('hex'), groups: [] };
    await writeFile(usersFile, JSON.stringify({ users: [operator], servicePrincipals }), { mode: 0o600 });
    const issuer: Relay = await startRelay(
      {
        listen: '127.0.0.1:0',
        dataDir: join(dir, 'issuer'),
        devIdp: { enabled: true, usersFile },
        logLevel: 'error',
      },
      { logDestination: { write: () => {} } },
    );
    closers.push(() => issuer.close());

    const postgres = await startPostgresServer();
    closers.push(() => postgres.close());
    const redis = await startRedis();
    closers.push(() => redis.stop());
    const sealingKeyFile = join(dir, 'secrets', 'sealing.key');
    await writeFile(sealingKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });

    // Ports first: every replica must know the load balancer's URL, each balancer every replica's port.
    const ports = await Promise.all(Array.from({ length: options.replicas }, () => freeLoopbackPort()));
    const ids = ports.map((_, index) => `r${index + 1}`);
    const backends = ports.map((port, index) => ({ name: ids[index]!, host: '127.0.0.1', port }));
    const balancers: Haproxy[] = [];
    for (let i = 0; i < options.balancers; i++) {
      const balancer = await startHaproxy({
        backends,
        healthCheck: { path: '/readyz' },
        maxConnections: options.connectionsPerBalancer,
      });
      balancers.push(balancer);
      closers.push(() => balancer.stop());
    }
    const publicUrl = `http://127.0.0.1:${balancers[0]!.port}`;
    // Nothing listens on the replicas' ports yet: once every balancer says so, "UP" means started.
    await Promise.all(ids.flatMap((id) => balancers.map((balancer) => balancer.waitForServer(id, 'DOWN'))));

    let replicas: FleetReplicaHost[] = [];
    const stopReplicas = async () => {
      const running = replicas;
      replicas = [];
      await Promise.all(running.map((replica) => replica.host.close()));
      await Promise.all(
        running.flatMap((replica) => balancers.map((balancer) => balancer.waitForServer(replica.id, 'DOWN'))),
      );
    };
    closers.push(() => Promise.all(replicas.map((replica) => replica.host.kill())));

    const relayConfig = (databaseUrl: string): RelayConfigInput => ({
      database: databaseUrl,
      sealingKeyFile,
      publicUrl,
      trust: devIdpIssuerTrust(issuer.url),
      admins: { users: [], groups: [] },
      logLevel: 'error',
    });

    const startReplicas = async (databaseUrl: string, maxConnections: number) => {
      if (replicas.length > 0) throw new Error('the replicas are running already');
      const config = (index: number): RelayConfigInput => ({
        ...relayConfig(databaseUrl),
        listen: `127.0.0.1:${ports[index]}`,
        redis: redis.url,
        fleet: { replicaId: ids[index]! },
        maxConnections,
      });
      // One at a time: the first migrates the database (the others would wait on its lock anyway).
      for (let index = 0; index < ports.length; index++) {
        const id = ids[index]!;
        const host = await RelayHost.start(config(index), `replica ${id}`);
        replicas.push({ id, url: `http://127.0.0.1:${ports[index]}`, host });
      }
      await Promise.all(
        ids.flatMap((id) => balancers.map((balancer) => balancer.waitForServer(id, 'UP', 30_000))),
      );
      return replicas;
    };

    const startRegistryWriters = async (databaseUrl: string, count: number) => {
      const writers: RelayHost[] = [];
      try {
        // One at a time, as replicas: the first migrates the database.
        for (let i = 0; i < count; i++) {
          writers.push(
            await RelayHost.start(
              { ...relayConfig(databaseUrl), listen: '127.0.0.1:0' },
              `registry writer ${i + 1}`,
            ),
          );
        }
        return writers;
      } catch (error) {
        await Promise.all(writers.map((writer) => writer.kill()));
        throw error;
      }
    };

    return {
      publicUrl,
      balancers,
      postgres,
      redis,
      principals,
      dir,
      get replicas() {
        return replicas;
      },
      startReplicas,
      stopReplicas,
      startRegistryWriters,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
