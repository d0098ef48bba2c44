/**
 * The local proxy in-process, with real kubectl (1.28 and 1.33) in front and a stand-in relay +
 * agent (see support/stand-in-relay.ts) piping each tunnel stream to a kube-sim behind.
 */

import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import { findResource } from '@switchboard/kube-sim/resources';
import { ReconnectBackoff } from '@switchboard/protocol';
import { Kubectl } from '@switchboard/test-support/kubectl';
import { kubectlBinary, requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { exchange } from '@switchboard/test-support/raw-exchange';
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSwitchboardKubeconfig } from '../../src/core/kubeconfig/switchboard-kubeconfig.js';
import { generateLocalIdentity, type LocalIdentity } from '../../src/core/local-proxy/local-identity.js';
import {
  LocalProxy,
  NonLoopbackAddressError,
  PortInUseError,
} from '../../src/core/local-proxy/local-proxy.js';
import { createLogger } from '../../src/core/logging/logger.js';
import { SignInRequiredError } from '../../src/core/session/sign-in-required-error.js';
import { RelayTunnel } from '../../src/core/tunnel/relay-tunnel.js';
import { type StandInRelay, startStandInRelay } from '../support/stand-in-relay.js';

const USER_TOKEN = 'user-access-token-for-the-stand-in-relay';
const LOGGER_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: logger
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.2; done; sleep 300"]
`;

/** The kubectl releases the proxy is driven with: the oldest that exec over SPDY, and a current one. */
const KUBECTL_MINORS = [28, 33];

/** Polls a condition of this process's own state every 20 ms (for at most 10 s). */
async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Fetched {
  status: number;
  body: { kind?: string; code?: number; message?: string; reason?: string };
}

describe('local proxy (stand-in relay + kube-sim)', () => {
  let sim: KubeSim;
  let relay: StandInRelay;
  let identity: LocalIdentity;
  let tunnel: RelayTunnel;
  let proxy: LocalProxy;
  let scratch: string;
  let kubeconfigPath: string;
  let signedOut = false;

  const fetchProxy = (path: string, headers: Record<string, string>): Promise<Fetched> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: proxy.port,
          path,
          ca: identity.caCertPem,
          servername: 'localhost',
          headers,
          agent: false,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const withCredential = (extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${identity.credential}`,
    ...extra,
  });
  /** A TLS connection to a proxy, handshake done (rejects when the proxy closes it first). */
  const connectToProxy = (port: number): Promise<TLSSocket> =>
    new Promise((resolve, reject) => {
      const socket = connectTls({ host: '127.0.0.1', port, ca: identity.caCertPem, servername: 'localhost' });
      socket.once('secureConnect', () => resolve(socket));
      socket.once('error', reject);
      socket.once('close', () => reject(new Error('closed before the TLS handshake')));
    });
  /** Raw request bytes over TLS; resolves with the answer's head and body as text (Connection: close). */
  const rawToProxy = async (text: string): Promise<string> => {
    return exchange(await connectToProxy(proxy.port), text);
  };

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchboard-local-proxy-'));
    [sim, relay, identity] = await Promise.all([
      startKubeSim({ podStartDelayMs: 100 }),
      startStandInRelay([USER_TOKEN]),
      generateLocalIdentity(),
    ]);
    relay.clusters.set('dev', { state: 'online', sim });
    relay.clusters.set('down', { state: 'offline' });
    relay.clusters.set('secret', { state: 'forbidden' });
    tunnel = new RelayTunnel({
      relayUrl: relay.url,
      bearerToken: async () => {
        if (signedOut) throw new SignInRequiredError(relay.url, 'the refresh token expired');
        return USER_TOKEN;
      },
      backoff: new ReconnectBackoff({ baseMs: 50, capMs: 300 }),
    });
    proxy = await LocalProxy.start({ tunnel, identity, port: 0 });
    tunnel.start();
    await proxy.ready();
    kubeconfigPath = join(scratch, 'kubeconfig');
    // 'nowhere' has no grant: it is in the kubeconfig only to show the relay's 404.
    await writeSwitchboardKubeconfig(kubeconfigPath, {
      clusters: ['dev', 'down', 'secret', 'nowhere'],
      port: proxy.port,
      identity,
    });
  });
  afterAll(async () => {
    // After every kubectl run above: the local credential never went through the tunnel.
    if (relay && identity) expect(relay.uplinkText()).not.toContain(identity.credential);
    await proxy?.close();
    await tunnel?.close();
    await relay?.close();
    await sim?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('writes its kubeconfig with mode 0600, the local credential and the local CA', async () => {
    expect((await stat(kubeconfigPath)).mode & 0o777).toBe(0o600);
  });

  it('refuses to listen anywhere but 127.0.0.1', async () => {
    await expect(LocalProxy.start({ tunnel, identity, host: '0.0.0.0', port: 0 })).rejects.toThrow(
      NonLoopbackAddressError,
    );
  });

  it('a busy port is a clear error; --next-free-port takes the next one', async () => {
    const other = new RelayTunnel({ relayUrl: relay.url, bearerToken: async () => USER_TOKEN });
    const error = await LocalProxy.start({ tunnel: other, identity, port: proxy.port }).catch((e) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect(error.message).toContain(`port ${proxy.port} on 127.0.0.1 is already in use`);
    expect(error.message).toContain('--next-free-port');
    const next = await LocalProxy.start({ tunnel: other, identity, port: proxy.port, nextFreePort: true });
    expect(next.port).toBeGreaterThan(proxy.port);
    await next.close();
  });

  it('refuses browser Origins, foreign Hosts and missing or wrong local credentials with Status JSON', async () => {
    const path = '/clusters/dev/api/v1/namespaces/default/pods';
    const origin = await fetchProxy(path, withCredential({ origin: 'https://evil.example' }));
    expect(origin.status).toBe(403);
    expect(origin.body).toMatchObject({ kind: 'Status', code: 403, reason: 'Forbidden' });
    expect(origin.body.message).toMatch(/Origin/);

    const rebinding = await fetchProxy(path, withCredential({ host: `evil.example:${proxy.port}` }));
    expect(rebinding.status).toBe(403);
    expect(rebinding.body.message).toMatch(/Host "evil.example:\d+" is refused/);

    const missing = await fetchProxy(path, {});
    expect(missing).toMatchObject({ status: 401, body: { kind: 'Status', reason: 'Unauthorized' } });
    expect(missing.body.message).toMatch(/local credential is missing/);

    const wrong = await fetchProxy(path, { authorization: `Bearer ${identity.credential.slice(1)}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toMatch(/local credential is wrong/);

    const localhost = await fetchProxy(path, withCredential({ host: `localhost:${proxy.port}` }));
    expect(localhost.status).toBe(200);
    const notACluster = await fetchProxy('/api/v1/pods', withCredential());
    expect(notACluster.status).toBe(404);
  });

  it("accepts the proxy's own origin (what non-browser WebSocket clients derive from the URL), no other", async () => {
    const path = '/clusters/dev/api/v1/namespaces/default/pods';
    const own: Record<string, string>[] = [
      // Python's websocket-client up to 1.2 (Debian 12), and later versions for wss:// URLs.
      { origin: `http://127.0.0.1:${proxy.port}` },
      { origin: `https://127.0.0.1:${proxy.port}` },
      // Netty's handshaker (fabric8 on Vert.x) on a localhost URL.
      { origin: `https://localhost:${proxy.port}`, host: `localhost:${proxy.port}` },
      { origin: `HTTPS://127.0.0.1:${proxy.port}` },
    ];
    for (const headers of own) {
      expect((await fetchProxy(path, withCredential(headers))).status, JSON.stringify(headers)).toBe(200);
    }
    // client-go, the Java and .NET clients and @kubernetes/client-node send no Origin at all.
    expect((await fetchProxy(path, withCredential())).status).toBe(200);

    const foreign = [
      'null',
      '',
      `https://127.0.0.1:${proxy.port + 1}`,
      'https://127.0.0.1',
      `https://localhost:${proxy.port}`, // addressed as 127.0.0.1: another origin
      `https://127.0.0.1:${proxy.port}.evil.example`,
      `ws://127.0.0.1:${proxy.port}`,
      `https://127.0.0.1:${proxy.port}/`,
      `file://127.0.0.1:${proxy.port}`,
    ];
    for (const origin of foreign) {
      const refused = await fetchProxy(path, withCredential({ origin }));
      expect(refused.status, origin).toBe(403);
      expect(refused.body.message).toContain('requests from web pages are refused');
    }

    // The same rule on upgrades (exec over WebSocket, as kubernetes.stream opens it).
    const exec = (origin: string) =>
      rawToProxy(
        `GET /clusters/dev/api/v1/namespaces/default/pods/nope/exec?command=true&stdout=true HTTP/1.1\r\n` +
          `Host: 127.0.0.1:${proxy.port}\r\nAuthorization: Bearer ${identity.credential}\r\n` +
          `Origin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Key: ${Buffer.alloc(16).toString('base64')}\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n`,
      );
    expect(await exec('null')).toMatch(/^HTTP\/1\.1 403 /);
    expect(await exec('https://evil.example')).toMatch(/^HTTP\/1\.1 403 /);
    // Past the proxy: kube-sim's own answer for a pod that does not exist.
    expect(await exec(`https://127.0.0.1:${proxy.port}`)).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('answers malformed paths with 400 or 404 on requests and upgrades, and keeps serving', async () => {
    const targets = [
      '/clusters/%E0%A4%A/api',
      '/clusters/%/api',
      '/clusters/%FF%FE/api',
      '/clusters/%C0%AF/api',
      '/clusters/de%00v/api',
      '/clusters/%E0%A4%A',
    ];
    for (const target of targets) {
      const answered = await fetchProxy(target, withCredential());
      expect(answered.status, target).toBeOneOf([400, 404]);
      expect(answered.body.kind).toBe('Status');
      const upgraded = await rawToProxy(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\nAuthorization: Bearer ${identity.credential}\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      );
      expect(upgraded, target).toMatch(/^HTTP\/1\.1 40[04] /);
    }
    const bad = await fetchProxy('/clusters/%E0%A4%A/api', withCredential());
    expect(bad).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    expect(bad.body.message).toContain('malformed percent-escape');
    // Odd header bytes (obs-text), an absolute-form target: answered, not thrown.
    expect(
      await rawToProxy(
        `GET https://127.0.0.1:${proxy.port}/clusters/dev/version HTTP/1.1\r\nHost: 127.0.0.1:${proxy.port}\r\n` +
          `Authorization: Bearer ${identity.credential}\r\nX-Odd: \xff\xfe\r\nConnection: close\r\n\r\n`,
      ),
    ).toMatch(/^HTTP\/1\.1 404 /);
    expect((await fetchProxy('/clusters/dev/version', withCredential())).status).toBe(200);
  });

  it('caps concurrent connections: past the cap a new one is closed, with one log line; freed slots serve again', async () => {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => lines.push(line) });
    const unused = new RelayTunnel({ relayUrl: relay.url, bearerToken: async () => USER_TOKEN });
    const capped = await LocalProxy.start({ tunnel: unused, identity, port: 0, maxConnections: 3, logger });
    const held: TLSSocket[] = [];
    try {
      for (let i = 0; i < 3; i++) held.push(await connectToProxy(capped.port));
      for (let i = 0; i < 5; i++) await expect(connectToProxy(capped.port)).rejects.toThrow();
      const refusals = lines.filter((line) => line.includes('too many connections'));
      expect(refusals).toHaveLength(1);
      expect(JSON.parse(refusals[0]!)).toMatchObject({ maxConnections: 3, refused: 1 });

      held.shift()!.destroy();
      // The proxy counts the connection out when it sees it close: until then, still refused.
      const deadline = Date.now() + 10_000;
      let again: TLSSocket | undefined;
      while (!again && Date.now() < deadline)
        again = await connectToProxy(capped.port).catch(() => undefined);
      expect(again).toBeDefined();
      held.push(again!);
    } finally {
      for (const socket of held) socket.destroy();
      await capped.close();
    }
  });

  it('counts open client connections (what stopping it would cut) and tells each change', async () => {
    const unused = new RelayTunnel({ relayUrl: relay.url, bearerToken: async () => USER_TOKEN });
    const counted = await LocalProxy.start({ tunnel: unused, identity, port: 0 });
    const told: number[] = [];
    counted.on('clients', (count) => told.push(count));
    const held: TLSSocket[] = [];
    try {
      expect(counted.clientConnections).toBe(0);
      for (let i = 0; i < 2; i++) held.push(await connectToProxy(counted.port));
      await waitUntil(() => counted.clientConnections === 2, 'two client connections');
      for (const socket of held.splice(0)) socket.destroy();
      await waitUntil(() => counted.clientConnections === 0, 'no client connection');
      expect(told).toEqual([1, 2, 1, 0]);
    } finally {
      for (const socket of held) socket.destroy();
      await counted.close();
    }
  });

  it('never forwards the local credential or a client Authorization, and opens streams as the user', async () => {
    await fetchProxy('/clusters/dev/version', withCredential());
    expect(relay.heads.length).toBeGreaterThan(0);
    for (const head of relay.heads) expect(head.toLowerCase()).not.toMatch(/^authorization:/m);
    expect(relay.uplinkText()).not.toContain(identity.credential);
    expect(relay.opens.at(-1)).toEqual({ cluster: 'dev', token: USER_TOKEN, mode: 'impersonate' });
  });

  it('stops reusing a stream before the token that opened it expires; a watch on it runs on, the next request gets a fresh stream', async () => {
    // Tokens that live 2–3 s (exp is whole seconds), so the pool retires a stream at least 1 s after
    // opening it: room on a loaded machine for the two requests that must share it.
    const minted: string[] = [];
    const mint = () => {
      const token = new UnsecuredJWT({ n: minted.length })
        .setExpirationTime(Math.floor(Date.now() / 1000) + 3)
        .encode();
      minted.push(token);
      relay.acceptedTokens.add(token);
      return token;
    };
    let current = mint();
    const shortTunnel = new RelayTunnel({ relayUrl: relay.url, bearerToken: async () => current });
    const shortProxy = await LocalProxy.start({ tunnel: shortTunnel, identity, port: 0 });
    shortTunnel.start();
    try {
      await shortProxy.ready();
      // Fresh for the first stream: the tunnel coming up may have taken a while.
      current = mint();
      const opensWith = (token: string) => relay.opens.filter((open) => open.token === token).length;
      const get = (path: string) =>
        new Promise<{ status: number; body: string; arrived: Promise<void> }>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port: shortProxy.port,
              path: `/clusters/dev${path}`,
              ca: identity.caCertPem,
              servername: 'localhost',
              headers: withCredential({ host: `127.0.0.1:${shortProxy.port}` }),
              agent: false,
            },
            (res) => {
              const answer = { status: res.statusCode ?? 0, body: '', arrived: Promise.resolve() };
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                answer.body += chunk;
              });
              answer.arrived = new Promise((done) => res.on('end', done));
              resolve(answer);
            },
          );
          req.on('error', reject);
          req.end();
        });

      const first = await get('/version');
      await first.arrived;
      expect(opensWith(current)).toBe(1);
      const firstToken = current;
      const expired =
        (JSON.parse(Buffer.from(firstToken.split('.')[1]!, 'base64url').toString()).exp + 1) * 1000;
      // Reused while the token is young: the watch runs on the same stream, past the retirement,
      // and on past the expiry until the event below has arrived.
      const watchSeconds = Math.ceil((expired - Date.now()) / 1000) + 1;
      const watch = await get(`/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=${watchSeconds}`);
      expect(watch.status).toBe(200);
      expect(opensWith(current)).toBe(1);
      current = mint();
      await waitUntil(() => Date.now() > expired, 'the first token to expire');
      sim.store.create(findResource('', 'v1', 'configmaps')!, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'after-retirement', namespace: 'default' },
      });
      await waitUntil(() => watch.body.includes('after-retirement'), 'the event on the retired stream');
      await watch.arrived;

      // Nothing goes out on the retired stream any more: a new one, opened with the fresh token.
      const after = await get('/version');
      await after.arrived;
      expect(after.status).toBe(200);
      expect(opensWith(firstToken)).toBe(1);
      expect(opensWith(current)).toBe(1);
    } finally {
      await shortProxy.close();
      await shortTunnel.close();
    }
  });

  for (const minor of KUBECTL_MINORS) {
    const binary = requireKubectl(minor);
    describe.skipIf(!binary)(`kubectl 1.${minor}`, { timeout: 60_000 }, () => {
      let kubectl: Kubectl;
      const pod = `logger-${minor}`;
      const namespace = `kubectl-1-${minor}`;
      const dev = ['--context', 'switchboard-dev', '-n', namespace];
      beforeAll(async () => {
        const home = await mkdtemp(join(scratch, `home-${minor}-`));
        kubectl = new Kubectl(binary!, { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfigPath });
        // Each kubectl version in its own namespace of the one kube-sim.
        await kubectl.ok(['--context', 'switchboard-dev', 'create', 'namespace', namespace]);
        await writeFile(join(home, 'pod.yaml'), LOGGER_YAML.replace('name: logger', `name: ${pod}`));
      });

      it('gets pods, applies one, watches it start, follows its logs', async () => {
        expect((await kubectl.run([...dev, 'get', 'pods'])).stderr).toBe(
          `No resources found in ${namespace} namespace.\n`,
        );
        const watch = kubectl.stream([...dev, 'get', 'pods', '-w', '--output-watch-events']);
        try {
          // The watch is established (its request went through the tunnel) before the pod exists.
          await expect
            .poll(() =>
              relay.requestLines.some(
                (l) => l.startsWith(`GET /api/v1/namespaces/${namespace}/pods?`) && l.includes('watch=true'),
              ),
            )
            .toBe(true);
          expect(await kubectl.ok([...dev, 'apply', '-f', join(kubectl.env.HOME!, 'pod.yaml')])).toBe(
            `pod/${pod} created\n`,
          );
          await watch.waitFor(new RegExp(`MODIFIED\\s+${pod}\\s+1/1\\s+Running`));
        } finally {
          await watch.stop();
        }
        const follow = kubectl.stream([...dev, 'logs', '-f', pod]);
        try {
          await follow.waitFor(/^line 3$/m);
          expect(follow.stdout()).toBe('line 1\nline 2\nline 3\n');
        } finally {
          await follow.stop();
        }
        expect(await kubectl.ok([...dev, 'get', 'pod', pod, '-o', 'name'])).toBe(`pod/${pod}\n`);
      });

      it(`exec -i passes stdin and the exit code comes back (${minor >= 30 ? 'WebSocket' : 'SPDY'})`, async () => {
        const before = relay.heads.length;
        expect(await kubectl.ok([...dev, 'exec', '-i', pod, '--', 'cat'], { input: 'hello\n' })).toBe(
          'hello\n',
        );
        const upgrade = relay.heads
          .slice(before)
          .find((head) => head.includes('/exec?'))
          ?.match(/^upgrade: (.+)$/im)?.[1];
        expect(upgrade?.toLowerCase()).toBe(minor >= 30 ? 'websocket' : 'spdy/3.1');
        const failed = await kubectl.run([
          ...dev,
          'exec',
          pod,
          '--',
          'sh',
          '-c',
          'echo out; echo err >&2; exit 3',
        ]);
        expect(failed).toEqual({
          code: 3,
          stdout: 'out\n',
          stderr: 'err\ncommand terminated with exit code 3\n',
        });
      });

      it('tells which cluster is offline (503), forbidden (403) or unknown (404)', async () => {
        const offline = await kubectl.run(['--context', 'switchboard-down', 'get', 'pods']);
        expect(offline.code).toBe(1);
        expect(offline.stderr).toContain(
          'Warning: Switchboard: cluster "down" is offline: its agent is not connected to the relay',
        );
        expect(offline.stderr).toContain('Error from server (ServiceUnavailable)');
        const forbidden = await kubectl.run(['--context', 'switchboard-secret', 'get', 'pods']);
        expect(forbidden.stderr).toContain('you have no access to cluster "secret"');
        const unknown = await kubectl.run(['--context', 'switchboard-nowhere', 'get', 'pods']);
        expect(unknown.stderr).toContain('the relay knows no cluster "nowhere"');
      });
    });
  }

  it('answers 401 "run switchboard login" when the session needs a new sign-in', async () => {
    signedOut = true;
    try {
      const result = await fetchProxy('/clusters/dev/api/v1/namespaces/default/pods', withCredential());
      expect(result.status).toBe(401);
      expect(result.body.message).toContain(`run \`switchboard login --relay ${relay.url}\``);
      // Through every kubectl release this machine has (a missing one has its own skipped test above).
      for (const minor of KUBECTL_MINORS) {
        const binary = kubectlBinary(minor);
        if (!binary) continue;
        const kubectl = new Kubectl(binary, {
          PATH: process.env.PATH,
          HOME: scratch,
          KUBECONFIG: kubeconfigPath,
        });
        const denied = await kubectl.run(['--context', 'switchboard-dev', 'get', 'pods']);
        expect(denied.code).toBe(1);
        expect(denied.stderr).toContain(`switchboard login --relay ${relay.url}`);
      }
    } finally {
      signedOut = false;
    }
  });

  it('answers 503 "relay unreachable" while the relay is down, and reconnects by itself', async () => {
    await relay.stop();
    await expect.poll(() => tunnel.state).not.toBe('up');
    const down = await fetchProxy('/clusters/dev/version', withCredential());
    expect(down.status).toBe(503);
    expect(down.body.message).toMatch(/relay .* is unreachable/);
    await relay.start();
    await proxy.ready();
    const up = await fetchProxy('/clusters/dev/version', withCredential());
    expect(up.status).toBe(200);
  });
});
