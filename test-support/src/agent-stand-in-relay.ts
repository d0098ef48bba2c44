/**
 * A minimal relay for agent tests, following the tunnel contract: `POST /api/v1/agent/join`
 * (single-use join tokens), the agent tunnel upgrade (verifies the agent's assertion with the
 * public key from the join), and a way to open streams on the agent's sessions, directly or by
 * forwarding local TCP connections (so kubectl or any HTTP client can talk through the agent).
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer } from 'node:net';
import { pipeline } from 'node:stream';
import {
  type AgentOpen,
  agentJoinRequestSchema,
  type TicketKeys,
  tunnelPaths,
} from '@switchboard/contract/tunnel';
import { Session, type SessionOptions, type Stream, webSocketOptions } from '@switchboard/protocol';
import { importJWK, type JWK, jwtVerify } from 'jose';
import { WebSocketServer } from 'ws';

export function newJoinToken(): string {
  return `sbj_${randomBytes(32).toString('base64url')}`;
}

export interface StandInRelayOptions {
  /** The ticket keys handed out at join (`TestTickets.keys`). */
  ticketKeys: TicketKeys;
  cluster?: string;
  tls?: { certPem: string; keyPem: string };
  session?: Partial<Omit<SessionOptions, 'role'>>;
}

interface IssuedCredential {
  publicKey: JWK;
  revoked: boolean;
}

export class StandInRelay {
  readonly joinTokens = new Set<string>();
  readonly credentials = new Map<string, IssuedCredential>();
  /** Every agent session, in order of arrival. */
  readonly sessions: Session[] = [];
  joins = 0;
  upgrades = 0;
  readonly refusals: string[] = [];
  readonly assertions: Record<string, unknown>[] = [];
  #forwarders = new Set<NetServer>();
  #wss: WebSocketServer;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: StandInRelayOptions,
  ) {
    this.#wss = new WebSocketServer({
      noServer: true,
      ...webSocketOptions(options.session?.maxFramePayload),
    });
  }

  static async start(options: StandInRelayOptions): Promise<StandInRelay> {
    let relay: StandInRelay | undefined;
    const server = options.tls
      ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem })
      : createHttpServer();
    server.on('request', (req, res) => void relay!.handleRequest(req, res));
    server.on('upgrade', (req, socket, head) => void relay!.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    relay = new StandInRelay(server, `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`, options);
    return relay;
  }

  get cluster(): string {
    return this.options.cluster ?? 'prod';
  }

  issueJoinToken(): string {
    const token = newJoinToken();
    this.joinTokens.add(token);
    return token;
  }

  revokeAll(): void {
    for (const credential of this.credentials.values()) credential.revoked = true;
  }

  get openSessions(): Session[] {
    return this.sessions.filter((session) => session.state === 'open');
  }

  async waitForSessions(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.openSessions.length < count) {
      if (Date.now() > deadline) throw new Error(`relay: fewer than ${count} open sessions`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Opens a stream towards the agent on its newest open session. */
  async open(metadata: AgentOpen | Record<string, unknown> | string): Promise<Stream> {
    const session = this.openSessions.at(-1);
    if (!session) throw new Error('relay: no agent session');
    const bytes = typeof metadata === 'string' ? metadata : JSON.stringify(metadata);
    return session.open(Buffer.from(bytes));
  }

  /** A local TCP port whose connections each become one stream to the agent with this OPEN metadata. */
  async forward(metadata: () => AgentOpen | Promise<AgentOpen>): Promise<string> {
    const server = createNetServer((socket) => {
      socket.pause();
      Promise.resolve(metadata())
        .then((open) => this.open(open))
        .then(
          (stream) => {
            pipeline(socket, stream, () => {});
            pipeline(stream, socket, () => {});
          },
          () => socket.destroy(),
        );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#forwarders.add(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Kills every agent connection without a goodbye (a relay crash or a network cut). */
  dropAll(): void {
    for (const client of this.#wss.clients) client.terminate();
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.close('relay stopping');
    for (const forwarder of this.#forwarders) forwarder.close();
    this.dropAll();
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(() => resolve(undefined)));
  }

  private async handleRequest(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const problem = (status: number, detail: string, reason?: string) => {
      res.writeHead(status, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status, detail, reason }));
    };
    if (req.method !== 'POST' || req.url !== tunnelPaths.agentJoin) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const parsed = agentJoinRequestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    if (!parsed.success) {
      problem(400, parsed.error.message);
      return;
    }
    if (!this.joinTokens.delete(parsed.data.joinToken)) {
      problem(401, 'the join token is invalid, already used or expired', 'invalid-join-token');
      return;
    }
    this.joins++;
    const credentialId = `agc_${randomBytes(8).toString('hex')}`;
    this.credentials.set(credentialId, { publicKey: parsed.data.publicKey as JWK, revoked: false });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        cluster: this.cluster,
        credentialId,
        expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        ticketKeys: this.options.ticketKeys,
      }),
    );
  }

  private async handleUpgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) {
    const refuse = (status: number, reason: string, detail: string) => {
      this.refusals.push(reason);
      const body = JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status, detail, reason });
      socket.end(
        `HTTP/1.1 ${status} Unauthorized\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    };
    if (req.url !== tunnelPaths.agentTunnel) {
      socket.destroy();
      return;
    }
    const assertion = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!assertion) return refuse(401, 'invalid-assertion', 'no assertion');
    const iss = JSON.parse(Buffer.from(assertion.split('.')[1]!, 'base64url').toString()).iss as string;
    const credential = this.credentials.get(iss);
    if (!credential) return refuse(401, 'unknown-credential', 'no such agent credential');
    try {
      const { payload } = await jwtVerify(assertion, await importJWK(credential.publicKey, 'ES256'), {
        issuer: iss,
        subject: this.cluster,
        audience: `${this.url}${tunnelPaths.agentTunnel}`,
        algorithms: ['ES256'],
        requiredClaims: ['iat', 'exp', 'jti'],
      });
      this.assertions.push(payload);
    } catch (error) {
      return refuse(401, 'invalid-assertion', (error as Error).message);
    }
    if (credential.revoked) return refuse(403, 'credential-revoked', 'the agent credential was revoked');
    this.upgrades++;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, { ...this.options.session, role: 'server' });
      this.sessions.push(session);
    });
  }
}
