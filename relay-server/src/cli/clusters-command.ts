/** `switchboard-relay clusters create|list|delete`: the cluster registry, from the server. */
import { parseArgs } from 'node:util';
import { formatTable, outputFormat, usageErrors } from './arguments.js';
import { UsageError } from './cli-error.js';
import { withOperatorSession } from './operator-session.js';

export const CLUSTERS_USAGE = `usage:
  switchboard-relay clusters create NAME [--description TEXT] [--label KEY=VALUE]... --data DIR
  switchboard-relay clusters list [--output table|json] --data DIR
  switchboard-relay clusters delete NAME --data DIR`;

export async function clustersCommand(args: string[], print: (text: string) => void): Promise<void> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'create':
      return createCluster(rest, print);
    case 'list':
      return listClusters(rest, print);
    case 'delete':
      return deleteCluster(rest, print);
    default:
      throw new UsageError(
        verb === undefined ? 'clusters needs a subcommand' : `unknown clusters subcommand "${verb}"`,
      );
  }
}

async function createCluster(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args,
      options: {
        data: { type: 'string' },
        description: { type: 'string' },
        label: { type: 'string', multiple: true },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  const name = singleName(positionals, 'create');
  const request = { name, description: values.description ?? '', labels: parseLabels(values.label ?? []) };
  const cluster = await withOperatorSession(values.data, (admin, operator) =>
    admin.createCluster(operator, request),
  );
  print(`cluster "${cluster.name}" created`);
}

async function listClusters(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args,
      options: { data: { type: 'string' }, output: { type: 'string', short: 'o' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (positionals.length > 0)
    throw new UsageError(`clusters list takes no arguments, got "${positionals[0]}"`);
  const format = outputFormat(values.output);
  const clusters = await withOperatorSession(values.data, (admin, operator) => admin.listClusters(operator));
  if (format === 'json') {
    print(JSON.stringify({ items: clusters }, null, 2));
    return;
  }
  if (clusters.length === 0) {
    print('no clusters');
    return;
  }
  print(
    formatTable(
      ['NAME', 'DESCRIPTION', 'LABELS', 'CREATED'],
      clusters.map((cluster) => [
        cluster.name,
        cluster.description,
        Object.entries(cluster.labels)
          .map(([key, value]) => `${key}=${value}`)
          .join(','),
        cluster.createdAt,
      ]),
    ),
  );
}

async function deleteCluster(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({ args, options: { data: { type: 'string' } }, allowPositionals: true, strict: true }),
  );
  const name = singleName(positionals, 'delete');
  await withOperatorSession(values.data, (admin, operator) => admin.deleteCluster(operator, name));
  print(`cluster "${name}" deleted`);
}

function singleName(positionals: string[], verb: string): string {
  if (positionals.length !== 1) throw new UsageError(`clusters ${verb} takes exactly one cluster NAME`);
  return positionals[0]!;
}

function parseLabels(labels: string[]): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const label of labels) {
    const separator = label.indexOf('=');
    if (separator <= 0) throw new UsageError(`--label must be KEY=VALUE, got "${label}"`);
    parsed[label.slice(0, separator)] = label.slice(separator + 1);
  }
  return parsed;
}
