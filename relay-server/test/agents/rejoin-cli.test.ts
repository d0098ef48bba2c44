/** `switchboard-relay clusters rejoin NAME` (the built CLI, a real process) on a data directory. */
import { expect, it } from 'vitest';
import { hashJoinToken } from '../../src/agents/join-token.js';
import { openSqliteRegistry } from '../../src/registry/sqlite-registry.js';
import { runCli } from '../helpers/relay-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const TOKEN = /sbj_[A-Za-z0-9_-]{43}/;

it('revokes the agent credentials and prints a new join token; grants and entry stay', async () => {
  const data = await tempDir();
  const created = await runCli(['clusters', 'create', 'edge', '--data', data]);
  expect(created.code).toBe(0);
  const firstToken = TOKEN.exec(created.stdout)![0];
  expect(
    (
      await runCli([
        'access',
        'grant',
        '--cluster',
        'edge',
        '--user',
        'bob',
        '--role',
        'connect',
        '--data',
        data,
      ])
    ).code,
  ).toBe(0);

  // The agent joined with the first token (through the registry, as the relay does).
  let registry = await openSqliteRegistry(data);
  const redeemed = await registry.redeemJoinToken(
    hashJoinToken(firstToken),
    {
      id: 'agc_first',
      publicKey: '{}',
      thumbprint: 't',
      agentVersion: 'v',
      expiresAt: new Date(Date.now() + 60_000),
    },
    new Date(),
  );
  expect(redeemed.ok).toBe(true);
  await registry.close();

  const rejoined = await runCli([
    'clusters',
    'rejoin',
    'edge',
    '--relay-url',
    'https://relay.example.com',
    '--data',
    data,
  ]);
  expect(rejoined.code).toBe(0);
  expect(rejoined.stdout).toContain('the agent credentials of cluster "edge" are revoked');
  const newToken = TOKEN.exec(rejoined.stdout)![0];
  expect(newToken).not.toBe(firstToken);
  expect(rejoined.stdout).toContain(`SWITCHBOARD_JOIN_TOKEN=${newToken} npx --no -- switchboard-agent`);

  // Rejoining again spends the token of the first rejoin: only the newest one joins.
  const json = await runCli(['clusters', 'rejoin', 'edge', '--output', 'json', '--data', data]);
  const { joinToken: newestToken } = JSON.parse(json.stdout) as { joinToken: string };
  expect(newestToken).toMatch(TOKEN);

  registry = await openSqliteRegistry(data);
  try {
    expect((await registry.getAgentCredential('agc_first'))?.revokedAt).toBeInstanceOf(Date);
    expect((await registry.listGrants('edge')).map((grant) => grant.subject)).toEqual(['bob']);
    const credential = (id: string) => ({
      id,
      publicKey: '{}',
      thumbprint: id,
      agentVersion: 'v',
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(
      await registry.redeemJoinToken(hashJoinToken(newToken), credential('agc_stale'), new Date()),
    ).toEqual({
      ok: false,
      failure: 'expired',
      cluster: 'edge',
    });
    const again = await registry.redeemJoinToken(
      hashJoinToken(newestToken),
      credential('agc_second'),
      new Date(),
    );
    expect(again).toMatchObject({ ok: true, credential: { cluster: 'edge' } });
  } finally {
    await registry.close();
  }

  expect(await runCli(['clusters', 'rejoin', 'missing', '--data', data])).toMatchObject({ code: 3 });
});
