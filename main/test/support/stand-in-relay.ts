/**
 * A stand-in for relay + cluster agent, until the real `/api/v1/tunnel` and the agent land: an
 * HTTP server that serves `GET /api/v1/clusters` and accepts user tunnel sessions
 * (`@switchboard/protocol`, role 'server') at `/api/v1/tunnel`. Each OPEN is validated with the
 * contract's `userOpenSchema`; refusals use the contract's JSON reasons; accepted streams are piped
 * over TLS to a kube-sim, authenticating as its admin (the real agent impersonates the user).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect } from 'node:tls';
import { type OpenRefusal, type UserOpen, userOpenSchema } from '@switchboard/contract/tunnel';
import type { KubeSim } from '@switchboard/kube-sim';
import { ErrorCode, Session, webSocketOptions } from '@switchboard/protocol';
import { WebSocketServer } from 'ws';
import { parse } from 'yaml';

export type StandInCluster =
  | { state: 'online'; sim: KubeSim }
  | { state: 'offline' }
  | { state: 'forbidden' };

export interface StandInRelay {
  readonly url: string;
  readonly clusters: Map<string, StandInCluster>;
  /** Bearer tokens accepted for the session and for OPENs. */
  readonly acceptedTokens: Set<string>;
  /** Every OPEN's metadata, as received. */
  readonly opens: UserOpen[];
  /** The first bytes (the HTTP request head) of every accepted stream. */
  readonly heads: string[];
  /** Request lines (`GET /path HTTP/1.1`) seen on any stream, including pooled ones. */
  readonly requestLines: string[];
  /** Everything the proxy sent upstream, as latin1 text (bounded), to look for leaked secrets. */
  uplinkText(): string;
  readonly sessionCount: number;
  /** Stops listening and drops every session: the relay is unreachable until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function adminCredential(sim: KubeSim): { cert: string; key: string } {
  const config = parse(sim.adminKubeconfig) as {
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const user = config.users[0]!.user;
  return {
    cert: Buffer.from(user['client-certificate-data'], 'base64').toString(),
    key: Buffer.from(user['client-key-data'], 'base64').toString(),
  };
}

export async function startStandInRelay(initialTokens: string[] = []): Promise<StandInRelay> {
  const clusters = new Map<string, StandInCluster>();
  const acceptedTokens = new Set(initialTokens);
  const opens: UserOpen[] = [];
  const heads: string[] = [];
  const requestLines: string[] = [];
  const uplink: string[] = [];
  let uplinkBytes = 0;
  const sessions = new Set<Session>();
  const wss = new WebSocketServer({ noServer: true, ...webSocketOptions() });

  const bearerOf = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

  const handleSession = (session: Session) => {
    sessions.add(session);
    void session.closed.then(() => sessions.delete(session));
    session.on('stream', (incoming) => {
      const refuse = (reason: OpenRefusal['reason'], message: string) =>
        incoming.reject(JSON.stringify({ reason, message }), ErrorCode.Rejected);
      let open: UserOpen;
      try {
        open = userOpenSchema.parse(JSON.parse(incoming.metadata.toString('utf8')));
      } catch {
        return refuse('bad-request', 'malformed OPEN metadata');
      }
      opens.push(open);
      if (!acceptedTokens.has(open.token)) return refuse('unauthenticated', 'token expired');
      const cluster = clusters.get(open.cluster);
      if (!cluster) return refuse('unknown-cluster', `no cluster ${open.cluster}`);
      if (cluster.state === 'forbidden') return refuse('forbidden', 'no grant');
      if (cluster.state === 'offline') return refuse('cluster-offline', 'agent last seen 5 minutes ago');
      const { cert, key } = adminCredential(cluster.sim);
      const target = new URL(cluster.sim.url);
      const upstream = connect({
        host: target.hostname,
        port: Number(target.port),
        ca: cluster.sim.caPem,
        cert,
        key,
      });
      upstream.once('error', () => {
        try {
          refuse('cluster-offline', 'agent cannot reach the apiserver');
        } catch {}
      });
      upstream.once('secureConnect', () => {
        let stream: Duplex;
        try {
          stream = incoming.accept();
        } catch {
          upstream.destroy();
          return;
        }
        let head = '';
        const sniff = (chunk: Buffer) => {
          head += chunk.toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          if (end >= 0 || head.length > 16_384) {
            heads.push(end >= 0 ? head.slice(0, end) : head);
            stream.off('data', sniff);
          }
        };
        stream.on('data', sniff);
        stream.on('data', (chunk: Buffer) => {
          const text = chunk.toString('latin1');
          for (const match of text.matchAll(/^(?:GET|POST|PUT|PATCH|DELETE) \S+ HTTP\/1\.1$/gm)) {
            requestLines.push(match[0]);
          }
          if (uplinkBytes < 32 * 1024 * 1024) {
            uplink.push(text);
            uplinkBytes += chunk.length;
          }
        });
        stream.pipe(upstream);
        upstream.pipe(stream);
        stream.on('error', () => upstream.destroy());
        upstream.on('error', () => stream.destroy());
        upstream.on('close', () => stream.destroy());
      });
    });
  };

  const makeServer = () => {
    const server = createServer((req, res) => {
      if (req.url === '/api/v1/clusters' && req.method === 'GET') {
        const token = bearerOf(req);
        if (!token || !acceptedTokens.has(token)) {
          res.writeHead(401, { 'content-type': 'application/problem+json' });
          res.end(
            JSON.stringify({
              type: 'urn:switchboard:problem:unauthorized',
              title: 'Unauthorized',
              status: 401,
            }),
          );
          return;
        }
        const items = [...clusters.entries()]
          .filter(([, cluster]) => cluster.state !== 'forbidden')
          .map(([name, cluster]) => ({
            name,
            description: '',
            labels: {},
            createdAt: new Date(0).toISOString(),
            createdBy: 'admin',
            status: cluster.state === 'online' ? 'connected' : 'offline',
            lastSeenAt: new Date().toISOString(),
            sessions: cluster.state === 'online' ? 1 : 0,
            metadata: null,
            recommendedAgentVersion: '0.1.0',
            upgradeAvailable: false,
          }));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items }));
        return;
      }
      res.writeHead(404).end();
    });
    server.on('upgrade', (req, socket, head) => {
      if (req.url !== '/api/v1/tunnel') {
        socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      const token = bearerOf(req);
      if (!token || !acceptedTokens.has(token)) {
        const body = JSON.stringify({ title: 'Unauthorized', status: 401, detail: 'token rejected' });
        socket.end(
          `HTTP/1.1 401 Unauthorized\r\ncontent-type: application/problem+json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => handleSession(new Session(ws, { role: 'server' })));
    });
    return server;
  };

  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    server = makeServer();
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  };
  await listen();

  const stop = async () => {
    const current = server;
    server = undefined;
    if (!current) return;
    for (const session of sessions) session.close('stand-in relay stopping');
    for (const client of wss.clients) client.terminate();
    current.closeAllConnections();
    await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  return {
    url: `http://127.0.0.1:${port}`,
    clusters,
    acceptedTokens,
    opens,
    heads,
    requestLines,
    uplinkText: () => uplink.join(''),
    get sessionCount() {
      return sessions.size;
    },
    stop,
    start: listen,
    async close() {
      await stop();
      wss.close();
    },
  };
}
