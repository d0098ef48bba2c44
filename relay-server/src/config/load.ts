/**
 * Assembles the configuration from its three sources, flags over environment over file over
 * defaults, and validates the result once.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { describeFirstIssue } from '../validation/first-issue.js';
import { ConfigError } from './config-error.js';
import { ENV_PREFIX } from './environment.js';
import { type RelayConfig, relayConfigSchema } from './schema.js';

type ValueKind = 'string' | 'list' | 'number';

/** Every environment variable the relay reads, and where its value goes in the configuration. */
const ENV_VARIABLES: Record<string, { path: string[]; kind: ValueKind }> = {
  LISTEN: { path: ['listen'], kind: 'string' },
  DATA_DIR: { path: ['dataDir'], kind: 'string' },
  DATABASE: { path: ['database'], kind: 'string' },
  REDIS: { path: ['redis'], kind: 'string' },
  REPLICA_ID: { path: ['fleet', 'replicaId'], kind: 'string' },
  PEER_URL: { path: ['fleet', 'peerUrl'], kind: 'string' },
  SEALING_KEY_FILE: { path: ['sealingKeyFile'], kind: 'string' },
  PUBLIC_URL: { path: ['publicUrl'], kind: 'string' },
  TLS_CERT_FILE: { path: ['tls', 'certFile'], kind: 'string' },
  TLS_KEY_FILE: { path: ['tls', 'keyFile'], kind: 'string' },
  TRUST_ISSUER: { path: ['trust', 'issuer'], kind: 'string' },
  TRUST_CLIENT_ID: { path: ['trust', 'clientId'], kind: 'string' },
  TRUST_AUDIENCE: { path: ['trust', 'audience'], kind: 'list' },
  TRUST_USERNAME_CLAIM: { path: ['trust', 'usernameClaim'], kind: 'string' },
  TRUST_USERNAME_PREFIX: { path: ['trust', 'usernamePrefix'], kind: 'string' },
  TRUST_GROUPS_CLAIM: { path: ['trust', 'groupsClaim'], kind: 'string' },
  TRUST_GROUPS_PREFIX: { path: ['trust', 'groupsPrefix'], kind: 'string' },
  TRUST_SCOPES: { path: ['trust', 'scopes'], kind: 'list' },
  TRUST_RESOURCE: { path: ['trust', 'resource'], kind: 'string' },
  TRUST_BEARER_TOKEN: { path: ['trust', 'bearerToken'], kind: 'string' },
  ENTRA_TENANT_ID: { path: ['trust', 'entra', 'tenantId'], kind: 'string' },
  ENTRA_CLIENT_ID: { path: ['trust', 'entra', 'clientId'], kind: 'string' },
  ENTRA_API_SCOPE: { path: ['trust', 'entra', 'apiScope'], kind: 'string' },
  ADMIN_USERS: { path: ['admins', 'users'], kind: 'list' },
  ADMIN_GROUPS: { path: ['admins', 'groups'], kind: 'list' },
  DEV_IDP_USERS_FILE: { path: ['devIdp', 'usersFile'], kind: 'string' },
  DEV_IDP_ACCESS_TOKEN_TTL_SECONDS: { path: ['devIdp', 'accessTokenTtlSeconds'], kind: 'number' },
  LOG_LEVEL: { path: ['logLevel'], kind: 'string' },
  MAX_CONNECTIONS: { path: ['maxConnections'], kind: 'number' },
  TUNNEL_MAX_SESSIONS_PER_USER: { path: ['tunnel', 'maxSessionsPerUser'], kind: 'number' },
  AGENT_JOIN_TOKEN_TTL_SECONDS: { path: ['agents', 'joinTokenTtlSeconds'], kind: 'number' },
  AGENT_RECOMMENDED_VERSION: { path: ['agents', 'recommendedVersion'], kind: 'string' },
};

export const ENV_VARIABLE_NAMES = Object.keys(ENV_VARIABLES).map((name) => `${ENV_PREFIX}${name}`);

type ConfigTree = Record<string, unknown>;

export interface ConfigSources {
  /** A YAML file, if one was given. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags, already shaped like the configuration. */
  flags?: ConfigTree;
}

export async function loadRelayConfig(sources: ConfigSources): Promise<RelayConfig> {
  const fromFile = sources.file ? await readConfigFile(sources.file) : {};
  const fromEnv = configFromEnv(sources.env ?? {});
  return parseRelayConfig(mergeConfig(mergeConfig(fromFile, fromEnv), sources.flags ?? {}));
}

/** Validates a configuration object; throws a ConfigError naming the first wrong field. */
export function parseRelayConfig(input: unknown): RelayConfig {
  const result = relayConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const { path, message } = describeFirstIssue(result.error);
  throw new ConfigError(path || '(top level)', message);
}

async function readConfigFile(file: string): Promise<ConfigTree> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError('file', `cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError('file', `${file} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isTree(parsed)) throw new ConfigError('file', `${file} must hold a YAML mapping`);
  return parsed;
}

function configFromEnv(env: NodeJS.ProcessEnv): ConfigTree {
  const tree: ConfigTree = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined) continue;
    const variable = ENV_VARIABLES[name.slice(ENV_PREFIX.length)];
    // A misspelt variable would otherwise be ignored silently and the relay start with a default.
    if (!variable) throw new ConfigError('environment', `unknown variable ${name}`);
    setPath(tree, variable.path, convert(value, variable.kind));
  }
  return tree;
}

function convert(value: string, kind: ValueKind): unknown {
  if (kind === 'list') return splitList(value);
  if (kind === 'number') return numberFromText(value);
  return value;
}

/**
 * A number written as text (an environment variable, a flag) as a number; anything else stays
 * text, so that validation names the field instead of a NaN slipping through.
 */
export function numberFromText(value: string): number | string {
  const trimmed = value.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : value;
}

/** Lists in the environment are separated by commas or whitespace (scopes are usually space-separated). */
function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter((item) => item !== '');
}

function setPath(tree: ConfigTree, path: string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    if (!isTree(node[key])) node[key] = {};
    node = node[key] as ConfigTree;
  }
  node[path.at(-1)!] = value;
}

/** Mappings merge key by key; anything else (lists included) is replaced by the higher source. */
function mergeConfig(lower: ConfigTree, higher: ConfigTree): ConfigTree {
  const merged: ConfigTree = { ...lower };
  for (const [key, value] of Object.entries(higher)) {
    if (value === undefined) continue;
    const below = merged[key];
    merged[key] = isTree(below) && isTree(value) ? mergeConfig(below, value) : value;
  }
  return merged;
}

function isTree(value: unknown): value is ConfigTree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
