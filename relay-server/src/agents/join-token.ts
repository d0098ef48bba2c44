/** Join tokens: 256 random bits shown once; the registry keeps only their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

export const JOIN_TOKEN_PREFIX = 'sbj_';
/** How long a join token is valid unless configured or asked otherwise. */
export const DEFAULT_JOIN_TOKEN_TTL_SECONDS = 24 * 3600;

export function generateJoinToken(): string {
  return `${JOIN_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashJoinToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/*
 * The printed commands keep the token off every process's argv, where `ps` shows it to all local
 * users: a shell assignment prefix (environment) and a pipe from the shell's builtin printf.
 */

/** The command that runs the agent out of cluster with a kubeconfig. */
export function agentCommand(relayUrl: string, joinToken: string): string {
  return `SWITCHBOARD_JOIN_TOKEN=${joinToken} npx --no -- switchboard-agent --relay ${relayUrl.replace(/\/+$/, '')} --kubeconfig <FILE>`;
}

/** Namespace the agent installs into (chart and manifests alike). */
export const AGENT_NAMESPACE = 'switchboard-agent';

/**
 * The command that installs the agent in the cluster with the Helm chart (`cluster-agent/chart`).
 * The value names are the chart's (`cluster-agent/chart/values.yaml`).
 */
export function helmCommand(relayUrl: string, cluster: string, joinToken: string): string {
  return [
    `printf %s ${joinToken} |`,
    `helm upgrade --install switchboard-agent cluster-agent/chart`,
    `--namespace ${AGENT_NAMESPACE} --create-namespace`,
    `--set relayUrl=${relayUrl.replace(/\/+$/, '')} --set clusterName=${cluster} --set-file joinToken=/dev/stdin`,
  ].join(' ');
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90s`, `30m`, `24h`, `7d` (or plain seconds) as seconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
}
