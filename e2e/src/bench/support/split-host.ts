/**
 * One part of the tunnel in a child process of its own, for the multi-process variant of
 * benchmarks 1–2 (`BENCH_SPLIT=1`). argv: `relay <dataDir> <usersFile> <cluster> <user>` (starts
 * the relay with its dev identity provider, creates the cluster, grants `<user>` admin and replies
 * with the URL and a join token) or `agent <relayUrl> <joinToken> <kubeconfig> <stateDir>`.
 * Closes on the IPC message `close`.
 */
import { startAgent } from '@switchboard/cluster-agent';
import { startRelay } from '@switchboard/relay-server';

const SILENT = { write: () => {} };
const OPERATOR = { kind: 'operator' as const, name: 'switchboard-bench' };

async function main(): Promise<void> {
  const [role, ...args] = process.argv.slice(2);
  let close: () => Promise<void>;
  if (role === 'relay') {
    const [dataDir, usersFile, cluster, user] = args as [string, string, string, string];
    const relay = await startRelay(
      { listen: '127.0.0.1:0', dataDir, devIdp: { enabled: true, usersFile }, logLevel: 'warn' },
      { logDestination: SILENT },
    );
    await relay.admin.createCluster(OPERATOR, { name: cluster, description: 'bench', labels: {} });
    await relay.admin.grant(OPERATOR, cluster, { subjectKind: 'user', subject: user, role: 'admin' });
    const { joinToken } = await relay.admin.issueJoinToken(OPERATOR, cluster);
    process.send?.({ type: 'ready', url: relay.url, joinToken });
    close = () => relay.close();
  } else if (role === 'agent') {
    const [relayUrl, joinToken, kubeconfig, stateDir] = args as [string, string, string, string];
    const agent = await startAgent({
      relay: relayUrl,
      joinToken,
      kubeconfig,
      stateDir,
      logLevel: 'warn',
      logDestination: SILENT,
    });
    await agent.waitForSessions(undefined, 20_000);
    process.send?.({ type: 'ready' });
    close = () => agent.close({ graceMs: 200 });
  } else throw new Error(`unknown role ${role}`);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'close')
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: Error) => {
  process.stderr.write(`split host: ${error.stack}\n`);
  process.exit(1);
});
