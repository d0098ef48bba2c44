/**
 * The sign-in's loopback redirect listener is reachable by every local process while a sign-in
 * waits: requests it cannot parse get an error page, and the real callback still completes. Its
 * pages send the person back to whoever started the sign-in: the app or the terminal.
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
    server = await LoopbackCallbackServer.listen('the-state', 'terminal');
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

  /** The callback with `state`, answered with `outcome`; returns the page the browser got. */
  const answerCallback = async (
    startedBy: 'app' | 'terminal',
    outcome: { ok: true } | { ok: false; message: string },
  ) => {
    server = await LoopbackCallbackServer.listen('the-state', startedBy);
    const port = Number(new URL(server.redirectUri).port);
    const callback = server.nextCallback();
    const page = rawRequest(
      port,
      `GET /callback?state=the-state&code=c HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
    );
    (await callback).finish(outcome);
    const stale = await rawRequest(
      port,
      `GET /callback?state=another-state&code=c HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
    );
    return { page: await page, stale };
  };

  it('started by the app: sends the person back to Switchboard, never to a terminal', async () => {
    const { page, stale } = await answerCallback('app', { ok: true });
    expect(page).toMatch(/^HTTP\/1\.1 200 [\s\S]*You can close this tab and return to Switchboard\./);
    expect(stale).toMatch(/^HTTP\/1\.1 400 [\s\S]*Return to Switchboard and sign in again\./);
    expect(`${page}${stale}`).not.toMatch(/terminal/i);
  });

  it('started by the app, failed: the reason, then back to Switchboard', async () => {
    const { page } = await answerCallback('app', { ok: false, message: 'the identity provider refused.' });
    expect(page).toMatch(
      /^HTTP\/1\.1 400 [\s\S]*Sign-in failed[\s\S]*the identity provider refused\. Return to Switchboard to try again\./,
    );
    expect(page).not.toMatch(/terminal/i);
  });

  it('started in a terminal: sends the person back to the terminal', async () => {
    const { page, stale } = await answerCallback('terminal', { ok: true });
    expect(page).toMatch(/You can close this tab and return to your terminal\./);
    expect(stale).toMatch(/Return to your terminal and try again\./);
  });
});
