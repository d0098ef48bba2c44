import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDevIdpUsersFile } from '../../src/dev-idp/index.js';

/** Long enough for a client secret (32 characters or more). */
const SECRET = 'dev-only-secret-0123456789abcdef0123';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-idp-users-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function usersFile(name: string, yaml: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, yaml);
  return file;
}

async function loadError(name: string, yaml: string): Promise<string> {
  const file = await usersFile(name, yaml);
  const error = await loadDevIdpUsersFile(file, { publicClientId: 'switchboard-cli' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  const { message } = error as Error;
  expect(message).toContain(file);
  return message;
}

describe('dev-idp users file', () => {
  test('a valid file loads, with groups defaulting to none', async () => {
    const file = await usersFile(
      'valid.yaml',
      `users:
  - username: alice
    password: s3cret
    email: alice@example.com
    name: Alice
    groups: [admins, developers]
  - username: bob
    password: hunter2
`,
    );
    expect(await loadDevIdpUsersFile(file)).toEqual({
      users: [
        {
          username: 'alice',
          password: 's3cret',
          email: 'alice@example.com',
          name: 'Alice',
          groups: ['admins', 'developers'],
        },
        { username: 'bob', password: 'hunter2', groups: [] },
      ],
      servicePrincipals: [],
    });
  });

  test('errors name every offending field, and never echo a password', async () => {
    const message = await loadError(
      'invalid.yaml',
      `users:
  - username: alice
    groups: [admins]
  - username: bob
    password: do-not-print-me
    email: not-an-email
    groups: developers
  - username: carol
    password: x
    group: [typo]
`,
    );
    expect(message).toContain('users[0].password');
    expect(message).toContain('users[1].email');
    expect(message).toContain('users[1].groups');
    expect(message).toMatch(/users\[2\].*group/);
    expect(message).not.toContain('do-not-print-me');
  });

  test('a duplicate username is named', async () => {
    const message = await loadError(
      'duplicate.yaml',
      `users:
  - { username: alice, password: a }
  - { username: alice, password: b }
`,
    );
    expect(message).toContain('users[1].username');
    expect(message).toContain('duplicate username "alice"');
  });

  test('a missing or empty users list is named', async () => {
    expect(await loadError('empty-list.yaml', 'users: []\n')).toContain('users:');
    expect(await loadError('no-users.yaml', 'people: []\n')).toMatch(/users:.*\n.*people/s);
  });

  test('service principals load beside the users, with groups defaulting to none', async () => {
    const file = await usersFile(
      'principals.yaml',
      `users:
  - { username: alice, password: a }
servicePrincipals:
  - clientId: ci-deployer
    clientSecret: ${SECRET}
    username: ci-bot
    groups: [ci]
  - { clientId: nightly, clientSecret: ${SECRET}x, username: nightly-bot }
`,
    );
    expect((await loadDevIdpUsersFile(file)).servicePrincipals).toEqual([
      { clientId: 'ci-deployer', clientSecret: SECRET, username: 'ci-bot', groups: ['ci'] },
      { clientId: 'nightly', clientSecret: `${SECRET}x`, username: 'nightly-bot', groups: [] },
    ]);
  });

  test('service principal errors name the field and never echo a client secret', async () => {
    const message = await loadError(
      'bad-principals.yaml',
      `users:
  - { username: alice, password: a }
servicePrincipals:
  - { clientId: short, clientSecret: too-short-do-not-print-me, username: short-bot }
  - { clientId: untyped, clientSecret: 12345, username: number-bot }
  - { clientSecret: ${SECRET}, username: anonymous-bot, groups: ci }
  - { clientId: typo, clientSecret: ${SECRET}, username: typo-bot, scopes: [x] }
`,
    );
    expect(message).toContain('servicePrincipals[0].clientSecret: must be at least 32 characters');
    expect(message).toContain('servicePrincipals[1].clientSecret');
    expect(message).toContain('servicePrincipals[2].clientId');
    expect(message).toContain('servicePrincipals[2].groups');
    expect(message).toContain('servicePrincipals[3]: unknown field scopes');
    expect(message).toContain('servicePrincipals[1].clientSecret: must be a string');
    expect(message).not.toContain('do-not-print-me');
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('12345');
  });

  test('usernames are one namespace; client ids are unique and not the public client', async () => {
    const message = await loadError(
      'duplicate-principals.yaml',
      `users:
  - { username: alice, password: a }
servicePrincipals:
  - { clientId: taken, clientSecret: ${SECRET}, username: alice }
  - { clientId: switchboard-cli, clientSecret: ${SECRET}, username: cli-bot }
  - { clientId: taken, clientSecret: ${SECRET}, username: cli-bot }
`,
    );
    expect(message).toContain('servicePrincipals[0].username: duplicate username "alice"');
    expect(message).toContain('servicePrincipals[1].clientId: duplicate client id "switchboard-cli"');
    expect(message).toContain('servicePrincipals[2].username: duplicate username "cli-bot"');
    expect(message).toContain('servicePrincipals[2].clientId: duplicate client id "taken"');
    expect(message).not.toContain(SECRET);
  });

  test('broken YAML says where', async () => {
    expect(await loadError('broken.yaml', 'users:\n  - username: [alice\n')).toMatch(/not valid YAML.*line/s);
  });
});
