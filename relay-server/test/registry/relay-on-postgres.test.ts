/**
 * A relay whose registry is Postgres, end to end: what it stores outlives it, and while the
 * database is away new work gets a clear 503 while live tunnel streams keep flowing, until the
 * database is back and the relay serves again by itself.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiPaths, clusterListSchema } from '@switchboard/contract/relay-api';
import { ErrorCode } from '@switchboard/protocol';
import { type PostgresServer, startPostgresServer } from '@switchboard/test-support/postgres-server';
import {
  assertion,
  connectAgent,
  connectUser,
  dial,
  joinAgent,
  userOpen,
} from '@switchboard/test-support/tunnel-peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { startTunnelRelay } from '../tunnel/harness.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(() => server?.close());

const UNREACHABLE = {
  status: 503,
  title: 'Registry unavailable',
  detail: 'the registry database is unreachable; retry in a few seconds',
};

/** What a fleet's replicas share: the database and the sealing key. */
async function sharedRegistry(): Promise<{ database: string; sealingKeyFile: string }> {
  const sealingKeyFile = join(await tempDir(), 'sealing.key');
  await writeFile(sealingKeyFile, randomBytes(32).toString('base64'));
  return { database: await server.createDatabase(), sealingKeyFile };
}

function get(url: string, path: string, token: string): Promise<Response> {
  return fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

describe('relay on Postgres', () => {
  it('keeps what it stored across a restart', async () => {
    const config = await sharedRegistry();
    const first = await startTunnelRelay({}, config);
    const created = await fetch(`${first.relay.url}${apiPaths.clusters}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await first.token('admin')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'kept', description: 'made through the API' }),
    });
    expect(created.status).toBe(201);
    const pinned = first.relay.ticketKeys.ticketKeys().keys.map((key) => key.kid);
    await first.relay.close();

    const second = await startTunnelRelay({}, config);
    const listed = clusterListSchema.parse(
      await (await get(second.relay.url, apiPaths.clusters, await second.token('admin'))).json(),
    );
    expect(listed.items.map((cluster) => [cluster.name, cluster.description])).toEqual([
      ['kept', 'made through the API'],
    ]);
    // The ticket keys agents pinned are the stored ones, reopened with the shared sealing key.
    expect(second.relay.ticketKeys.ticketKeys().keys.map((key) => key.kid)).toEqual(pinned);
    for (const relay of [first, second]) {
      expect(JSON.stringify(relay.logs())).not.toContain(server.password);
      expect(relay.logs().find((line) => line.msg === 'relay serving')).toMatchObject({
        registry: config.database.replace(`:${server.password}@`, '@'),
      });
    }
  });

  it('answers 503 while Postgres is down, keeps live streams flowing, and recovers by itself', async () => {
    const tunnelRelay = await startTunnelRelay({}, await sharedRegistry());
    const { relay } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('prod'));
    await connectAgent(relay, agent);
    const admin = await tunnelRelay.token('admin');
    const dev = await tunnelRelay.token('dev');
    const { session } = await connectUser(relay, dev);
    const stream = await session.open(userOpen({ cluster: 'prod', token: dev, mode: 'impersonate' }));
    const received: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => received.push(chunk));
    const echoed = async (text: string) => {
      const before = Buffer.concat(received).length;
      stream.write(text);
      await expect.poll(() => Buffer.concat(received).subarray(before).toString()).toBe(text);
    };
    await echoed('before the outage;');

    await server.stop();
    for (const request of [
      () => get(relay.url, apiPaths.clusters, admin),
      () =>
        fetch(`${relay.url}${apiPaths.clusters}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'during' }),
        }),
    ]) {
      const response = await request();
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject(UNREACHABLE);
    }
    const upgrade = await dial(relay.tunnel.agentUrl, await assertion(relay, agent));
    expect(upgrade).toEqual({ status: 503, body: expect.objectContaining(UNREACHABLE) });
    expect((await fetch(`${relay.url}/readyz`)).status).toBe(503);
    // A new stream needs a grant check: refused with the reason, for the proxy to retry.
    await expect(
      session.open(userOpen({ cluster: 'prod', token: dev, mode: 'impersonate' })),
    ).rejects.toMatchObject({
      code: ErrorCode.Refused,
      reason: 'the relay cannot reach its registry database to check your access; retry shortly',
    });

    // The spliced stream does not touch the registry: it carries bytes throughout.
    await echoed('during the outage;');
    expect(relay.tunnel.liveSessions.list('prod')).toHaveLength(1);

    await server.restart();
    await expect.poll(async () => (await get(relay.url, apiPaths.clusters, admin)).status).toBe(200);
    await echoed('after it.');
    stream.end();
    const logs = tunnelRelay.logs();
    expect(JSON.stringify(logs)).not.toContain(server.password);
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: 'request failed: registry unavailable',
        reason: expect.stringMatching(/^the registry database is unreachable: /),
      }),
    );
  });
});
