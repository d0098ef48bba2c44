/** User streams paired with agent streams through a real relay: bytes, refusals, limits, drain. */
import { randomBytes } from 'node:crypto';
import { ErrorCode, StreamResetError } from '@switchboard/protocol';
import {
  type AgentStreamHandler,
  connectAgent,
  connectUser,
  dial,
  joinAgent,
  refusalOf,
  roundTrip,
  userOpen,
} from '@switchboard/test-support/tunnel-peers';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { startTunnelRelay, waitFor } from './harness.js';

describe('tunnel rendezvous', () => {
  it('carries bytes both ways with half-close, giving the agent a ticket and never the user token', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('prod'));
    const connected = await connectAgent(relay, agent);
    const token = await tunnelRelay.token('dev');
    const { session } = await connectUser(relay, token);

    const stream = await session.open(userOpen({ cluster: 'prod', token, mode: 'impersonate' }));
    const payload = randomBytes(3 * 1024 * 1024 + 17);
    const echoed = await roundTrip(stream, payload);
    expect(echoed.equals(payload)).toBe(true);
    // The agent gets an identity ticket for this cluster and stream, never the user's token.
    const open = connected.opens[0]!;
    expect(open).toEqual({
      type: 'request',
      ticket: expect.any(String),
      requestId: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(JSON.stringify(connected.opens)).not.toContain(token);
    expect(decodeJwt(open.ticket)).toMatchObject({
      iss: relay.url,
      aud: 'prod',
      sub: 'dev-bot',
      groups: ['developers'],
      mode: 'impersonate',
      requestId: open.requestId,
    });

    // Half-close: the agent answers after the user's FIN, and the user reads the answer.
    const answering: AgentStreamHandler = (agentStream) => {
      const chunks: Buffer[] = [];
      agentStream.on('data', (chunk: Buffer) => chunks.push(chunk));
      agentStream.on('end', () => agentStream.end(Buffer.concat([Buffer.from('got:'), ...chunks])));
    };
    const second = await connectAgent(relay, await joinAgent(relay.url, await tunnelRelay.cluster('qa')), {
      handler: answering,
    });
    const sa = 'sa-token-value';
    const qa = await session.open(
      userOpen({ cluster: 'qa', token, mode: 'service-account-token', serviceAccountToken: sa }),
    );
    expect((await roundTrip(qa, Buffer.from('hello'))).toString()).toBe('got:hello');
    expect(second.opens[0]).toMatchObject({ type: 'request', serviceAccountToken: sa });
    expect(decodeJwt(second.opens[0]!.ticket)).toMatchObject({ aud: 'qa', mode: 'service-account-token' });
    expect(JSON.stringify(second.opens)).not.toContain(token);
    await waitFor(() => relay.tunnel.server.relayedStreams().length === 0);
  });

  it('refuses OPENs with the contract reasons', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('prod'));
    await tunnelRelay.cluster('dark'); // no agent ever joins
    await connectAgent(relay, agent);
    const dev = await tunnelRelay.token('dev');
    const admin = await tunnelRelay.token('admin');
    const { session } = await connectUser(relay, dev);

    const refusal = (open: Record<string, unknown> | string) =>
      refusalOf(session.open(typeof open === 'string' ? Buffer.from(open) : userOpen(open)));
    expect(await refusal({ cluster: 'prod', token: 'not-a-jwt', mode: 'impersonate' })).toMatchObject({
      reason: 'unauthenticated',
    });
    expect(await refusal({ cluster: 'prod', token: admin, mode: 'impersonate' })).toMatchObject({
      reason: 'unauthenticated',
      message: expect.stringMatching(/another user/),
    });
    expect(await refusal('{"cluster":')).toMatchObject({ reason: 'bad-request' });
    expect(await refusal({ cluster: 'prod', token: dev, mode: 'teleport' })).toMatchObject({
      reason: 'bad-request',
      message: expect.stringMatching(/^malformed OPEN metadata: mode/),
    });
    expect(await refusal({ cluster: 'prod', token: dev, mode: 'impersonate', extra: 1 })).toMatchObject({
      reason: 'bad-request',
    });
    expect(await refusal({ cluster: 'dark', token: dev, mode: 'impersonate' })).toMatchObject({
      reason: 'cluster-offline',
      message: expect.stringContaining('"dark"'),
    });

    // No grant: the same answer whether the cluster exists or not (no existence leak).
    const other = await tunnelRelay.token('other');
    const { session: otherSession } = await connectUser(relay, other);
    const exists = await refusalOf(
      otherSession.open(userOpen({ cluster: 'prod', token: other, mode: 'impersonate' })),
    );
    const missing = await refusalOf(
      otherSession.open(userOpen({ cluster: 'nope', token: other, mode: 'impersonate' })),
    );
    expect(exists.reason).toBe('forbidden');
    expect(missing.reason).toBe('forbidden');
    expect(exists.message.replace('"prod"', '"nope"')).toBe(missing.message);

    // Global admins may know that a cluster does not exist.
    const { session: adminSession } = await connectUser(relay, admin);
    expect(
      await refusalOf(adminSession.open(userOpen({ cluster: 'nope', token: admin, mode: 'impersonate' }))),
    ).toMatchObject({ reason: 'unknown-cluster' });
    expect(
      await refusalOf(adminSession.open(userOpen({ cluster: 'prod', token: admin, mode: 'impersonate' }))),
    ).toMatchObject({ reason: 'forbidden' });

    // The user session is refused at upgrade without a valid token.
    const noToken = await dial(relay.tunnel.userUrl, undefined);
    expect(noToken).toMatchObject({ status: 401 });
    const badToken = await dial(relay.tunnel.userUrl, 'garbage');
    expect(badToken).toMatchObject({ status: 401, body: { type: 'urn:switchboard:problem:unauthorized' } });
    // The session stays usable after all those refusals.
    expect(
      (
        await roundTrip(
          await session.open(userOpen({ cluster: 'prod', token: dev, mode: 'impersonate' })),
          Buffer.from('ok'),
        )
      ).toString(),
    ).toBe('ok');
  });

  it('passes the agent refusal through unchanged', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('prod'));
    const agentRefusal = {
      reason: 'unauthenticated' as const,
      message: 'the agent does not trust this token',
    };
    await connectAgent(relay, agent, { refusal: agentRefusal });
    const token = await tunnelRelay.token('dev');
    const { session } = await connectUser(relay, token);
    expect(await refusalOf(session.open(userOpen({ cluster: 'prod', token, mode: 'impersonate' })))).toEqual({
      ...agentRefusal,
      code: ErrorCode.Rejected,
    });
  });

  it('uses every agent session of a cluster; an agent leaving makes new OPENs fail offline, the user session stays', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay } = tunnelRelay;
    const joinToken = await tunnelRelay.cluster('prod');
    const agent = await joinAgent(relay.url, joinToken);
    const first = await connectAgent(relay, agent);
    const second = await connectAgent(relay, agent);
    await waitFor(() => relay.tunnel.liveSessions.list('prod').length === 2);
    const token = await tunnelRelay.token('dev');
    const { session } = await connectUser(relay, token);
    const open = () => session.open(userOpen({ cluster: 'prod', token, mode: 'impersonate' }));

    for (let i = 0; i < 6; i++)
      expect((await roundTrip(await open(), Buffer.from(`n${i}`))).toString()).toBe(`n${i}`);
    expect(first.opens.length).toBe(3);
    expect(second.opens.length).toBe(3);
    // With streams held open, the one with fewer streams gets the next.
    const held = [await open(), await open(), await open()];
    expect(first.opens.length + second.opens.length).toBe(9);
    expect(Math.abs(first.opens.length - second.opens.length)).toBeLessThanOrEqual(1);
    for (const stream of held) {
      stream.on('error', () => {}); // reset when their agent leaves
      stream.resume();
    }

    first.socket.terminate();
    second.session.close('agent stopping');
    await waitFor(() => relay.tunnel.liveSessions.list('prod').length === 0);
    expect(await refusalOf(open())).toMatchObject({ reason: 'cluster-offline' });
    expect(session.state).toBe('open');
    // The agent comes back; the same user session works again.
    await connectAgent(relay, agent);
    expect((await roundTrip(await open(), Buffer.from('back'))).toString()).toBe('back');
  });

  it('a stalled user reader holds relay memory within the granted windows while other streams flow', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay } = tunnelRelay;
    const agent = await joinAgent(relay.url, await tunnelRelay.cluster('prod'));
    // The agent floods the first stream until told to stop, and echoes the others.
    const flood = { sent: 0, stop: false, started: false };
    const flooding: AgentStreamHandler = (stream) => {
      if (flood.started) {
        stream.pipe(stream);
        return;
      }
      flood.started = true;
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        if (flood.stop) {
          stream.end();
          return;
        }
        let more = true;
        while (more) {
          more = stream.write(chunk);
          flood.sent += chunk.length;
        }
      };
      stream.on('drain', pump);
      stream.on('error', () => {});
      pump();
    };
    await connectAgent(relay, agent, { handler: flooding });
    const token = await tunnelRelay.token('dev');
    const { session } = await connectUser(relay, token);
    const open = () => session.open(userOpen({ cluster: 'prod', token, mode: 'impersonate' }));

    const stalled = await open(); // never read
    await waitFor(() => relay.tunnel.server.relayedStreams().length === 1);
    // Let the flood fill every window on the way.
    let previous = -1;
    while (flood.sent !== previous) {
      previous = flood.sent;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const [stats] = relay.tunnel.server.relayedStreams();
    const granted = stats!.toUser.grantedWindow + stats!.toAgent.grantedWindow;
    expect(stats!.toUser.bufferedBytes).toBeGreaterThan(0);
    // The documented per-direction bound: the inbound window plus the outbound writable allowance.
    expect(stats!.toUser.bufferedBytes).toBeLessThanOrEqual(stats!.toUser.grantedWindow + 128 * 1024);
    expect(stats!.toUser.bufferedBytes).toBeLessThanOrEqual(granted);
    expect(stats!.toUser.grantedWindow).toBeLessThanOrEqual(relay.tunnel.settings.maxWindow);
    // The agent stopped: it holds no credit, and sent no more than the windows on the way allow.
    expect(flood.sent).toBeLessThan(8 * 1024 * 1024);

    // Other streams on the same sessions keep flowing.
    const payload = randomBytes(2 * 1024 * 1024);
    for (let i = 0; i < 3; i++) expect((await roundTrip(await open(), payload)).equals(payload)).toBe(true);
    const again = relay.tunnel.server.relayedStreams().find((s) => s.requestId === stats!.requestId)!;
    expect(again.toUser.bufferedBytes).toBeLessThanOrEqual(
      again.toUser.grantedWindow + again.toAgent.grantedWindow,
    );

    // The stalled reader resumes and gets every byte.
    flood.stop = true;
    let received = 0;
    stalled.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    await new Promise((resolve) => stalled.once('end', resolve));
    expect(received).toBe(flood.sent);
    stalled.end();
  });

  it('limits concurrent streams per user', async () => {
    const tunnelRelay = await startTunnelRelay({ tunnel: { maxStreamsPerUser: 3 } });
    const { relay } = tunnelRelay;
    await connectAgent(relay, await joinAgent(relay.url, await tunnelRelay.cluster('prod')));
    const token = await tunnelRelay.token('dev');
    const a = await connectUser(relay, token);
    const b = await connectUser(relay, token);
    const open = (session: typeof a.session) =>
      session.open(userOpen({ cluster: 'prod', token, mode: 'impersonate' }));
    const held = [await open(a.session), await open(a.session), await open(b.session)];
    expect(await refusalOf(open(b.session))).toMatchObject({ reason: 'rate-limited' });
    held[0]!.destroy();
    await waitFor(() => relay.tunnel.server.relayedStreams().length === 2);
    expect((await roundTrip(await open(b.session), Buffer.from('x'))).toString()).toBe('x');
  });

  it('sends GOAWAY to agents and users when the relay shuts down', async () => {
    const tunnelRelay = await startTunnelRelay();
    const { relay } = tunnelRelay;
    const agent = await connectAgent(relay, await joinAgent(relay.url, await tunnelRelay.cluster('prod')));
    const token = await tunnelRelay.token('dev');
    const user = await connectUser(relay, token);
    const agentGoAway = new Promise((resolve) => agent.session.once('goaway', resolve));
    const userGoAway = new Promise((resolve) => user.session.once('goaway', resolve));
    // A stream in flight finishes during the drain.
    const inFlight = await user.session.open(userOpen({ cluster: 'prod', token, mode: 'impersonate' }));
    const closing = relay.close();
    expect(await agentGoAway).toMatchObject({ code: ErrorCode.NoError, reason: 'relay shutting down' });
    expect(await userGoAway).toMatchObject({ code: ErrorCode.NoError, reason: 'relay shutting down' });
    await expect(
      user.session.open(userOpen({ cluster: 'prod', token, mode: 'impersonate' })),
    ).rejects.toBeInstanceOf(StreamResetError);
    expect((await roundTrip(inFlight, Buffer.from('last words'))).toString()).toBe('last words');
    await closing;
    expect(agent.session.state).toBe('closed');
    expect(user.session.state).toBe('closed');
    expect(await dial(relay.tunnel.agentUrl, 'x').catch((error: Error) => error)).toBeInstanceOf(Error);
  });
});
