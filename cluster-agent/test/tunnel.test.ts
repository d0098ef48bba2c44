/**
 * The agent's side of the tunnel: join once and persist the credential (file 0600 / Secret),
 * reuse it without the join token, reconnect after drops with backoff, make-before-break on
 * GOAWAY, a revoked credential, and HTTPS_PROXY with a custom relay CA.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentOpen } from '@switchboard/contract/tunnel';
import { createCertificateAuthority } from '@switchboard/kube-sim/pki';
import { StandInRelay } from '@switchboard/test-support/agent-stand-in-relay';
import { capturingLogger } from '@switchboard/test-support/capturing-logger';
import { ConnectProxy } from '@switchboard/test-support/connect-proxy';
import { request, startCluster, type TestCluster } from '@switchboard/test-support/test-cluster';
import { TestTickets } from '@switchboard/test-support/test-tickets';
import { waitFor } from '@switchboard/test-support/wait-for';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type AgentOptions, startAgent } from '../src/index.js';
import { SecretStateStore } from '../src/state/secret-store.js';

let cluster: TestCluster;
let tickets: TestTickets;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-tunnel-'));
  [cluster, tickets] = await Promise.all([startCluster(), TestTickets.create()]);
  kubeconfig = join(dir, 'admin.kubeconfig');
  await writeFile(kubeconfig, cluster.sim.adminKubeconfig, { mode: 0o600 });
});

afterAll(async () => {
  await cluster?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function relayFor(options: Partial<Parameters<typeof StandInRelay.start>[0]> = {}) {
  const relay = await StandInRelay.start({ ticketKeys: tickets.keys, ...options });
  onTestFinished(() => relay.close());
  return relay;
}

async function agentWith(options: Partial<AgentOptions> & { relay: string }) {
  const agent = await startAgent({ kubeconfig, logLevel: 'silent', ...options });
  onTestFinished(() => agent.close({ graceMs: 50 }));
  return agent;
}

const aliceOpen = (): Promise<AgentOpen> => tickets.open({ username: 'oidc:alice' });

describe('credential', () => {
  it('joins once, keeps the state owner-only, and later starts reuse it without the join token', async () => {
    const relay = await relayFor();
    const stateDir = join(dir, 'state-file', 'agent');
    const joinToken = relay.issueJoinToken();
    const first = await startAgent({ relay: relay.url, joinToken, kubeconfig, stateDir, logLevel: 'silent' });
    expect(first).toMatchObject({ cluster: 'prod', joined: true });
    await first.waitForSessions();
    await first.close({ graceMs: 50 });

    const file = join(stateDir, 'agent-state.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    const state = JSON.parse(await readFile(file, 'utf8'));
    expect(state).toMatchObject({
      cluster: 'prod',
      credentialId: first.credentialId,
      ticketKeys: tickets.keys,
      privateKey: { kty: 'EC', crv: 'P-256' },
    });
    expect(typeof state.privateKey.d).toBe('string');
    expect(JSON.stringify(state)).not.toContain(joinToken);

    // Restart with the (now spent) token still configured, and with none at all.
    for (const again of [{ joinToken }, {}]) {
      const agent = await agentWith({ relay: relay.url, stateDir, ...again });
      expect(agent).toMatchObject({ joined: false, credentialId: first.credentialId });
      await agent.waitForSessions();
      await agent.close({ graceMs: 50 });
    }
    expect(relay.joins).toBe(1);
    expect(relay.upgrades).toBe(3);
    // The assertion the relay verified: iss = credential, sub = cluster, 60 s, a fresh jti each time.
    const [a, b] = relay.assertions as { iss: string; sub: string; iat: number; exp: number; jti: string }[];
    expect(a).toMatchObject({ iss: first.credentialId, sub: 'prod' });
    expect(a!.exp - a!.iat).toBe(60);
    expect(a!.jti).not.toBe(b!.jti);
  });

  it('refuses to start without a stored credential or a join token, and with a spent token', async () => {
    const relay = await relayFor();
    await expect(
      startAgent({ relay: relay.url, kubeconfig, stateDir: join(dir, 'none'), logLevel: 'silent' }),
    ).rejects.toThrow(
      /no agent credential in .*: give a join token in SWITCHBOARD_JOIN_TOKEN or --join-token-file/,
    );
    await expect(
      startAgent({
        relay: relay.url,
        kubeconfig,
        stateDir: join(dir, 'spent'),
        joinToken: 'sbj_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        logLevel: 'silent',
      }),
    ).rejects.toThrow(/refused the join token.*ask an admin for a new join token/);
  });

  it('keeps the state in a Secret through the apiserver (in-cluster style)', async () => {
    const relay = await relayFor();
    const options = { relay: relay.url, stateSecret: { namespace: 'team', name: 'agent-credential' } };
    const first = await agentWith({ ...options, joinToken: relay.issueJoinToken() });
    expect(first.stateLocation).toBe('Secret team/agent-credential');
    await first.close({ graceMs: 50 });
    const { status, body } = await cluster.admin.json(
      'GET',
      '/api/v1/namespaces/team/secrets/agent-credential',
    );
    expect(status).toBe(200);
    const stored = JSON.parse(
      Buffer.from((body as { data: Record<string, string> }).data['state.json']!, 'base64').toString(),
    );
    expect(stored.credentialId).toBe(first.credentialId);
    const second = await agentWith(options);
    expect(second).toMatchObject({ joined: false, credentialId: first.credentialId });
    expect(relay.joins).toBe(1);
    // The store updates in place too.
    await new SecretStateStore(cluster.admin, 'team', 'agent-credential').save({
      ...stored,
      cluster: 'renamed',
    });
    expect((await new SecretStateStore(cluster.admin, 'team', 'agent-credential').load())?.cluster).toBe(
      'renamed',
    );
  });

  it('backs off to the cap and says what to do when the relay refuses the credential', async () => {
    const relay = await relayFor();
    const logs = capturingLogger();
    const agent = await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      stateDir: join(dir, 'revoked'),
      logger: logs.logger,
      backoff: { baseMs: 10, capMs: 400 },
    });
    await relay.waitForSessions(1);
    relay.revokeAll();
    relay.dropAll();
    await waitFor(() => relay.refusals.length >= 1, 'a refused upgrade');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // At the cap (400 ms) rather than the fast base (10 ms): at most one more attempt meanwhile.
    expect(relay.refusals.length).toBeLessThanOrEqual(2);
    const refused = logs.lines().find((line) => line.reason === 'credential-revoked');
    expect(refused!.msg).toMatch(
      /revoked the agent credential.*: ask the relay admin to run `switchboard-relay clusters rejoin prod` and restart the agent with the new join token$/,
    );
    expect(agent.liveSessions).toBe(0);
  });
});

describe('reconnecting', () => {
  it('reconnects with backoff after the relay drops the connection, and serves again', async () => {
    const relay = await relayFor();
    const logs = capturingLogger();
    const agent = await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      stateDir: join(dir, 'drop'),
      sessions: 2,
      logger: logs.logger,
      backoff: { baseMs: 50, capMs: 200 },
    });
    await relay.waitForSessions(2);
    await agent.waitForSessions(2);
    for (let round = 1; round <= 2; round++) {
      const before = relay.sessions.slice();
      relay.dropAll();
      await waitFor(() => before.every((session) => session.state === 'closed'), 'old sessions gone');
      await waitFor(() => relay.upgrades === 2 + 2 * round, 'redialed');
      await relay.waitForSessions(2);
    }
    expect(relay.upgrades).toBe(6);
    const base = await relay.forward(aliceOpen);
    expect((await request(base, '/api/v1/namespaces/team/configmaps')).status).toBe(200);
    const messages = logs.lines().map((line) => line.msg);
    expect(messages.filter((m) => m === 'disconnected from the relay').length).toBeGreaterThanOrEqual(4);
    expect(messages.filter((m) => m === 'reconnecting').length).toBeGreaterThanOrEqual(4);
    expect(messages.filter((m) => m === 'connected to the relay').length).toBe(6);
  });

  it('on GOAWAY opens the new session before the old one finishes draining (make-before-break)', async () => {
    const relay = await relayFor();
    const agent = await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      stateDir: join(dir, 'goaway'),
      backoff: { baseMs: 5_000, capMs: 5_000 },
    });
    await relay.waitForSessions(1);
    // A watch held open on the old session.
    const old = relay.openSessions[0]!;
    const watch = await relay.open(await aliceOpen());
    let received = '';
    watch.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    watch.write('GET /api/v1/namespaces/team/configmaps?watch=1 HTTP/1.1\r\nhost: x\r\n\r\n');
    await waitFor(() => received.includes('200 OK'), 'watch started');

    await new Promise((resolve) => setTimeout(resolve, 2_100)); // a healthy session, not a flapping one
    const draining = old.goAway('relay restarting');
    // The replacement is up at once, though the backoff base is 5 s, while the old one still drains.
    await relay.waitForSessions(1, 2_000);
    expect(relay.sessions).toHaveLength(2);
    expect(old.state).toBe('draining');
    await cluster.admin.json('POST', '/api/v1/namespaces/team/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'during-drain' },
    });
    await waitFor(() => received.includes('during-drain'), 'event on the draining session');
    // New streams go to the new session.
    const base = await relay.forward(aliceOpen);
    expect((await request(base, '/api/v1/namespaces/team/configmaps')).status).toBe(200);
    watch.end();
    watch.destroy();
    await draining;
    expect(agent.liveSessions).toBe(1);
  });
});

describe('the way to the relay', () => {
  it('goes through HTTPS_PROXY (CONNECT) to the relay, and trusts the relay CA given with --ca-file', async () => {
    const ca = await createCertificateAuthority('test-relay-ca');
    const relay = await relayFor({
      tls: await ca.issue({ commonName: 'relay', serverNames: ['127.0.0.1'] }),
    });
    const proxy = await ConnectProxy.start();
    onTestFinished(() => proxy.close());
    const env = { HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,.internal' };

    // Without the CA the relay's certificate is not trusted.
    await expect(
      Promise.race([
        startAgent({
          relay: relay.url,
          kubeconfig,
          joinToken: relay.issueJoinToken(),
          stateDir: join(dir, 'untrusted'),
          env,
          logLevel: 'silent',
        }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5_000)),
      ]),
    ).rejects.toThrow(/certificate/);

    const agent = await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      stateDir: join(dir, 'proxied'),
      relayCa: ca.certPem,
      env,
    });
    await relay.waitForSessions(1);
    expect(agent.joined).toBe(true);
    const port = new URL(relay.url).port;
    // The join request and the tunnel both went through the proxy.
    expect(proxy.targets.filter((target) => target === `127.0.0.1:${port}`).length).toBeGreaterThanOrEqual(3);
    const base = await relay.forward(aliceOpen);
    expect((await request(base, '/api/v1/namespaces/team/configmaps')).status).toBe(200);
  });

  it('NO_PROXY bypasses the proxy', async () => {
    const relay = await relayFor();
    const proxy = await ConnectProxy.start();
    onTestFinished(() => proxy.close());
    await agentWith({
      relay: relay.url,
      joinToken: relay.issueJoinToken(),
      stateDir: join(dir, 'bypass'),
      env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' },
    });
    await relay.waitForSessions(1);
    expect(proxy.targets).toEqual([]);
  });
});
