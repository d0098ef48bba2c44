/** The agent tunnel upgrade: proof of possession, refused before the WebSocket opens. */
import { randomUUID } from 'node:crypto';
import { agentAuthProblemSchema } from '@switchboard/contract/tunnel';
import {
  assertion,
  connectAgent,
  dial,
  joinAgent,
  type UpgradeRefusal,
} from '@switchboard/test-support/tunnel-peers';
import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTunnelRelay, waitFor } from './harness.js';

function refusal(result: WebSocket | UpgradeRefusal): UpgradeRefusal & { reason: string } {
  if (result instanceof WebSocket) throw new Error('the upgrade was accepted');
  return { ...result, reason: agentAuthProblemSchema.parse(result.body).reason };
}

describe('agent tunnel authentication', () => {
  it('refuses bad assertions with a precise reason, in the response and in the log', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay, logs } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('auth-1'));
    const url = relay.tunnel.agentUrl;
    const now = Math.floor(Date.now() / 1000);

    const wrongKey = (await generateKeyPair('ES256')).privateKey;
    const cases: Array<[string, Promise<string> | string | undefined, number, string]> = [
      ['no bearer', undefined, 401, 'invalid-assertion'],
      ['not a JWT', 'abc.def', 401, 'invalid-assertion'],
      ['wrong key', assertion(relay, agent, { key: wrongKey }), 401, 'invalid-assertion'],
      ['wrong aud', assertion(relay, agent, { aud: `${relay.url}/api/v1/tunnel` }), 401, 'invalid-assertion'],
      ['wrong sub', assertion(relay, agent, { sub: 'other-cluster' }), 401, 'invalid-assertion'],
      ['too long', assertion(relay, agent, { iat: now, exp: now + 301 }), 401, 'invalid-assertion'],
      ['expired', assertion(relay, agent, { iat: now - 200, exp: now - 100 }), 401, 'invalid-assertion'],
      ['future iat', assertion(relay, agent, { iat: now + 600, exp: now + 700 }), 401, 'invalid-assertion'],
      ['unknown credential', assertion(relay, agent, { iss: 'agc_unknown' }), 401, 'unknown-credential'],
    ];
    for (const [name, bearer, status, reason] of cases) {
      const result = refusal(await dial(url, await bearer));
      expect({ name, status: result.status, reason: result.reason }).toEqual({ name, status, reason });
    }
    expect(relay.tunnel.liveSessions.list()).toHaveLength(0);

    // A replayed jti: the first use works, the second is refused.
    const jti = randomUUID();
    const first = await dial(url, await assertion(relay, agent, { jti }));
    expect(first).toBeInstanceOf(WebSocket);
    (first as WebSocket).terminate();
    expect(refusal(await dial(url, await assertion(relay, agent, { jti })))).toMatchObject({
      status: 401,
      reason: 'replayed-assertion',
    });
    // The ws(s) form of the audience is accepted too.
    const wsAud = await dial(url, await assertion(relay, agent, { aud: relay.tunnel.agentUrl }));
    expect(wsAud).toBeInstanceOf(WebSocket);
    (wsAud as WebSocket).terminate();

    const reasons = logs()
      .filter((line) => line.msg === `agent tunnel refused: ${line.reason}`)
      .map((line) => line.reason);
    expect(reasons).toContain('replayed-assertion');
    expect(reasons).toContain('unknown-credential');
  });

  it('tells an expired credential apart, in the body and the log', async () => {
    // The relay's clock jumps past the credential's lifetime once the agent is connected: join and
    // connect take what they take, and nothing waits for real time to pass. The jump stays well
    // inside the lifetime of the agent's assertions, so only the credential is out of date.
    const lifetimeMs = 30_000;
    let clockAheadMs = 0;
    const tunnelRelay = await startTunnelRelay({
      agentCredentialTtlMs: lifetimeMs,
      now: () => Date.now() + clockAheadMs,
    });
    const { relay, logs } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('exp-1'));
    const connected = await connectAgent(relay, agent);
    clockAheadMs = lifetimeMs;
    const result = refusal(await dial(relay.tunnel.agentUrl, await assertion(relay, agent)));
    expect(result).toMatchObject({ status: 401, reason: 'credential-expired' });
    expect(result.body.detail).toMatch(/expired at .*join again/);
    expect(logs().some((line) => line.reason === 'credential-expired' && line.cluster === 'exp-1')).toBe(
      true,
    );
    // The periodic check also ends the session that was live when the credential expired.
    await relay.tunnel.server.checkCredentials();
    await waitFor(() => connected.session.state === 'closed');
    expect(relay.tunnel.liveSessions.list('exp-1')).toHaveLength(0);
  });

  it('deleting a cluster closes its agent sessions at once and revokes its credentials (403)', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay, logs } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('del-1'));
    const connected = await connectAgent(relay, agent);
    const response = await fetch(`${relay.url}/api/v1/clusters/del-1`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await tunnelRelay.token('admin')}` },
    });
    expect(response.status).toBe(204);
    await waitFor(() => connected.session.state === 'closed');
    expect(connected.session.closeReason?.message).toMatch(/deleted/);
    const result = refusal(await dial(relay.tunnel.agentUrl, await assertion(relay, agent)));
    expect(result).toMatchObject({ status: 403, reason: 'credential-revoked' });
    expect(logs().some((line) => line.reason === 'credential-revoked')).toBe(true);
    // A cluster re-created under the same name does not trust the old credential.
    await tunnelRelay.cluster('del-1');
    expect(refusal(await dial(relay.tunnel.agentUrl, await assertion(relay, agent))).reason).toBe(
      'credential-revoked',
    );
  });
});
