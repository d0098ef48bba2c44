#!/usr/bin/env node
/**
 * `npm run demo`: the whole chain on embedded defaults, in one process —
 *
 *   kubectl ─> local proxy ══> relay (embedded OpenID provider, SQLite) ══> agent ─> kube-sim
 *
 * with a demo user signed in (client credentials) and a kubeconfig whose current context goes
 * through all of it. The local proxy is the desktop core's, the one the UI shows and controls: one
 * proxy per signed-in user, on one port for the whole run, so the printed `export KUBECONFIG=…`
 * line keeps working whatever the UI does with it, and after a sign-in as someone else acts as them. `--upstream-kubeconfig FILE` puts the agent in front of a real cluster instead
 * of kube-sim. Data and logs live under `.demo/` (or `$SWITCHBOARD_DEMO_DIR`), fresh on every start.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProxyView } from '@switchboard/contract/app';
import { startBrowserHost } from '@switchboard/main/browser-host';
import { AppCore, createLogger, EphemeralLocalIdentityStore } from '@switchboard/main/core';
import { type Chain, startChain } from '../chain/index.js';
import { openDemoUi } from './demo-ui.js';

const USAGE = `Usage: npm run demo [-- --upstream-kubeconfig FILE] [--dir DIR]

Runs a relay (embedded OpenID provider, SQLite), kube-sim with the demo cluster, a cluster agent,
a signed-in demo user and the local proxy, and prints the KUBECONFIG line for kubectl.

  --upstream-kubeconfig FILE   put the agent in front of this cluster instead of kube-sim
                               (its user must be allowed to impersonate users and groups)
  --dir DIR                    where data and logs go (default .demo, or $SWITCHBOARD_DEMO_DIR)
`;

/** The subdirectories the demo owns under its directory; removed at every start. */
const OWN_ENTRIES = [
  'relay',
  'agent',
  'secrets',
  'tokens',
  'users',
  'dev-idp-users.json',
  'kubeconfig',
  'chain-kubeconfig',
  'demo.log',
  'app',
  'merged-kubeconfig',
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'upstream-kubeconfig': { type: 'string' },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const dir = resolve(values.dir ?? process.env.SWITCHBOARD_DEMO_DIR ?? '.demo');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const entry of OWN_ENTRIES) await rm(join(dir, entry), { recursive: true, force: true });

  const logPath = join(dir, 'demo.log');
  const log = createWriteStream(logPath, { flags: 'a', mode: 0o600 });
  // The embedded OpenID provider's library prints development warnings on the console: keep them
  // in the log with everything else, the demo's own output stays short.
  const consoleWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider ')) log.write(`${args.join(' ')}\n`);
    else consoleWarn(...args);
  };

  const upstream = values['upstream-kubeconfig'];
  process.stdout.write(`Starting the Switchboard demo (data and logs in ${dir})…\n`);
  let chain: Chain;
  try {
    chain = await startChain({
      dataDir: dir,
      kubeconfigPath: join(dir, 'chain-kubeconfig'),
      tokenStore: 'auto',
      backoff: 'default',
      logDestination: log,
      logLevel: 'info',
      ...(upstream !== undefined && { upstreamKubeconfig: resolve(upstream) }),
    });
  } catch (error) {
    log.end();
    throw error;
  }

  // The chain signed the demo user in and started a proxy of its own: the desktop core runs the one
  // proxy instead, so that the UI and the printed kubeconfig are the same proxy.
  await chain.client.stopProxy();
  await rm(chain.kubeconfigPath, { force: true });
  const kubeconfigPath = join(dir, 'kubeconfig');
  const startCore = () =>
    AppCore.start({
      configDirectory: join(dir, 'app'),
      store: chain.client.store,
      relayUrl: chain.relayUrl,
      localIdentityStore: new EphemeralLocalIdentityStore(),
      logger: createLogger('info', log),
      openBrowser: async (url) => {
        process.stdout.write(`Open in your browser: ${url}\n`);
      },
      proxyKubeconfigPath: kubeconfigPath,
      userKubeconfigPath: join(dir, 'merged-kubeconfig'),
      // Port 0 resolves to a free port once; the proxy keeps it until the demo stops.
      defaultSettings: { backgroundMode: false, proxy: { enabled: true, port: 0 } },
    });
  const giveUp = async (error: unknown, core?: AppCore): Promise<never> => {
    await core?.close();
    await chain.close();
    log.end();
    throw error;
  };
  const core = await startCore().catch((error: unknown) => giveUp(error));
  const proxy = await proxyReady(core).catch((error: unknown) => giveUp(error, core));

  const human = chain.human;
  const tokens =
    chain.client.tokenStoreKind === 'keychain'
      ? `The demo user's tokens are in your OS keychain (removed when the demo stops).`
      : `No OS keychain here: the demo user's tokens are kept in memory only (gone when the demo stops).`;
  // Commands go on lines of their own, indented by two spaces, under a line ending in ':'
  // (e2e/test/install/fresh-clone.test.ts runs every command it finds there, in a fresh clone).
  const lines = [
    '',
    `  relay        ${chain.relayUrl}   (embedded OpenID provider at /dev-idp, SQLite — demo only)`,
    upstream
      ? `  cluster      "${chain.cluster}": your cluster at ${chain.apiServerUrl}, behind the agent`
      : `  cluster      "${chain.cluster}": kube-sim at ${chain.apiServerUrl}, behind the agent`,
    `  local proxy  ${proxy.url}/clusters/${chain.cluster}   (the UI's: it shows and controls this proxy)`,
    `  signed in    as "${chain.client.user.name}" (a service principal). ${tokens}`,
    '',
    'In another terminal:',
    '',
    `  ${proxy.exportLine}`,
    '  kubectl get pods -A',
    '',
    ...(upstream
      ? [
          `The agent impersonates "${chain.client.user.name}": give that user rights on your cluster, for example:`,
          `  kubectl create clusterrolebinding switchboard-demo --clusterrole=view --user=${chain.client.user.name}`,
          '',
        ]
      : []),
    `To sign in yourself as the demo user ${human.username} (password "${human.password}"):`,
    `  npx --no -- switchboard login --relay ${chain.relayUrl} && npx --no -- switchboard proxy --port 0`,
    '',
    `Logs: ${logPath}. Press Ctrl-C to stop.`,
    '',
  ];
  process.stdout.write(lines.join('\n'));

  // The desktop UI: the Electron app where Electron is installed, otherwise the same UI in the
  // browser host, in front of the core above.
  const ui = await openDemoUi({
    relayUrl: chain.relayUrl,
    dir,
    human,
    startBrowserHost: () => startBrowserHost({ core, port: 0 }),
  });
  process.stdout.write(`${ui.description}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stdout.write('Stopping now.\n');
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local proxy, agent, kube-sim and relay…\n`);
    ui.close()
      // The core's proxy removes its kubeconfig as it stops.
      .then(() => core.close())
      .then(() => chain.close())
      // The demo's own file in any case: it points at a proxy that is gone now.
      .then(() => rm(kubeconfigPath, { force: true }))
      .then(
        () => process.stdout.write('Stopped.\n'),
        (error: Error) => process.stderr.write(`demo: while stopping: ${error.message}\n`),
      )
      .finally(() => log.end(() => process.exit(0)));
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The core's proxy once it listens, the relay session is up and its kubeconfig is written. */
function proxyReady(core: AppCore): Promise<ProxyView> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const { proxy } = core.state;
      if (proxy.state === 'ready' && proxy.exportLine !== undefined) {
        core.off('push', check);
        resolve(proxy);
      } else if (proxy.state === 'error') {
        core.off('push', check);
        reject(new Error(`the local proxy did not start: ${proxy.error?.message ?? 'no reason given'}`));
      }
    };
    core.on('push', check);
    check();
  });
}

main().catch((error) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});
