/**
 * kube-sim reads header bytes as UTF-8, like kube-apiserver (Go keeps the bytes, the apiserver
 * treats them as UTF-8 strings): a client sending UTF-8 names is understood, one sending Latin-1
 * gets U+FFFD just as on a real cluster. Raw bytes on a TLS socket, so no client library decides.
 */
import { connect } from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../src/index.js';

let sim: KubeSim;
const ROOT_TOKEN = 'root-token-for-header-bytes';

beforeAll(async () => {
  sim = await startKubeSim({ scenario: 'empty' });
  sim.addUser({ token: ROOT_TOKEN, username: 'root', groups: ['system:masters'] });
  sim.addUser({ token: 'tökén-ünïcode', username: 'unicode-token-user' });
});

afterAll(async () => {
  await sim?.close();
});

/** POSTs a SelfSubjectReview with `head` (header lines) encoded as `encoding`; the answer's status and body. */
function review(headers: string[], encoding: BufferEncoding): Promise<{ status: number; body: string }> {
  const url = new URL(sim.url);
  const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  const head = [
    'POST /apis/authentication.k8s.io/v1/selfsubjectreviews HTTP/1.1',
    `Host: ${url.host}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...headers,
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: url.hostname,
      port: Number(url.port),
      ca: sim.caPem,
      servername: url.hostname,
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.end(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, encoding), Buffer.from(body)]));
  });
}

/** The body may be chunked: the JSON object inside it. */
function userInfoOf(body: string) {
  return JSON.parse(body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1)).status.userInfo;
}

it('reads Impersonate-User, -Group, -Uid and -Extra values as UTF-8 bytes', async () => {
  const answer = await review(
    [
      `Authorization: Bearer ${ROOT_TOKEN}`,
      'Impersonate-User: josé@x',
      'Impersonate-Group: développeurs',
      'Impersonate-Group: разработчики',
      'Impersonate-Uid: ünïque',
      'Impersonate-Extra-Team: équipe',
    ],
    'utf8',
  );
  expect(answer.status).toBe(201);
  expect(userInfoOf(answer.body)).toMatchObject({
    username: 'josé@x',
    uid: 'ünïque',
    groups: ['développeurs', 'разработчики', 'system:authenticated'],
    extra: { team: ['équipe'] },
  });
});

it('turns Latin-1 bytes into U+FFFD, as kube-apiserver does', async () => {
  const answer = await review(
    [`Authorization: Bearer ${ROOT_TOKEN}`, 'Impersonate-User: josé@x', 'Impersonate-Group: développeurs'],
    'latin1',
  );
  expect(answer.status).toBe(201);
  expect(userInfoOf(answer.body)).toMatchObject({
    username: 'jos\ufffd@x',
    groups: ['d\ufffdveloppeurs', 'system:authenticated'],
  });
});

it('compares bearer tokens as their UTF-8 bytes', async () => {
  const answer = await review(['Authorization: Bearer tökén-ünïcode'], 'utf8');
  expect(answer.status).toBe(201);
  expect(userInfoOf(answer.body).username).toBe('unicode-token-user');
});
