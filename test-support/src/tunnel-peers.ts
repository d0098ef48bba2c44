/**
 * The peers of a relay's tunnel, built from `@switchboard/protocol` + `ws` + jose: a fake-but-real
 * agent (its own key pair, join, signed assertions) and user sessions dialed the way the local
 * proxy dials them. They need only the relay's tunnel endpoints, so test-support stays free of
 * the relay itself: a running relay (`startRelay`) is a `TunnelEndpoints`.
 */
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream';
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
import { onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from './wait-for.js';

/** What the peers use of a running relay: where agents and users dial, and who is connected. */
export interface TunnelEndpoints {
  tunnel: {
    agentUrl: string;
    userUrl: string;
    /** The `aud` agent assertions must carry. */
    agentAudience: string;
    liveSessions: { list(cluster: string): readonly unknown[] };
  };
}

/** Short timers: sessions notice dead peers within a second. */
export const FAST_TIMERS = { pingIntervalMs: 200, idleTimeoutMs: 1_500, writeTimeoutMs: 1_500 };

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
  relay: TunnelEndpoints,
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
  relay: TunnelEndpoints,
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
  await waitFor(
    () => relay.tunnel.liveSessions.list(agent.joined.cluster).length > 0,
    'the relay to list the agent session',
    5_000,
  );
  return connected;
}

/** A user session as the local proxy dials it. */
export async function connectUser(
  relay: TunnelEndpoints,
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
