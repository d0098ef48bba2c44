/**
 * The desktop core behind an HTTP proxy: with `HTTP(S)_PROXY` set, the relay's configuration, the
 * sign-in at its issuer, the relay API and the tunnel session all go through the proxy (CONNECT),
 * and `NO_PROXY` sends them direct again. A real relay with its development issuer, a real proxy;
 * the relay's own issuer fetches follow the same variables.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bearerTokenSource,
  EphemeralTokenStore,
  RelayApiClient,
  RelayTunnel,
  signInToRelay,
} from '@switchboard/main/core';
import { ConnectProxy } from '@switchboard/test-support/connect-proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevIdpRelay, SERVICE_CLIENT, startDevIdpRelay } from '../support/dev-idp-relay.js';

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

describe('behind an HTTP proxy', () => {
  let relay: DevIdpRelay;
  let proxy: ConnectProxy;
  let scratch: string;
  const saved = new Map(PROXY_VARIABLES.map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    [relay, proxy] = await Promise.all([startDevIdpRelay(), ConnectProxy.start()]);
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-outbound-'));
    for (const name of PROXY_VARIABLES) delete process.env[name];
    process.env.HTTP_PROXY = proxy.url;
    process.env.HTTPS_PROXY = proxy.url;
  });
  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await Promise.all([relay?.close(), proxy?.close()]);
    await rm(scratch, { recursive: true, force: true });
  });

  it('signs in, calls the relay and holds the tunnel through the proxy; NO_PROXY goes direct', async () => {
    const secretFile = join(scratch, 'secret');
    await writeFile(secretFile, SERVICE_CLIENT.clientSecret, { mode: 0o600 });
    const store = new EphemeralTokenStore();
    const signIn = () =>
      signInToRelay(
        relay.url,
        { kind: 'client-credentials', clientId: SERVICE_CLIENT.clientId, clientSecretFile: secretFile },
        store,
      );
    const bearerToken = bearerTokenSource(relay.url, store);

    await signIn();
    await new RelayApiClient(relay.url).listClusters(await bearerToken());
    const tunnel = new RelayTunnel({ relayUrl: relay.url, bearerToken });
    tunnel.start();
    try {
      await tunnel.whenUp();
    } finally {
      await tunnel.close();
    }
    // The relay (and its issuer) is plain HTTP on loopback here, so the proxy sees each request
    // line. The relay runs in this process with the same environment: its own fetch of the
    // issuer's keys, to check the token, takes the proxy too.
    expect(proxy.requestLines.filter((line) => line !== 'GET /dev-idp/jwks HTTP/1.1')).toEqual([
      'GET /.well-known/switchboard-configuration HTTP/1.1',
      'GET /dev-idp/.well-known/openid-configuration HTTP/1.1',
      'POST /dev-idp/token HTTP/1.1',
      'GET /api/v1/clusters HTTP/1.1',
      'GET /api/v1/tunnel HTTP/1.1',
    ]);
    expect(proxy.requestLines).toContain('GET /dev-idp/jwks HTTP/1.1');
    expect(new Set(proxy.targets)).toEqual(new Set([new URL(relay.url).host]));

    process.env.NO_PROXY = '127.0.0.1';
    const seen = proxy.requestLines.length;
    await signIn();
    await new RelayApiClient(relay.url).listClusters(await bearerToken());
    expect(proxy.requestLines.length).toBe(seen);
  });
});
