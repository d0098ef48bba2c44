/**
 * Reads the apiserver and the agent's credential from a kubeconfig (out of cluster), or from the
 * pod's service account (in cluster).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { type AgentCredential, type ApiServerConfig, TokenSource } from './apiserver.js';

const kubeconfigSchema = z.object({
  clusters: z
    .array(
      z.object({
        name: z.string(),
        cluster: z.object({
          server: z.string(),
          'certificate-authority-data': z.string().optional(),
          'certificate-authority': z.string().optional(),
          'insecure-skip-tls-verify': z.boolean().optional(),
          'tls-server-name': z.string().optional(),
          'proxy-url': z.string().optional(),
        }),
      }),
    )
    .nullish(),
  users: z
    .array(
      z.object({
        name: z.string(),
        user: z
          .object({
            'client-certificate-data': z.string().optional(),
            'client-key-data': z.string().optional(),
            'client-certificate': z.string().optional(),
            'client-key': z.string().optional(),
            token: z.string().optional(),
            tokenFile: z.string().optional(),
            exec: z.unknown().optional(),
            'auth-provider': z.unknown().optional(),
            username: z.string().optional(),
          })
          .nullish(),
      }),
    )
    .nullish(),
  contexts: z
    .array(
      z.object({
        name: z.string(),
        context: z.object({
          cluster: z.string(),
          user: z.string().optional(),
          namespace: z.string().optional(),
        }),
      }),
    )
    .nullish(),
  'current-context': z.string().optional(),
});

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

export interface KubeconfigOptions {
  /** Context to use; the file's current-context by default. */
  context?: string;
  /** How often a `tokenFile` is re-read. */
  tokenRefreshMs?: number;
}

export function loadKubeconfig(file: string, options: KubeconfigOptions = {}): ApiServerConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeconfigError(`cannot read the kubeconfig ${file}: ${(error as Error).message}`);
  }
  return parseKubeconfig(text, { ...options, path: file });
}

export function parseKubeconfig(
  text: string,
  options: KubeconfigOptions & { path?: string } = {},
): ApiServerConfig {
  const where = options.path ?? 'the kubeconfig';
  const parsed = kubeconfigSchema.safeParse(parse(text));
  if (!parsed.success)
    throw new KubeconfigError(`${where} is not a valid kubeconfig: ${parsed.error.message}`);
  const config = parsed.data;
  const contextName = options.context ?? config['current-context'];
  if (!contextName) throw new KubeconfigError(`${where} has no current-context; pass --context`);
  const context = config.contexts?.find((entry) => entry.name === contextName)?.context;
  if (!context) throw new KubeconfigError(`${where} has no context "${contextName}"`);
  const cluster = config.clusters?.find((entry) => entry.name === context.cluster)?.cluster;
  if (!cluster) throw new KubeconfigError(`${where} has no cluster "${context.cluster}"`);
  const user = context.user ? config.users?.find((entry) => entry.name === context.user)?.user : undefined;
  if (context.user && user === undefined && !config.users?.some((entry) => entry.name === context.user)) {
    throw new KubeconfigError(`${where} has no user "${context.user}"`);
  }
  if (cluster['proxy-url']) {
    throw new KubeconfigError(`${where}: proxy-url for the apiserver is not supported by the agent`);
  }

  const base = options.path ? dirname(options.path) : process.cwd();
  const file = (path: string) => readFileSync(isAbsolute(path) ? path : join(base, path), 'utf8');
  const decode = (data: string) => Buffer.from(data, 'base64').toString('utf8');

  let ca: string | undefined;
  if (cluster['certificate-authority-data']) ca = decode(cluster['certificate-authority-data']);
  else if (cluster['certificate-authority']) ca = file(cluster['certificate-authority']);

  let credential: AgentCredential = { kind: 'none' };
  if (user) {
    const certPem = user['client-certificate-data']
      ? decode(user['client-certificate-data'])
      : user['client-certificate'] && file(user['client-certificate']);
    const keyPem = user['client-key-data']
      ? decode(user['client-key-data'])
      : user['client-key'] && file(user['client-key']);
    if (certPem && keyPem) credential = { kind: 'client-certificate', certPem, keyPem };
    else if (certPem || keyPem) {
      throw new KubeconfigError(`${where}: user "${context.user}" has a client certificate without its key`);
    } else if (user.token) credential = { kind: 'token', token: TokenSource.fixed(user.token) };
    else if (user.tokenFile) {
      const path = isAbsolute(user.tokenFile) ? user.tokenFile : join(base, user.tokenFile);
      credential = { kind: 'token', token: TokenSource.fromFile(path, options.tokenRefreshMs) };
    } else if (user.exec || user['auth-provider'] || user.username) {
      throw new KubeconfigError(
        `${where}: user "${context.user}" uses exec plugins, auth providers or basic auth, which the agent ` +
          'does not support; give it a client certificate or a token (for example a ServiceAccount token)',
      );
    }
  }
  return {
    server: cluster.server,
    tls: {
      ...(ca !== undefined && { ca }),
      ...(cluster['insecure-skip-tls-verify'] && { insecureSkipTlsVerify: true }),
      ...(cluster['tls-server-name'] && { serverName: cluster['tls-server-name'] }),
    },
    credential,
    source: `kubeconfig ${where}, context ${contextName}`,
    ...(context.namespace && { namespace: context.namespace }),
  };
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterOptions {
  /** Where the service account token, CA and namespace are mounted. */
  serviceAccountDir?: string;
  env?: NodeJS.ProcessEnv;
  tokenRefreshMs?: number;
  onTokenError?: (error: Error) => void;
}

/** Whether the process runs in a pod (the apiserver's service host is in the environment). */
export function isInCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT);
}

export function loadInCluster(options: InClusterOptions = {}): ApiServerConfig {
  const env = options.env ?? process.env;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeconfigError(
      'not running in a cluster (KUBERNETES_SERVICE_HOST/PORT are not set): pass --kubeconfig',
    );
  }
  let ca: string;
  let namespace: string;
  let token: TokenSource;
  try {
    ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
    namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim();
    token = TokenSource.fromFile(join(dir, 'token'), options.tokenRefreshMs, options.onTokenError);
  } catch (error) {
    throw new KubeconfigError(
      `cannot read the pod's service account from ${dir} (is automountServiceAccountToken off?): ${(error as Error).message}`,
    );
  }
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    tls: { ca },
    credential: { kind: 'token', token },
    source: `in-cluster service account (${dir})`,
    namespace,
  };
}
