/**
 * The relay's Helm chart (relay-server/chart), rendered by the test renderer (support/helm/) with
 * the values an install needs, with every optional part on, and with the Entra preset, then:
 * every object checked against the OpenAPI schemas kube-sim serves, and applied with real kubectl
 * (`--dry-run=server --validate=strict`, then for real); the relay's own configuration loader fed
 * the environment the Deployment gives it; and the fleet settings an operator expects.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import { ENV_VARIABLE_NAMES, loadRelayConfig } from '@switchboard/relay-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { GoMap, GoValue } from './support/helm/go-values.js';
import { type HelmChart, loadChart, type RenderedChart, renderChart } from './support/helm/helm-chart.js';
import { OpenApiObjectValidator } from './support/openapi-object-validator.js';

const CHART_DIRECTORY = join(import.meta.dirname, '../../../relay-server/chart');
const NAMESPACE = 'relay';
const RELEASE = 'switchboard-relay';
const run = promisify(execFile);

const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIBrelay\n-----END CERTIFICATE-----\n';
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIErelay\n-----END PRIVATE KEY-----\n';
const DATABASE_URL = 'postgres://relay:db-secret@postgres.db:5432/switchboard';
const REDIS_URL = 'redis://:redis-secret@redis.db:6379';
const SEALING_KEY = randomBytes(32).toString('base64');

/** Only what an install must give: everything else is the chart's default. */
const REQUIRED_VALUES: GoMap = {
  publicUrl: 'https://relay.example.com',
  database: { url: DATABASE_URL },
  redis: { url: REDIS_URL },
  sealingKey: { value: SEALING_KEY },
  tls: { certificate: CERTIFICATE, privateKey: PRIVATE_KEY },
  trust: { issuer: 'https://dex.example.com', clientId: 'switchboard' },
};

/** Every optional part on: Ingress, existing Secrets, all the trust settings, limits, scheduling. */
const EVERY_OPTION: GoMap = {
  publicUrl: 'https://relay.example.com/',
  image: { repository: 'registry.example.com/switchboard-relay', tag: '1.2.3', pullPolicy: 'Always' },
  imagePullSecrets: [{ name: 'registry' }],
  replicas: 5,
  database: { existingSecret: 'relay-postgres', secretKey: 'uri' },
  redis: { existingSecret: 'relay-redis' },
  sealingKey: { value: SEALING_KEY },
  tls: { existingSecret: 'relay-tls' },
  trust: {
    issuer: 'https://dex.example.com',
    clientId: 'switchboard',
    audience: ['switchboard', 'https://relay.example.com'],
    usernameClaim: 'email',
    usernamePrefix: 'oidc:',
    groupsClaim: 'groups',
    groupsPrefix: 'oidc:',
    scopes: ['openid', 'email', 'groups', 'offline_access'],
    resource: 'https://relay.example.com',
    bearerToken: 'access_token',
  },
  admins: { users: ['alice@example.com', 'bob@example.com'], groups: ['platform'] },
  logLevel: 'debug',
  // A million is a float64 in Helm and prints as 1e+06 unless the chart converts it with int.
  maxConnections: 1000000,
  tunnel: { maxSessionsPerUser: 32 },
  agents: { joinTokenTtlSeconds: 3600, recommendedVersion: '1.4.2' },
  service: {
    type: 'LoadBalancer',
    port: 8443,
    annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
  },
  ingress: {
    enabled: true,
    className: 'nginx',
    host: 'relay.example.com',
    tlsSecretName: 'relay-ingress-tls',
  },
  podDisruptionBudget: { maxUnavailable: 2 },
  preStopSleepSeconds: 15,
  terminationGracePeriodSeconds: 45,
  resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '2Gi' } },
  topologySpread: { whenUnsatisfiable: 'DoNotSchedule' },
  podAnnotations: { 'prometheus.io/scrape': 'true' },
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'relay', effect: 'NoSchedule' }],
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['edge'] }] }],
      },
    },
  },
  priorityClassName: 'relay-critical',
  serviceAccount: { name: 'relay-runtime' },
  fullnameOverride: 'edge-relay',
};

/** The Secrets of EVERY_OPTION that an operator (or a database operator) made beforehand. */
const EXISTING_SECRETS: Record<string, Record<string, string>> = {
  'relay-postgres': { uri: DATABASE_URL },
  'relay-redis': { 'redis-url': REDIS_URL },
};

const ENTRA_VALUES: GoMap = {
  ...REQUIRED_VALUES,
  trust: {
    entra: {
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      clientId: '0d5ad7a8-4a6e-4c2b-9b7c-1f2e3d4c5b6a',
      apiScope: 'api://0d5ad7a8-4a6e-4c2b-9b7c-1f2e3d4c5b6a/access',
    },
  },
  podDisruptionBudget: { enabled: false },
};

const VALUE_SETS = [
  { name: 'the required values', values: REQUIRED_VALUES },
  { name: 'every option', values: EVERY_OPTION },
  { name: 'the Entra preset', values: ENTRA_VALUES },
];

// biome-ignore lint/suspicious/noExplicitAny: the tests walk rendered Kubernetes objects by path.
type Json = Record<string, any>;

let sim: KubeSim;
let directory: string;
let kubeconfig: string;
let chart: HelmChart;
let validator: OpenApiObjectValidator;
const TOKEN = randomBytes(16).toString('hex');

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'relay-chart-'));
  [sim, chart] = await Promise.all([
    startKubeSim({
      scenario: 'empty',
      users: [{ token: TOKEN, username: 'chart-test', groups: ['system:masters'] }],
    }),
    loadChart(CHART_DIRECTORY),
  ]);
  kubeconfig = join(directory, 'admin.kubeconfig');
  await writeFile(kubeconfig, sim.adminKubeconfig, { mode: 0o600 });
  validator = await OpenApiObjectValidator.create(fetchJson);
  await kubectl('create', 'namespace', NAMESPACE);
});

afterAll(async () => {
  await sim?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** GET from kube-sim as a client of the apiserver: its CA, a bearer token. */
function fetchJson(path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, sim.url), {
      ca: sim.caPem,
      headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/json' },
    });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) reject(new Error(`GET ${path}: ${response.statusCode} ${text}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function kubectl(...args: string[]): Promise<string> {
  return (await run('kubectl', ['--kubeconfig', kubeconfig, ...args])).stdout;
}

function render(values: GoMap, source: HelmChart = chart): RenderedChart {
  return renderChart(source, { releaseName: RELEASE, namespace: NAMESPACE, values });
}

function find(objects: Json[], kind: string): Json {
  const object = objects.find((candidate) => candidate.kind === kind);
  if (!object) throw new Error(`no ${kind} rendered`);
  return object;
}

async function manifestFile(name: string, rendered: RenderedChart): Promise<string> {
  const file = join(directory, name);
  await writeFile(file, [...rendered.files.values()].join('\n---\n'));
  return file;
}

/** A chart whose template `file` has `from` replaced by `to`: a mistake a chart author could make. */
function chartWith(file: string, from: string, to: string): HelmChart {
  const source = chart.templates.get(file)!;
  expect(source).toContain(from);
  return { ...chart, templates: new Map([...chart.templates, [file, source.replace(from, to)]]) };
}

/**
 * The container's environment as the kubelet would give it: Secret keys read, the downward API
 * answered for a pod named relay-0 at 10.1.2.3, `$(VAR)` replaced by variables defined before it.
 */
function containerEnvironment(rendered: RenderedChart, existing: Record<string, Record<string, string>>) {
  const secrets: Record<string, Record<string, string>> = { ...existing };
  for (const secret of rendered.objects.filter((object) => object.kind === 'Secret') as Json[]) {
    secrets[secret.metadata.name] = Object.fromEntries(
      Object.entries(secret.data as Record<string, string>).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
  }
  const pod = { 'metadata.name': `${RELEASE}-7d9c-x2x4q`, 'status.podIP': '10.1.2.3' } as Record<
    string,
    string
  >;
  const env: Record<string, string> = {};
  const container = find(rendered.objects, 'Deployment').spec.template.spec.containers[0];
  for (const variable of container.env as Json[]) {
    if (variable.valueFrom?.fieldRef) {
      env[variable.name] = pod[variable.valueFrom.fieldRef.fieldPath]!;
    } else if (variable.valueFrom?.secretKeyRef) {
      const { name, key } = variable.valueFrom.secretKeyRef;
      const value = secrets[name]?.[key];
      if (value === undefined) throw new Error(`${variable.name}: Secret ${name} has no key ${key}`);
      env[variable.name] = value;
    } else {
      env[variable.name] = String(variable.value).replace(
        /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
        (whole, name: string) => (Object.hasOwn(env, name) ? env[name]! : whole),
      );
    }
  }
  return env;
}

describe.each(VALUE_SETS)('the chart with $name', ({ name, values }) => {
  it('renders objects that match the OpenAPI schemas kube-sim serves', async () => {
    const { objects } = render(values);
    expect(objects.length).toBeGreaterThanOrEqual(4);
    for (const object of objects) {
      expect(await validator.validate(object), `${object.kind}`).toEqual([]);
    }
  });

  it('passes kubectl apply --dry-run=server --validate=strict', async () => {
    const rendered = render(values);
    const file = await manifestFile(`${name.replaceAll(' ', '-')}.yaml`, rendered);
    const out = await kubectl('apply', '--dry-run=server', '--validate=strict', '-f', file);
    for (const object of rendered.objects as Json[]) {
      const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
      expect(out).toContain(
        `${object.kind.toLowerCase()}${group}/${object.metadata.name} created (server dry run)`,
      );
    }
  });

  it('gives the relay an environment its configuration loader accepts', async () => {
    const rendered = render(values);
    const env = containerEnvironment(rendered, EXISTING_SECRETS);
    for (const variable of Object.keys(env).filter((key) => key.startsWith('SWITCHBOARD_RELAY_'))) {
      expect(ENV_VARIABLE_NAMES).toContain(variable);
    }
    const config = await loadRelayConfig({ env });
    expect(config).toMatchObject({
      listen: '0.0.0.0:8443',
      database: DATABASE_URL,
      redis: REDIS_URL,
      publicUrl: 'https://relay.example.com',
      sealingKeyFile: '/etc/switchboard-relay/sealing/sealing.key',
      tls: { certFile: '/etc/switchboard-relay/tls/tls.crt', keyFile: '/etc/switchboard-relay/tls/tls.key' },
      fleet: { replicaId: `${RELEASE}-7d9c-x2x4q`, peerUrl: 'https://10.1.2.3:8443' },
    });
    expect(config.dataDir).toBeUndefined();
  });
});

describe('the chart', () => {
  it('sets only SWITCHBOARD_RELAY_* variables the relay knows, and every one the fleet needs', async () => {
    const templates = [...chart.templates.values()].join('\n');
    const named = new Set(templates.match(/SWITCHBOARD_RELAY_[A-Z0-9_]+/g));
    expect(named.size).toBeGreaterThan(10);
    for (const variable of named) expect(ENV_VARIABLE_NAMES, variable).toContain(variable);
    for (const needed of [
      'SWITCHBOARD_RELAY_DATABASE',
      'SWITCHBOARD_RELAY_REDIS',
      'SWITCHBOARD_RELAY_REPLICA_ID',
      'SWITCHBOARD_RELAY_PEER_URL',
      'SWITCHBOARD_RELAY_SEALING_KEY_FILE',
      'SWITCHBOARD_RELAY_TLS_CERT_FILE',
      'SWITCHBOARD_RELAY_TLS_KEY_FILE',
      'SWITCHBOARD_RELAY_PUBLIC_URL',
    ]) {
      expect(named).toContain(needed);
    }
  });

  it('passes every trust, admin and limit value through to the relay', async () => {
    const config = await loadRelayConfig({
      env: containerEnvironment(render(EVERY_OPTION), EXISTING_SECRETS),
    });
    expect(config).toMatchObject({
      logLevel: 'debug',
      maxConnections: 1000000,
      tunnel: { maxSessionsPerUser: 32 },
      agents: { joinTokenTtlSeconds: 3600, recommendedVersion: '1.4.2' },
      admins: { users: ['alice@example.com', 'bob@example.com'], groups: ['platform'] },
      trust: {
        issuer: 'https://dex.example.com',
        clientId: 'switchboard',
        audience: ['switchboard', 'https://relay.example.com'],
        usernameClaim: 'email',
        usernamePrefix: 'oidc:',
        groupsClaim: 'groups',
        groupsPrefix: 'oidc:',
        scopes: ['openid', 'email', 'groups', 'offline_access'],
        resource: 'https://relay.example.com',
        bearerToken: 'access_token',
      },
    });
    const entra = await loadRelayConfig({ env: containerEnvironment(render(ENTRA_VALUES), {}) });
    expect(entra.trust).toEqual({
      entra: {
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        clientId: '0d5ad7a8-4a6e-4c2b-9b7c-1f2e3d4c5b6a',
        apiScope: 'api://0d5ad7a8-4a6e-4c2b-9b7c-1f2e3d4c5b6a/access',
      },
    });
  });

  it('runs a hardened fleet: 3 replicas spread over nodes, a budget of one, no token, drain before exit', () => {
    const { objects } = render(REQUIRED_VALUES);
    const deployment = find(objects, 'Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(deployment.spec.replicas).toBe(3);
    expect(find(objects, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
    expect(pod.topologySpreadConstraints.map((c: Json) => c.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.resources.requests).toBeDefined();
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'https', scheme: 'HTTPS' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'https', scheme: 'HTTPS' });
    // The preStop pause, then the relay's drain (5 s), must end before the kubelet's SIGKILL.
    const pause = Number(container.lifecycle.preStop.exec.command[1]);
    expect(pause).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pause + 5);
    // Keys are group-readable through fsGroup, for the relay's non-root user only.
    expect(pod.securityContext.fsGroup).toBe(65532);
    for (const volume of pod.volumes.filter((v: Json) => v.secret))
      expect(volume.secret.defaultMode).toBe(0o440);
  });

  it('never puts a secret in a literal: the URLs come from Secrets, the keys are files', () => {
    const { objects, files } = render(REQUIRED_VALUES);
    const container = find(objects, 'Deployment').spec.template.spec.containers[0];
    for (const name of ['SWITCHBOARD_RELAY_DATABASE', 'SWITCHBOARD_RELAY_REDIS']) {
      expect(container.env.find((v: Json) => v.name === name).valueFrom.secretKeyRef).toBeDefined();
    }
    const nonSecret = [...files].filter(([file]) => file !== 'secret.yaml').map(([, text]) => text);
    for (const secret of ['db-secret', 'redis-secret', SEALING_KEY, 'MIIErelay']) {
      for (const text of nonSecret) expect(text).not.toContain(secret);
    }
  });

  it('rolls the pods when a value in its Secrets changes', () => {
    const checksum = (values: GoMap) =>
      find(render(values).objects, 'Deployment').spec.template.metadata.annotations['checksum/secrets'];
    const before = checksum(REQUIRED_VALUES);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({ ...REQUIRED_VALUES, redis: { url: 'redis://:rotated@redis.db:6379' } })).not.toBe(
      before,
    );
    expect(checksum({ ...REQUIRED_VALUES, logLevel: 'debug' })).toBe(before);
  });

  it('leaves out the Secrets an operator brings, and the Ingress and budget unless asked', () => {
    const existing = render({
      ...REQUIRED_VALUES,
      database: { existingSecret: 'a' },
      redis: { existingSecret: 'b' },
      sealingKey: { existingSecret: 'c' },
      tls: { existingSecret: 'd' },
      podDisruptionBudget: { enabled: false },
    });
    expect(existing.objects.map((object) => object.kind).sort()).toEqual([
      'Deployment',
      'Service',
      'ServiceAccount',
    ]);
    const volumes = find(existing.objects, 'Deployment').spec.template.spec.volumes as Json[];
    expect(volumes.map((volume) => volume.secret?.secretName).filter(Boolean)).toEqual(['d', 'c']);
  });

  it('gives the Ingress what long-lived tunnels and the status stream need, and the Service its annotations', () => {
    const { objects } = render(EVERY_OPTION);
    const ingress = find(objects, 'Ingress');
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'nginx.ingress.kubernetes.io/proxy-http-version': '1.1',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
    });
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: 'edge-relay',
      port: { name: 'https' },
    });
    const service = find(objects, 'Service');
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
    });
  });

  it('refuses to render without the values it needs, naming them', () => {
    const without = (key: string, value: GoValue) => () => render({ ...REQUIRED_VALUES, [key]: value });
    expect(without('publicUrl', '')).toThrow(/publicUrl is required/);
    expect(without('database', { url: '' })).toThrow(
      /database\.url .* or database\.existingSecret is required/,
    );
    expect(without('sealingKey', { value: '' })).toThrow(/sealingKey\.value .* is required/);
    expect(without('tls', { certificate: '' })).toThrow(/tls\.certificate .* is required/);
    expect(without('trust', { issuer: '' })).toThrow(/trust\.issuer .* is required/);
    expect(without('ingress', { enabled: true })).toThrow(/ingress\.host is required/);
  });

  it('tells the installer how to watch the rollout', () => {
    const { notes } = render(REQUIRED_VALUES);
    expect(notes).toContain(`kubectl -n ${NAMESPACE} rollout status deployment/${RELEASE}`);
    expect(render(EVERY_OPTION).notes).toContain('through the Ingress for relay.example.com');
  });

  it('applies for real: kube-sim stores and lists every object', async () => {
    const rendered = render({ ...REQUIRED_VALUES, ingress: { enabled: true, host: 'relay.example.com' } });
    await kubectl('apply', '--validate=strict', '-f', await manifestFile('applied.yaml', rendered));
    const listed = await kubectl(
      '-n',
      NAMESPACE,
      'get',
      'deployment,service,ingress,pdb,secret,serviceaccount',
      '-o',
      'name',
    );
    for (const object of rendered.objects as Json[]) {
      const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
      expect(listed).toContain(`${object.kind.toLowerCase()}${group}/${object.metadata.name}`);
    }
    expect(await kubectl('-n', NAMESPACE, 'get', 'pdb', RELEASE)).toMatch(
      /^switchboard-relay\s+N\/A\s+1\s+\d+/m,
    );
  });
});

describe('a mistake in a template', () => {
  it('is caught by the schema check and by kubectl: a misspelt field', async () => {
    const broken = render(
      REQUIRED_VALUES,
      chartWith('deployment.yaml', 'readOnlyRootFilesystem: true', 'readOnlyRootFilesytem: true'),
    );
    expect(await validator.validate(find(broken.objects, 'Deployment'))).toEqual([
      '.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem: unknown field',
    ]);
    const file = await manifestFile('misspelt.yaml', broken);
    await expect(kubectl('apply', '--dry-run=server', '--validate=strict', '-f', file)).rejects.toThrow(
      /unknown field "spec\.template\.spec\.containers\[0\]\.securityContext\.readOnlyRootFilesytem"/,
    );
  });

  it('is caught by the schema check: a field of the wrong type, a missing required field', async () => {
    const wrongType = render(
      REQUIRED_VALUES,
      chartWith('service.yaml', 'port: {{ .Values.service.port }}', 'port: "{{ .Values.service.port }}"'),
    );
    expect(await validator.validate(find(wrongType.objects, 'Service'))).toEqual([
      '.spec.ports[0].port: "443" is not an integer',
    ]);
    const missing = render(
      REQUIRED_VALUES,
      chartWith('deployment.yaml', '        - name: relay\n', '        - stdin: false\n'),
    );
    expect(await validator.validate(find(missing.objects, 'Deployment'))).toEqual([
      '.spec.template.spec.containers[0].name: required field is missing',
    ]);
  });

  it('is caught by the schema check: a kind the apiserver does not serve', async () => {
    expect(await validator.validate({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget' })).toEqual([
      'apiVersion policy/v1beta1 is not served',
    ]);
    expect(await validator.validate({ apiVersion: 'v1', kind: 'Ingress' })).toEqual([
      'kind Ingress is not served in v1',
    ]);
  });
});

describe('the chart README', () => {
  it('documents every value of values.yaml and the Secret keys', async () => {
    const readme = await readFile(join(CHART_DIRECTORY, 'README.md'), 'utf8');
    const values = parse(await readFile(join(CHART_DIRECTORY, 'values.yaml'), 'utf8')) as Json;
    const keys = (node: Json, prefix: string): string[] =>
      Object.entries(node).flatMap(([key, value]) =>
        value &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.keys(value).length > 0 &&
        !key.endsWith('annotations') &&
        key !== 'resources'
          ? keys(value, `${prefix}${key}.`)
          : [`${prefix}${key}`],
      );
    for (const key of keys(values, '')) expect(readme, key).toContain(`\`${key}\``);
    for (const secretKey of ['database-url', 'redis-url', 'sealing.key', 'tls.crt', 'tls.key']) {
      expect(readme).toContain(secretKey);
    }
  });
});
