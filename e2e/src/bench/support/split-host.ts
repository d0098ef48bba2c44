/**
 * One part of the tunnel in a child process of its own, for the multi-process layout of the
 * benchmarks (`support/split-chain.ts`). argv:
 * - `relay <dataDir> <usersFile> <cluster> <user> <tunnelSettingsJson>`: starts the relay with its dev
 *   identity provider and the given `Partial<TunnelSettings>`, creates the cluster, grants `<user>`
 *   admin and replies with the URL and a join token; answers the IPC message `relayed-streams` with
 *   the relay's own accounting (`relayedStreams()`);
 * - `agent <relayUrl> <joinToken> <kubeconfig> <stateDir> <sessionOptionsJson>` (the agent's
 *   `session` options);
 * - `proxy <relayUrl> <clientId> <clientSecretFile>`: what `switchboard proxy` runs (client-credentials
 *   sign-in, relay tunnel, local proxy on a free loopback port); replies with the port, the local
 *   credential and the proxy's CA.
 * Each closes on the IPC message `close`.
 */
import { startAgent } from '@switchboard/cluster-agent';
import {
  EphemeralTokenStore,
  generateLocalIdentity,
  LocalProxy,
  RelayTunnel,
  Session,
  signInToRelay,
} from '@switchboard/main/core';
import { startRelay } from '@switchboard/relay-server';

const SILENT = { write: () => {} };
const OPERATOR = { kind: 'operator' as const, name: 'switchboard-bench' };

async function main(): Promise<void> {
  const [role, ...args] = process.argv.slice(2);
  let close: () => Promise<void>;
  let answer: (message: { type: string }) => void = () => {};
  if (role === 'relay') {
    const [dataDir, usersFile, cluster, user, tunnel] = args as [string, string, string, string, string];
    const relay = await startRelay(
      { listen: '127.0.0.1:0', dataDir, devIdp: { enabled: true, usersFile }, logLevel: 'warn' },
      { logDestination: SILENT, tunnel: JSON.parse(tunnel) },
    );
    await relay.admin.createCluster(OPERATOR, { name: cluster, description: 'bench', labels: {} });
    await relay.admin.grant(OPERATOR, cluster, { subjectKind: 'user', subject: user, role: 'admin' });
    const { joinToken } = await relay.admin.issueJoinToken(OPERATOR, cluster);
    process.send?.({ type: 'ready', url: relay.url, joinToken });
    close = () => relay.close();
    answer = (message) => {
      if (message.type === 'relayed-streams') {
        process.send?.({ type: 'relayed-streams', streams: relay.tunnel.server.relayedStreams() });
      }
    };
  } else if (role === 'agent') {
    const [relayUrl, joinToken, kubeconfig, stateDir, session] = args as [
      string,
      string,
      string,
      string,
      string,
    ];
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
    const session = new Session(relayUrl, store);
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
    close = () => proxy.close();
  } else throw new Error(`unknown role ${role}`);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'close')
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    else answer(message);
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: Error) => {
  process.stderr.write(`split host: ${error.stack}\n`);
  process.exit(1);
});
