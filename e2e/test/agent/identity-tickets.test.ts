/**
 * Identity through the real chain: the real relay (`startRelay`, trusting a test OpenID issuer
 * whose claims the test chooses), the real agent (`startAgent`) and kube-sim, with user sessions
 * dialed as the local proxy dials them. Reserved or malformed identities are refused with a
 * reason; a compromised agent of another cluster gets tickets, never tokens, and what it captures
 * is worthless elsewhere; ticket keys rotate with an overlap under live agents, survive a relay
 * restart, and reach an agent that joined before ticket keys existed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningAgent, startAgent } from '@switchboard/cluster-agent';
import type { Session } from '@switchboard/protocol';
import { type Relay, type RelayOptions, startRelay } from '@switchboard/relay-server';
import { capturingLogger } from '@switchboard/test-support/capturing-logger';
import { startCluster, type TestCluster } from '@switchboard/test-support/test-cluster';
import {
  connectAgent,
  connectUser,
  joinAgent,
  refusalOf,
  userOpen,
} from '@switchboard/test-support/tunnel-peers';
import { waitFor } from '@switchboard/test-support/wait-for';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, TestIssuer } from './support/test-issuer.js';

const DAY = 24 * 3600 * 1000;
const operator = { kind: 'operator' as const, name: 'test' };

let cluster: TestCluster;
let issuer: TestIssuer;
let dir: string;
let relay: Relay;
/** The clock of the relay's ticket key schedule: the test moves it days at a time. */
let keyClock = Date.now();
let agent: RunningAgent;
const agentLogs = capturingLogger('info');

const relayOptions: RelayOptions = {
  logDestination: { write: () => {} },
  ticketKeys: { now: () => keyClock },
};

async function startTheRelay(listen: string): Promise<Relay> {
  return startRelay(
    {
      listen,
      dataDir: join(dir, 'relay'),
      trust: { issuer: issuer.url, clientId: AUDIENCE },
      admins: { users: [], groups: [] },
      logLevel: 'warn',
    },
    relayOptions,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-identity-'));
  [cluster, issuer] = await Promise.all([startCluster(), TestIssuer.start()]);
  relay = await startTheRelay('127.0.0.1:0');
  for (const name of ['alpha', 'beta', 'gamma']) {
    await relay.admin.createCluster(operator, { name, description: '', labels: {} });
    for (const user of [
      'alice',
      'mallory',
      ' system:masters',
      '\tsystem:admin',
      'system:masters\u00a0',
      'josé@x',
    ]) {
      await relay.admin.grant(operator, name, { subjectKind: 'user', subject: user, role: 'connect' });
    }
  }
  const kubeconfig = join(dir, 'admin.kubeconfig');
  await writeFile(kubeconfig, cluster.sim.adminKubeconfig, { mode: 0o600 });
  agent = await startAgent({
    relay: relay.url,
    joinToken: (await relay.admin.issueJoinToken(operator, 'alpha')).joinToken,
    kubeconfig,
    stateDir: join(dir, 'alpha-state'),
    backoff: { baseMs: 50, capMs: 300 },
    logger: agentLogs.logger,
  });
  await agent.waitForSessions(1, 10_000);
});

afterAll(async () => {
  await agent?.close({ graceMs: 50 });
  await relay?.close();
  await Promise.all([cluster?.close(), issuer?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const tokenFor = (username: string, groups: string[] = []) =>
  issuer.token({ preferred_username: username, groups });

/** One request through a user stream; resolves with the raw HTTP answer. */
async function get(session: Session, token: string, path: string, clusterName = 'alpha'): Promise<string> {
  const stream = await session.open(userOpen({ cluster: clusterName, token, mode: 'impersonate' }));
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  // The answer ends the connection (connection: close); the client end stays open until then.
  stream.write(`GET ${path} HTTP/1.1\r\nhost: x\r\naccept: application/json\r\nconnection: close\r\n\r\n`);
  await ended;
  stream.end();
  return Buffer.concat(chunks).toString();
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]);

describe('identities Kubernetes must not see', () => {
  it('are refused at the relay with a reason naming the problem; none reaches the apiserver as system:masters', async () => {
    const cases: Array<[string, string[], RegExp]> = [
      [' system:masters', [], /username " system:masters" begins with whitespace.*U\+0020/],
      ['\tsystem:admin', [], /username "\\tsystem:admin" contains the control character U\+0009/],
      ['system:masters\u00a0', [], /username "system:masters\\u00a0" ends with whitespace.*U\+00A0/],
      ['mallory', [' system:masters'], /group " system:masters" begins with whitespace/],
      ['mallory', ['system:masters\u3000'], /group "system:masters\\u3000" ends with whitespace/],
      ['mallory', ['devs\r\nImpersonate-Group: system:masters'], /control character U\+000D/],
    ];
    for (const [username, groups, message] of cases) {
      const token = await tokenFor(username, groups);
      const { session } = await connectUser(relay, token);
      const refusal = await refusalOf(
        session.open(userOpen({ cluster: 'alpha', token, mode: 'impersonate' })),
      );
      expect(refusal, JSON.stringify([username, groups])).toMatchObject({ reason: 'forbidden' });
      expect(refusal.message).toMatch(message);
    }
    // A reserved group in final form is dropped, not refused: mallory gets fewer rights, not more.
    const token = await tokenFor('mallory', ['system:masters']);
    const { session } = await connectUser(relay, token);
    expect(statusOf(await get(session, token, '/api/v1/namespaces/kube-system/secrets'))).toBe(403);
  });

  it('a legitimate non-ASCII name passes the check and is served', async () => {
    const token = await tokenFor('josé@x', ['développeurs']);
    const { session } = await connectUser(relay, token);
    const answer = await get(session, token, '/api/v1/namespaces/team/configmaps');
    // RBAC answers (the agent accepted the ticket): whether as 403 or 200 is the apiserver's call.
    expect([200, 403]).toContain(statusOf(answer));
  });
});

describe('a compromised agent of another cluster', () => {
  it('receives a ticket bound to its cluster and stream, never the token; the ticket is refused elsewhere', async () => {
    const beta = await joinAgent(relay.url, (await relay.admin.issueJoinToken(operator, 'beta')).joinToken);
    const rogue = await connectAgent(relay, beta);
    const token = await tokenFor('alice');
    const { session } = await connectUser(relay, token);
    const stream = await session.open(userOpen({ cluster: 'beta', token, mode: 'impersonate' }));
    stream.destroy();
    const [captured] = rogue.opens;
    expect(captured).toBeDefined();
    expect(Object.keys(captured!).sort()).toEqual(['requestId', 'ticket', 'type']);
    expect(JSON.stringify(rogue.opens)).not.toContain(token);
    expect(JSON.stringify(rogue.opens)).not.toContain(token.split('.')[2]);
    expect(decodeJwt(captured!.ticket)).toMatchObject({ aud: 'beta', sub: 'alice' });

    // Delivered to cluster alpha's real agent (as if the rogue could reach it): refused.
    const alphaSession = relay.tunnel.liveSessions.list('alpha')[0]!.session;
    const atAlpha = await refusalOf(alphaSession.open(Buffer.from(JSON.stringify(captured))));
    expect(atAlpha.reason).toBe('unauthenticated');
    expect(atAlpha.message).toMatch(/aud/);
    expect(agentLogs.lines().some((line) => line.msg === 'identity ticket refused')).toBe(true);

    // Worthless at the relay's API and its user tunnel: only the issuer's tokens are accepted there.
    const api = await fetch(`${relay.url}/api/v1/clusters`, {
      headers: { authorization: `Bearer ${captured!.ticket}` },
    });
    expect(api.status).toBe(401);
    await expect(connectUser(relay, captured!.ticket)).rejects.toThrow(/401/);
  });
});

describe('ticket keys', () => {
  it('rotate with an overlap under a live agent (announce, switch, retire) and survive a relay restart', async () => {
    const stateFile = join(dir, 'alpha-state', 'agent-state.json');
    const pinned = async () =>
      (JSON.parse(await readFile(stateFile, 'utf8')).ticketKeys?.keys ?? []).map(
        (key: { kid: string }) => key.kid,
      );
    const token = await tokenFor('alice');
    const works = async () => {
      const { session } = await connectUser(relay, token);
      return statusOf(await get(session, token, '/api/v1/namespaces/team/configmaps'));
    };
    const [first] = await pinned();
    expect(await pinned()).toEqual(relay.ticketKeys.ticketKeys().keys.map((key) => key.kid));
    expect(await works()).toBe(403); // alice has no RBAC here: the apiserver answered, the ticket passed

    keyClock += 24 * DAY; // the next key is made and announced a week before it signs
    await relay.tunnel.server.refreshTicketKeys();
    await waitFor(async () => (await pinned()).length === 2, 'the agent to pin the next key');
    const [, second] = await pinned();
    expect(await works()).toBe(403);

    keyClock += 7 * DAY; // the switch: the next key signs
    await relay.tunnel.server.refreshTicketKeys();
    const signed = await relay.ticketKeys.sign({
      cluster: 'alpha',
      username: 'x',
      groups: [],
      requestId: 'r',
      mode: 'impersonate',
      tokenExpiresAt: new Date(Date.now() + 60_000),
    });
    expect(JSON.parse(Buffer.from(signed.split('.')[0]!, 'base64url').toString()).kid).toBe(second);
    expect(await works()).toBe(403);

    keyClock += 7 * DAY; // the old key leaves the announced set
    await relay.tunnel.server.refreshTicketKeys();
    await waitFor(async () => (await pinned()).join() === second, 'the agent to drop the retired key');
    expect(await pinned()).not.toContain(first);
    expect(await works()).toBe(403);

    // Restart on the same address and data: the agent reconnects and its pinned keys still verify.
    const port = new URL(relay.url).port;
    await relay.close();
    relay = await startTheRelay(`127.0.0.1:${port}`);
    await waitFor(() => relay.tunnel.liveSessions.list('alpha').length > 0, 'the agent to reconnect');
    expect(relay.ticketKeys.ticketKeys().keys.map((key) => key.kid)).toEqual([second]);
    expect(await works()).toBe(403);
  });

  it('reach an agent that joined before ticket keys existed, on its first session', async () => {
    const stateDir = join(dir, 'gamma-state');
    const kubeconfig = join(dir, 'admin.kubeconfig');
    const first = await startAgent({
      relay: relay.url,
      joinToken: (await relay.admin.issueJoinToken(operator, 'gamma')).joinToken,
      kubeconfig,
      stateDir,
      logLevel: 'silent',
    });
    await first.waitForSessions(1, 10_000);
    await first.close({ graceMs: 50 });
    // Rewrite the state as an agent from before ticket keys left it: issuer trust, no ticket keys.
    const stateFile = join(stateDir, 'agent-state.json');
    const { ticketKeys: _none, ...old } = JSON.parse(await readFile(stateFile, 'utf8'));
    const trust = {
      issuer: issuer.url,
      audiences: [AUDIENCE],
      usernameClaim: 'sub',
      usernamePrefix: '',
      displayNameClaims: ['name'],
      groupsClaim: 'groups',
      groupsPrefix: '',
      groupsOverage: 'ignore',
    };
    await writeFile(stateFile, JSON.stringify({ ...old, trust }), { mode: 0o600 });

    const logs = capturingLogger('info');
    const legacy = await startAgent({ relay: relay.url, kubeconfig, stateDir, logger: logs.logger });
    try {
      await legacy.waitForSessions(1, 10_000);
      await waitFor(
        () => logs.lines().some((line) => /first announcement/.test(line.msg)),
        'the agent to pin the first announced keys',
      );
      const state = JSON.parse(await readFile(stateFile, 'utf8'));
      expect(state.ticketKeys).toEqual(relay.ticketKeys.ticketKeys());
      expect(state.trust).toBeUndefined();
      const token = await tokenFor('alice');
      const { session } = await connectUser(relay, token);
      expect(statusOf(await get(session, token, '/api/v1/namespaces/team/configmaps', 'gamma'))).toBe(403);
    } finally {
      await legacy.close({ graceMs: 50 });
    }
  });
});
