import { resolve } from 'node:path';
import { MergeRecords, mergeKubeconfig, unmergeKubeconfig } from '../../core/kubeconfig/kubeconfig-merge.js';
import {
  defaultKubeconfigPath,
  defaultSwitchboardKubeconfigPath,
  kubeconfigEntries,
  writeSwitchboardKubeconfig,
} from '../../core/kubeconfig/switchboard-kubeconfig.js';
import { loadOrCreateLocalIdentity } from '../../core/local-proxy/local-identity.js';
import { RelayApiClient } from '../../core/relay-client/relay-api.js';
import { normalizeRelayUrl } from '../../core/relay-client/relay-url.js';
import { bearerTokenSource } from '../../core/session/bearer-token-source.js';
import type { CliEnvironment } from '../cli-environment.js';
import { UsageError } from '../usage-error.js';
import { parsePort } from './proxy.js';

export interface KubeconfigOptions {
  relay?: string;
  port?: string;
  kubeconfigOut?: string;
  merge?: boolean;
  unmerge?: boolean;
  kubeconfig?: string;
}

/**
 * `switchboard kubeconfig`: writes Switchboard's own kubeconfig (default), or merges its entries
 * into a user's kubeconfig (`--merge`), or takes them out again (`--unmerge`).
 */
export async function kubeconfig(options: KubeconfigOptions, environment: CliEnvironment): Promise<void> {
  const { stdout } = environment;
  if (options.merge && options.unmerge) throw new UsageError('--merge and --unmerge exclude each other');
  if (options.kubeconfig !== undefined && !options.merge && !options.unmerge) {
    throw new UsageError('--kubeconfig names the file to --merge into or --unmerge from');
  }
  const records = new MergeRecords(environment.configDirectory);
  const target = resolve(options.kubeconfig ?? defaultKubeconfigPath(environment.env));

  if (options.unmerge) {
    const result = await unmergeKubeconfig(target, records);
    if (result.how === 'nothing') {
      stdout.write(`Nothing to remove: Switchboard has not merged anything into ${target}.\n`);
      return;
    }
    const what =
      result.how === 'restored'
        ? 'restored the file as it was before the merge'
        : result.how === 'deleted-file'
          ? 'removed the file (the merge had created it)'
          : `removed ${result.removed.length} entries`;
    stdout.write(`Unmerged from ${target}: ${what}.\n`);
    if (result.keptChanged.length > 0) {
      stdout.write(`Left in place (changed by hand since the merge): ${result.keptChanged.join(', ')}\n`);
    }
    if (result.backupPath) stdout.write(`Backup of the previous file: ${result.backupPath}\n`);
    return;
  }

  const relayUrl = normalizeRelayUrl(await environment.registry.selectRelay(options.relay));
  const port = parsePort(options.port);
  if (port === 0)
    throw new UsageError('a kubeconfig needs a fixed --port (the one `switchboard proxy` uses)');
  const bearerToken = bearerTokenSource(relayUrl, environment.store, environment.logger);
  const clusters = (await new RelayApiClient(relayUrl).listClusters(await bearerToken())).map((c) => c.name);
  const { identity } = await loadOrCreateLocalIdentity(environment.localIdentityStore);
  const input = { clusters, port, identity };

  if (options.merge) {
    const result = await mergeKubeconfig(target, kubeconfigEntries(input), records);
    stdout.write(
      `Merged into ${target}: ${result.added.length} added, ${result.updated.length} updated, ${result.removed.length} removed; current-context unchanged.\n`,
    );
    if (result.backupPath) stdout.write(`Backup of the previous file: ${result.backupPath}\n`);
    stdout.write(`Undo with: switchboard kubeconfig --unmerge --kubeconfig ${target}\n`);
    return;
  }
  const path = resolve(
    options.kubeconfigOut ?? defaultSwitchboardKubeconfigPath(environment.configDirectory),
  );
  await writeSwitchboardKubeconfig(path, input);
  stdout.write(
    `Wrote ${path} (${clusters.length} clusters; serve it with \`switchboard proxy --port ${port}\`).\n`,
  );
}
