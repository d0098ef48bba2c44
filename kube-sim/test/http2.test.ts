/**
 * kube-sim over HTTP/2 as kube-apiserver serves it: ALPN offering h2 and http/1.1, the stream
 * limit announced in SETTINGS, reads, writes, Tables and watches on h2 streams with client
 * certificates and bearer tokens, no connection-specific headers, GOAWAY when connections are
 * dropped, and real kubectl choosing h2.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http2, { type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { Kubectl } from '@switchboard/test-support/kubectl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_HTTP2_MAX_STREAMS_PER_CONNECTION, type KubeSim, startKubeSim } from '../src/index.js';

let sim: KubeSim;
let dir: string;
const TOKEN = 'h2-test-token';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-sim-h2-'));
  sim = await startKubeSim({
    scenario: 'demo',
    users: [{ token: TOKEN, username: 'token-admin', groups: ['system:masters'] }],
  });
});

afterAll(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function adminTls(): { cert: string; key: string } {
  const user = parse(sim.adminKubeconfig).users[0].user;
  return {
    cert: Buffer.from(user['client-certificate-data'], 'base64').toString(),
    key: Buffer.from(user['client-key-data'], 'base64').toString(),
  };
}

async function connect(options: { cert?: string; key?: string } = {}): Promise<ClientHttp2Session> {
  const session = http2.connect(sim.url, { ca: sim.caPem, ...options });
  await new Promise<void>((resolve, reject) => {
    session.once('remoteSettings', () => resolve());
    session.once('error', reject);
  });
  return session;
}

interface Answer {
  headers: IncomingHttpHeaders;
  text: string;
}

function exchange(
  session: ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    let text = '';
    let answer: IncomingHttpHeaders = {};
    stream.setEncoding('utf8');
    stream.on('response', (h) => {
      answer = h;
    });
    stream.on('data', (chunk: string) => {
      text += chunk;
    });
    stream.on('end', () => resolve({ headers: answer, text }));
    stream.on('error', reject);
    if (body !== undefined) stream.end(JSON.stringify(body));
  });
}

function alpn(protocols: string[], server: KubeSim = sim): Promise<string | false | null> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: hostname,
      port: Number(port),
      ca: server.caPem,
      ALPNProtocols: protocols,
    });
    socket.once('secureConnect', () => {
      resolve(socket.alpnProtocol);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

const CONNECTION_SPECIFIC = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

describe('ALPN', () => {
  it('offers h2 and http/1.1, as kube-apiserver does; HTTP/1.1 only when HTTP/2 is off', async () => {
    expect(await alpn(['h2', 'http/1.1'])).toBe('h2');
    expect(await alpn(['http/1.1'])).toBe('http/1.1');
    const h1Only = await startKubeSim({ http2: false });
    try {
      expect([false, null, 'http/1.1']).toContain(await alpn(['h2', 'http/1.1'], h1Only));
    } finally {
      await h1Only.close();
    }
  });

  it('announces its streams per connection: the default, or the option', async () => {
    const session = await connect();
    expect(session.remoteSettings.maxConcurrentStreams).toBe(DEFAULT_HTTP2_MAX_STREAMS_PER_CONNECTION);
    session.close();
    const limited = await startKubeSim({ http2MaxStreamsPerConnection: 7 });
    try {
      const other = http2.connect(limited.url, { ca: limited.caPem });
      const settings = await new Promise<http2.Settings>((resolve) => other.once('remoteSettings', resolve));
      expect(settings.maxConcurrentStreams).toBe(7);
      other.close();
    } finally {
      await limited.close();
    }
    await expect(startKubeSim({ http2MaxStreamsPerConnection: 0 })).rejects.toThrow(
      'http2MaxStreamsPerConnection must be a whole number',
    );
  });
});

describe('the API over HTTP/2', () => {
  it('creates, reads (also as a Table), patches and deletes with a client certificate', async () => {
    const session = await connect(adminTls());
    const base = '/api/v1/namespaces/default/configmaps';
    const created = await exchange(
      session,
      { ':method': 'POST', ':path': base, 'content-type': 'application/json' },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'over-h2' }, data: { a: '1' } },
    );
    expect(created.headers[':status']).toBe(201);
    const read = await exchange(session, { ':path': `${base}/over-h2` });
    expect(JSON.parse(read.text).data).toEqual({ a: '1' });
    const table = await exchange(session, {
      ':path': base,
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(JSON.parse(table.text)).toMatchObject({ kind: 'Table' });
    expect(JSON.parse(table.text).rows.map((r: { cells: string[] }) => r.cells[0])).toContain('over-h2');
    const patched = await exchange(
      session,
      { ':method': 'PATCH', ':path': `${base}/over-h2`, 'content-type': 'application/merge-patch+json' },
      { data: { b: '2' } },
    );
    expect(JSON.parse(patched.text).data).toEqual({ a: '1', b: '2' });
    const deleted = await exchange(session, { ':method': 'DELETE', ':path': `${base}/over-h2` });
    expect(deleted.headers[':status']).toBe(200);
    for (const answer of [created, read, table, patched, deleted]) {
      for (const name of CONNECTION_SPECIFIC) expect(answer.headers[name]).toBeUndefined();
    }
    session.close();
  });

  it('authenticates a bearer token, and refuses a bad one with 401', async () => {
    const session = await connect();
    const review = await exchange(
      session,
      {
        ':method': 'POST',
        ':path': '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
      },
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} },
    );
    expect(JSON.parse(review.text).status.userInfo.username).toBe('token-admin');
    const refused = await exchange(session, { ':path': '/api/v1/namespaces', authorization: 'Bearer wrong' });
    expect(refused.headers[':status']).toBe(401);
    session.close();
  });

  it('streams each watch event on a DATA frame as it happens, without Transfer-Encoding', async () => {
    const session = await connect(adminTls());
    const watch = session.request({
      ':path': '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=0',
    });
    watch.setEncoding('utf8');
    const head = await new Promise<IncomingHttpHeaders>((resolve) => watch.once('response', resolve));
    expect(head[':status']).toBe(200);
    expect(head['transfer-encoding']).toBeUndefined();
    let received = '';
    watch.on('data', (chunk: string) => {
      received += chunk;
    });
    await exchange(
      session,
      {
        ':method': 'POST',
        ':path': '/api/v1/namespaces/default/configmaps',
        'content-type': 'application/json',
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched-h2' } },
    );
    const deadline = Date.now() + 2_000;
    while (!received.includes('watched-h2') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(received).toContain('"type":"ADDED"');
    watch.close();
    session.close();
  });

  it('sends GOAWAY on every HTTP/2 connection it drops, and serves new ones after', async () => {
    const session = await connect(adminTls());
    const goaway = new Promise<number>((resolve) => session.once('goaway', (code) => resolve(code)));
    await sim.dropConnections();
    expect(await goaway).toBe(http2.constants.NGHTTP2_NO_ERROR);
    const again = await connect(adminTls());
    expect((await exchange(again, { ':path': '/version' })).headers[':status']).toBe(200);
    again.close();
  });
});

describe('kubectl', () => {
  it('speaks HTTP/2 to kube-sim, as to kube-apiserver', async () => {
    const kubeconfig = join(dir, 'admin.kubeconfig');
    await writeFile(kubeconfig, sim.adminKubeconfig, { mode: 0o600 });
    const kubectl = new Kubectl('kubectl', { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig });
    const before = sim.connections().http2Accepted;
    const result = await kubectl.run(['get', 'namespaces', '-o', 'name']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('namespace/default');
    expect(sim.connections().http2Accepted).toBeGreaterThan(before);
  });
});
