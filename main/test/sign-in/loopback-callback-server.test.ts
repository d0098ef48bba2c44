/**
 * The sign-in's loopback redirect listener is reachable by every local process while a sign-in
 * waits: requests it cannot parse get an error page, and the real callback still completes.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LoopbackCallbackServer } from '../../src/core/sign-in/loopback-callback-server.js';

/** Raw request bytes (not half-closing); resolves with the whole answer (the server closes after it). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(text, 'latin1')));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('loopback callback server', () => {
  let server: LoopbackCallbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers unparsable and malformed targets with an error page, and still takes the real callback', async () => {
    server = await LoopbackCallbackServer.listen('the-state');
    const port = Number(new URL(server.redirectUri).port);
    for (const target of ['//a:b', '//[', '/callback%E0%A4%A?state=%FF', '*']) {
      const answer = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 404 /);
    }
    const callback = server.nextCallback();
    const done = rawRequest(
      port,
      `GET /callback?state=the-state&code=c HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
    );
    (await callback).finish({ ok: true });
    expect(await done).toMatch(/^HTTP\/1\.1 200 [\s\S]*Signed in to Switchboard/);
  });
});
