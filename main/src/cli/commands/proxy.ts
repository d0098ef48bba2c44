import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { clusterNameSchema } from '@switchboard/contract/relay-api';
import { ReconnectBackoff } from '@switchboard/protocol';
import { defaultSwitchboardKubeconfigPath } from '../../core/kubeconfig/switchboard-kubeconfig.js';
import {
  DEFAULT_LOCAL_PROXY_PORT,
  DEFAULT_MAX_LOCAL_CONNECTIONS,
} from '../../core/local-proxy/local-proxy.js';
import { ProxyController } from '../../core/local-proxy/proxy-controller.js';
import { normalizeRelayUrl } from '../../core/relay-client/relay-url.js';
import { bearerTokenSource } from '../../core/session/bearer-token-source.js';
import { ClusterStatusWatcher } from '../../core/status/cluster-status-watcher.js';
import { onGrantedClustersChange } from '../../core/status/granted-clusters.js';
import type { CliEnvironment } from '../cli-environment.js';
import { UsageError } from '../usage-error.js';

export interface ProxyOptions {
  relay?: string;
  port?: string;
  nextFreePort?: boolean;
  kubeconfigOut?: string;
  serviceAccountToken?: string[];
  maxConnections?: string;
}

/**
 * `switchboard proxy`: runs the local proxy in the foreground until Ctrl-C. Prints the
 * `export KUBECONFIG=…` line on stdout once it is ready (listening and the relay session up) and
 * the kubeconfig is written, and rewrites it when the relay's live status says a cluster was granted
 * or revoked; on SIGINT/SIGTERM it drains the relay session (GOAWAY), stops, and removes the
 * kubeconfig it wrote (a merged ~/.kube/config is never touched).
 */
export async function proxy(options: ProxyOptions, environment: CliEnvironment): Promise<void> {
  const { stdout, stderr, logger } = environment;
  const relayUrl = normalizeRelayUrl(await environment.registry.selectRelay(options.relay));
  const port = parsePort(options.port);
  const maxConnections = parseMaxConnections(options.maxConnections);
  const serviceAccountTokens = parseServiceAccountTokens(options.serviceAccountToken ?? []);
  for (const [cluster, file] of serviceAccountTokens) {
    await readTokenFile(file).catch((error: Error) => {
      throw new UsageError(`--service-account-token ${cluster}=${file}: ${error.message}`);
    });
  }
  const kubeconfigPath = resolve(
    options.kubeconfigOut ?? defaultSwitchboardKubeconfigPath(environment.configDirectory),
  );

  const capMs = reconnectCapMs(environment.env);
  const bearerToken = bearerTokenSource(relayUrl, environment.store, logger);
  await bearerToken(); // not signed in: fail now, with the login hint, rather than serve 401s

  const stopped = environment.stopSignal();
  const controller = new ProxyController({
    localIdentityStore: environment.localIdentityStore,
    kubeconfigPath,
    logger,
    nextFreePort: options.nextFreePort ?? false,
    maxConnections,
    serviceAccountTokens: new Map(
      [...serviceAccountTokens].map(([cluster, file]) => [cluster, () => readTokenFile(file)]),
    ),
    ...(capMs !== undefined && {
      backoff: () => new ReconnectBackoff({ capMs, baseMs: Math.min(500, capMs) }),
    }),
  });
  let reported = '';
  controller.on('tunnel', (state) => {
    if (state === 'up') reported = '';
    else if (state === 'down' || state === 'sign-in-required') {
      const line = `Relay ${relayUrl} unavailable (${controller.running?.lastFailure}); retrying…\n`;
      if (line !== reported) stderr.write(line);
      reported = line;
    }
  });
  controller.on('kubeconfigWritten', (_clusters, grantsChanged) => {
    if (grantsChanged) stderr.write(`Updated ${kubeconfigPath} (cluster grants changed).\n`);
  });
  // The contexts follow the grants as the live status reports them. Its stream failing is the same
  // outage the proxy already reports once, in words: its warnings only show at info and below.
  const grants = new ClusterStatusWatcher({
    relayUrl,
    bearerToken: () => bearerToken(),
    renewRejectedToken: bearerToken.renewRejected,
    logger: logger.isLevelEnabled('info') ? logger : logger.child({}, { level: 'error' }),
    ...(capMs !== undefined && { backoff: { maxDelayMs: capMs } }),
  });
  onGrantedClustersChange(grants, () => {
    controller
      .refreshKubeconfig()
      .catch((error: Error) => logger.warn({ err: error.message }, 'could not follow the granted clusters'));
  });
  try {
    await controller.start({ relayUrl, bearerToken }, port);
  } catch (error) {
    grants.close();
    throw error;
  }
  grants.start();
  stderr.write(`Switchboard proxy listening on ${controller.status.url}; connecting to ${relayUrl}…\n`);

  const until = new AbortController();
  void stopped.then(() => until.abort());
  try {
    const clusters = await controller.whenReady(until.signal);
    stderr.write(
      clusters.length === 0
        ? `Ready, but you have no cluster grants on ${relayUrl} yet.\n`
        : `Ready. Contexts: ${clusters.map((c) => `switchboard-${c.name}`).join(', ')}\n`,
    );
    stdout.write(`${controller.status.exportLine}\n`);
  } catch (error) {
    if (!until.signal.aborted) {
      grants.close();
      await controller.stop();
      throw error;
    }
  }
  const signal = await stopped;
  stderr.write(`Received ${signal}; stopping the Switchboard proxy…\n`);
  grants.close();
  await controller.stop();
}

/**
 * `SWITCHBOARD_RECONNECT_MAX_DELAY_MS` caps the reconnect backoff (default 30 s); tests and demos
 * that restart the relay shorten it.
 */
function reconnectCapMs(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.SWITCHBOARD_RECONNECT_MAX_DELAY_MS;
  if (text === undefined || text === '') return undefined;
  const capMs = Number(text);
  if (!Number.isInteger(capMs) || capMs < 1 || capMs > 300_000) {
    throw new UsageError(
      `SWITCHBOARD_RECONNECT_MAX_DELAY_MS must be a number of milliseconds from 1 to 300000, not "${text}"`,
    );
  }
  return capMs;
}

export function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LOCAL_PROXY_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65_535) {
    throw new UsageError(`--port takes a port number (0 for any free port), not "${value}"`);
  }
  return port;
}

function parseMaxConnections(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_LOCAL_CONNECTIONS;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 1_000_000) {
    throw new UsageError(`--max-connections takes a number of connections from 1 to 1000000, not "${value}"`);
  }
  return count;
}

function parseServiceAccountTokens(values: string[]): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const value of values) {
    const equals = value.indexOf('=');
    const cluster = value.slice(0, equals);
    const file = value.slice(equals + 1);
    if (equals <= 0 || !file)
      throw new UsageError(`--service-account-token takes CLUSTER=FILE, not "${value}"`);
    if (!clusterNameSchema.safeParse(cluster).success) {
      throw new UsageError(`--service-account-token: "${cluster}" is not a cluster name`);
    }
    tokens.set(cluster, resolve(file));
  }
  return tokens;
}

/** Read on every new stream, so a rotated (projected) token is picked up. */
async function readTokenFile(file: string): Promise<string> {
  const token = (await readFile(file, 'utf8')).trim();
  if (!token) throw new Error(`${file} is empty`);
  return token;
}
