/**
 * The probe server never ends the agent: requests it cannot parse are answered, and a failure
 * while answering (here: the session count throws) is a 500 with a log line, after which it serves on.
 */
import { connect } from 'node:net';
import { capturingLogger } from '@switchboard/test-support/capturing-logger';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningHealthServer, startHealthServer } from '../src/health/health-server.js';

/** Raw request bytes; resolves with the whole answer (every request here says Connection: close). */
function rawRequest(address: string, text: string): Promise<string> {
  const { hostname, port } = new URL(`http://${address}`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(Buffer.from(text, 'latin1')));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const get = (address: string, target: string, headers = '') =>
  rawRequest(address, `GET ${target} HTTP/1.1\r\nHost: probe\r\n${headers}Connection: close\r\n\r\n`);

describe('health server', () => {
  let server: RunningHealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers a failure to answer with 500 and a log line, and keeps serving', async () => {
    const { logger, lines } = capturingLogger();
    let failing = true;
    server = await startHealthServer({
      listen: '127.0.0.1:0',
      liveSessions: () => {
        if (failing) throw new Error('session table unavailable');
        return 1;
      },
      logger,
    });
    expect(await get(server.address, '/readyz')).toMatch(/^HTTP\/1\.1 500 /);
    expect(lines()).toContainEqual(expect.objectContaining({ msg: 'health probe failed (answered 500)' }));
    expect(await get(server.address, '/healthz')).toMatch(/^HTTP\/1\.1 200 /);
    failing = false;
    expect(await get(server.address, '/readyz')).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('answers malformed targets and odd headers', async () => {
    server = await startHealthServer({ listen: '127.0.0.1:0', liveSessions: () => 0 });
    for (const target of ['//a:b', '/%E0%A4%A', '/readyz%FF', '*', 'http://x/healthz']) {
      expect(await get(server.address, target), target).toMatch(/^HTTP\/1\.1 (404|503) /);
    }
    expect(await get(server.address, '/healthz', 'X-Odd: \xff\xfe\r\n')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await get(server.address, '/healthz')).toMatch(/^HTTP\/1\.1 200 /);
  });
});
