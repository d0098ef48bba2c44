/** A handler's unforeseen throw ends its own request with a 500 and a log line, never the server. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardRequestListener, guardUpgradeListener } from '../src/request-guard.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listening(created: Server): Promise<number> {
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  return (created.address() as { port: number }).port;
}

/** Sends raw request bytes and collects everything answered until the server closes. */
function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function recorder() {
  const logged: Array<{ error: unknown; url: string | undefined }> = [];
  return { logged, log: (error: unknown, req: IncomingMessage) => logged.push({ error, url: req.url }) };
}

const GET = (path: string) => `GET ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n`;

describe('guardRequestListener', () => {
  it.each([
    [
      'a throw',
      () => {
        throw new Error('boom');
      },
    ],
    ['a rejection', async () => Promise.reject(new Error('boom'))],
  ])('answers %s with a 500 and logs it; the next request is served', async (_name, failing) => {
    const { logged, log } = recorder();
    const port = await listening(
      createServer(
        guardRequestListener((req, res) => {
          if (req.url === '/fail') return failing();
          res.end('ok');
        }, log),
      ),
    );
    const failed = await exchange(port, GET('/fail'));
    expect(failed).toMatch(/^HTTP\/1\.1 500 /);
    expect(failed).toContain('internal error while answering this request; it was logged');
    expect(logged).toEqual([{ error: new Error('boom'), url: '/fail' }]);
    expect(await exchange(port, GET('/fine'))).toMatch(/^HTTP\/1\.1 200 [\s\S]*ok$/);
  });

  it('closes the connection when the answer had already begun', async () => {
    const { logged, log } = recorder();
    const port = await listening(
      createServer(
        guardRequestListener(async (_req, res) => {
          res.writeHead(200, { 'content-length': '100' });
          res.write('partial');
          throw new Error('midway');
        }, log),
      ),
    );
    const answer = await exchange(port, GET('/'));
    expect(answer).toMatch(/^HTTP\/1\.1 200 [\s\S]*partial$/);
    expect(logged).toHaveLength(1);
  });
});

describe('guardUpgradeListener', () => {
  it('answers a throwing upgrade handler with a 500 on the raw socket and closes it', async () => {
    const { logged, log } = recorder();
    const created = createServer();
    created.on(
      'upgrade',
      guardUpgradeListener(() => {
        throw new Error('no upgrade');
      }, log),
    );
    const port = await listening(created);
    const answer = await exchange(
      port,
      'GET /socket HTTP/1.1\r\nhost: localhost\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    expect(answer).toContain('connection: close');
    expect(logged).toEqual([{ error: new Error('no upgrade'), url: '/socket' }]);
  });
});
