/**
 * The sign-in's loopback redirect listener is reachable by every local process while a sign-in
 * waits: requests it cannot parse get an error page, and the real callback still completes.
 */

import { rawRequest } from '@switchboard/test-support/raw-exchange';
import { afterEach, describe, expect, it } from 'vitest';
import { LoopbackCallbackServer } from '../../src/core/sign-in/loopback-callback-server.js';

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
