import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDevIdpUsers } from '../../src/dev-idp/index.js';

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
  const error = await loadDevIdpUsers(file).then(
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
    expect(await loadDevIdpUsers(file)).toEqual([
      {
        username: 'alice',
        password: 's3cret',
        email: 'alice@example.com',
        name: 'Alice',
        groups: ['admins', 'developers'],
      },
      { username: 'bob', password: 'hunter2', groups: [] },
    ]);
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

  test('broken YAML says where', async () => {
    expect(await loadError('broken.yaml', 'users:\n  - username: [alice\n')).toMatch(/not valid YAML.*line/s);
  });
});
