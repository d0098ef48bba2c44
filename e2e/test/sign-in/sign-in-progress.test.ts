/**
 * The app's sign-in as it progresses, against a real relay with its embedded OpenID provider: the
 * view says whether the browser really opened the sign-in page (and keeps the link when it did
 * not), a reopen tries again, Cancel returns to where the sign-in began and closes the loopback
 * listener, a sign-in code replaces a browser sign-in and completes when approved on "another
 * device", and an issuer without the device grant says so by name.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccountRegistry,
  type BrowserOpener,
  createLogger,
  EphemeralLocalIdentityStore,
  EphemeralTokenStore,
  SignInService,
} from '@switchboard/main/core';
import { approveDeviceCode, completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevIdpRelay, startDevIdpRelay, TEST_USERS } from '../support/dev-idp-relay.js';

const alice = TEST_USERS[0]!;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function redirectPortOf(signInUrl: string): number {
  return Number(new URL(new URL(signInUrl).searchParams.get('redirect_uri')!).port);
}

/**
 * A relay whose issuer publishes no device authorization endpoint: it serves the dev relay's
 * configuration and its provider's discovery document under its own origin, minus that endpoint
 * (as an issuer with public-client device sign-in turned off does).
 */
async function relayWithoutDeviceGrant(relay: DevIdpRelay): Promise<{ url: string; server: Server }> {
  const discovery = (await (
    await fetch(`${relay.configuration.issuer}/.well-known/openid-configuration`)
  ).json()) as Record<string, unknown>;
  const server = createServer((request, response) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body =
      request.url === '/.well-known/switchboard-configuration'
        ? { ...relay.configuration, issuer: origin }
        : request.url === '/.well-known/openid-configuration'
          ? { ...discovery, issuer: origin, device_authorization_endpoint: undefined }
          : undefined;
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('SignInService: progress, reopening, cancelling, sign-in codes', () => {
  let relay: DevIdpRelay;
  let browser: Browser;
  let scratch: string;

  beforeAll(async () => {
    [relay, browser, scratch] = await Promise.all([
      startDevIdpRelay(),
      launchChromium(),
      mkdtemp(join(tmpdir(), 'switchboard-sign-in-progress-')),
    ]);
  });
  afterAll(async () => {
    await Promise.all([relay?.close(), browser?.close()]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  let services = 0;
  const serviceWith = (openBrowser: BrowserOpener) => {
    const calls: string[] = [];
    let queue: Promise<unknown> = Promise.resolve();
    const service = new SignInService({
      registry: new AccountRegistry(join(scratch, `config-${services++}`)),
      // Each service starts signed out: no test sees another's sign-in.
      store: new EphemeralTokenStore(),
      localIdentityStore: new EphemeralLocalIdentityStore(),
      openBrowser,
      logger: createLogger('silent'),
      serialize: (change) => {
        const run = queue.then(change);
        queue = run.catch(() => {});
        return run;
      },
      beginSession: (relayUrl) => calls.push(`begin ${relayUrl}`),
      endSession: async () => {},
      beforeSignOut: async () => {},
    });
    return { service, calls };
  };

  /** An opener that records each URL and fails as xdg-open does without a browser. */
  const failingOpener = () => {
    const opened: string[] = [];
    const openBrowser: BrowserOpener = async (url) => {
      opened.push(url);
      throw new Error('the browser command (xdg-open) failed with exit code 3');
    };
    return { opened, openBrowser };
  };

  it('a browser that opened: progress says so, with the link; the sign-in completes', async () => {
    const opened: string[] = [];
    const { service, calls } = serviceWith(async (url) => {
      opened.push(url);
    });
    await service.connectRelay(relay.url);
    await expect
      .poll(() => service.view.signInProgress)
      .toMatchObject({ method: 'browser', browser: 'opened' });
    const progress = service.view.signInProgress!;
    expect(progress.method === 'browser' && progress.url).toBe(opened[0]);
    expect(Date.parse(progress.startedAt)).toBeLessThanOrEqual(Date.now());

    await completeBrowserSignIn(browser, opened[0]!, alice);
    await expect.poll(() => service.view.signIn, { timeout: 30_000 }).toBe('signed-in');
    expect(service.view.signInProgress).toBeUndefined();
    expect(calls).toEqual([`begin ${relay.url}`]);
    await service.close();
  });

  it('a browser that did not open: not-opened with why and the link; a reopen tries the browser again', async () => {
    const { opened, openBrowser } = failingOpener();
    const { service } = serviceWith(openBrowser);
    await service.connectRelay(relay.url);
    await expect
      .poll(() => service.view.signInProgress)
      .toMatchObject({
        method: 'browser',
        browser: 'not-opened',
        browserProblem: 'the browser command (xdg-open) failed with exit code 3',
      });
    expect(service.view.signIn).toBe('signing-in');
    expect(service.view.problem).toBeUndefined();

    await service.openSignInPage();
    expect(opened).toHaveLength(2);
    expect(opened[1]).toBe(opened[0]);
    expect(service.view.signInProgress).toMatchObject({ url: opened[0], browser: 'not-opened' });
    await service.close();
  });

  it('Cancel: back to signed out with no problem, the loopback listener closed', async () => {
    const { opened, openBrowser } = failingOpener();
    const { service, calls } = serviceWith(openBrowser);
    await service.connectRelay(relay.url);
    await expect.poll(() => opened.length).toBe(1);
    const port = redirectPortOf(opened[0]!);
    expect(await listening(port)).toBe(true);

    await service.cancelSignIn();
    expect(service.view).toEqual({ signIn: 'signed-out', relayUrl: relay.url });
    expect(await listening(port)).toBe(false);
    // Nothing to reopen, and a second cancel is harmless.
    await expect(service.openSignInPage()).rejects.toThrow(/no sign-in page is waiting/);
    await service.cancelSignIn();
    expect(calls).toEqual([]);
    await service.close();
  });

  it('a sign-in code replaces the browser sign-in and completes once approved on another device', async () => {
    const { opened, openBrowser } = failingOpener();
    const { service, calls } = serviceWith(openBrowser);
    await service.connectRelay(relay.url);
    await expect.poll(() => opened.length).toBe(1);
    const browserPort = redirectPortOf(opened[0]!);

    service.signInWithDeviceCode();
    await expect.poll(() => service.view.signInProgress?.method).toBe('device-code');
    await expect.poll(() => listening(browserPort)).toBe(false);
    await expect
      .poll(() => {
        const progress = service.view.signInProgress;
        return progress?.method === 'device-code' ? progress.deviceCode : undefined;
      })
      .toBeDefined();
    const progress = service.view.signInProgress;
    if (progress?.method !== 'device-code' || !progress.deviceCode) throw new Error('no device code');
    const { userCode, verificationUri, expiresAt } = progress.deviceCode;
    expect(new URL(verificationUri).origin).toBe(new URL(relay.url).origin);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());

    // Asking again while the code is shown keeps that code.
    service.signInWithDeviceCode();
    expect(service.view.signInProgress).toEqual(progress);

    await approveDeviceCode(browser, verificationUri, userCode, alice);
    await expect.poll(() => service.view.signIn, { timeout: 30_000 }).toBe('signed-in');
    expect(service.view.account).toMatchObject({ username: alice.username });
    expect(calls).toEqual([`begin ${relay.url}`]);
    await service.close();
  });

  it('a sign-in code: its page that cannot open here says why; Cancel stops the polling at once', async () => {
    const { opened, openBrowser } = failingOpener();
    const { service, calls } = serviceWith(openBrowser);
    await service.restore(relay.url);
    service.signInWithDeviceCode();
    const deviceCode = () => {
      const progress = service.view.signInProgress;
      return progress?.method === 'device-code' ? progress.deviceCode : undefined;
    };
    await expect.poll(deviceCode).toBeDefined();

    await service.openSignInPage();
    expect(opened).toEqual([deviceCode()!.verificationUriComplete ?? deviceCode()!.verificationUri]);
    expect(service.view.signInProgress).toMatchObject({
      method: 'device-code',
      browserProblem: 'the browser command (xdg-open) failed with exit code 3',
    });

    const started = Date.now();
    await service.cancelSignIn();
    // Well within the provider's polling interval (5 s): the wait was aborted, not run out.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(service.view).toEqual({ signIn: 'signed-out', relayUrl: relay.url });
    expect(calls).toEqual([]);
    await service.close();
  });

  it('an issuer without the device grant: the sign-in fails saying so, naming the issuer', async () => {
    const stand = await relayWithoutDeviceGrant(relay);
    try {
      const { service } = serviceWith(async () => {});
      await service.restore(stand.url);
      service.signInWithDeviceCode();
      await expect.poll(() => service.view.problem).toBeDefined();
      expect(service.view).toEqual({
        signIn: 'signed-out',
        relayUrl: stand.url,
        problem: {
          kind: 'sign-in-failed',
          message: `The identity provider of this relay (${stand.url}) does not offer sign-in with a code. Sign in with the browser instead, or ask the relay’s administrator to enable the device authorization grant.`,
        },
      });
      await service.close();
    } finally {
      stand.server.close();
    }
  });
});
