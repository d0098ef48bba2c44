/**
 * One part of the tunnel in a child process of its own, for the multi-process layout of the
 * benchmarks (`support/split-chain.ts`). argv:
 * - `relay <dataDir> <usersFile> <cluster> <user> <tunnelSettingsJson> [<listenJson>]`: starts the relay
 *   with its dev identity provider and the given `Partial<TunnelSettings>` (listening on 127.0.0.1, or
 *   where `<listenJson>` `{ listen, publicUrl, tls: { certFile, keyFile } }` says: TLS, which the
 *   relay requires on any address but loopback), creates the cluster, grants `<user>` admin and
 *   replies with the URL and a join token; answers the IPC message `relayed-streams` with the relay's
 *   own accounting (`relayedStreams()`), and `add-cluster` (`{ cluster }`) by creating one more
 *   cluster `<user>` may reach, with its join token (`cluster-added`);
 * - `agent <relayUrl> <kubeconfig> <stateDir> <sessionOptionsJson>` (the agent's `session`
 *   options), with the join token in `SWITCHBOARD_JOIN_TOKEN`;
 * - `proxy <relayUrl> <clientId> <clientSecretFile>`: what `switchboard proxy` runs (client-credentials
 *   sign-in, relay tunnel, local proxy on a free loopback port); replies with the port, the local
 *   credential and the proxy's CA.
 * Each closes on the IPC message `close`, and answers `loop-delay` with its event-loop delay since
 * the last such question (p50, p99, max in ms; `monitorEventLoopDelay` at 1 ms resolution) and,
 * on Linux, the CPU time it ran and the time it waited for a core meanwhile (`/proc/self/schedstat`).
 */

import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startAgent } from '@switchboard/cluster-agent';
import {
  AccountTokens,
  EphemeralTokenStore,
  generateLocalIdentity,
  LocalProxy,
  RelayTunnel,
  signInToRelay,
} from '@switchboard/main/core';
import { startRelay } from '@switchboard/relay-server';

const SILENT = { write: () => {} };

/** Where a relay listens, if not on a free loopback port. */
interface RelayWhere {
  listen: string;
  publicUrl?: string;
  tls?: { certFile: string; keyFile: string };
}
const OPERATOR = { kind: 'operator' as const, name: 'switchboard-bench' };

async function main(): Promise<void> {
  const [role, ...args] = process.argv.slice(2);
  let close: () => Promise<void>;
  let answer: (message: { type: string; cluster?: string }) => void = () => {};
  if (role === 'relay') {
    const [dataDir, usersFile, cluster, user, tunnel, where] = args as [
      string,
      string,
      string,
      string,
      string,
      string?,
    ];
    const { listen, publicUrl, tls } = where
      ? (JSON.parse(where) as RelayWhere)
      : { listen: '127.0.0.1:0', publicUrl: undefined, tls: undefined };
    const relay = await startRelay(
      {
        listen,
        ...(publicUrl && { publicUrl }),
        ...(tls && { tls }),
        dataDir,
        devIdp: { enabled: true, usersFile },
        logLevel: 'warn',
      },
      { logDestination: SILENT, tunnel: JSON.parse(tunnel) },
    );
    const reachable = async (name: string) => {
      await relay.admin.createCluster(OPERATOR, { name, description: 'bench', labels: {} });
      await relay.admin.grant(OPERATOR, name, { subjectKind: 'user', subject: user, role: 'admin' });
      return (await relay.admin.issueJoinToken(OPERATOR, name)).joinToken;
    };
    process.send?.({ type: 'ready', url: relay.url, joinToken: await reachable(cluster) });
    close = () => relay.close();
    answer = (message) => {
      if (message.type === 'relayed-streams') {
        process.send?.({ type: 'relayed-streams', streams: relay.tunnel.server.relayedStreams() });
      } else if (message.type === 'add-cluster' && message.cluster) {
        reachable(message.cluster).then(
          (joinToken) => process.send?.({ type: 'cluster-added', joinToken }),
          (error: Error) => process.send?.({ type: 'failed', message: error.message }),
        );
      }
    };
  } else if (role === 'agent') {
    const [relayUrl, kubeconfig, stateDir, session] = args as [string, string, string, string];
    const joinToken = process.env.SWITCHBOARD_JOIN_TOKEN;
    if (!joinToken) throw new Error('split host agent: SWITCHBOARD_JOIN_TOKEN is not set');
    const agent = await startAgent({
      relay: relayUrl,
      joinToken,
      kubeconfig,
      stateDir,
      session: JSON.parse(session),
      logLevel: 'warn',
      logDestination: SILENT,
    });
    await agent.waitForSessions(undefined, 20_000);
    process.send?.({ type: 'ready' });
    close = () => agent.close({ graceMs: 200 });
  } else if (role === 'proxy') {
    const [relayUrl, clientId, clientSecretFile] = args as [string, string, string];
    const store = new EphemeralTokenStore();
    await signInToRelay(relayUrl, { kind: 'client-credentials', clientId, clientSecretFile }, store);
    const session = new AccountTokens(relayUrl, store);
    const tunnel = new RelayTunnel({
      relayUrl,
      bearerToken: async () => (await session.bearerToken()).value,
    });
    const identity = await generateLocalIdentity();
    const proxy = await LocalProxy.start({ tunnel, identity, port: 0 });
    tunnel.start();
    await proxy.ready();
    process.send?.({
      type: 'ready',
      port: String(proxy.port),
      credential: identity.credential,
      caCertPem: identity.caCertPem,
    });
    close = async () => {
      await proxy.close();
      await tunnel.close();
    };
  } else throw new Error(`unknown role ${role}`);
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let scheduled = schedulerTimes();
  process.on('message', (message: { type: string; cluster?: string }) => {
    if (message.type === 'loop-delay') {
      const ms = (ns: number) => ns / 1e6;
      const now = schedulerTimes();
      process.send?.({
        type: 'loop-delay',
        p50: ms(loopDelay.percentile(50)),
        p99: ms(loopDelay.percentile(99)),
        max: ms(loopDelay.max),
        ...(now &&
          scheduled && { ranMs: ms(now.ran - scheduled.ran), waitedMs: ms(now.waited - scheduled.waited) }),
      });
      loopDelay.reset();
      scheduled = now;
    } else if (message.type === 'close')
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    else answer(message);
  });
  process.on('disconnect', () => process.exit(0));
}

/** Nanoseconds this process has run on a CPU and waited on a run queue (Linux), else undefined. */
function schedulerTimes(): { ran: number; waited: number } | undefined {
  try {
    const [ran, waited] = readFileSync('/proc/self/schedstat', 'utf8').split(' ').map(Number);
    return ran === undefined || waited === undefined ? undefined : { ran, waited };
  } catch {
    return undefined;
  }
}

main().catch((error: Error) => {
  process.stderr.write(`split host: ${error.stack}\n`);
  process.exit(1);
});
