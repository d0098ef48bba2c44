/**
 * Agent credential rotation and rejoin against the real relay, with a protocol-level agent (its
 * own keys, signed assertions): the old key is superseded at once, a replay of the same rotation
 * gets the same answer, any other key is refused, expired credentials cannot rotate, and `rejoin`
 * revokes every credential and closes the cluster's sessions while keeping its grants.
 */
import { randomUUID } from 'node:crypto';
import { apiPaths, issuedJoinTokenSchema } from '@switchboard/contract/relay-api';
import {
  type AgentJoinResponse,
  agentAuthProblemSchema,
  agentRotateResponseSchema,
  tunnelPaths,
} from '@switchboard/contract/tunnel';
import {
  assertion,
  connectAgent,
  dial,
  joinAgent,
  type TestAgent,
} from '@switchboard/test-support/tunnel-peers';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Relay } from '../../src/relay.js';
import { startTunnelRelay } from '../tunnel/harness.js';

interface KeyPair {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function keyPair(): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { kty, crv, x, y } = await exportJWK(publicKey);
  return { privateKey, publicJwk: { kty, crv, x, y } };
}

/** The proof: iss = the current credential, signed with the NEW key. */
function proof(relay: Relay, current: AgentJoinResponse, key: CryptoKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(current.credentialId)
    .setSubject(current.cluster)
    .setAudience(relay.tunnel.agentAudience)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .setJti(randomUUID())
    .sign(key);
}

interface RotateOptions {
  /** Signs the proof (default: the new key). */
  proofKey?: CryptoKey;
}

/** POST /api/v1/agent/rotate as the agent holding `agent` (current key) and `next` (new key). */
async function rotate(relay: Relay, agent: TestAgent, next: KeyPair, options: RotateOptions = {}) {
  const response = await fetch(`${relay.url}${tunnelPaths.agentRotate}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await assertion(relay, agent)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      publicKey: next.publicJwk,
      proof: await proof(relay, agent.joined, options.proofKey ?? next.privateKey),
      agentVersion: 'test-agent',
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The agent after a successful rotation: the new credential with the new key. */
function rotated(agent: TestAgent, body: unknown, next: KeyPair): TestAgent {
  return {
    ...agent,
    joined: agentRotateResponseSchema.parse(body),
    privateKey: next.privateKey,
    publicJwk: next.publicJwk,
  };
}

async function refusalReason(relay: Relay, agent: TestAgent): Promise<{ status: number; reason: string }> {
  const result = await dial(relay.tunnel.agentUrl, await assertion(relay, agent));
  if (result instanceof WebSocket) {
    result.terminate();
    return { status: 101, reason: 'accepted' };
  }
  return { status: result.status, reason: agentAuthProblemSchema.parse(result.body).reason };
}

async function accepted(relay: Relay, agent: TestAgent): Promise<boolean> {
  return (await refusalReason(relay, agent)).status === 101;
}

describe('agent credential rotation', () => {
  it('rotates several times in a row; each old key is superseded at once, live sessions stay', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay, logs } = tunnelRelay;
    let agent = await joinAgent(relay.url, await tunnelRelay.cluster('rot-1'));
    expect(Date.parse(agent.joined.issuedAt!)).toBeLessThanOrEqual(Date.parse(agent.joined.expiresAt));
    const live = await connectAgent(relay, agent);
    const seen = new Set([agent.joined.credentialId]);

    for (let round = 0; round < 3; round++) {
      const next = await keyPair();
      const { status, body } = await rotate(relay, agent, next);
      expect(status).toBe(200);
      const successor = rotated(agent, body, next);
      expect(successor.joined.cluster).toBe('rot-1');
      expect(seen.has(successor.joined.credentialId)).toBe(false);
      seen.add(successor.joined.credentialId);
      expect(successor.joined.ticketKeys).toEqual(relay.ticketKeys.ticketKeys());
      // The old key no longer connects; the new one does.
      expect(await refusalReason(relay, agent)).toEqual({ status: 403, reason: 'credential-superseded' });
      expect(await accepted(relay, successor)).toBe(true);
      agent = successor;
    }

    // The session opened with the first credential is still up, also after the periodic check.
    await relay.tunnel.server.checkCredentials();
    expect(live.session.state).toBe('open');
    const firstCredential = [...seen][0];
    expect(
      relay.tunnel.liveSessions
        .list('rot-1')
        .some((entry) => entry.credentialId === firstCredential && entry.session.state === 'open'),
    ).toBe(true);
    expect(logs().filter((line) => line.msg === 'agent credential rotated')).toHaveLength(3);
  });

  it('answers a replay with the same credential and refuses any other key on a superseded one', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay, logs } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('rot-2'));
    const next = await keyPair();

    const first = await rotate(relay, agent, next);
    expect(first.status).toBe(200);
    // The agent crashed before saving the answer: it asks again with the old credential and the same key.
    const replay = await rotate(relay, agent, next);
    expect(replay).toEqual(first);
    expect(logs().some((line) => line.msg === 'agent credential rotation replayed (same new key)')).toBe(
      true,
    );

    // A thief holding only the old key cannot register a key of its own.
    const thief = await rotate(relay, agent, await keyPair());
    expect(thief.status).toBe(403);
    expect(agentAuthProblemSchema.parse(thief.body).reason).toBe('credential-superseded');
    // And the successor is unaffected.
    expect(await accepted(relay, rotated(agent, first.body, next))).toBe(true);
  });

  it('needs a proof signed with the new key, and an intact body', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('rot-3'));
    const next = await keyPair();

    // Signed with the current key: no proof that the agent holds the new one.
    const wrongProof = await rotate(relay, agent, next, { proofKey: agent.privateKey });
    expect(wrongProof.status).toBe(401);
    expect(agentAuthProblemSchema.parse(wrongProof.body).reason).toBe('invalid-assertion');
    expect(String(wrongProof.body.detail)).toMatch(/proof/);

    const noBearer = await fetch(`${relay.url}${tunnelPaths.agentRotate}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noBearer.status).toBe(401);
    const badBody = await fetch(`${relay.url}${tunnelPaths.agentRotate}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await assertion(relay, agent)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ publicKey: { kty: 'RSA' }, proof: 'x', agentVersion: 'v' }),
    });
    expect(badBody.status).toBe(400);
    // Nothing was rotated by any of these.
    expect(await accepted(relay, agent)).toBe(true);
  });

  it('refuses to rotate an expired credential', async () => {
    // The relay's clock jumps past the credential's lifetime after the join (which may take what it
    // takes), and stays well inside the lifetime of the assertion and the proof.
    const lifetimeMs = 30_000;
    let clockAheadMs = 0;
    const tunnelRelay = await startTunnelRelay({
      agentCredentialTtlMs: lifetimeMs,
      now: () => Date.now() + clockAheadMs,
    });
    const { relay } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('rot-4'));
    clockAheadMs = lifetimeMs;
    const { status, body } = await rotate(relay, agent, await keyPair());
    expect(status).toBe(401);
    expect(agentAuthProblemSchema.parse(body)).toMatchObject({ reason: 'credential-expired' });
  });
});

describe('clusters rejoin', () => {
  it('revokes the credentials, closes the sessions and issues a join token; grants are kept', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('rej-1'));
    const live = await connectAgent(relay, agent);
    const unredeemed = await relay.admin.issueJoinToken({ kind: 'operator', name: 'test' }, 'rej-1');

    // Only global admins.
    const asDev = await fetch(`${relay.url}${apiPaths.rejoin('rej-1')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tunnelRelay.token('dev')}` },
    });
    expect(asDev.status).toBe(403);
    expect(await accepted(relay, agent)).toBe(true);

    const response = await fetch(`${relay.url}${apiPaths.rejoin('rej-1')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tunnelRelay.token('admin')}` },
    });
    expect(response.status).toBe(201);
    const issued = issuedJoinTokenSchema.parse(await response.json());
    expect(issued.cluster).toBe('rej-1');
    expect(issued.agentCommand).toContain(issued.joinToken);
    expect(issued.helmCommand).toContain(issued.joinToken);

    await live.session.closed;
    expect(relay.tunnel.liveSessions.list('rej-1')).toHaveLength(0);
    expect(await refusalReason(relay, agent)).toEqual({ status: 403, reason: 'credential-revoked' });

    // A token issued before the rejoin is spent with the old credentials.
    await expect(joinAgent(relay.url, unredeemed.joinToken)).rejects.toThrow(/join failed: 401/);
    // The same cluster entry comes back with the new token, grants untouched.
    const again = await joinAgent(relay.url, issued.joinToken);
    expect(again.joined.cluster).toBe('rej-1');
    expect(await accepted(relay, again)).toBe(true);
    const grants = await relay.admin.listGrants({ kind: 'operator', name: 'test' }, 'rej-1');
    expect(grants.map((grant) => grant.subject)).toEqual(['dev-bot']);

    const missing = await fetch(`${relay.url}${apiPaths.rejoin('no-such')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tunnelRelay.token('admin')}` },
    });
    expect(missing.status).toBe(404);
  });
});
