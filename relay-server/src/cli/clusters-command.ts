/** `switchboard-relay clusters create|list|delete`: the cluster registry, from the server. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { clusterDeepLink } from '@switchboard/contract/app';
import { AdminError } from '../admin/admin-errors.js';
import type { NewJoinTokenIssued } from '../admin/admin-service.js';
import { agentCommand, helmCommand, parseDuration } from '../agents/join-token.js';
import { ENV_PREFIX } from '../config/environment.js';
import {
  AgentManifestError,
  checkAgentManifestOptions,
  DEFAULT_AGENT_IMAGE,
  renderAgentManifests,
} from '../install/agent-manifests.js';
import { type ClusterRegistry, PUBLIC_URL_SETTING } from '../registry/registry.js';
import { formatTable, outputFormat, usageErrors } from './arguments.js';
import { UsageError } from './cli-error.js';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, withOperatorSession } from './operator-session.js';

const PUBLIC_URL_ENV = `${ENV_PREFIX}PUBLIC_URL`;

export const CLUSTERS_USAGE = `usage:
  switchboard-relay clusters create NAME [--description TEXT] [--label KEY=VALUE]... [--ttl DURATION]
                                         [--relay-url URL] [--output text|json] REGISTRY
  switchboard-relay clusters join-token NAME [--ttl DURATION] [--relay-url URL] [--output text|json] REGISTRY
  switchboard-relay clusters rejoin NAME [--ttl DURATION] [--relay-url URL] [--output text|json] REGISTRY
  switchboard-relay clusters manifests NAME [--image IMAGE] [--replicas N] [--no-network-policy]
                                            [--relay-ca-file FILE] [--ttl DURATION] [--relay-url URL] REGISTRY
  switchboard-relay clusters list [--output table|json] REGISTRY
  switchboard-relay clusters link NAME REGISTRY
  switchboard-relay clusters delete NAME REGISTRY

  create prints the cluster's first join token and the command that runs its agent; join-token
  issues a fresh one (the token is shown once and works once). --ttl is the token lifetime, e.g.
  30m, 24h (default), 7d. --relay-url is the URL agents reach the relay at; by default the URL the
  relay last served at (or ${PUBLIC_URL_ENV}).
  manifests prints the Kubernetes manifests that install the agent in the cluster (namespace, RBAC,
  a Secret with a fresh join token, a Deployment of --replicas agents (default 2), an egress-only
  NetworkPolicy unless --no-network-policy); pipe them to "kubectl apply -f -". --image defaults to
  ${DEFAULT_AGENT_IMAGE}; --relay-ca-file adds the PEM roots of a relay with a private CA.
  rejoin revives a cluster whose agent credential expired (or whose agent is reinstalled): it
  revokes the cluster's agent credentials and issues a join token for the same entry (grants and
  name are kept); restart the agent with the new token. Its old sessions close within 30 s.
  link prints switchboard://cluster/NAME, which opens the cluster in the Switchboard desktop app
  (for runbooks, chat messages, dashboards).
  Deleting a cluster revokes its agent credentials; its agents are disconnected within 30 s.

${REGISTRY_USAGE}`;

export async function clustersCommand(args: string[], print: (text: string) => void): Promise<void> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'create':
      return createCluster(rest, print);
    case 'list':
      return listClusters(rest, print);
    case 'delete':
      return deleteCluster(rest, print);
    case 'link':
      return printClusterLink(rest, print);
    case 'manifests':
      return printManifests(rest, print);
    case 'join-token':
      return issueJoinToken(rest, print, 'join-token');
    case 'rejoin':
      return issueJoinToken(rest, print, 'rejoin');
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
        ...REGISTRY_OPTIONS,
        description: { type: 'string' },
        label: { type: 'string', multiple: true },
        ...JOIN_TOKEN_OPTIONS,
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  const name = singleName(positionals, 'create');
  const request = { name, description: values.description ?? '', labels: parseLabels(values.label ?? []) };
  const tokenRequest = joinTokenRequest(values.ttl);
  const format = textOrJson(values.output);
  const { cluster, issued, relayUrl } = await withOperatorSession(
    values,
    async (admin, operator, registry) => {
      const created = await admin.createCluster(operator, request);
      return {
        cluster: created,
        issued: await admin.issueJoinToken(operator, created.name, tokenRequest),
        relayUrl: await resolveRelayUrl(values['relay-url'], registry),
      };
    },
  );
  if (format === 'json') {
    print(JSON.stringify({ cluster, ...joinTokenOutput(issued, relayUrl) }, null, 2));
    return;
  }
  print(`cluster "${cluster.name}" created\n`);
  printJoinToken(issued, relayUrl, print);
}

const JOIN_TOKEN_OPTIONS = {
  ttl: { type: 'string' },
  'relay-url': { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

async function issueJoinToken(
  args: string[],
  print: (text: string) => void,
  verb: 'join-token' | 'rejoin',
): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args,
      options: { ...REGISTRY_OPTIONS, ...JOIN_TOKEN_OPTIONS },
      allowPositionals: true,
      strict: true,
    }),
  );
  const name = singleName(positionals, verb);
  const tokenRequest = joinTokenRequest(values.ttl);
  const format = textOrJson(values.output);
  const { issued, relayUrl } = await withOperatorSession(values, async (admin, operator, registry) => ({
    // The URL first: a bad --relay-url must not leave a rejoined cluster without a printed token.
    relayUrl: await resolveRelayUrl(values['relay-url'], registry),
    issued:
      verb === 'rejoin'
        ? await admin.rejoin(operator, name, tokenRequest)
        : await admin.issueJoinToken(operator, name, tokenRequest),
  }));
  if (format === 'json') {
    print(JSON.stringify(joinTokenOutput(issued, relayUrl), null, 2));
    return;
  }
  if (verb === 'rejoin') {
    print(`the agent credentials of cluster "${name}" are revoked; its grants and name are kept\n`);
  }
  printJoinToken(issued, relayUrl, print);
}

function joinTokenRequest(ttl: string | undefined): { ttlSeconds?: number } {
  if (ttl === undefined) return {};
  const ttlSeconds = parseDuration(ttl);
  if (ttlSeconds === undefined)
    throw new UsageError(`--ttl must be a duration such as 30m, 24h or 7d, got "${ttl}"`);
  return { ttlSeconds };
}

function textOrJson(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  throw new UsageError(`--output must be text or json, got "${value}"`);
}

/** The URL agents reach the relay at: the flag, the environment, or what the relay recorded when it served. */
async function resolveRelayUrl(
  flag: string | undefined,
  registry: ClusterRegistry,
): Promise<string | undefined> {
  const url = flag ?? process.env[PUBLIC_URL_ENV] ?? (await registry.getSetting(PUBLIC_URL_SETTING));
  if (url === undefined) return undefined;
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--relay-url must be an http(s) URL, got "${url}"`);
  return url.replace(/\/+$/, '');
}

function joinTokenOutput(issued: NewJoinTokenIssued, relayUrl: string | undefined) {
  return {
    joinToken: issued.joinToken,
    expiresAt: issued.expiresAt,
    ...(relayUrl !== undefined && {
      agentCommand: agentCommand(relayUrl, issued.joinToken),
      helmCommand: helmCommand(relayUrl, issued.cluster, issued.joinToken),
    }),
  };
}

function printJoinToken(
  issued: NewJoinTokenIssued,
  relayUrl: string | undefined,
  print: (text: string) => void,
): void {
  print(
    `join token for cluster "${issued.cluster}" (shown only this once; single use; expires ${issued.expiresAt}):`,
  );
  print(`  ${issued.joinToken}\n`);
  if (relayUrl === undefined) {
    print(
      'the relay URL is not known yet (start the relay once, or pass --relay-url URL), so the agent command cannot be printed',
    );
    return;
  }
  print('install the agent in the cluster with the Helm chart:');
  print(`  ${helmCommand(relayUrl, issued.cluster, issued.joinToken)}\n`);
  print('or with plain manifests (they carry a join token of their own):');
  print(
    `  npx --no -- switchboard-relay clusters manifests ${issued.cluster} --data <DIR> | kubectl apply -f -\n`,
  );
  print('or run the agent out of cluster with a kubeconfig:');
  print(`  ${agentCommand(relayUrl, issued.joinToken)}`);
}

async function listClusters(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args,
      options: { ...REGISTRY_OPTIONS, output: { type: 'string', short: 'o' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (positionals.length > 0)
    throw new UsageError(`clusters list takes no arguments, got "${positionals[0]}"`);
  const format = outputFormat(values.output);
  const clusters = await withOperatorSession(values, (admin, operator) => admin.listClusters(operator));
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
    parseArgs({ args, options: REGISTRY_OPTIONS, allowPositionals: true, strict: true }),
  );
  const name = singleName(positionals, 'delete');
  await withOperatorSession(values, (admin, operator) => admin.deleteCluster(operator, name));
  print(`cluster "${name}" deleted`);
}

async function printClusterLink(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({ args, options: REGISTRY_OPTIONS, allowPositionals: true, strict: true }),
  );
  const name = singleName(positionals, 'link');
  const clusters = await withOperatorSession(values, (admin, operator) => admin.listClusters(operator));
  if (!clusters.some((cluster) => cluster.name === name)) {
    throw new AdminError(
      'not-found',
      `no cluster named "${name}"; \`switchboard-relay clusters list\` shows them`,
    );
  }
  print(clusterDeepLink(name));
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

async function printManifests(args: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = usageErrors(() =>
    parseArgs({
      args,
      options: {
        ...REGISTRY_OPTIONS,
        image: { type: 'string' },
        replicas: { type: 'string' },
        'no-network-policy': { type: 'boolean' },
        'relay-ca-file': { type: 'string' },
        ttl: { type: 'string' },
        'relay-url': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  const name = singleName(positionals, 'manifests');
  const tokenRequest = joinTokenRequest(values.ttl);
  const replicas = values.replicas === undefined ? 2 : Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 10) {
    throw new UsageError(`--replicas must be an integer from 1 to 10, got "${values.replicas}"`);
  }
  let relayCaPem: string | undefined;
  if (values['relay-ca-file'] !== undefined) {
    try {
      relayCaPem = readFileSync(values['relay-ca-file'], 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --relay-ca-file: ${(error as Error).message}`);
    }
  }
  const options = {
    image: values.image ?? DEFAULT_AGENT_IMAGE,
    replicas,
    networkPolicy: !values['no-network-policy'],
    ...(relayCaPem !== undefined && { relayCaPem }),
  };
  const manifests = await withOperatorSession(values, async (admin, operator, registry) => {
    const relayUrl = await resolveRelayUrl(values['relay-url'], registry);
    // Checked before the token is issued, so a missing URL or bad option does not spend one.
    if (relayUrl === undefined) {
      throw new UsageError(
        'the relay URL is not known yet (start the relay once, or pass --relay-url URL), so the agent cannot be configured',
      );
    }
    try {
      checkAgentManifestOptions({ relayUrl, ...options });
    } catch (error) {
      if (error instanceof AgentManifestError) throw new UsageError(error.message);
      throw error;
    }
    const issued = await admin.issueJoinToken(operator, name, tokenRequest);
    return renderAgentManifests({
      cluster: issued.cluster,
      relayUrl,
      joinToken: issued.joinToken,
      ...options,
    });
  });
  print(manifests.trimEnd());
}
