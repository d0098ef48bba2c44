/** Fetching the issuer's documents: bounded in time and size, no redirects, through a given agent. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson } from '../../src/identity/fetch-json.js';
import { IssuerUnavailableError } from '../../src/identity/token-rejected-error.js';

describe('fetchJson', () => {
  let server: http.Server;
  let base: string;
  const options = { timeoutMs: 300, maxBytes: 1024 };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/keys') res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
      else if (req.url === '/moved') res.writeHead(302, { location: '/keys' }).end();
      else if (req.url === '/huge') res.writeHead(200).end(`"${'x'.repeat(4096)}"`);
      else if (req.url === '/html') res.writeHead(200).end('<html></html>');
      else if (req.url === '/slow')
        res.writeHead(200).write('{'); // and never more
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = (path: string) =>
    fetchJson(`${base}${path}`, options).then(
      () => {
        throw new Error('expected a failure');
      },
      (error: Error) => {
        expect(error).toBeInstanceOf(IssuerUnavailableError);
        return error.message;
      },
    );

  it('returns the parsed document', async () => {
    expect(await fetchJson(`${base}/keys`, options)).toEqual({ keys: [] });
  });

  it('names what went wrong: a redirect, a status, a size, a format, a timeout', async () => {
    expect(await failure('/moved')).toBe(`cannot fetch ${base}/moved: HTTP 302`);
    expect(await failure('/nope')).toBe(`cannot fetch ${base}/nope: HTTP 404`);
    expect(await failure('/huge')).toBe(`${base}/huge returned more than 1024 bytes`);
    expect(await failure('/html')).toBe(`${base}/html did not return JSON`);
    expect(await failure('/slow')).toBe(`cannot fetch ${base}/slow: no answer within 300 ms`);
  });

  it('connects through the agent it is given', async () => {
    const used: string[] = [];
    const agent = new http.Agent();
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = (connectOptions, callback) => {
      used.push(`${connectOptions.host}:${connectOptions.port}`);
      return createConnection(connectOptions, callback);
    };
    await fetchJson(`${base}/keys`, { ...options, agentFor: () => agent });
    expect(used).toEqual([new URL(base).host]);
    agent.destroy();
  });
});
