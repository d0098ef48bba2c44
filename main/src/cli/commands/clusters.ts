/**
 * `switchboard clusters [--watch] [--output table|json]`: the clusters the user may reach, with
 * their connectivity status. `--watch` follows the relay's live status stream until Ctrl-C: the
 * table, then a line per change (table) or every event as one JSON object per line (json).
 */
import type { ClusterEvent, ClusterView } from '@switchboard/contract/relay-api';
import { RelayApiClient } from '../../core/relay-client/relay-api.js';
import { normalizeRelayUrl } from '../../core/relay-client/relay-url.js';
import { type BearerTokenSource, bearerTokenSource } from '../../core/session/bearer-token-source.js';
import { SignInRequiredError } from '../../core/session/sign-in-required-error.js';
import { ClusterStatusWatcher } from '../../core/status/cluster-status-watcher.js';
import { presentClusters } from '../../core/status/user-reach.js';
import type { CliEnvironment } from '../cli-environment.js';
import { UsageError } from '../usage-error.js';

export interface ClustersOptions {
  relay?: string;
  watch?: boolean;
  output?: string;
}

const COLUMNS = ['NAME', 'STATUS', 'LAST SEEN', 'KUBERNETES', 'NODES', 'AGENT'] as const;

export async function clusters(options: ClustersOptions, environment: CliEnvironment): Promise<void> {
  const output = options.output ?? 'table';
  if (output !== 'table' && output !== 'json') {
    throw new UsageError(`--output must be table or json, not "${output}"`);
  }
  const relayUrl = normalizeRelayUrl(await environment.registry.selectRelay(options.relay));
  const source = bearerTokenSource(relayUrl, environment.store, environment.logger);
  if (!options.watch) {
    const views = await new RelayApiClient(relayUrl).listClusters(await source());
    environment.stdout.write(
      output === 'json' ? `${JSON.stringify(views, null, 2)}\n` : formatTable(views, Date.now()),
    );
    return;
  }
  await watch(relayUrl, output, source, environment);
}

async function watch(
  relayUrl: string,
  output: 'table' | 'json',
  source: BearerTokenSource,
  { stdout, stderr, logger, stopSignal, env }: CliEnvironment,
): Promise<void> {
  await source(); // not signed in: fail now, with the login hint
  let signInError: SignInRequiredError | undefined;
  const bearerToken = () =>
    source().catch((error: unknown) => {
      if (error instanceof SignInRequiredError) signInError = error;
      throw error;
    });
  /** Per cluster, what the table mode last printed (the relative "last seen" aside). */
  const printed = new Map<string, string>();
  let tablePrinted = false;
  const watcher = new ClusterStatusWatcher({
    relayUrl,
    bearerToken,
    renewRejectedToken: source.renewRejected,
    logger,
    ...(env.SWITCHBOARD_RECONNECT_MAX_DELAY_MS !== undefined && {
      backoff: { maxDelayMs: Number(env.SWITCHBOARD_RECONNECT_MAX_DELAY_MS) },
    }),
    onEvent:
      output === 'json'
        ? (event: ClusterEvent) => stdout.write(`${JSON.stringify(event)}\n`)
        : () => {
            const now = Date.now();
            const views = watcher.clusters;
            if (!tablePrinted) {
              tablePrinted = true;
              stdout.write(formatTable(views, now));
              for (const view of views) printed.set(view.name, changeKey(view));
              return;
            }
            const stamp = new Date(now).toISOString();
            for (const view of views) {
              if (printed.get(view.name) === changeKey(view)) continue;
              printed.set(view.name, changeKey(view));
              stdout.write(`${stamp}  ${row(view, now).join('  ')}\n`);
            }
            const present = new Set(views.map((view) => view.name));
            for (const name of [...printed.keys()]) {
              if (present.has(name)) continue;
              printed.delete(name);
              stdout.write(`${stamp}  ${name}  removed\n`);
            }
          },
  });

  let lastState = watcher.state;
  const stopped = new Promise<void>((resolve, reject) => {
    watcher.on('change', () => {
      if (watcher.signInRequired) {
        reject(signInError ?? new SignInRequiredError(relayUrl, 'the relay session needs a new sign-in'));
        return;
      }
      if (watcher.state === lastState) return;
      lastState = watcher.state;
      if (watcher.state === 'reconnecting')
        stderr.write(`Status stream from ${relayUrl} lost; reconnecting…\n`);
      if (watcher.state === 'live') stderr.write(`Watching ${relayUrl} (Ctrl-C stops).\n`);
    });
    void stopSignal().then(() => resolve());
  });
  watcher.start();
  try {
    await stopped;
  } finally {
    watcher.close();
  }
}

function formatTable(views: ClusterView[], now: number): string {
  if (views.length === 0) return 'No clusters: you hold no grant on any cluster of this relay yet.\n';
  const rows = [[...COLUMNS], ...views.map((view) => row(view, now))];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  return rows
    .map((cells) =>
      cells
        .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  '),
    )
    .join('\n')
    .concat('\n');
}

function row(view: ClusterView, now: number): string[] {
  const { metadata } = view;
  // The words the app uses too: a cluster whose agent never joined is `not-joined`, as kubectl is
  // refused for it (offline), not `connecting` as if something were under way. The relay just
  // answered, so what it says is live.
  const presence = presentClusters([view], 'live')[0]!.presence;
  const agent = metadata?.agentVersion
    ? `${metadata.agentVersion}${view.upgradeAvailable ? ` (upgrade available: ${view.recommendedAgentVersion})` : ''}`
    : '-';
  return [
    view.name,
    presence,
    lastSeen(view, now),
    metadata?.kubernetesVersion ?? '-',
    metadata?.nodeCount !== undefined ? String(metadata.nodeCount) : '-',
    agent,
  ];
}

/** What a change line is printed for: everything shown but the relative time. */
function changeKey(view: ClusterView): string {
  return JSON.stringify([
    view.status,
    view.sessions,
    view.metadata?.kubernetesVersion,
    view.metadata?.nodeCount,
    view.metadata?.agentVersion,
    view.upgradeAvailable,
  ]);
}

function lastSeen(view: ClusterView, now: number): string {
  if (view.status === 'connected') return 'now';
  if (view.lastSeenAt === null) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(view.lastSeenAt)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.floor(hours / 24)}d ago`;
}
