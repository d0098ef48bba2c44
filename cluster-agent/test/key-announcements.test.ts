/**
 * The agent's side of ticket key rotation, against a stand-in relay: an announcement is taken only
 * when a pinned key signed it and it is not older than the pinned one; then tickets of the new key
 * verify, and those of a key that left the set do not.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentOpen, TicketKeys } from '@switchboard/contract/tunnel';
import { ErrorCode, StreamResetError } from '@switchboard/protocol';
import { StandInRelay } from '@switchboard/test-support/agent-stand-in-relay';
import { startCluster, type TestCluster } from '@switchboard/test-support/test-cluster';
import { newTicketKey, TestTickets, TICKET_ISSUER } from '@switchboard/test-support/test-tickets';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningAgent, startAgent } from '../src/index.js';

let cluster: TestCluster;
let tickets: TestTickets;
let relay: StandInRelay;
let agent: RunningAgent;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-announce-'));
  [cluster, tickets] = await Promise.all([startCluster(), TestTickets.create()]);
  relay = await StandInRelay.start({ ticketKeys: tickets.keys });
  const kubeconfig = join(dir, 'admin.kubeconfig');
  await writeFile(kubeconfig, cluster.sim.adminKubeconfig, { mode: 0o600 });
  agent = await startAgent({
    relay: relay.url,
    joinToken: relay.issueJoinToken(),
    kubeconfig,
    stateDir: join(dir, 'state'),
    logLevel: 'silent',
  });
  await relay.waitForSessions(1);
});

afterAll(async () => {
  await agent?.close({ graceMs: 50 });
  await relay?.close();
  await cluster?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const outcome = async (metadata: AgentOpen) => {
  try {
    const stream = await relay.open(metadata);
    stream.destroy();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof StreamResetError) || error.code !== ErrorCode.Rejected) throw error;
    return JSON.parse(error.reason).message as string;
  }
};
const announce = (ticketKeys: TicketKeys, signers: Parameters<TestTickets['announcement']>[1], at: number) =>
  tickets
    .announcement(ticketKeys, signers, at)
    .then((announcement) => outcome({ type: 'ticket-keys', announcement }));
const pinned = async () =>
  JSON.parse(await readFile(join(dir, 'state', 'agent-state.json'), 'utf8')).ticketKeys as TicketKeys;
const alice = { username: 'oidc:alice' };

it('takes a rotation signed by a pinned key, refuses forged and older ones', async () => {
  const old = tickets.key;
  const next = await newTicketKey();
  const stranger = await newTicketKey();
  const both = { issuer: TICKET_ISSUER, keys: [old.publicJwk, next.publicJwk] };
  const now = Date.now();

  // Signed only by a key the agent does not pin (even one claiming a pinned kid): refused.
  expect(await announce(both, [stranger], now)).toMatch(/no signature .* verifies with a pinned ticket key/);
  expect(
    await announce(
      { issuer: TICKET_ISSUER, keys: [stranger.publicJwk] },
      [{ ...stranger, kid: old.kid }],
      now,
    ),
  ).toMatch(/no signature/);
  expect((await pinned()).keys.map((key) => key.kid)).toEqual([old.kid]);

  // The relay's next key, announced and signed by the current one: pinned (and persisted).
  expect(await announce(both, [old, next], now)).toBe('accepted');
  expect((await pinned()).keys.map((key) => key.kid)).toEqual([old.kid, next.kid]);
  tickets.key = next;
  expect(await outcome(await tickets.open(alice))).toBe('accepted');

  // An older announcement (a replay that would bring back a retired set) is refused.
  expect(await announce({ issuer: TICKET_ISSUER, keys: [old.publicJwk] }, [old], now - 60_000)).toMatch(
    /older than the one the agent pins/,
  );
  // The old key leaves the set: its tickets no longer verify.
  expect(await announce({ issuer: TICKET_ISSUER, keys: [next.publicJwk] }, [old, next], now + 1_000)).toBe(
    'accepted',
  );
  expect(await outcome({ ...(await tickets.open(alice)) })).toBe('accepted');
  tickets.key = old;
  expect(await outcome(await tickets.open(alice))).toMatch(/does not pin/);
});
