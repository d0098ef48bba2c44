import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayApiClient } from '../../src/core/relay-client/relay-api.js';
import {
  fetchRelayConfiguration,
  RelayConfigurationError,
} from '../../src/core/relay-client/relay-configuration.js';
import { normalizeRelayUrl } from '../../src/core/relay-client/relay-url.js';

describe('normalizeRelayUrl', () => {
  it('gives every spelling of a relay one account id', () => {
    expect(normalizeRelayUrl('HTTPS://Relay.Example.com/')).toBe('https://relay.example.com');
    expect(normalizeRelayUrl('https://relay.example.com:8443/team-a/?x=1#y')).toBe(
      'https://relay.example.com:8443/team-a',
    );
    expect(normalizeRelayUrl('http://127.0.0.1:8443')).toBe('http://127.0.0.1:8443');
    expect(normalizeRelayUrl('http://localhost:8443/')).toBe('http://localhost:8443');
  });
  it('refuses plain http beyond loopback, other schemes and credentials in the URL', () => {
    expect(() => normalizeRelayUrl('http://relay.example.com')).toThrow(
      /tokens would travel unencrypted; use https:\/\/relay.example.com/,
    );
    expect(() => normalizeRelayUrl('ftp://relay.example.com')).toThrow(/must start with https/);
    expect(() => normalizeRelayUrl('https://user:pw@relay.example.com')).toThrow(/user name or password/);
    expect(() => normalizeRelayUrl('relay.example.com')).toThrow(/not a URL/);
  });
});

describe('relay HTTP client', () => {
  let server: Server;
  let url: string;
  const responses = new Map<string, { status: number; body: unknown }>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const answer = responses.get(request.url ?? '') ?? {
        status: 404,
        body: { type: 'about:blank', title: 'Not Found', status: 404 },
      };
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('validates the well-known configuration at the edge and names what is wrong', async () => {
    const valid = {
      relayVersion: '1',
      issuer: 'https://login.example.com',
      clientId: 'cli',
      scopes: ['openid'],
      bearerToken: 'access_token',
    };
    responses.set('/.well-known/switchboard-configuration', { status: 200, body: valid });
    expect(await fetchRelayConfiguration(url)).toEqual(valid);

    responses.set('/.well-known/switchboard-configuration', {
      status: 200,
      body: { ...valid, bearerToken: 'cookie', issuer: 'nope' },
    });
    const invalid = fetchRelayConfiguration(url);
    await expect(invalid).rejects.toBeInstanceOf(RelayConfigurationError);
    await expect(invalid).rejects.toThrow(/invalid configuration \(issuer: .*; bearerToken: .*\)/);

    responses.delete('/.well-known/switchboard-configuration');
    await expect(fetchRelayConfiguration(url)).rejects.toThrow(
      /answered 404 .* is http:\/\/127.0.0.1:\d+ a Switchboard relay\?/,
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(fetchRelayConfiguration(closedUrl)).rejects.toThrow(
      `cannot reach the relay at ${closedUrl}: connect ECONNREFUSED`,
    );
  });

  it('whoami: the relay’s answer, "unavailable" on 404, an error with the problem title on 401', async () => {
    const client = new RelayApiClient(url);
    expect(await client.whoami('token')).toEqual({
      available: false,
      reason: 'the relay does not serve /api/v1/whoami',
    });
    responses.set('/api/v1/whoami', {
      status: 200,
      body: { username: 'alice', groups: ['g'], admin: false },
    });
    expect(await client.whoami('token')).toEqual({
      available: true,
      whoami: { username: 'alice', groups: ['g'], admin: false },
    });
    responses.set('/api/v1/whoami', {
      status: 401,
      body: {
        type: 'urn:switchboard:problem:unauthorized',
        title: 'Unauthorized',
        status: 401,
        detail: 'token expired',
      },
    });
    await expect(client.whoami('token')).rejects.toThrow(
      'the relay answered 401 (Unauthorized: token expired)',
    );
  });
});
