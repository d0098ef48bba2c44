/**
 * The operator CLI on a fleet's Postgres registry (`--database URL` or SWITCHBOARD_RELAY_DATABASE),
 * and `serve` on the same database seeing what it wrote. The password reaches neither a command
 * line nor any output.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiPaths, clusterListSchema, grantListSchema } from '@switchboard/contract/relay-api';
import { type PostgresServer, startPostgresServer } from '@switchboard/test-support/postgres-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe } from '../helpers/relay-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TestIssuer } from '../helpers/test-issuer.js';

const EXIT = { ok: 0, usage: 2, conflict: 4 };

let server: PostgresServer;
let issuer: TestIssuer;
beforeAll(async () => {
  [server, issuer] = await Promise.all([startPostgresServer(), TestIssuer.start()]);
});
afterAll(async () => {
  await Promise.all([server?.close(), issuer?.close()]);
});

describe('switchboard-relay on a Postgres registry', () => {
  it('administers the registry with --database or the environment, and serve sees it', async () => {
    const database = await server.createDatabase();
    const withoutPassword = database.replace(`:${server.password}@`, '@');
    const viaPgPassword = { PGPASSWORD: server.password };
    const outputs: string[] = [];
    const run = async (args: string[], env: Record<string, string>) => {
      const result = await runCli(args, env);
      outputs.push(result.stdout, result.stderr);
      return result;
    };

    expect(
      (await run(['clusters', 'create', 'prod', '--database', withoutPassword], viaPgPassword)).code,
    ).toBe(EXIT.ok);
    expect(
      (await run(['clusters', 'create', 'prod', '--database', withoutPassword], viaPgPassword)).code,
    ).toBe(EXIT.conflict);
    expect(
      (
        await run(['access', 'grant', '--cluster', 'prod', '--user', 'alice', '--role', 'admin'], {
          SWITCHBOARD_RELAY_DATABASE: database,
        })
      ).code,
    ).toBe(EXIT.ok);
    const grants = grantListSchema.parse(
      JSON.parse(
        (
          await run(['access', 'list', '--cluster', 'prod', '-o', 'json'], {
            SWITCHBOARD_RELAY_DATABASE: database,
          })
        ).stdout,
      ),
    );
    expect(grants.items.map((grant) => [grant.subject, grant.role])).toEqual([['alice', 'admin']]);

    const sealingKeyFile = join(await tempDir(), 'sealing.key');
    await writeFile(sealingKeyFile, randomBytes(32).toString('base64'));
    const relay = await startServe(['--listen', '127.0.0.1:0', '--sealing-key-file', sealingKeyFile], {
      SWITCHBOARD_RELAY_DATABASE: database,
      SWITCHBOARD_RELAY_TRUST_ISSUER: issuer.url,
      SWITCHBOARD_RELAY_TRUST_CLIENT_ID: 'switchboard-test',
      SWITCHBOARD_RELAY_ADMIN_USERS: 'root-admin',
    });
    const names = async () =>
      clusterListSchema
        .parse(
          await (
            await fetch(`${relay.url}${apiPaths.clusters}`, {
              headers: { authorization: `Bearer ${await issuer.sign({ sub: 'root-admin' })}` },
            })
          ).json(),
        )
        .items.map((cluster) => cluster.name);
    expect(await names()).toEqual(['prod']);
    // The CLI writes while the relay serves; the relay reads the registry on every request.
    await run(['clusters', 'create', 'staging', '--database', withoutPassword], viaPgPassword);
    expect(await names()).toEqual(['prod', 'staging']);
    // The agent command the CLI prints names the URL the relay recorded when it started.
    const joinToken = await run(
      ['clusters', 'join-token', 'prod', '--database', withoutPassword],
      viaPgPassword,
    );
    expect(joinToken.stdout).toContain(`--relay ${relay.url}`);
    expect(await relay.stop()).toBe(0);

    expect([...outputs, relay.stderr()].join('\n')).not.toContain(server.password);
  });

  it('refuses contradictory or password-holding registry flags, and says what it needs', async () => {
    const refused = await runCli([
      'clusters',
      'list',
      '--database',
      'postgres://relay:s3cret-pw@127.0.0.1:5432/relay',
    ]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toMatch(/--database must not hold a password/);
    expect(refused.stderr).not.toContain('s3cret-pw');

    const both = await runCli([
      'clusters',
      'list',
      '--data',
      await tempDir(),
      '--database',
      'postgres://h/db',
    ]);
    expect(both.code).toBe(EXIT.usage);
    expect(both.stderr).toMatch(/give --data DIR or --database URL, not both/);

    const neither = await runCli(['access', 'list', '--cluster', 'prod']);
    expect(neither.code).toBe(EXIT.usage);
    expect(neither.stderr).toMatch(
      /--data DIR or --database URL is required \(or set SWITCHBOARD_RELAY_DATA_DIR or SWITCHBOARD_RELAY_DATABASE\)/,
    );

    const notPostgres = await runCli(['clusters', 'list', '--database', 'mysql://relay@db/relay']);
    expect(notPostgres.code).toBe(EXIT.usage);
    expect(notPostgres.stderr).toMatch(/config: database: must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });

  it('says the registry database is unreachable when it is', async () => {
    const unreachable = await runCli(['clusters', 'list'], {
      // Port 1, where nothing listens.
      SWITCHBOARD_RELAY_DATABASE: (await server.createDatabase()).replace(`:${server.port}/`, ':1/'),
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /^switchboard-relay: the registry database is unreachable: connect ECONNREFUSED/,
    );
    expect(unreachable.stderr).not.toContain(server.password);
  });
});
