import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchRelayConfiguration, type SwitchboardConfiguration } from '@switchboard/main/core';
import { DATABASE_FILE, type Relay, startRelay } from '@switchboard/relay-server';
import Database from 'better-sqlite3';

export const TEST_USERS = [
  {
    username: 'alice',
    password: 'alice-password',
    email: 'alice@example.com',
    groups: ['switchboard-admins', 'developers'],
  },
  { username: 'bob', password: 'bob-password', groups: ['developers'] },
];
export const SERVICE_CLIENT = {
  clientId: 'ci-deployer',
  clientSecret: 'ci-deployer-secret-value-0123456789abcdef',
  username: 'ci-bot',
  groups: ['ci'],
};

/**
 * A real relay (`startRelay`, in-process) with its embedded OpenID provider, configured the way
 * `serve --dev-idp --dev-idp-users FILE [--dev-idp-token-ttl SECONDS]` configures it: the test
 * users and the service principal above in a users file.
 */
export interface DevIdpRelay {
  url: string;
  /** What the relay publishes at `/.well-known/switchboard-configuration`, read with the client's own code. */
  configuration: SwitchboardConfiguration;
  /** POSTs to the provider's token endpoint so far, counted from the relay's request log. */
  readonly tokenEndpointRequests: number;
  /** Stops the relay: its URL refuses connections until `start`. */
  stop(): Promise<void>;
  /**
   * Starts the stopped relay again at the same URL and data directory, with fresh provider keys:
   * access tokens issued before no longer verify, refresh tokens still work. `forgetSignIns` first
   * deletes the provider's refresh tokens and grants, as revoking every sign-in there would.
   */
  start(options?: { forgetSignIns?: boolean }): Promise<void>;
  close(): Promise<void>;
}

const TOKEN_ENDPOINT_PATH = '/dev-idp/token';

export async function startDevIdpRelay(
  options: { accessTokenTtlSeconds?: number } = {},
): Promise<DevIdpRelay> {
  const scratch = await mkdtemp(join(tmpdir(), 'switchboard-dev-idp-relay-'));
  const usersFile = join(scratch, 'dev-idp-users.yaml');
  // JSON is YAML too.
  await writeFile(usersFile, JSON.stringify({ users: TEST_USERS, servicePrincipals: [SERVICE_CLIENT] }), {
    mode: 0o600,
  });

  let tokenEndpointRequests = 0;
  // The relay logs one line per request it answered, with method and path (never the query).
  const logDestination = {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; method?: string; path?: string };
      if (entry.msg === 'request' && entry.method === 'POST' && entry.path === TOKEN_ENDPOINT_PATH) {
        tokenEndpointRequests++;
      }
    },
  };
  const start = (listen: string): Promise<Relay> =>
    startRelay(
      {
        listen,
        dataDir: join(scratch, 'data'),
        devIdp: {
          enabled: true,
          usersFile,
          ...(options.accessTokenTtlSeconds !== undefined && {
            accessTokenTtlSeconds: options.accessTokenTtlSeconds,
          }),
        },
        logLevel: 'info',
      },
      { logDestination },
    );

  let relay = await start('127.0.0.1:0');
  const url = relay.url;
  return {
    url,
    configuration: await fetchRelayConfiguration(url),
    get tokenEndpointRequests() {
      return tokenEndpointRequests;
    },
    stop: () => relay.close(),
    async start(startOptions = {}) {
      if (startOptions.forgetSignIns) {
        const database = new Database(join(scratch, 'data', DATABASE_FILE));
        database.prepare('DELETE FROM dev_idp_records').run();
        database.close();
      }
      relay = await start(new URL(url).host);
    },
    async close() {
      await relay.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
