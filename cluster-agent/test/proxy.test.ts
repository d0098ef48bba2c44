/**
 * The agent in front of a real-behaving apiserver (kube-sim): identity from the verified ticket
 * only, impersonation decided by RBAC, service-account-token mode, streaming (watch, a 50 MB
 * list, exec over WebSocket), keep-alive and pipelining, and the refusals.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKEN_CLOCK_TOLERANCE_SECONDS } from '@switchboard/contract/identity';
import type { AgentOpen, AgentRequestOpen } from '@switchboard/contract/tunnel';
import { ErrorCode, StreamResetError } from '@switchboard/protocol';
import { StandInRelay } from '@switchboard/test-support/agent-stand-in-relay';
import { capturingLogger } from '@switchboard/test-support/capturing-logger';
import { request, startCluster, type TestCluster } from '@switchboard/test-support/test-cluster';
import { newTicketKey, TestTickets, type TicketFor } from '@switchboard/test-support/test-tickets';
import { waitFor } from '@switchboard/test-support/wait-for';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { stringify } from 'yaml';
import { type RunningAgent, startAgent } from '../src/index.js';
import { parseKubeconfig } from '../src/kube/kubeconfig.js';

let cluster: TestCluster;
let tickets: TestTickets;
let relay: StandInRelay;
let agent: RunningAgent;
let dir: string;
/** Forwarder: each TCP connection is a tunnel stream authenticated as alice (impersonate mode). */
let asAlice: string;
const logs = capturingLogger('debug');

const alice: TicketFor = { username: 'oidc:alice', groups: ['oidc:devs'] };
/** A request OPEN as the relay sends it: a fresh identity ticket for `who`. */
const open = (who: TicketFor, extra: { serviceAccountToken?: string } = {}): Promise<AgentRequestOpen> =>
  tickets.open(who, extra);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-proxy-'));
  [cluster, tickets] = await Promise.all([startCluster(), TestTickets.create()]);
  // A small relay-side window, so the in-flight bound of the streaming test is tight.
  relay = await StandInRelay.start({ ticketKeys: tickets.keys, session: { maxWindow: 1024 * 1024 } });
  const kubeconfig = join(dir, 'admin.kubeconfig');
  await writeFile(kubeconfig, cluster.sim.adminKubeconfig, { mode: 0o600 });
  agent = await startAgent({
    relay: relay.url,
    joinToken: relay.issueJoinToken(),
    kubeconfig,
    stateDir: join(dir, 'state'),
    logger: logs.logger,
  });
  await relay.waitForSessions(1);
  asAlice = await relay.forward(() => open(alice));
  await writeFile(
    tunnelKubeconfig(),
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 't', cluster: { server: asAlice } }],
      users: [{ name: 'u', user: { token: 'client-side-token-the-agent-drops' } }],
      contexts: [{ name: 't', context: { cluster: 't', user: 'u', namespace: 'team' } }],
      'current-context': 't',
    }),
  );
});

const tunnelKubeconfig = () => join(dir, 'tunnel.kubeconfig');

afterAll(async () => {
  await agent?.close({ graceMs: 100 });
  await relay?.close();
  await cluster?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const whoami = {
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'SelfSubjectReview',
  metadata: {},
};

describe('identity', () => {
  it('is the verified token user; client Authorization and X-Remote-* headers gain nothing', async () => {
    const answer = await request(asAlice, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      method: 'POST',
      body: whoami,
      headers: {
        authorization: 'Bearer some-admin-token',
        connection: 'keep-alive, x-sneaky',
        'x-sneaky': 'hop',
        'x-remote-user': 'admin',
        'x-remote-group': 'system:masters',
      },
    });
    expect(answer.status).toBe(201);
    const { userInfo } = answer.json().status;
    expect(userInfo.username).toBe('oidc:alice');
    expect(userInfo.groups).toEqual(expect.arrayContaining(['oidc:devs', 'system:authenticated']));
    expect(userInfo.groups).not.toContain('system:masters');
  });

  it('refuses any Impersonate-* header with a 403 Status rather than dropping it', async () => {
    const asking: Record<string, string | string[]>[] = [
      { 'impersonate-user': 'admin' },
      { 'impersonate-group': ['system:masters', 'admins'] },
      { 'impersonate-uid': '0' },
      { 'Impersonate-Extra-Scopes': 'all' },
    ];
    for (const headers of asking) {
      const answer = await request(asAlice, '/api/v1/namespaces/team/configmaps', { headers });
      expect(answer.status).toBe(403);
      expect(answer.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
      expect(answer.json().message).toContain('impersonation (kubectl --as, --as-group');
      expect(answer.json().message).toContain('is not available through Switchboard');
    }
    expect(logs.lines().some((line) => line.msg === 'refused a request asking for impersonation')).toBe(true);
  });

  it('kubectl --as / --as-group through the agent fail with the reason; without them RBAC decides', async () => {
    const kubeconfig = tunnelKubeconfig();
    expect((await kubectl(kubeconfig, ['auth', 'whoami'])).stdout).toMatch(/Username\s+oidc:alice/);
    // RBAC on the apiserver decides: alice reads pods in team, and nothing in default. (This also
    // fills kubectl's discovery cache, as everyday use does: client-go's discovery client prints a
    // refused discovery request as "Forbidden: unknown", whatever the Status says.)
    expect((await kubectl(kubeconfig, ['get', 'pods', '-n', 'team'])).code).toBe(0);
    const refused = await kubectl(kubeconfig, ['get', 'pods', '-n', 'default']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('User "oidc:alice" cannot list resource "pods"');
    for (const as of [
      ['get', 'pods', '-n', 'team', '--as', 'admin'],
      ['get', 'pods', '-n', 'team', '--as', 'alice', '--as-group', 'system:masters'],
      ['delete', 'configmap', 'anything', '-n', 'team', '--as', 'admin'],
    ]) {
      const out = await kubectl(kubeconfig, as);
      expect(out.code, as.join(' ')).not.toBe(0);
      expect(out.stderr).toContain('impersonation (kubectl --as, --as-group');
      expect(out.stderr).toContain('is not available through Switchboard');
    }
  });

  it('impersonation: RBAC allows the narrow Role and refuses everything else', async () => {
    expect((await request(asAlice, '/api/v1/namespaces/team/configmaps')).status).toBe(200);
    const elsewhere = await request(asAlice, '/api/v1/namespaces/default/configmaps');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json().message).toContain('User "oidc:alice" cannot list resource "configmaps"');
    const write = await request(asAlice, '/api/v1/namespaces/team/configmaps', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope' } },
    });
    expect(write.status).toBe(403);
  });

  it('service-account-token mode forwards the Kubernetes token and impersonates nobody', async () => {
    cluster.sim.addUser({ token: 'robot-token-1234', username: 'system:serviceaccount:team:robot' });
    const bob: TicketFor = { username: 'oidc:bob', mode: 'service-account-token' };
    const viaToken = await relay.forward(() => open(bob, { serviceAccountToken: 'robot-token-1234' }));
    const answer = await request(viaToken, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      method: 'POST',
      body: whoami,
      headers: { authorization: 'Bearer nope' },
    });
    expect(answer.status).toBe(201);
    expect(answer.json().status.userInfo.username).toBe('system:serviceaccount:team:robot');
    const impersonating = await request(viaToken, '/api/v1/namespaces', {
      headers: { 'impersonate-user': 'admin' },
    });
    expect(impersonating.status).toBe(403);
    // The agent's own client certificate is not presented in this mode: a bad token is just 401.
    const wrong = await relay.forward(() => open(bob, { serviceAccountToken: 'not-a-valid-token' }));
    expect((await request(wrong, '/api/v1/namespaces')).status).toBe(401);
  });
});

describe('refusals', () => {
  const refusalOf = async (metadata: AgentOpen | Record<string, unknown> | string) => {
    const error = await relay.open(metadata).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamResetError);
    expect((error as StreamResetError).code).toBe(ErrorCode.Rejected);
    return JSON.parse((error as StreamResetError).reason);
  };

  it('refuses a ticket that is not for this cluster, this stream, once, from a pinned key, in time', async () => {
    const fresh = await open(alice);
    const problems: Array<[string, AgentOpen]> = [
      ['not a JWT', { ...fresh, ticket: 'not-a-jwt' }],
      [
        'for another cluster',
        { ...fresh, ticket: await tickets.ticket({ ...alice, cluster: 'staging' }, fresh.requestId) },
      ],
      ['for another stream', { ...fresh, requestId: 'another-stream' }],
      [
        'expired',
        {
          ...fresh,
          ticket: await tickets.ticket({ ...alice, tokenExpiresInSeconds: -120 }, fresh.requestId),
        },
      ],
      [
        'from a key the agent does not pin',
        { ...fresh, ticket: await tickets.ticket(alice, fresh.requestId, await newTicketKey()) },
      ],
    ];
    for (const [why, metadata] of problems) {
      expect((await refusalOf(metadata)).reason, why).toBe('unauthenticated');
    }
    // Accepted once; the same ticket again is a replay.
    (await relay.open(fresh)).destroy();
    expect(await refusalOf(fresh)).toEqual({
      reason: 'unauthenticated',
      message: 'the identity ticket was presented before (or too many are in flight)',
    });
  });

  it('refuses a ticket whose identity Kubernetes must not see, even when the relay signed it', async () => {
    for (const username of [
      ' system:masters',
      'system:admin',
      'alice\r\nimpersonate-group: system:masters',
    ]) {
      const refusal = await refusalOf(await open({ username }));
      expect(refusal.reason, JSON.stringify(username)).toBe('forbidden');
    }
    expect(
      (await refusalOf(await open({ username: 'oidc:dave', groups: ['\tsystem:masters'] }))).reason,
    ).toBe('forbidden');
  });

  it('refuses malformed OPEN metadata with bad-request', async () => {
    expect((await refusalOf('{not json')).reason).toBe('bad-request');
    const unknownField = JSON.stringify({ ...(await open(alice)), cluster: 'x' });
    expect((await refusalOf(unknownField)).reason).toBe('bad-request');
    // The old shape, with the user's token: no longer understood.
    expect((await refusalOf({ token: 'a-user-token', mode: 'impersonate', requestId: 'r' })).reason).toBe(
      'bad-request',
    );
    expect((await refusalOf(await open({ ...alice, mode: 'service-account-token' }))).reason).toBe(
      'bad-request',
    );
  });
});

describe('streaming', () => {
  it('keeps a connection alive across requests and answers pipelined requests in order', async () => {
    const stream = await relay.open(await open(alice));
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nhost: x\r\naccept: application/json\r\n\r\n`;
    stream.write(get('/api/v1/namespaces/team/configmaps') + get('/api/v1/namespaces/default/configmaps'));
    await waitFor(
      () =>
        (
          Buffer.concat(chunks)
            .toString()
            .match(/HTTP\/1\.1 /g) ?? []
        ).length >= 2,
      'two answers',
    );
    const text = Buffer.concat(chunks).toString();
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '403']);
    expect(text).not.toMatch(/connection: close/i);
    // The same stream serves a third request later.
    stream.write(get('/api/v1/namespaces/team/pods'));
    await waitFor(
      () =>
        (
          Buffer.concat(chunks)
            .toString()
            .match(/HTTP\/1\.1 /g) ?? []
        ).length >= 3,
      'third',
    );
    stream.end();
  });

  it('streams watch events as they happen', async () => {
    const stream = await relay.open(await open(alice));
    let received = '';
    stream.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    stream.write(
      'GET /api/v1/namespaces/team/configmaps?watch=1&resourceVersion=0 HTTP/1.1\r\nhost: x\r\n\r\n',
    );
    await waitFor(() => received.includes('200 OK'), 'watch headers');
    for (const name of ['first', 'second']) {
      await cluster.admin.json('POST', '/api/v1/namespaces/team/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `watched-${name}` },
      });
      // Streamed as it happens: well before the watch ends (it stays open for minutes).
      await waitFor(() => received.includes(`watched-${name}`), `${name} event`, 5_000);
    }
    expect(received).toContain('"type":"ADDED"');
    stream.destroy();
  });

  it('once its token expired, a connection takes no new request; the watch it serves runs on, an idle one closes', async () => {
    // Tokens past their exp, within the agent's 30 s clock tolerance: the connections expire at
    // `expiresAt`, a whole second (tokenExp's unit) 3–4 s from now, both at the same moment. The
    // first requests, sent at once on both, must be answered before it, with room for a loaded
    // machine.
    const expiresAt = (Math.floor(Date.now() / 1000) + 4) * 1000;
    const tokenExpiredAt = expiresAt - TOKEN_CLOCK_TOLERANCE_SECONDS * 1000;
    const shortLived = (): TicketFor => ({
      ...alice,
      tokenExpiresInSeconds: (tokenExpiredAt - Date.now()) / 1000,
    });
    const [idleOpen, busyOpen] = await Promise.all([open(shortLived()), open(shortLived())]);
    for (const { ticket } of [idleOpen, busyOpen]) {
      expect((decodeJwt(ticket) as { tokenExp: number }).tokenExp * 1000).toBe(tokenExpiredAt);
    }
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nhost: x\r\naccept: application/json\r\n\r\n`;
    const collect = (stream: Awaited<ReturnType<typeof relay.open>>) => {
      const seen = { text: '', ended: false };
      stream.on('data', (chunk: Buffer) => {
        seen.text += chunk.toString();
      });
      stream.on('end', () => {
        seen.ended = true;
      });
      return seen;
    };

    const [idle, busy] = await Promise.all([relay.open(idleOpen), relay.open(busyOpen)]);
    const idleSeen = collect(idle);
    const busySeen = collect(busy);
    idle.write(get('/api/v1/namespaces/team/configmaps'));
    // The watch ends by itself (timeoutSeconds) a few seconds after the token expired. A request
    // pipelined behind it waits for it (one request at a time per connection), so it starts after
    // the expiry.
    const timeoutSeconds = Math.ceil((expiresAt - Date.now()) / 1000) + 2;
    busy.write(
      get(`/api/v1/namespaces/team/configmaps?watch=1&timeoutSeconds=${timeoutSeconds}`) +
        get('/api/v1/namespaces/team/configmaps'),
    );
    await Promise.all([
      waitFor(() => idleSeen.text.includes('200 OK'), 'the idle connection’s first answer'),
      waitFor(() => busySeen.text.includes('200 OK'), 'the watch headers'),
    ]);
    // Both answered while their tokens were still good: what follows is about the expiry.
    expect(Date.now()).toBeLessThan(expiresAt);

    await waitFor(() => idleSeen.ended, 'the idle connection to close at expiry', 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(
      logs.lines().some((line) => line.msg === 'connection closed: the token that opened it expired'),
    ).toBe(true);

    // After the expiry: the watch still delivers, and a request pipelined behind it is refused.
    await cluster.admin.json('POST', '/api/v1/namespaces/team/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'after-expiry' },
    });
    await waitFor(() => busySeen.text.includes('after-expiry'), 'the event after the expiry', 5_000);
    await waitFor(() => busySeen.ended, 'the busy connection to close after its watch ended', 15_000);
    const answers = [...busySeen.text.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]);
    expect(answers).toEqual(['200', '401']);
    expect(busySeen.text).toContain(
      `the token that opened this tunnel connection expired at ${new Date((decodeJwt(busyOpen.ticket) as { tokenExp: number }).tokenExp * 1000).toISOString()}`,
    );
    expect(busySeen.text).toMatch(/connection: close/i);
  });

  it('execs over WebSocket (v5.channel.k8s.io): stdin echo and the exit code come back', async () => {
    await cluster.admin.json('POST', '/api/v1/namespaces/team/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'shell' },
      spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], stdin: true }] },
    });
    await waitFor(async () => {
      const { body } = await cluster.admin.json('GET', '/api/v1/namespaces/team/pods/shell');
      return (body as { status?: { phase?: string } }).status?.phase === 'Running';
    }, 'pod Running');

    const exec = (command: string[], headers: Record<string, string> = {}) => {
      const query = `${command.map((c) => `command=${encodeURIComponent(c)}`).join('&')}&stdin=true&stdout=true&stderr=true`;
      const ws = new WebSocket(
        `${asAlice.replace('http', 'ws')}/api/v1/namespaces/team/pods/shell/exec?${query}`,
        ['v5.channel.k8s.io'],
        { headers },
      );
      const channels = new Map<number, string>();
      ws.on('message', (data: Buffer) => {
        channels.set(data[0]!, (channels.get(data[0]!) ?? '') + data.subarray(1).toString());
      });
      const opened = new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      return { ws, channels, opened, closed };
    };

    // An upgrade asking for impersonation is refused like any other request.
    const impersonating = exec(['cat'], { 'Impersonate-User': 'admin' });
    const refusal = await new Promise<{ status?: number; body: string }>((resolve) => {
      impersonating.ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ ...(res.statusCode && { status: res.statusCode }), body }));
      });
    });
    expect(refusal.status).toBe(403);
    expect(JSON.parse(refusal.body).message).toContain('is not available through Switchboard');

    const cat = exec(['cat']);
    await cat.opened;
    expect(cat.ws.protocol).toBe('v5.channel.k8s.io');
    cat.ws.send(Buffer.from([0, ...Buffer.from('hello through the tunnel\n')]));
    await waitFor(() => cat.channels.get(1) === 'hello through the tunnel\n', 'stdin echo');
    cat.ws.send(Buffer.from([255, 0])); // v5: close stdin
    await cat.closed;
    expect(JSON.parse(cat.channels.get(3)!)).toEqual({ metadata: {}, status: 'Success' });

    const failing = exec(['sh', '-c', 'echo out; exit 3']);
    await failing.closed;
    expect(failing.channels.get(1)).toBe('out\n');
    const status = JSON.parse(failing.channels.get(3)!);
    expect(status.reason).toBe('NonZeroExitCode');
    expect(status.details.causes).toEqual([{ reason: 'ExitCode', message: '3' }]);

    // Real kubectl through the agent (WebSocket exec by default since 1.31).
    const viaKubectl = await kubectl(
      tunnelKubeconfig(),
      ['exec', '-i', 'shell', '--', 'cat'],
      'from kubectl\n',
    );
    expect(viaKubectl).toMatchObject({ code: 0, stdout: 'from kubectl\n' });
    const exitCode = await kubectl(tunnelKubeconfig(), ['exec', 'shell', '--', 'sh', '-c', 'exit 4']);
    expect(exitCode.code).toBe(4);
  });

  it('streams a 50 MB list without buffering it: in-flight bytes stay bounded while the reader pauses', async () => {
    const data = 'x'.repeat(1_000_000);
    await cluster.admin.json('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'big' },
    });
    for (let i = 0; i < 52; i++) {
      const { status } = await cluster.admin.json('POST', '/api/v1/namespaces/big/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `blob-${i}` },
        data: { blob: data },
      });
      expect(status).toBe(201);
    }
    // Count what leaves the apiserver towards the agent with a TCP relay in between.
    const counter = await countingRelay(new URL(cluster.sim.url));
    const kubeconfig = join(dir, 'counted.kubeconfig');
    await writeFile(kubeconfig, cluster.sim.adminKubeconfig.replace(cluster.sim.url, counter.url));
    const counted = await StandInRelay.start({
      ticketKeys: tickets.keys,
      session: { maxWindow: 1024 * 1024 },
    });
    const second = await startAgent({
      relay: counted.url,
      joinToken: counted.issueJoinToken(),
      kubeconfig,
      stateDir: join(dir, 'counted-state'),
      logLevel: 'silent',
    });
    try {
      await counted.waitForSessions(1);
      const stream = await counted.open(await open(await adminLikeToken()));
      stream.write('GET /api/v1/namespaces/big/configmaps HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
      let read = 0;
      stream.once('data', (chunk: Buffer) => {
        read += chunk.length;
        stream.pause();
      });
      await waitFor(() => read > 0, 'first bytes');
      // Let every buffer on the way fill up, then look at how far the apiserver got.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const whilePaused = counter.fromServer();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(counter.fromServer()).toBe(whilePaused); // the apiserver is held back, not buffered away
      const inFlight = whilePaused - read;
      expect(inFlight).toBeLessThan(10 * 1024 * 1024);
      stream.on('data', (chunk: Buffer) => {
        read += chunk.length;
      });
      stream.resume();
      await new Promise((resolve) => stream.once('end', resolve));
      expect(read).toBeGreaterThan(52_000_000);
      console.log(`50 MB list: ${(inFlight / 1048576).toFixed(1)} MiB in flight while the reader paused`);
    } finally {
      await second.close({ graceMs: 50 });
      await counted.close();
      counter.close();
    }
  }, 60_000);
});

describe('apiserver failures', () => {
  it('answers 503 with a Kubernetes Status when the apiserver is unreachable', async () => {
    const closedPort = await freePort();
    const down = await StandInRelay.start({ ticketKeys: tickets.keys });
    const config = parseKubeconfig(cluster.sim.adminKubeconfig);
    const lonely = await startAgent({
      relay: down.url,
      joinToken: down.issueJoinToken(),
      apiServer: { ...config, server: `https://127.0.0.1:${closedPort}` },
      stateDir: join(dir, 'down-state'),
      logLevel: 'silent',
    });
    try {
      await down.waitForSessions(1);
      const base = await down.forward(() => open(alice));
      const answer = await request(base, '/api/v1/namespaces');
      expect(answer.status).toBe(503);
      expect(answer.json()).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'ServiceUnavailable',
        code: 503,
      });
      expect(answer.json().message).toContain('cannot reach the Kubernetes API server');
    } finally {
      await lonely.close({ graceMs: 50 });
      await down.close();
    }
  });
});

/** A user the RBAC setup lets list configmaps in `big`: alice is only a reader in team. */
async function adminLikeToken(): Promise<TicketFor> {
  await cluster.admin.json('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'carol-view' },
    subjects: [{ kind: 'User', name: 'oidc:carol', apiGroup: 'rbac.authorization.k8s.io' }],
    roleRef: { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: 'rbac.authorization.k8s.io' },
  });
  return { username: 'oidc:carol' };
}

function kubectl(
  kubeconfig: string,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: 20_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function countingRelay(target: URL) {
  let fromServer = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    upstream.on('data', (chunk: Buffer) => {
      fromServer += chunk.length;
    });
    upstream.pipe(client);
    client.pipe(upstream);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fromServer: () => fromServer,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
