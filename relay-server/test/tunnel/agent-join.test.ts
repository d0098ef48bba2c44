/** Agent join: single-use, expiring join tokens (CLI, admin API) traded for a credential. */
import { issuedJoinTokenSchema } from '@switchboard/contract/relay-api';
import { agentAuthProblemSchema } from '@switchboard/contract/tunnel';
import { connectAgent, joinAgent, joinRequest } from '@switchboard/test-support/tunnel-peers';
import { describe, expect, it } from 'vitest';
import { generateJoinToken, hashJoinToken } from '../../src/agents/join-token.js';
import { runCli } from '../helpers/relay-cli.js';
import { joinTokensPath, startTunnelRelay } from './harness.js';

const PUBLIC_KEY = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };

describe('agent join', () => {
  it('clusters create prints a join token (once) and the agent command; the token works once', async () => {
    const { relay, dataDir, logs } = await startTunnelRelay();
    const created = await runCli(['clusters', 'create', 'edge-1', '--data', dataDir]);
    expect(created.code).toBe(0);
    const token = /(sbj_[A-Za-z0-9_-]{43})/.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    expect(created.stdout).toMatch(/^cluster "edge-1" created\n/);
    expect(created.stdout).toContain(
      `SWITCHBOARD_JOIN_TOKEN=${token} npx --no -- switchboard-agent --relay ${relay.url} --kubeconfig <FILE>`,
    );
    // Only the hash is stored.
    expect(await relay.registry.getSetting('public_url')).toBe(relay.url);

    const agent = await joinAgent(relay.url, token!);
    expect(agent.joined).toMatchObject({ cluster: 'edge-1', credentialId: expect.stringMatching(/^agc_/) });
    // The relay's ticket keys to pin, never the issuer: the agent trusts the relay for identity.
    expect(agent.joined.ticketKeys).toEqual(relay.ticketKeys.ticketKeys());
    expect(agent.joined.ticketKeys).toMatchObject({
      issuer: relay.url,
      keys: [{ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' }],
    });
    expect(JSON.stringify(agent.joined.ticketKeys)).not.toContain('"d"');
    const expiresIn = Date.parse(agent.joined.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(89 * 24 * 3600 * 1000);
    expect(expiresIn).toBeLessThanOrEqual(90 * 24 * 3600 * 1000);
    const credential = await relay.registry.getAgentCredential(agent.joined.credentialId);
    expect(JSON.parse(credential!.publicKey)).toEqual(agent.publicJwk);
    expect(credential!.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The agent connects with it.
    await connectAgent(relay, agent);

    const again = await joinRequest(relay.url, {
      joinToken: token,
      publicKey: PUBLIC_KEY,
      agentVersion: 'x',
    });
    expect(again.status).toBe(401);
    expect(agentAuthProblemSchema.parse(await again.json()).reason).toBe('invalid-join-token');
    expect(logs().some((line) => line.failure === 'used' && line.cluster === 'edge-1')).toBe(true);

    // A fresh token for the existing cluster, with a lifetime.
    const fresh = await runCli([
      'clusters',
      'join-token',
      'edge-1',
      '--ttl',
      '30m',
      '-o',
      'json',
      '--data',
      dataDir,
    ]);
    expect(fresh.code).toBe(0);
    const issued = JSON.parse(fresh.stdout) as { joinToken: string; expiresAt: string; agentCommand: string };
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 60 * 1000);
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeGreaterThan(29 * 60 * 1000);
    expect((await joinAgent(relay.url, issued.joinToken, 'EdDSA')).joined.cluster).toBe('edge-1');
    const badTtl = await runCli(['clusters', 'join-token', 'edge-1', '--ttl', 'soon', '--data', dataDir]);
    expect(badTtl.code).toBe(2);
    expect((await runCli(['clusters', 'join-token', 'nope', '--data', dataDir])).code).toBe(3);
  });

  it('refuses unknown, used and expired tokens with one indistinguishable 401, logging which', async () => {
    const { relay, logs } = await startTunnelRelay();
    await relay.admin.createCluster({ kind: 'operator', name: 'operator:test' }, { name: 'c1' });
    const expired = generateJoinToken();
    await relay.registry.createJoinToken({
      cluster: 'c1',
      tokenHash: hashJoinToken(expired),
      expiresAt: new Date(Date.now() - 1000),
      createdBy: 'test',
    });
    const used = (await relay.admin.issueJoinToken({ kind: 'operator', name: 'operator:test' }, 'c1'))
      .joinToken;
    await joinAgent(relay.url, used);

    const bodies: unknown[] = [];
    for (const joinToken of [generateJoinToken(), used, expired, 'not-a-token']) {
      const response = await joinRequest(relay.url, { joinToken, publicKey: PUBLIC_KEY, agentVersion: 'x' });
      expect(response.status).toBe(401);
      bodies.push(await response.json());
    }
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(bodies[0]).toMatchObject({ status: 401, reason: 'invalid-join-token' });
    const failures = logs()
      .filter((line) => typeof line.msg === 'string' && (line.msg as string).startsWith('agent join refused'))
      .map((line) => line.failure);
    expect(failures).toEqual(['unknown', 'used', 'expired', 'malformed']);
    expect(JSON.stringify(logs())).not.toContain(used);

    // Concurrent redeemers of one token: exactly one wins.
    const contested = (await relay.admin.issueJoinToken({ kind: 'operator', name: 'operator:test' }, 'c1'))
      .joinToken;
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        joinRequest(relay.url, { joinToken: contested, publicKey: PUBLIC_KEY, agentVersion: 'x' }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.sort()).toEqual([200, 401, 401, 401, 401]);
    // A malformed public key is a plain 400.
    const badKey = await joinRequest(relay.url, {
      joinToken: generateJoinToken(),
      publicKey: { kty: 'RSA' },
      agentVersion: 'x',
    });
    expect(badKey.status).toBe(400);
  });

  it('issues join tokens over the admin API to global admins only', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay } = tunnelRelay;
    await tunnelRelay.cluster('api-1', ['dev']);
    const post = async (principal: 'admin' | 'dev' | 'other', cluster: string, body?: unknown) =>
      fetch(`${relay.url}${joinTokensPath(cluster)}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await tunnelRelay.token(principal)}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    const response = await post('admin', 'api-1', { ttlSeconds: 600 });
    expect(response.status).toBe(201);
    const issued = issuedJoinTokenSchema.parse(await response.json());
    expect(issued.agentCommand).toBe(
      `SWITCHBOARD_JOIN_TOKEN=${issued.joinToken} npx --no -- switchboard-agent --relay ${relay.url} --kubeconfig <FILE>`,
    );
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
    expect((await post('admin', 'api-1')).status).toBe(201);
    expect((await post('admin', 'missing')).status).toBe(404);
    expect((await post('dev', 'api-1')).status).toBe(403);
    expect((await post('other', 'api-1')).status).toBe(404);
    expect((await post('admin', 'api-1', { ttlSeconds: 5 })).status).toBe(400);
    expect((await joinAgent(relay.url, issued.joinToken)).joined.cluster).toBe('api-1');
  });
});
