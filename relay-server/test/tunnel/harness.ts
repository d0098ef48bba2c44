/**
 * A real relay for the tunnel tests (`startRelay`) with its dev identity provider: service
 * principals sign in with client credentials, and clusters come with grants and a join token. The
 * agents and users that dial it are `@switchboard/test-support/tunnel-peers`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiPaths } from '@switchboard/contract/relay-api';
import { FAST_TIMERS } from '@switchboard/test-support/tunnel-peers';
import * as oidc from 'openid-client';
import { onTestFinished } from 'vitest';
import type { RelayConfigInput } from '../../src/config/schema.js';
import { type Relay, type RelayOptions, startRelay } from '../../src/relay.js';
import { tempDir } from '../helpers/temp-dir.js';

export const PRINCIPALS = {
  admin: {
    clientId: 'admin-client',
    clientSecret: 'admin-client-secret-0123456789abcdefgh',
    username: 'admin-bot',
    groups: ['ops'],
  },
  dev: {
    clientId: 'dev-client',
    clientSecret: 'dev-client-secret-0123456789abcdefghij',
    username: 'dev-bot',
    groups: ['developers'],
  },
  other: {
    clientId: 'other-client',
    clientSecret: 'other-client-secret-0123456789abcdefg',
    username: 'other-bot',
    groups: [],
  },
} as const;
export type PrincipalName = keyof typeof PRINCIPALS;

export interface TunnelRelay {
  relay: Relay;
  dataDir: string;
  logs: () => Array<Record<string, unknown>>;
  token(principal: PrincipalName): Promise<string>;
  /** Creates a cluster, grants `dev` connect on it, returns a fresh join token. */
  cluster(name: string, grants?: PrincipalName[]): Promise<string>;
}

/** `config` adds to (or replaces) the relay's configuration, e.g. a Postgres `database`. */
export async function startTunnelRelay(
  options: RelayOptions = {},
  config: Partial<RelayConfigInput> = {},
): Promise<TunnelRelay> {
  const directory = await tempDir();
  const usersFile = join(directory, 'users.json');
  await writeFile(
    usersFile,
    JSON.stringify({
      users: [{ username: 'alice', password: 'alice-password' }],
      servicePrincipals: Object.values(PRINCIPALS),
    }),
  );
  const lines: string[] = [];
  const dataDir = join(directory, 'data');
  const relay = await startRelay(
    {
      listen: '127.0.0.1:0',
      dataDir,
      devIdp: { enabled: true, usersFile },
      admins: { users: [PRINCIPALS.admin.username], groups: [] },
      logLevel: 'debug',
      ...config,
    },
    {
      logDestination: { write: (line: string) => void lines.push(line) },
      ...options,
      tunnel: { ...FAST_TIMERS, drainTimeoutMs: 2_000, ...options.tunnel },
    },
  );
  onTestFinished(() => relay.close());
  const tokens = new Map<PrincipalName, string>();
  const operator = { kind: 'operator' as const, name: 'operator:test' };
  return {
    relay,
    dataDir,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async token(principal) {
      let token = tokens.get(principal);
      if (!token) {
        const { clientId, clientSecret } = PRINCIPALS[principal];
        const client = await oidc.discovery(
          new URL(`${relay.url}/dev-idp`),
          clientId,
          undefined,
          oidc.ClientSecretBasic(clientSecret),
          { execute: [oidc.allowInsecureRequests] },
        );
        token = (await oidc.clientCredentialsGrant(client, { resource: relay.url })).access_token;
        tokens.set(principal, token);
      }
      return token;
    },
    async cluster(name, grants = ['dev']) {
      await relay.admin.createCluster(operator, { name });
      for (const principal of grants) {
        await relay.admin.grant(operator, name, {
          subjectKind: 'user',
          subject: PRINCIPALS[principal].username,
          role: 'connect',
        });
      }
      return (await relay.admin.issueJoinToken(operator, name)).joinToken;
    },
  };
}

export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const joinTokensPath = apiPaths.joinTokens;
