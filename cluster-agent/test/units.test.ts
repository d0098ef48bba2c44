/** Small pieces: header filtering, in-cluster configuration with a rotating token. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { validateHeaderValue } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInCluster } from '../src/kube/kubeconfig.js';
import {
  forwardRequestHeaders,
  forwardResponseHeaders,
  http2ResponseRawHeaders,
  requestsImpersonation,
  utf8HeaderValue,
} from '../src/proxy/headers.js';

describe('headers', () => {
  it('spots any Impersonate-* header, whatever its case', () => {
    expect(requestsImpersonation(['Accept', 'application/json', 'X-Remote-User', 'x'])).toBe(false);
    for (const name of [
      'Impersonate-User',
      'impersonate-group',
      'IMPERSONATE-UID',
      'Impersonate-Extra-Scopes',
    ])
      expect(requestsImpersonation(['Accept', '*/*', name, 'v'])).toBe(true);
  });

  it('writes identity values as their UTF-8 bytes, which Node accepts as a header value', () => {
    expect(Buffer.from(utf8HeaderValue('josé@x'), 'latin1')).toEqual(Buffer.from('josé@x', 'utf8'));
    expect(utf8HeaderValue('plain-ascii')).toBe('plain-ascii');
    expect(() => validateHeaderValue('impersonate-group', utf8HeaderValue('разработчики'))).not.toThrow();
    expect(() => validateHeaderValue('impersonate-group', 'разработчики')).toThrow();
  });

  const raw = [
    'Host',
    'proxy.local',
    'Authorization',
    'Bearer x',
    'Impersonate-User',
    'admin',
    'Impersonate-Group',
    'system:masters',
    'Impersonate-Extra-Scopes',
    'x',
    'Connection',
    'keep-alive, X-Drop-Me',
    'X-Drop-Me',
    '1',
    'Keep-Alive',
    'timeout=5',
    'Proxy-Authorization',
    'Basic x',
    'TE',
    'trailers',
    'Trailer',
    'x',
    'Transfer-Encoding',
    'chunked',
    'Upgrade',
    'SPDY/3.1',
    'Accept',
    'application/json',
    'X-Stream-Protocol-Version',
    'v4.channel.k8s.io',
    'X-Stream-Protocol-Version',
    'v3.channel.k8s.io',
  ];

  it('strips identity, hop-by-hop and Connection-named headers, keeping repeated ones', () => {
    expect(forwardRequestHeaders(raw)).toEqual({
      accept: 'application/json',
      'x-stream-protocol-version': ['v4.channel.k8s.io', 'v3.channel.k8s.io'],
    });
  });

  it('keeps Upgrade for a real upgrade', () => {
    expect(forwardRequestHeaders(raw, { upgrade: true })).toMatchObject({
      connection: 'Upgrade',
      upgrade: 'SPDY/3.1',
    });
  });

  it('filters responses the same way', () => {
    expect(
      forwardResponseHeaders([
        'Content-Type',
        'application/json',
        'Transfer-Encoding',
        'chunked',
        'Keep-Alive',
        'x',
      ]),
    ).toEqual({ 'content-type': 'application/json' });
  });

  it('maps an HTTP/2 answer to HTTP/1.1 headers: no pseudo-headers, repeated ones kept apart, hop-by-hop dropped', () => {
    const raw = http2ResponseRawHeaders({
      ':status': 200,
      'content-type': 'application/json',
      warning: ['299 - "one"', '299 - "two"'],
      connection: 'close',
      'audit-id': undefined,
    });
    expect(raw).toEqual([
      ':status',
      '200',
      'content-type',
      'application/json',
      'warning',
      '299 - "one"',
      'warning',
      '299 - "two"',
      'connection',
      'close',
    ]);
    expect(forwardResponseHeaders(raw)).toEqual({
      'content-type': 'application/json',
      warning: ['299 - "one"', '299 - "two"'],
    });
  });
});

describe('in cluster', () => {
  it('reads the service account and re-reads the rotating token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sa-'));
    try {
      await writeFile(join(dir, 'token'), 'first-token\n');
      await writeFile(join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\n');
      await writeFile(join(dir, 'namespace'), 'switchboard');
      const config = loadInCluster({
        serviceAccountDir: dir,
        env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
        tokenRefreshMs: 20,
      });
      expect(config).toMatchObject({ server: 'https://10.0.0.1:443', namespace: 'switchboard' });
      if (config.credential.kind !== 'token') throw new Error('expected a token');
      expect(config.credential.token.value).toBe('first-token');
      await writeFile(join(dir, 'token'), 'rotated-token');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(config.credential.token.value).toBe('rotated-token');
      config.credential.token.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
