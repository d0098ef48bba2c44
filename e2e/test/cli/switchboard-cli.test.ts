import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Relay, startRelay } from '@switchboard/relay-server';
import { approveDeviceCode, completeBrowserSignIn } from '@switchboard/test-support/browser-sign-in';
import { type ChildResult, runNode, startNode } from '@switchboard/test-support/child-process';
import { launchChromium } from '@switchboard/test-support/headless-chromium';
import { type PrivateKeyring, startPrivateKeyring } from '@switchboard/test-support/private-keyring';
import { decodeJwt } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevIdpRelay, SERVICE_CLIENT, startDevIdpRelay, TEST_USERS } from '../support/dev-idp-relay.js';
import { SWITCHBOARD_CLI } from '../support/entry-points.js';

const JWT_LINE = /^[\w-]+\.[\w-]+\.[\w-]+\n$/;
const SHORT_TTL_SECONDS = 12;

/**
 * Waits until the session renews this token: past half of its lifetime (the refresh margin for
 * very short-lived tokens), counted generously because `iat` is whole seconds and the CLI
 * measures the lifetime from when it received the token.
 */
async function untilRenewalIsDue(token: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, renewalDueAt(token) - Date.now())));
}

function renewalDueAt(token: string): number {
  return decodeJwt(token.trim()).iat! * 1000 + (SHORT_TTL_SECONDS / 2) * 1000 + 1_500;
}

/** The earliest the session may renew this token (half its lifetime, less `iat`'s rounding). */
function renewalPossibleFrom(token: string): number {
  return decodeJwt(token.trim()).iat! * 1000 + (SHORT_TTL_SECONDS / 2) * 1000;
}

/**
 * The real `switchboard` CLI in child processes, against two real relays with their embedded
 * OpenID provider: relay A with the demo users, relay B with a users file holding a service
 * principal and a short access-token lifetime; tokens are stored in a real gnome-keyring.
 * Sequential: each step builds on the accounts the previous ones created.
 */
describe('switchboard CLI end to end', () => {
  let keyring: PrivateKeyring;
  let relayA: Relay;
  let relayB: DevIdpRelay;
  let browser: Browser;
  let scratch: string;
  let env: NodeJS.ProcessEnv;
  const printedTokens: string[] = [];

  const cli = async (...args: string[]): Promise<ChildResult> => {
    const result = await runNode(SWITCHBOARD_CLI, args, env);
    if (args[0] === 'token' && result.code === 0) printedTokens.push(result.stdout.trim());
    return result;
  };
  const openedUrls = async (): Promise<string[]> =>
    (await readFile(join(scratch, 'opened-urls'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const configDirectory = () => join(keyring.root, 'home', '.config', 'switchboard');

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-cli-'));
    [keyring, relayB, browser] = await Promise.all([
      startPrivateKeyring(),
      startDevIdpRelay({ accessTokenTtlSeconds: SHORT_TTL_SECONDS }),
      launchChromium(),
    ]);
    relayA = await startRelay({
      listen: '127.0.0.1:0',
      dataDir: join(scratch, 'relay-data'),
      devIdp: { enabled: true },
      logLevel: 'silent',
    });
    // The browser opener the CLI runs ($BROWSER): it only records the URL; the test plays the user.
    const opener = join(scratch, 'record-url');
    await writeFile(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${join(scratch, 'opened-urls')}'\n`, {
      mode: 0o755,
    });
    env = { ...keyring.env, BROWSER: opener };
  });
  afterAll(async () => {
    await Promise.all([relayA?.close(), relayB?.close(), browser?.close(), keyring?.stop()]);
    await rm(scratch, { recursive: true, force: true });
  });

  it('login opens the browser, the user signs in at the provider, and the relay becomes the default', async () => {
    const login = startNode(SWITCHBOARD_CLI, ['login', '--relay', `${relayA.url}/`], env);
    await login.waitForStderr(/If it does not open, visit:/);
    await expect.poll(openedUrls).toHaveLength(1);
    const [authorizationUrl] = await openedUrls();
    const page = await completeBrowserSignIn(browser, authorizationUrl!, {
      username: 'alice',
      password: 'alice',
    });
    expect(page).toContain('You can close this tab');
    const result = await login.result;
    expect(result.stdout).toMatch(
      new RegExp(`^Signed in to ${relayA.url} as alice \\(token valid until .+\\)\\.\\n$`),
    );
    expect(result.code).toBe(0);

    const configFile = join(configDirectory(), 'config.json');
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(configFile, 'utf8'))).toEqual({
      defaultRelay: relayA.url,
      relays: [relayA.url],
    });
  });

  it('whoami asks the relay who the user is; token prints only the bearer token', async () => {
    const whoami = await cli('whoami');
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toContain(`Relay:      ${relayA.url}`);
    expect(whoami.stdout).toContain('User:       alice');
    expect(whoami.stdout).toContain('Groups:     switchboard-admins, developers');
    expect(whoami.stdout).toContain('Admin:      yes');
    expect(whoami.stdout).toContain('Identity:   from the relay');
    expect(whoami.stdout).toMatch(/Token: {6}access_token, expires \d{4}-/);

    const token = await cli('token');
    expect(token).toMatchObject({ code: 0, stderr: '' });
    expect(token.stdout).toMatch(JWT_LINE);
    expect(decodeJwt(token.stdout.trim())).toMatchObject({ preferred_username: 'alice', aud: relayA.url });
  });

  it('login --device-code signs in to a second relay side by side', async () => {
    const login = startNode(SWITCHBOARD_CLI, ['login', '--relay', relayB.url, '--device-code'], env);
    const [, verificationUri, userCode] = await login.waitForStderr(
      /open (\S+) on any device and enter the code (\S+)\n/,
    );
    await approveDeviceCode(browser, verificationUri!, userCode!, TEST_USERS[1]!);
    const result = await login.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Signed in to ${relayB.url} as bob`);

    const whoamiB = await cli('whoami', '--relay', relayB.url, '--json');
    expect(JSON.parse(whoamiB.stdout)).toMatchObject({
      relay: relayB.url,
      username: 'bob',
      groups: ['developers'],
      admin: false,
      source: 'relay',
      signInMethod: 'device code',
    });
    expect(JSON.parse(whoamiB.stdout)).not.toHaveProperty('sourceNote');
    const tokenA = await cli('token', '--relay', relayA.url);
    const tokenB = await cli('token');
    expect(decodeJwt(tokenA.stdout.trim()).preferred_username).toBe('alice');
    expect(decodeJwt(tokenB.stdout.trim()).preferred_username).toBe('bob');
  }, 60_000);

  it('token renews a short-lived token ahead of expiry, with one token request, and rotates the refresh token', async () => {
    /** Before half the token's life, `token` hands out the stored token without a token request. */
    const expectStoredTokenReused = async (token: string) => {
      const requests = relayB.tokenEndpointRequests;
      const again = await cli('token', '--relay', relayB.url);
      // On a loaded machine the call may end past that point; then there is nothing to check.
      if (Date.now() >= renewalPossibleFrom(token)) return;
      expect(again.stdout).toBe(token);
      expect(relayB.tokenEndpointRequests).toBe(requests);
    };
    // Token requests are counted from each token on: exactly one renewal per token, whether it
    // happened in the reuse check (a loaded machine) or in the call made once renewal was due.
    const first = (await cli('token', '--relay', relayB.url)).stdout;
    const requestsBefore = relayB.tokenEndpointRequests;
    await expectStoredTokenReused(first);

    await untilRenewalIsDue(first);
    const renewed = await cli('token', '--relay', relayB.url);
    expect(renewed).toMatchObject({ code: 0, stderr: '' });
    expect(renewed.stdout).toMatch(JWT_LINE);
    expect(renewed.stdout).not.toBe(first);
    expect(relayB.tokenEndpointRequests).toBe(requestsBefore + 1);
    await expectStoredTokenReused(renewed.stdout);

    // The provider rotated the refresh token and refuses the spent one; a second renewal only
    // works if the rotated refresh token was persisted.
    await untilRenewalIsDue(renewed.stdout);
    const renewedAgain = await cli('token', '--relay', relayB.url);
    expect(renewedAgain.code).toBe(0);
    expect(renewedAgain.stdout).not.toBe(renewed.stdout);
    expect(relayB.tokenEndpointRequests).toBe(requestsBefore + 2);
  }, 60_000);

  it('parallel `switchboard token` processes renew once: the others find the stored tokens', async () => {
    const current = (await cli('token', '--relay', relayB.url)).stdout;
    await untilRenewalIsDue(current);
    const requestsBefore = relayB.tokenEndpointRequests;
    const results = await Promise.all(Array.from({ length: 6 }, () => cli('token', '--relay', relayB.url)));
    for (const result of results) expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(new Set(results.map((result) => result.stdout)).size).toBe(1);
    expect(results[0]?.stdout).not.toBe(current);
    expect(relayB.tokenEndpointRequests).toBe(requestsBefore + 1);
  }, 60_000);

  it('a relay restart signs nobody out: the refresh token still renews, with one token request', async () => {
    const current = (await cli('token', '--relay', relayB.url)).stdout;
    await relayB.stop();
    await relayB.start();
    await untilRenewalIsDue(current);
    const requestsBefore = relayB.tokenEndpointRequests;
    const renewed = await cli('token', '--relay', relayB.url);
    expect(renewed).toMatchObject({ code: 0, stderr: '' });
    expect(renewed.stdout).toMatch(JWT_LINE);
    expect(renewed.stdout).not.toBe(current);
    expect(relayB.tokenEndpointRequests).toBe(requestsBefore + 1);
    // The restarted relay verifies what its new keys signed.
    const whoami = await cli('whoami', '--relay', relayB.url);
    expect(whoami.stdout).toContain('Identity:   from the relay\n');
  }, 30_000);

  it('a revoked refresh token ends in "sign-in required" with the command to run, without retrying', async () => {
    const current = (await cli('token', '--relay', relayB.url)).stdout;
    await relayB.stop();
    // While the relay is down, whoami falls back to what the ID token says.
    const whoamiOffline = await cli('whoami', '--relay', relayB.url, '--json');
    expect(whoamiOffline.code).toBe(0);
    expect(JSON.parse(whoamiOffline.stdout)).toMatchObject({
      relay: relayB.url,
      username: 'bob',
      groups: ['developers'],
      source: 'id_token claims',
      sourceNote: expect.stringMatching(/^relay unreachable: connect ECONNREFUSED /),
      signInMethod: 'device code',
    });
    await relayB.start({ forgetSignIns: true }); // the provider forgot every grant: the refresh token is now invalid
    await untilRenewalIsDue(current);
    const requestsBefore = relayB.tokenEndpointRequests;

    const failed = await cli('token', '--relay', relayB.url);
    expect(failed.code).toBe(3);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe(
      `switchboard: Sign-in required for ${relayB.url}: the refresh token expired or was revoked. Run \`switchboard login --relay ${relayB.url}\`.\n`,
    );
    const again = await cli('token', '--relay', relayB.url);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('not signed in');
    expect(relayB.tokenEndpointRequests).toBe(requestsBefore + 1);
    // Relay A's account is untouched.
    expect((await cli('token', '--relay', relayA.url)).code).toBe(0);
  }, 30_000);

  it('login --client-id reads the secret from a private file and refuses a world-readable one', async () => {
    const secretFile = join(scratch, 'ci-secret');
    await writeFile(secretFile, SERVICE_CLIENT.clientSecret, { mode: 0o644 });
    const args = [
      'login',
      '--relay',
      relayB.url,
      '--client-id',
      SERVICE_CLIENT.clientId,
      '--client-secret-file',
      secretFile,
    ];
    const refused = await cli(...args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`restrict it with \`chmod 600 ${secretFile}\``);

    await chmod(secretFile, 0o600);
    const login = await cli(...args);
    expect(login.stderr).toBe('');
    expect(login.stdout).toContain(`Signed in to ${relayB.url} as ci-bot`);
    const token = await cli('token', '--relay', relayB.url);
    expect(decodeJwt(token.stdout.trim())).toMatchObject({ preferred_username: 'ci-bot', groups: ['ci'] });
    const whoami = await cli('whoami', '--relay', relayB.url);
    expect(whoami.stdout).toContain('User:       ci-bot');
    expect(whoami.stdout).toContain('Groups:     ci');
    expect(whoami.stdout).toContain('Admin:      no');
    expect(whoami.stdout).toContain('Identity:   from the relay\n');
    expect(whoami.stdout).toContain('Signed in:  client credentials');

    // A service principal has no ID token: while the relay is down, whoami reads the access token.
    await relayB.stop();
    const offline = await cli('whoami', '--relay', relayB.url);
    await relayB.start();
    expect(offline.stdout).toContain('User:       ci-bot');
    expect(offline.stdout).toMatch(
      /Identity: {3}from the access_token claims \(relay unreachable: connect ECONNREFUSED [^)]+\)\n/,
    );
    expect(offline.stdout).toContain('Signed in:  client credentials');
  });

  it('login fails before any sign-in when there is no Secret Service, saying how to fix it', async () => {
    const secretFile = join(scratch, 'ci-secret');
    const requestsBefore = relayB.tokenEndpointRequests;
    const result = await runNode(
      SWITCHBOARD_CLI,
      [
        'login',
        '--relay',
        relayB.url,
        '--client-id',
        SERVICE_CLIENT.clientId,
        '--client-secret-file',
        secretFile,
      ],
      { ...env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(scratch, 'no-bus')}` },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^switchboard: cannot use the Secret Service keychain .*gnome-keyring/);
    expect(relayB.tokenEndpointRequests).toBe(requestsBefore);
  });

  it('no token is stored in plaintext anywhere under the test home', async () => {
    expect(printedTokens.length).toBeGreaterThan(5);
    const entries = await readdir(keyring.root, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    for (const file of files) {
      const bytes = await readFile(file);
      for (const token of printedTokens) {
        expect(bytes.includes(token), `a token in ${file}`).toBe(false);
        expect(bytes.includes(token.split('.')[2]!), `a token signature in ${file}`).toBe(false);
      }
    }
  });

  it('logout removes the keychain item and the token cache; --all signs out of every relay', async () => {
    expect(await keyring.searchSwitchboardItems()).toContain(relayA.url);
    const logoutA = await cli('logout', '--relay', relayA.url);
    expect(logoutA).toMatchObject({ code: 0, stdout: `Signed out of ${relayA.url}.\n` });
    const items = await keyring.searchSwitchboardItems();
    expect(items).not.toContain(relayA.url);
    expect(items).toContain(relayB.url);
    expect((await cli('token', '--relay', relayA.url)).code).toBe(3);

    expect((await cli('logout', '--all')).code).toBe(0);
    expect(await keyring.searchSwitchboardItems()).toBe('');
    expect(await readdir(join(configDirectory(), 'tokens'))).toEqual([]);
    const afterAll = await cli('token');
    expect(afterAll.code).toBe(1);
    expect(afterAll.stderr).toContain('no relay selected: pass --relay URL');
  });
});
