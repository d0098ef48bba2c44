/**
 * `--dev-idp` on a real relay with a users file: CI service principals sign in with client
 * credentials and the relay accepts their tokens; the access-token lifetime is configurable.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiPaths, whoamiSchema } from '@switchboard/contract/relay-api';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { devIdpTrust } from '../../src/config/trust.js';
import { OidcTokenVerifier } from '../../src/identity/token-verifier.js';
import { startRelay } from '../../src/relay.js';
import { runCli, startServe } from '../helpers/relay-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const PRINCIPAL = {
  clientId: 'ci-deployer',
  clientSecret: 'dev-only-ci-deployer-secret-0123456789',
  username: 'ci-bot',
  groups: ['ci', 'deployers'],
};

async function writeUsersFile(
  directory: string,
  servicePrincipals: unknown[] = [PRINCIPAL],
): Promise<string> {
  const file = join(directory, 'dev-idp-users.yaml');
  const principals = servicePrincipals.map((principal) => `  - ${JSON.stringify(principal)}`);
  await writeFile(
    file,
    ['users:', '  - { username: alice, password: alice-password }', 'servicePrincipals:', ...principals].join(
      '\n',
    ),
  );
  return file;
}

/** A client-credentials token of `PRINCIPAL` from the provider of the relay at `relayUrl`. */
async function principalToken(
  relayUrl: string,
  secret = PRINCIPAL.clientSecret,
): Promise<oidc.TokenEndpointResponse> {
  const client = await oidc.discovery(
    new URL(`${relayUrl}/dev-idp`),
    PRINCIPAL.clientId,
    undefined,
    oidc.ClientSecretBasic(secret),
    { execute: [oidc.allowInsecureRequests] },
  );
  return oidc.clientCredentialsGrant(client, { resource: relayUrl });
}

function lifetimeSeconds(accessToken: string): number {
  const { exp, iat } = decodeJwt(accessToken);
  return exp! - iat!;
}

describe('relay with --dev-idp and a users file', () => {
  it('issues client-credentials tokens the relay verifies as the principal, with the configured lifetime', async () => {
    const directory = await tempDir();
    const relay = await startRelay({
      listen: '127.0.0.1:0',
      dataDir: join(directory, 'data'),
      devIdp: { enabled: true, usersFile: await writeUsersFile(directory), accessTokenTtlSeconds: 120 },
      logLevel: 'silent',
    });
    onTestFinished(() => relay.close());

    const tokens = await principalToken(relay.url);
    expect(tokens.expires_in).toBe(120);
    expect(lifetimeSeconds(tokens.access_token)).toBe(120);
    expect(await relay.verifier.verify(tokens.access_token)).toMatchObject({
      username: PRINCIPAL.username,
      groups: PRINCIPAL.groups,
    });
    const whoami = await fetch(`${relay.url}${apiPaths.whoami}`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(whoamiSchema.parse(await whoami.json())).toEqual({
      username: PRINCIPAL.username,
      groups: PRINCIPAL.groups,
      admin: false,
    });

    await expect(principalToken(relay.url, `${PRINCIPAL.clientSecret}-wrong`)).rejects.toMatchObject({
      status: 401,
      cause: [{ parameters: { error: 'invalid_client' } }],
    });
  });

  it('keeps the provider default lifetime (600 s) when none is configured', async () => {
    const directory = await tempDir();
    const relay = await startRelay({
      listen: '127.0.0.1:0',
      dataDir: join(directory, 'data'),
      devIdp: { enabled: true, usersFile: await writeUsersFile(directory) },
      logLevel: 'silent',
    });
    onTestFinished(() => relay.close());
    expect(lifetimeSeconds((await principalToken(relay.url)).access_token)).toBe(600);
  });

  it('refuses to start with a bad users file, naming the setting and the field but not the secret', async () => {
    const directory = await tempDir();
    const usersFile = await writeUsersFile(directory, [
      { ...PRINCIPAL, clientSecret: 'short-do-not-print-me' },
      { ...PRINCIPAL, clientId: 'switchboard-cli', username: 'other-bot' },
    ]);
    const starting = startRelay({
      listen: '127.0.0.1:0',
      dataDir: join(directory, 'data'),
      devIdp: { enabled: true, usersFile },
      logLevel: 'silent',
    });
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    const { message } = (await starting.catch((error: Error) => error)) as Error;
    expect(message).toMatch(
      new RegExp(`^config: devIdp\\.usersFile: ${usersFile}: invalid dev-idp users file`),
    );
    expect(message).toContain('servicePrincipals[0].clientSecret: must be at least 32 characters');
    expect(message).toContain('servicePrincipals[1].clientId: duplicate client id "switchboard-cli"');
    expect(message).not.toContain('short-do-not-print-me');
    expect(message).not.toContain(PRINCIPAL.clientSecret);
  });
});

describe('switchboard-relay serve --dev-idp', () => {
  it('takes the users file and the token lifetime from flags or the environment', async () => {
    const directory = await tempDir();
    const usersFile = await writeUsersFile(directory);
    const fromFlags = await startServe([
      '--listen',
      '127.0.0.1:0',
      '--data',
      join(directory, 'flags'),
      '--dev-idp',
      '--dev-idp-users',
      usersFile,
      '--dev-idp-token-ttl',
      '90',
    ]);
    const fromEnv = await startServe(
      ['--listen', '127.0.0.1:0', '--data', join(directory, 'env'), '--dev-idp'],
      {
        SWITCHBOARD_RELAY_DEV_IDP_USERS_FILE: usersFile,
        SWITCHBOARD_RELAY_DEV_IDP_ACCESS_TOKEN_TTL_SECONDS: '45',
      },
    );

    for (const [relay, ttl] of [
      [fromFlags, 90],
      [fromEnv, 45],
    ] as const) {
      const { access_token } = await principalToken(relay.url);
      expect(lifetimeSeconds(access_token)).toBe(ttl);
      // The trust the relay derives for --dev-idp, as the relay builds its own verifier from it.
      expect(await new OidcTokenVerifier(devIdpTrust(relay.url)).verify(access_token)).toMatchObject({
        username: PRINCIPAL.username,
        groups: PRINCIPAL.groups,
      });
      expect(relay.stderr()).toContain('"servicePrincipals":["ci-deployer"]');
      expect(relay.stderr()).not.toContain(PRINCIPAL.clientSecret);
    }
  });

  it('stops with exit code 2 on a bad token lifetime or users file, naming the field', async () => {
    const directory = await tempDir();
    const serve = (...args: string[]) =>
      runCli(['serve', '--listen', '127.0.0.1:0', '--data', join(directory, 'data'), ...args]);

    const notANumber = await serve('--dev-idp', '--dev-idp-token-ttl', '10m');
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain(
      'switchboard-relay: config: devIdp.accessTokenTtlSeconds: must be a whole number of seconds',
    );
    const zero = await serve('--dev-idp', '--dev-idp-token-ttl', '0');
    expect(zero.stderr).toContain('config: devIdp.accessTokenTtlSeconds: must be at least 1 second');
    const withoutDevIdp = await runCli(
      ['serve', '--listen', '127.0.0.1:0', '--data', join(directory, 'data'), '--dev-idp-token-ttl', '60'],
      { SWITCHBOARD_RELAY_TRUST_ISSUER: 'https://dex.example.com', SWITCHBOARD_RELAY_TRUST_CLIENT_ID: 'x' },
    );
    expect(withoutDevIdp.stderr).toContain('config: devIdp.accessTokenTtlSeconds: needs --dev-idp');

    const missing = await serve('--dev-idp', '--dev-idp-users', join(directory, 'missing.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /config: devIdp\.usersFile: .*missing\.yaml: cannot read the dev-idp users file/,
    );
  });
});
