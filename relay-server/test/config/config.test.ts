import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadRelayConfig, parseRelayConfig } from '../../src/config/load.js';
import { tempDir } from '../helpers/temp-dir.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0d5ad7a8-4a6e-4c2b-9b7c-1f2e3d4c5b6a';

const base = {
  dataDir: '/var/lib/relay',
  trust: { issuer: 'https://dex.example.com', clientId: 'switchboard' },
};

function configError(input: unknown): string {
  try {
    parseRelayConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('relay configuration', () => {
  it('applies defaults', () => {
    expect(parseRelayConfig(base)).toMatchObject({
      listen: '127.0.0.1:8443',
      admins: { users: [], groups: [] },
      devIdp: { enabled: false },
      logLevel: 'info',
    });
  });

  it('names the field that is wrong', () => {
    expect(configError({ ...base, trust: { issuer: 'ftp://dex.example.com', clientId: 'x' } })).toBe(
      'config: trust.issuer: must be an https URL (http only for a loopback issuer)',
    );
    expect(configError({ ...base, trust: { issuer: 'http://dex.example.com', clientId: 'x' } })).toMatch(
      /^config: trust\.issuer: must be an https URL/,
    );
    expect(configError({ ...base, trust: { issuer: 'https://dex.example.com' } })).toMatch(
      /^config: trust\.clientId: required/,
    );
    expect(configError({ ...base, listen: 'localhost' })).toMatch(/^config: listen: must be HOST:PORT/);
    expect(configError({ ...base, trust: { ...base.trust, issur: 'x' } })).toBe(
      'config: trust: unknown field issur',
    );
    expect(configError({ trust: base.trust })).toMatch(/^config: dataDir: required/);
    expect(configError({ dataDir: '/d' })).toMatch(/^config: trust: required/);
    expect(configError({ ...base, logLevel: 'loud' })).toMatch(/^config: logLevel: /);
  });

  it('allows plain HTTP only on loopback', () => {
    expect(configError({ ...base, listen: '0.0.0.0:8443' })).toMatch(
      /^config: tls: required when listening on 0\.0\.0\.0: plain HTTP is allowed only on a loopback address/,
    );
    expect(parseRelayConfig({ ...base, listen: '[::1]:8443' }).listen).toBe('[::1]:8443');
    expect(
      parseRelayConfig({ ...base, listen: '0.0.0.0:443', tls: { certFile: 'c', keyFile: 'k' } }).tls,
    ).toBeTruthy();
  });

  it('checks the Entra preset', () => {
    expect(
      parseRelayConfig({ dataDir: '/d', trust: { entra: { tenantId: TENANT, clientId: CLIENT } } }).trust
        ?.entra,
    ).toEqual({
      tenantId: TENANT,
      clientId: CLIENT,
    });
    expect(
      configError({
        dataDir: '/d',
        trust: { entra: { tenantId: 'contoso.onmicrosoft.com', clientId: CLIENT } },
      }),
    ).toMatch(/^config: trust\.entra\.tenantId: must be the tenant id \(a GUID\)/);
    expect(
      configError({
        dataDir: '/d',
        trust: { issuer: 'https://x.example.com', entra: { tenantId: TENANT, clientId: CLIENT } },
      }),
    ).toMatch(/^config: trust\.issuer: not allowed with trust\.entra/);
  });

  it('refuses trust settings beside --dev-idp, and a users file without it', () => {
    expect(configError({ ...base, devIdp: { enabled: true } })).toMatch(
      /^config: trust: must not be set with --dev-idp/,
    );
    expect(configError({ dataDir: '/d', devIdp: { usersFile: 'u.yaml' } })).toMatch(
      /^config: trust: required/,
    );
    expect(configError({ ...base, devIdp: { usersFile: 'u.yaml' } })).toBe(
      'config: devIdp.usersFile: needs --dev-idp',
    );
    expect(configError({ ...base, devIdp: { accessTokenTtlSeconds: 60 } })).toBe(
      'config: devIdp.accessTokenTtlSeconds: needs --dev-idp',
    );
  });

  it('checks the dev-idp access-token lifetime', () => {
    const devIdp = (settings: object) => ({ dataDir: '/d', devIdp: { enabled: true, ...settings } });
    expect(parseRelayConfig(devIdp({ accessTokenTtlSeconds: 5 })).devIdp).toEqual({
      enabled: true,
      accessTokenTtlSeconds: 5,
    });
    expect(parseRelayConfig(devIdp({})).devIdp.accessTokenTtlSeconds).toBeUndefined();
    expect(configError(devIdp({ accessTokenTtlSeconds: 0 }))).toBe(
      'config: devIdp.accessTokenTtlSeconds: must be at least 1 second',
    );
    expect(configError(devIdp({ accessTokenTtlSeconds: 1.5 }))).toBe(
      'config: devIdp.accessTokenTtlSeconds: must be a whole number of seconds',
    );
    expect(configError(devIdp({ accessTokenTtlSeconds: '10m' }))).toBe(
      'config: devIdp.accessTokenTtlSeconds: must be a whole number of seconds',
    );
    expect(configError(devIdp({ usersFile: '' }))).toBe('config: devIdp.usersFile: must not be empty');
    expect(configError(devIdp({ tokenTtl: 5 }))).toBe('config: devIdp: unknown field tokenTtl');
  });

  it('reads the dev-idp settings from the environment, numbers included', async () => {
    const env = {
      SWITCHBOARD_RELAY_DATA_DIR: '/d',
      SWITCHBOARD_RELAY_DEV_IDP_USERS_FILE: '/etc/relay/users.yaml',
      SWITCHBOARD_RELAY_DEV_IDP_ACCESS_TOKEN_TTL_SECONDS: '45',
    };
    const flags = { devIdp: { enabled: true } };
    expect((await loadRelayConfig({ env, flags })).devIdp).toEqual({
      enabled: true,
      usersFile: '/etc/relay/users.yaml',
      accessTokenTtlSeconds: 45,
    });
    await expect(
      loadRelayConfig({ env: { ...env, SWITCHBOARD_RELAY_DEV_IDP_ACCESS_TOKEN_TTL_SECONDS: 'ten' }, flags }),
    ).rejects.toThrow('config: devIdp.accessTokenTtlSeconds: must be a whole number of seconds');
    const trustEnv = {
      SWITCHBOARD_RELAY_TRUST_ISSUER: 'https://dex.example.com',
      SWITCHBOARD_RELAY_TRUST_CLIENT_ID: 'switchboard',
    };
    await expect(loadRelayConfig({ env: { ...env, ...trustEnv } })).rejects.toThrow(
      /^config: devIdp\.usersFile: needs --dev-idp$/,
    );
  });

  it('reads the connection and session caps from the environment; the defaults are bounded', async () => {
    expect(parseRelayConfig(base)).toMatchObject({ maxConnections: 20_000, tunnel: {} });
    const env = {
      SWITCHBOARD_RELAY_DATA_DIR: '/d',
      SWITCHBOARD_RELAY_TRUST_ISSUER: 'https://dex.example.com',
      SWITCHBOARD_RELAY_TRUST_CLIENT_ID: 'switchboard',
      SWITCHBOARD_RELAY_MAX_CONNECTIONS: '500',
      SWITCHBOARD_RELAY_TUNNEL_MAX_SESSIONS_PER_USER: '4',
    };
    expect(await loadRelayConfig({ env })).toMatchObject({
      maxConnections: 500,
      tunnel: { maxSessionsPerUser: 4 },
    });
    await expect(
      loadRelayConfig({ env: { ...env, SWITCHBOARD_RELAY_TUNNEL_MAX_SESSIONS_PER_USER: '0' } }),
    ).rejects.toThrow(/^config: tunnel\.maxSessionsPerUser: /);
  });

  it('takes flags over environment over file', async () => {
    const directory = await tempDir();
    const file = join(directory, 'relay.yaml');
    await writeFile(
      file,
      [
        'listen: 127.0.0.1:1000',
        'dataDir: /from/file',
        'logLevel: warn',
        'trust:',
        '  issuer: https://file.example.com',
        '  clientId: from-file',
        'admins:',
        '  users: [root]',
      ].join('\n'),
    );
    const config = await loadRelayConfig({
      file,
      env: {
        SWITCHBOARD_RELAY_LISTEN: '127.0.0.1:2000',
        SWITCHBOARD_RELAY_DATA_DIR: '/from/env',
        SWITCHBOARD_RELAY_TRUST_ISSUER: 'https://env.example.com',
        SWITCHBOARD_RELAY_ADMIN_GROUPS: 'ops, admins',
        PATH: '/usr/bin',
      },
      flags: { listen: '127.0.0.1:3000', dataDir: undefined },
    });
    expect(config).toMatchObject({
      listen: '127.0.0.1:3000',
      dataDir: '/from/env',
      logLevel: 'warn',
      trust: { issuer: 'https://env.example.com', clientId: 'from-file' },
      admins: { users: ['root'], groups: ['ops', 'admins'] },
    });
  });

  it('takes the sealing key file from the environment or a flag (its content is checked at start)', async () => {
    const env = {
      SWITCHBOARD_RELAY_DATA_DIR: '/d',
      SWITCHBOARD_RELAY_TRUST_ISSUER: 'https://dex.example.com',
      SWITCHBOARD_RELAY_TRUST_CLIENT_ID: 'switchboard',
      SWITCHBOARD_RELAY_SEALING_KEY_FILE: '/run/secrets/relay/sealing.key',
    };
    expect((await loadRelayConfig({ env })).sealingKeyFile).toBe('/run/secrets/relay/sealing.key');
    expect((await loadRelayConfig({ env, flags: { sealingKeyFile: '/flag.key' } })).sealingKeyFile).toBe(
      '/flag.key',
    );
    expect(parseRelayConfig(base).sealingKeyFile).toBeUndefined();
    expect(configError({ ...base, sealingKeyFile: '' })).toBe('config: sealingKeyFile: must not be empty');
  });

  it('refuses an unknown SWITCHBOARD_RELAY_ variable and an unreadable file', async () => {
    await expect(loadRelayConfig({ env: { SWITCHBOARD_RELAY_TRUST_ISUER: 'x' } })).rejects.toThrow(
      'config: environment: unknown variable SWITCHBOARD_RELAY_TRUST_ISUER',
    );
    await expect(loadRelayConfig({ file: '/nonexistent/relay.yaml' })).rejects.toThrow(
      /^config: file: cannot read/,
    );
    const directory = await tempDir();
    await writeFile(join(directory, 'bad.yaml'), 'trust: [unclosed');
    await expect(loadRelayConfig({ file: join(directory, 'bad.yaml') })).rejects.toThrow(
      /^config: file: .* not valid YAML/,
    );
  });

  describe('a fleet (Postgres and Redis)', () => {
    const fleet = {
      trust: base.trust,
      database: 'postgres://relay:s3cret-password@db.example.com:5432/switchboard',
      redis: 'redis://:another-s3cret@redis.example.com:6379',
      sealingKeyFile: '/secrets/sealing.key',
      publicUrl: 'https://relay.example.com',
    };

    it('takes the database, Redis and replica settings from the file and the environment', async () => {
      expect(
        parseRelayConfig({ ...fleet, fleet: { replicaId: 'relay-0', peerUrl: 'https://10.0.3.7:8443' } }),
      ).toMatchObject({ database: fleet.database, redis: fleet.redis, fleet: { replicaId: 'relay-0' } });
      const config = await loadRelayConfig({
        env: {
          SWITCHBOARD_RELAY_DATABASE: fleet.database,
          SWITCHBOARD_RELAY_REDIS: fleet.redis,
          SWITCHBOARD_RELAY_REPLICA_ID: 'relay-1',
          SWITCHBOARD_RELAY_PEER_URL: 'https://10.0.3.8:8443',
          SWITCHBOARD_RELAY_SEALING_KEY_FILE: fleet.sealingKeyFile,
          SWITCHBOARD_RELAY_PUBLIC_URL: fleet.publicUrl,
          SWITCHBOARD_RELAY_TRUST_ISSUER: base.trust.issuer,
          SWITCHBOARD_RELAY_TRUST_CLIENT_ID: base.trust.clientId,
        },
      });
      expect(config).toMatchObject({
        database: fleet.database,
        redis: fleet.redis,
        fleet: { replicaId: 'relay-1', peerUrl: 'https://10.0.3.8:8443' },
      });
      expect(config.dataDir).toBeUndefined();
    });

    it('says what a fleet needs beside Redis, without echoing a password', () => {
      const { database: _database, ...noDatabase } = fleet;
      expect(configError({ ...noDatabase, dataDir: '/d' })).toMatch(
        /^config: redis: needs a Postgres database/,
      );
      const { sealingKeyFile: _key, ...noKey } = fleet;
      expect(configError(noKey)).toMatch(/^config: sealingKeyFile: required with a Postgres database/);
      const { publicUrl: _url, ...noPublicUrl } = fleet;
      expect(configError(noPublicUrl)).toMatch(/^config: publicUrl: required in a fleet/);
      expect(
        configError({ ...fleet, listen: '0.0.0.0:8443', tls: { certFile: '/c', keyFile: '/k' } }),
      ).toMatch(/^config: fleet\.peerUrl: required in a fleet when listening on 0\.0\.0\.0/);
      const { trust: _trust, ...noTrust } = fleet;
      expect(configError({ ...noTrust, devIdp: { enabled: true } })).toMatch(
        /^config: devIdp: not available in a fleet/,
      );
      const wrongScheme = configError({ ...fleet, database: 'mysql://relay:s3cret-password@db/x' });
      expect(wrongScheme).toMatch(/^config: database: must be a postgres or postgresql URL/);
      expect(wrongScheme).not.toContain('s3cret');
      expect(configError({ ...fleet, redis: 'http://:another-s3cret@redis' })).not.toContain('s3cret');
      expect(configError({ ...fleet, fleet: { replicaId: 'no spaces' } })).toMatch(
        /^config: fleet\.replicaId: /,
      );
    });
  });
});
