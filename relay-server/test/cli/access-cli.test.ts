import { grantListSchema } from '@switchboard/contract/relay-api';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/relay-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const EXIT = { ok: 0, usage: 2, notFound: 3, conflict: 4 };

describe('switchboard-relay access', () => {
  it('grants, lists and revokes access', async () => {
    const data = await tempDir();
    await runCli(['clusters', 'create', 'prod', '--data', data]);
    expect(
      await runCli([
        'access',
        'grant',
        '--cluster',
        'prod',
        '--user',
        'alice',
        '--role',
        'admin',
        '--data',
        data,
      ]),
    ).toMatchObject({
      code: EXIT.ok,
      stdout: 'user "alice" now has role admin on cluster "prod"\n',
    });
    await runCli([
      'access',
      'grant',
      '--cluster',
      'prod',
      '--group',
      'devs',
      '--role',
      'connect',
      '--data',
      data,
    ]);

    const table = await runCli(['access', 'list', '--cluster', 'prod', '--data', data]);
    expect(table.stdout).toMatch(
      /^KIND +SUBJECT +ROLE +GRANTED BY +GRANTED\nuser +alice +admin +operator:\S+ +\S+\ngroup +devs +connect /,
    );
    const grants = grantListSchema.parse(
      JSON.parse(
        (await runCli(['access', 'list', '--cluster', 'prod', '-o', 'json', '--data', data])).stdout,
      ),
    );
    expect(grants.items).toHaveLength(2);

    expect(
      (await runCli(['access', 'revoke', '--cluster', 'prod', '--group', 'devs', '--data', data])).code,
    ).toBe(EXIT.ok);
    const again = await runCli(['access', 'revoke', '--cluster', 'prod', '--group', 'devs', '--data', data]);
    expect(again).toMatchObject({
      code: EXIT.notFound,
      stderr: 'switchboard-relay: group "devs" holds no grant on cluster "prod"\n',
    });
  });

  it('refuses incomplete or contradictory arguments', async () => {
    const data = await tempDir();
    await runCli(['clusters', 'create', 'prod', '--data', data]);
    const both = await runCli([
      'access',
      'grant',
      '--cluster',
      'prod',
      '--user',
      'a',
      '--group',
      'b',
      '--role',
      'admin',
      '--data',
      data,
    ]);
    expect(both.code).toBe(EXIT.usage);
    expect(both.stderr).toMatch(/exactly one of --user USER or --group GROUP/);
    const badRole = await runCli([
      'access',
      'grant',
      '--cluster',
      'prod',
      '--user',
      'a',
      '--role',
      'owner',
      '--data',
      data,
    ]);
    expect(badRole.code).toBe(EXIT.usage);
    expect(badRole.stderr).toMatch(/role/);
    const noRole = await runCli(['access', 'grant', '--cluster', 'prod', '--user', 'a', '--data', data]);
    expect(noRole.stderr).toMatch(/--role connect\|admin is required/);
    const unknownCluster = await runCli([
      'access',
      'grant',
      '--cluster',
      'nope',
      '--user',
      'a',
      '--role',
      'connect',
      '--data',
      data,
    ]);
    expect(unknownCluster).toMatchObject({
      code: EXIT.notFound,
      stderr: 'switchboard-relay: no cluster "nope"\n',
    });
  });
});
