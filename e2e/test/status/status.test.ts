/**
 * Connectivity status end to end, with real relay, agent and `switchboard` processes: a cluster is
 * Connecting when created, Connected once its agent is up, Offline when the agent is killed -9
 * (the OS closes its socket: the quick path), Connected again after a restart, and gone when
 * deleted (its agent is disconnected and refused). The live stream is read with the real CLI,
 * `switchboard clusters --watch --output json`, signed in as a dev-idp service principal.
 *
 * The silent path (a half-open connection: no FIN, no RST) is the relay's own status test
 * (relay-server/test/status/cluster-status.test.ts): an agent session whose socket stops reading.
 *
 * The times from each event to the status change on the stream are logged for the record; only
 * generous bounds are asserted.
 */
import { join } from 'node:path';
import type { ClusterEvent } from '@switchboard/contract/relay-api';
import { requireKubectl } from '@switchboard/test-support/kubectl-releases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain, CI_ONE } from '../faults/support/chain.js';
import type { Child } from '../faults/support/processes.js';
import { AGENT_CLI, SWITCHBOARD_CLI } from '../support/entry-points.js';

const CLUSTER = 'status-e2e';

/** The event is a `cluster` event of this cluster with this status. */
const clusterIs = (name: string, status: string) => (event: ClusterEvent) =>
  event.event === 'cluster' && event.data.name === name && event.data.status === status;

/** Status changes seen on the stream, as "event → change: ms", printed at the end. */
const timings: string[] = [];

describe.skipIf(!requireKubectl(33))('connectivity status with real processes', { timeout: 120_000 }, () => {
  const chain = new Chain();
  let watch: Child;
  let agent: Child;
  let consumed = 0;

  /** The next `cluster`/`removed` event about CLUSTER on the CLI's stdout matching `predicate`. */
  const nextEvent = (predicate: (event: ClusterEvent) => boolean, timeoutMs = 15_000) =>
    watch.until(
      () => {
        const lines = watch.stdout.split('\n');
        for (let index = consumed; index < lines.length - 1; index++) {
          const event = JSON.parse(lines[index]!) as ClusterEvent;
          if (predicate(event)) {
            consumed = index + 1;
            return event;
          }
        }
        return undefined;
      },
      'status event',
      timeoutMs,
    );
  const record = (what: string, since: number) => {
    const line = `${what}: ${Date.now() - since} ms`;
    timings.push(line);
    console.log(`[status timing] ${line}`);
  };
  const startAgent = (joinToken?: string) => {
    const args = [AGENT_CLI, '--relay', chain.relayUrl, '--kubeconfig', chain.adminKubeconfig];
    args.push('--state-dir', join(chain.dir, 'status-agent-state'));
    return chain.processes.start(
      'status-agent',
      process.execPath,
      args,
      chain.env(joinToken ? { SWITCHBOARD_JOIN_TOKEN: joinToken } : {}),
    );
  };

  beforeAll(async () => {
    await chain.start();
    watch = chain.processes.start(
      'clusters-watch',
      process.execPath,
      [SWITCHBOARD_CLI, 'clusters', '--watch', '--output', 'json', '--relay', chain.relayUrl],
      chain.env({ SWITCHBOARD_CONFIG_DIR: chain.configDir('one') }),
    );
    await watch.waitFor(/"event":"snapshot"/);
  }, 90_000);
  afterAll(async () => {
    console.log(`[status timing] summary\n  ${timings.join('\n  ')}`);
    await chain.close();
  });

  it('create → Connecting; agent up → Connected; kill -9 → Offline (last seen); restarted → Connected; delete → removed, agent refused', async () => {
    const created = await chain.relayAdmin(['clusters', 'create', CLUSTER]);
    const joinToken = /sbj_\S+/.exec(created.stdout)?.[0];
    expect(joinToken).toBeDefined();
    let since = Date.now();
    await chain.relayAdmin([
      'access',
      'grant',
      '--cluster',
      CLUSTER,
      '--user',
      CI_ONE.username,
      '--role',
      'connect',
    ]);
    // The operator CLI writes the registry from another process: the relay notices on reconciliation.
    const connecting = await nextEvent(clusterIs(CLUSTER, 'connecting'), 45_000);
    record('grant by the operator CLI (other process) → cluster on the stream', since);
    expect(connecting.event === 'cluster' && connecting.data).toMatchObject({
      lastSeenAt: null,
      sessions: 0,
    });

    since = Date.now();
    agent = startAgent(joinToken);
    await agent.waitFor(/"msg":"connected to the relay"/, { stream: 'stderr' });
    const connectedLogAt = Date.now();
    await nextEvent(clusterIs(CLUSTER, 'connected'));
    record('agent process start → connected', since);
    record('agent logs "connected" → connected on the stream', connectedLogAt);

    since = Date.now();
    agent.kill('SIGKILL');
    await agent.exited;
    const offline = await nextEvent(clusterIs(CLUSTER, 'offline'));
    record('agent kill -9 → offline', since);
    expect(Date.now() - since).toBeLessThan(10_000); // the issue says 2 s; generous on a loaded machine
    expect(offline.event === 'cluster' && offline.data.lastSeenAt).not.toBeNull();
    if (offline.event === 'cluster' && offline.data.metadata) {
      console.log(
        `[status timing] metadata from the agent's heartbeat: ${JSON.stringify(offline.data.metadata)}`,
      );
    }

    since = Date.now();
    agent = startAgent(); // from its stored credential
    await nextEvent(clusterIs(CLUSTER, 'connected'));
    record('agent restart → connected', since);

    since = Date.now();
    await chain.relayAdmin(['clusters', 'delete', CLUSTER]);
    await nextEvent((event) => event.event === 'removed' && event.data.name === CLUSTER, 45_000);
    record('delete by the operator CLI (other process) → removed', since);
    await agent.waitFor(/credential-revoked|was revoked|no longer exists/, {
      stream: 'stderr',
      timeoutMs: 45_000,
    });
    record('delete by the operator CLI → agent disconnected', since);
    expect(watch.running).toBe(true);
  });
});
