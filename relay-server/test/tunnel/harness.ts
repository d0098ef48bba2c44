/**
 * Real parts for the tunnel tests: a relay (`startRelay`) with its dev identity provider (service
 * principals sign in with client credentials), a fake-but-real agent built from
 * `@switchboard/protocol` + `ws` + jose (its own key pair, join, signed assertions), and user
 * sessions dialed the way the local proxy dials them.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { apiPaths } from '@switchboard/contract/relay-api';
import {
  type AgentJoinResponse,
  type AgentRequestOpen,
  agentJoinResponseSchema,
  agentOpenSchema,
  type OpenRefusal,
  openRefusalSchema,
  tunnelPaths,
  type UserOpen,
} from '@switchboard/contract/tunnel';
import {
  ErrorCode,
  Session,
  type SessionOptions,
  type Stream,
  StreamResetError,
  webSocketOptions,
} from '@switchboard/protocol';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
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

/** Short timers: sessions notice dead peers within a second. */
export const FAST_TIMERS = { pingIntervalMs: 200, idleTimeoutMs: 1_500, writeTimeoutMs: 1_500 };

export interface TunnelRelay {
  relay: Relay;
  dataDir: string;
  logs: () => Array<Record<string, unknown>>;
  token(principal: PrincipalName): Promise<string>;
  /** Creates a cluster, grants `dev` connect on it, returns a fresh join token. */
  cluster(name: string, grants?: PrincipalName[]): Promise<string>;
}

export async function startTunnelRelay(options: RelayOptions = {}): Promise<TunnelRelay> {
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

export async function joinRequest(relayUrl: string, body: unknown): Promise<Response> {
  return fetch(`${relayUrl}${tunnelPaths.agentJoin}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface TestAgent {
  joined: AgentJoinResponse;
  privateKey: CryptoKey;
  publicJwk: JWK;
  algorithm: 'ES256' | 'EdDSA';
}

/** Generates a key pair and joins with the token, as the agent does on first start. */
export async function joinAgent(
  relayUrl: string,
  joinToken: string,
  algorithm: 'ES256' | 'EdDSA' = 'ES256',
): Promise<TestAgent> {
  const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const { kty, crv, x, y } = await exportJWK(publicKey);
  const publicJwk: JWK = kty === 'EC' ? { kty, crv, x, y } : { kty, crv, x };
  const response = await joinRequest(relayUrl, {
    joinToken,
    publicKey: publicJwk,
    agentVersion: 'test-agent/0.0.1',
  });
  if (response.status !== 200) throw new Error(`join failed: ${response.status} ${await response.text()}`);
  return { joined: agentJoinResponseSchema.parse(await response.json()), privateKey, publicJwk, algorithm };
}

export interface AssertionOverrides {
  aud?: string;
  iss?: string;
  sub?: string;
  jti?: string;
  iat?: number;
  exp?: number;
  key?: CryptoKey;
}

export async function assertion(
  relay: Relay,
  agent: TestAgent,
  overrides: AssertionOverrides = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = overrides.iat ?? now;
  return new SignJWT({})
    .setProtectedHeader({ alg: agent.algorithm })
    .setIssuer(overrides.iss ?? agent.joined.credentialId)
    .setSubject(overrides.sub ?? agent.joined.cluster)
    .setAudience(overrides.aud ?? relay.tunnel.agentAudience)
    .setIssuedAt(iat)
    .setExpirationTime(overrides.exp ?? iat + 120)
    .setJti(overrides.jti ?? randomUUID())
    .sign(overrides.key ?? agent.privateKey);
}

export interface UpgradeRefusal {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Dials a WebSocket with a bearer token; resolves with the socket or the HTTP refusal. `attach`
 * runs before the socket opens, so a session sees the peer's first frame (SETTINGS).
 */
export function dial(
  url: string,
  bearer: string | undefined,
  attach?: (ws: WebSocket) => void,
): Promise<WebSocket | UpgradeRefusal> {
  const ws = new WebSocket(url, {
    ...webSocketOptions(),
    headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
  });
  attach?.(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
    });
    ws.once('error', reject);
  });
}

export interface ConnectedAgent {
  session: Session;
  socket: WebSocket;
  /** OPEN metadata of every request stream the relay opened on this session. */
  opens: AgentRequestOpen[];
  /** Key announcements the relay opened on this session (each taken: accepted and ended). */
  announcements: number;
}

export type AgentStreamHandler = (stream: Stream, open: AgentRequestOpen) => void;

/** Echoes every stream (half-close included): what the agent would do with an apiserver that echoes. */
export const echo: AgentStreamHandler = (stream) => pipeline(stream, stream, () => {});

/** Connects an agent session that accepts streams with `handler` (or refuses them with `refusal`). */
export async function connectAgent(
  relay: Relay,
  agent: TestAgent,
  options: { handler?: AgentStreamHandler; refusal?: OpenRefusal; session?: Partial<SessionOptions> } = {},
): Promise<ConnectedAgent> {
  let session!: Session;
  const result = await dial(relay.tunnel.agentUrl, await assertion(relay, agent), (ws) => {
    session = new Session(ws, { role: 'client', ...FAST_TIMERS, ...options.session });
  });
  if (!(result instanceof WebSocket)) throw new Error(`agent refused: ${JSON.stringify(result)}`);
  const connected: ConnectedAgent = { session, socket: result, opens: [], announcements: 0 };
  session.on('stream', (incoming) => {
    const open = agentOpenSchema.parse(JSON.parse(incoming.metadata.toString('utf8')));
    if (open.type === 'ticket-keys') {
      connected.announcements++;
      incoming.accept().end();
      return;
    }
    connected.opens.push(open);
    if (options.refusal) incoming.reject(JSON.stringify(options.refusal), ErrorCode.Rejected);
    else (options.handler ?? echo)(incoming.accept(), open);
  });
  onTestFinished(() => {
    session.close('test done');
    result.terminate();
  });
  await waitFor(() => relay.tunnel.liveSessions.list(agent.joined.cluster).length > 0);
  return connected;
}

/** A user session as the local proxy dials it. */
export async function connectUser(
  relay: Relay,
  token: string,
  options: Partial<SessionOptions> = {},
): Promise<{ session: Session; socket: WebSocket }> {
  let session!: Session;
  const result = await dial(relay.tunnel.userUrl, token, (ws) => {
    session = new Session(ws, { role: 'client', ...FAST_TIMERS, ...options });
  });
  if (!(result instanceof WebSocket)) throw new Error(`user refused: ${JSON.stringify(result)}`);
  onTestFinished(() => {
    session.close('test done');
    result.terminate();
  });
  return { session, socket: result };
}

export function userOpen(open: UserOpen | Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(open), 'utf8');
}

/** The refusal of an OPEN the relay (or agent) rejected. */
export async function refusalOf(opening: Promise<Stream>): Promise<OpenRefusal & { code: number }> {
  const error = await opening.then(
    () => {
      throw new Error('the OPEN was accepted');
    },
    (error: unknown) => error,
  );
  if (!(error instanceof StreamResetError)) throw error;
  if (error.code !== ErrorCode.Rejected) throw new Error(`not a rejection: ${error.message}`);
  return { ...openRefusalSchema.parse(JSON.parse(error.reason)), code: error.code };
}

/** Writes `data`, half-closes, and collects everything the peer sends until its FIN. */
export async function roundTrip(stream: Stream, data: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  stream.end(data);
  await ended;
  return Buffer.concat(chunks);
}

export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const joinTokensPath = apiPaths.joinTokens;
