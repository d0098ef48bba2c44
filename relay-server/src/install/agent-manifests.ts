/**
 * The agent's in-cluster install as plain Kubernetes manifests (`clusters manifests`, and
 * `GET /api/v1/clusters/:name/manifests`). The Helm chart in cluster-agent/chart produces the same
 * objects; e2e/test/install checks both against each other and against the Kubernetes schemas.
 *
 * What the agent needs and nothing more: impersonate users, groups and service accounts (the
 * apiserver's RBAC then decides for the user), read nodes (heartbeat metadata), and get/update its
 * own Secret, which holds the join token and, once joined, the agent's state (the agent's
 * SecretStateStore: `state.json`, written with optimistic concurrency so replicas share it).
 */
import { stringify } from 'yaml';
import { AGENT_NAMESPACE } from '../agents/join-token.js';
import { RELAY_VERSION } from '../version.js';

/** Object names, shared with the chart and the agent's defaults. */
export const AGENT_INSTALL_NAMES = {
  serviceAccount: 'switchboard-agent',
  clusterRole: 'switchboard-agent',
  role: 'switchboard-agent-state',
  /** The agent's default state Secret (`DEFAULT_SECRET_NAME` in cluster-agent/src/state/secret-store.ts). */
  secret: 'switchboard-agent-credential',
  /** Its key for the join token (`JOIN_TOKEN_KEY` there). */
  joinTokenKey: 'joinToken',
  relayCaConfigMap: 'switchboard-agent-relay-ca',
  deployment: 'switchboard-agent',
  networkPolicy: 'switchboard-agent',
} as const;

/**
 * The agent image when none is given: the agent released with this relay. The chart's
 * `image.repository` default is the same; installs from a private registry pass their own.
 */
export const DEFAULT_AGENT_IMAGE_REPOSITORY = 'ghcr.io/switchboard/switchboard-agent';
export const DEFAULT_AGENT_IMAGE = `${DEFAULT_AGENT_IMAGE_REPOSITORY}:${RELAY_VERSION}`;

/** The port of the agent's probe endpoint (`--health-listen`). */
export const AGENT_HEALTH_PORT = 8080;
const RELAY_CA_DIR = '/etc/switchboard/relay-ca';

export interface AgentManifestOptions {
  cluster: string;
  /** The URL agents reach the relay at. */
  relayUrl: string;
  joinToken: string;
  /** The agent's container image, e.g. `ghcr.io/example/switchboard-agent:0.1.0`. */
  image: string;
  replicas?: number;
  /** An egress-only NetworkPolicy for the agent's pods. */
  networkPolicy?: boolean;
  /** PEM roots for the relay's certificate (a private CA), mounted from a ConfigMap. */
  relayCaPem?: string;
  /** Proxy for the connection to the relay (`HTTPS_PROXY`), and hosts that bypass it. */
  httpsProxy?: string;
  noProxy?: string;
  /** `--heartbeat-interval`, e.g. `60s`. */
  heartbeatInterval?: string;
}

type KubeObject = Record<string, unknown>;

/** Thrown for options that would produce manifests Kubernetes refuses or that cannot work. */
export class AgentManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentManifestError';
  }
}

export function renderAgentManifests(options: AgentManifestOptions): string {
  return agentManifestObjects(options)
    .map((object) => stringify(object, { lineWidth: 0 }))
    .join('---\n');
}

/**
 * Throws AgentManifestError for options the manifests cannot be made from, so callers can check
 * them before they spend a join token.
 */
export function checkAgentManifestOptions(
  options: Omit<AgentManifestOptions, 'cluster' | 'joinToken'>,
): void {
  parseRelayUrl(options.relayUrl);
  const { replicas = 2, image } = options;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 10) {
    throw new AgentManifestError(`replicas must be an integer from 1 to 10, got ${replicas}`);
  }
  if (image.trim() === '' || /\s/.test(image)) {
    throw new AgentManifestError(`the agent image must be an image reference, got "${image}"`);
  }
  if (options.httpsProxy !== undefined) parseUrl(options.httpsProxy, 'the HTTPS proxy');
}

export function agentManifestObjects(options: AgentManifestOptions): KubeObject[] {
  checkAgentManifestOptions(options);
  const { cluster, joinToken, replicas = 2, networkPolicy = true } = options;
  const relayUrl = parseRelayUrl(options.relayUrl);
  const labels = {
    'app.kubernetes.io/name': 'switchboard-agent',
    'app.kubernetes.io/part-of': 'switchboard',
    'switchboard.dev/cluster': cluster,
  };
  const selector = { 'app.kubernetes.io/name': 'switchboard-agent' };
  const meta = (name: string, namespaced = true) => ({
    name,
    ...(namespaced && { namespace: AGENT_NAMESPACE }),
    labels,
  });
  const relayUrlText = relayUrl.href.replace(/\/+$/, '');

  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: AGENT_NAMESPACE,
        labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(AGENT_INSTALL_NAMES.serviceAccount),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(AGENT_INSTALL_NAMES.clusterRole, false),
      rules: [
        // The agent presents each user as Impersonate-User / Impersonate-Group.
        { apiGroups: [''], resources: ['users', 'groups', 'serviceaccounts'], verbs: ['impersonate'] },
        // Heartbeat metadata: node count, vCPU, distribution and infrastructure.
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(AGENT_INSTALL_NAMES.clusterRole, false),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: AGENT_INSTALL_NAMES.clusterRole,
      },
      subjects: [
        { kind: 'ServiceAccount', name: AGENT_INSTALL_NAMES.serviceAccount, namespace: AGENT_NAMESPACE },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(AGENT_INSTALL_NAMES.role),
      // Its own Secret only; it exists from the start, so no `create` (which resourceNames cannot limit).
      rules: [
        {
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: [AGENT_INSTALL_NAMES.secret],
          verbs: ['get', 'update'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(AGENT_INSTALL_NAMES.role),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: AGENT_INSTALL_NAMES.role },
      subjects: [
        { kind: 'ServiceAccount', name: AGENT_INSTALL_NAMES.serviceAccount, namespace: AGENT_NAMESPACE },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(AGENT_INSTALL_NAMES.secret),
      type: 'Opaque',
      // The agent adds its state (`state.json`) beside the token once it has joined.
      stringData: { [AGENT_INSTALL_NAMES.joinTokenKey]: joinToken },
    },
  ];
  if (options.relayCaPem !== undefined) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(AGENT_INSTALL_NAMES.relayCaConfigMap),
      data: { 'ca.crt': options.relayCaPem },
    });
  }
  objects.push(deployment(options, relayUrlText, replicas, meta(AGENT_INSTALL_NAMES.deployment), selector));
  if (networkPolicy) {
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(AGENT_INSTALL_NAMES.networkPolicy),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        // No ingress rule: nothing may connect to the agent (it dials out; kubelet probes are exempt).
        egress: [
          {
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
          { ports: egressPorts(relayUrl, options.httpsProxy).map((port) => ({ protocol: 'TCP', port })) },
        ],
      },
    });
  }
  return objects;
}

function deployment(
  options: AgentManifestOptions,
  relayUrl: string,
  replicas: number,
  metadata: KubeObject,
  selector: Record<string, string>,
): KubeObject {
  const env: KubeObject[] = [
    { name: 'SWITCHBOARD_RELAY_URL', value: relayUrl },
    { name: 'SWITCHBOARD_CLUSTER_NAME', value: options.cluster },
    {
      name: 'SWITCHBOARD_JOIN_TOKEN',
      // Optional: only the first start needs it, and the agent ignores it once it has a credential.
      valueFrom: {
        secretKeyRef: {
          name: AGENT_INSTALL_NAMES.secret,
          key: AGENT_INSTALL_NAMES.joinTokenKey,
          optional: true,
        },
      },
    },
    { name: 'SWITCHBOARD_STATE_SECRET', value: AGENT_INSTALL_NAMES.secret },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'SWITCHBOARD_HEALTH_LISTEN', value: `0.0.0.0:${AGENT_HEALTH_PORT}` },
  ];
  if (options.heartbeatInterval !== undefined) {
    env.push({ name: 'SWITCHBOARD_HEARTBEAT_INTERVAL', value: options.heartbeatInterval });
  }
  if (options.httpsProxy !== undefined) env.push({ name: 'HTTPS_PROXY', value: options.httpsProxy });
  if (options.noProxy !== undefined) env.push({ name: 'NO_PROXY', value: options.noProxy });
  const relayCa = options.relayCaPem !== undefined;
  if (relayCa) env.push({ name: 'SWITCHBOARD_RELAY_CA_FILE', value: `${RELAY_CA_DIR}/ca.crt` });

  const probe = (path: string, periodSeconds: number) => ({
    httpGet: { path, port: 'health' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold: 3,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas,
      selector: { matchLabels: selector },
      // Make-before-break: a new pod holds its sessions before an old one goes.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: metadata.labels },
        spec: {
          serviceAccountName: AGENT_INSTALL_NAMES.serviceAccount,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // The agent drains its sessions for up to 10 s on SIGTERM.
          terminationGracePeriodSeconds: 30,
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: selector },
                  },
                },
              ],
            },
          },
          containers: [
            {
              name: 'agent',
              image: options.image,
              imagePullPolicy: 'IfNotPresent',
              env,
              ports: [{ name: 'health', containerPort: AGENT_HEALTH_PORT, protocol: 'TCP' }],
              livenessProbe: probe('/healthz', 10),
              readinessProbe: probe('/readyz', 5),
              resources: {
                requests: { cpu: '50m', memory: '64Mi' },
                limits: { cpu: '1', memory: '256Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                ...(relayCa ? [{ name: 'relay-ca', mountPath: RELAY_CA_DIR, readOnly: true }] : []),
              ],
            },
          ],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
            ...(relayCa
              ? [{ name: 'relay-ca', configMap: { name: AGENT_INSTALL_NAMES.relayCaConfigMap } }]
              : []),
          ],
        },
      },
    },
  };
}

function parseRelayUrl(text: string): URL {
  return parseUrl(text, 'the relay URL');
}

function parseUrl(text: string, what: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {}
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new AgentManifestError(`${what} must be an http(s) URL, got "${text}"`);
  }
  return url;
}

/** TCP ports the agent dials: the apiserver (Service 443, endpoints usually 6443), the relay, a proxy. */
function egressPorts(relayUrl: URL, httpsProxy: string | undefined): number[] {
  const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const ports = [443, 6443, portOf(relayUrl)];
  if (httpsProxy !== undefined) ports.push(portOf(parseUrl(httpsProxy, 'the HTTPS proxy')));
  return [...new Set(ports)];
}
