/**
 * The agent's probe endpoint for Kubernetes (`--health-listen`): `/healthz` answers while the
 * process runs, `/readyz` only while at least one relay session is up. Plain HTTP with no data
 * behind it, so it can listen on the pod IP; it serves nothing else.
 */
import http from 'node:http';
import { isIP } from 'node:net';
import { guardRequestListener } from '@switchboard/http-edge/request-guard';
import type { Logger } from '../logger.js';

export interface HealthServerOptions {
  /** `HOST:PORT` (`0.0.0.0:8080`, `[::]:8080`); port 0 picks a free one. */
  listen: string;
  /** How many relay sessions are open now. */
  liveSessions: () => number;
  /** Where a failure to answer a probe is logged (it is answered 500; the agent keeps running). */
  logger?: Logger;
}

export interface RunningHealthServer {
  /** The bound `host:port`. */
  readonly address: string;
  close(): Promise<void>;
}

export class HealthListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HealthListenError';
  }
}

/** `HOST:PORT` with IPv6 hosts in brackets; undefined when malformed. */
export function parseHealthListen(value: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(value);
  if (!match) return undefined;
  const host = match[1]!.replace(/^\[|\]$/g, '');
  const port = Number(match[2]);
  if (port > 65_535 || (match[1]!.startsWith('[') && isIP(host) !== 6)) return undefined;
  return { host, port };
}

export async function startHealthServer(options: HealthServerOptions): Promise<RunningHealthServer> {
  const address = parseHealthListen(options.listen);
  if (!address) {
    throw new HealthListenError(
      `--health-listen must be HOST:PORT (e.g. 0.0.0.0:8080 or [::]:8080), got "${options.listen}"`,
    );
  }
  const logFailure = (error: unknown, req: http.IncomingMessage) =>
    options.logger?.error(
      { err: error, path: (req.url ?? '').split('?', 1)[0] },
      'health probe failed (answered 500)',
    );
  const server = http.createServer(
    guardRequestListener((req, res) => {
      const path = (req.url ?? '').split('?', 1)[0];
      const reply = (status: number, text: string) => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(`${text}\n`);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed');
      if (path === '/healthz') return reply(200, 'ok');
      if (path === '/readyz') {
        const sessions = options.liveSessions();
        return sessions > 0
          ? reply(200, `ok: ${sessions} relay session(s)`)
          : reply(503, 'not ready: no session to the relay');
      }
      return reply(404, 'not found: /healthz and /readyz are served');
    }, logFailure),
  );
  // Probes are tiny; a slow or idle client must not hold a socket.
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new HealthListenError(`cannot listen on ${options.listen} for health probes: ${error.message}`)),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address() as { address: string; port: number };
  return {
    address: `${isIP(bound.address) === 6 ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
