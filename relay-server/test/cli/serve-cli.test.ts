import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  apiPaths,
  CONFIGURATION_PATH,
  clusterListSchema,
  switchboardConfigurationSchema,
} from '@switchboard/contract/relay-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe } from '../helpers/relay-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TestIssuer } from '../helpers/test-issuer.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.close());

const EXIT = { usage: 2 };

describe('switchboard-relay serve', () => {
  const trustEnv = () => ({
    SWITCHBOARD_RELAY_TRUST_ISSUER: issuer.url,
    SWITCHBOARD_RELAY_TRUST_CLIENT_ID: 'switchboard-test',
    SWITCHBOARD_RELAY_ADMIN_USERS: 'root-admin',
  });

  it('serves what the CLI administers, and keeps it across a restart', async () => {
    const data = await tempDir();
    await runCli(['clusters', 'create', 'before-start', '--data', data]);
    const first = await startServe(['--listen', '127.0.0.1:0', '--data', data], trustEnv());
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const admin = await issuer.sign({ sub: 'root-admin' });
    const names = async (url: string) =>
      clusterListSchema
        .parse(
          await (
            await fetch(`${url}${apiPaths.clusters}`, { headers: { authorization: `Bearer ${admin}` } })
          ).json(),
        )
        .items.map((cluster) => cluster.name);

    expect(await names(first.url)).toEqual(['before-start']);
    // The CLI writes while the server runs (SQLite WAL); the server sees it on the next request.
    await runCli(['clusters', 'create', 'while-running', '--data', data]);
    expect(await names(first.url)).toEqual(['before-start', 'while-running']);
    const created = await fetch(`${first.url}${apiPaths.clusters}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'via-api' }),
    });
    expect(created.status).toBe(201);

    expect(await first.stop()).toBe(0);
    expect(first.stderr()).toContain('"msg":"relay stopped"');

    const second = await startServe(['--listen', '127.0.0.1:0', '--data', data], trustEnv());
    expect(await names(second.url)).toEqual(['before-start', 'via-api', 'while-running']);
  });

  it('stops on a configuration error, naming the field', async () => {
    const data = await tempDir();
    const badIssuer = await runCli(['serve', '--listen', '127.0.0.1:0', '--data', data], {
      ...trustEnv(),
      SWITCHBOARD_RELAY_TRUST_ISSUER: 'http://dex.example.com',
    });
    expect(badIssuer.code).toBe(EXIT.usage);
    expect(badIssuer.stderr).toMatch(/^switchboard-relay: config: trust\.issuer: must be an https URL/m);

    const public0 = await runCli(['serve', '--listen', '0.0.0.0:0', '--data', data], trustEnv());
    expect(public0.code).toBe(EXIT.usage);
    expect(public0.stderr).toMatch(
      /config: tls: required when listening on 0\.0\.0\.0: plain HTTP is allowed only on a loopback address/,
    );

    const file = join(data, 'relay.yaml');
    await writeFile(file, 'trust:\n  entra:\n    tenantId: contoso.onmicrosoft.com\n    clientId: x\n');
    const entra = await runCli(['serve', '--config', file, '--data', data]);
    expect(entra.stderr).toMatch(/config: trust\.entra\.tenantId: must be the tenant id/);
    expect((await runCli(['serve', '--data', data, '--dev-idp-users', 'u.yaml'], trustEnv())).stderr).toMatch(
      /config: devIdp\.usersFile: needs --dev-idp/,
    );
  });

  it('reads the sealing key from --sealing-key-file, and stops on a bad one without echoing it', async () => {
    const data = await tempDir();
    const file = join(await tempDir(), 'sealing.key');
    await writeFile(file, 'not-a-key\n');
    const bad = await runCli(
      ['serve', '--listen', '127.0.0.1:0', '--data', data, '--sealing-key-file', file],
      {
        ...trustEnv(),
      },
    );
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(
      new RegExp(`^switchboard-relay: config: sealingKeyFile: ${file} decodes to 6 bytes, not 32: `, 'm'),
    );
    expect(bad.stderr).not.toContain('not-a-key');

    await writeFile(file, `${randomBytes(32).toString('base64')}\n`);
    const relay = await startServe(['--listen', '127.0.0.1:0', '--data', data], {
      ...trustEnv(),
      SWITCHBOARD_RELAY_SEALING_KEY_FILE: file,
    });
    expect(await relay.stop()).toBe(0);
    expect(existsSync(join(data, 'sealing.key'))).toBe(false);
  });

  it('refuses a database URL holding a password on its command line, without repeating the password', async () => {
    const sealingKey = join(await tempDir(), 'sealing.key');
    await writeFile(sealingKey, randomBytes(32).toString('base64'));
    for (const url of [
      'postgres://relay:s3cret-pw@127.0.0.1:5432/relay',
      'postgresql://relay@127.0.0.1:5432/relay?password=s3cret-pw',
    ]) {
      const refused = await runCli(
        ['serve', '--listen', '127.0.0.1:0', '--database', url, '--sealing-key-file', sealingKey],
        trustEnv(),
      );
      expect(refused.code).toBe(EXIT.usage);
      expect(refused.stderr).toMatch(
        /^switchboard-relay: --database must not hold a password: any local user can read a command line\. Put the URL in the environment \(SWITCHBOARD_RELAY_DATABASE\)/m,
      );
      expect(refused.stderr).not.toContain('s3cret-pw');
    }
  });

  it('runs the development OpenID provider with --dev-idp and trusts it', async () => {
    const relay = await startServe(['--listen', '127.0.0.1:0', '--data', await tempDir(), '--dev-idp']);
    const configuration = switchboardConfigurationSchema.parse(
      await (await fetch(`${relay.url}${CONFIGURATION_PATH}`)).json(),
    );
    expect(configuration).toMatchObject({
      issuer: `${relay.url}/dev-idp`,
      clientId: 'switchboard-cli',
      resource: relay.url,
      bearerToken: 'access_token',
    });
    const discovery = (await (
      await fetch(`${configuration.issuer}/.well-known/openid-configuration`)
    ).json()) as { issuer: string };
    expect(discovery.issuer).toBe(configuration.issuer);
    await expect.poll(async () => (await fetch(`${relay.url}/readyz`)).status).toBe(200);
    expect(relay.stderr()).toContain('WARNING: the built-in development identity provider (--dev-idp) is ON');
  });

  it('serves HTTPS from configured certificate files, also on a wildcard address', async () => {
    const data = await tempDir();
    const cert = join(data, 'cert.pem');
    const key = join(data, 'key.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    const file = join(data, 'relay.yaml');
    await writeFile(file, `listen: 0.0.0.0:0\ntls:\n  certFile: ${cert}\n  keyFile: ${key}\n`);
    const relay = await startServe(['--config', file, '--data', data], trustEnv());
    expect(relay.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      httpsRequest(`${relay.url}/healthz`, { rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
  });
});
