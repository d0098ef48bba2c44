/**
 * The agent's install manifests (relay-server/src/install/agent-manifests.ts) against kube-sim,
 * which serves the Kubernetes OpenAPI schemas: strict server-side validation with real kubectl,
 * a real apply, and then an agent running as the manifests' ServiceAccount (its RBAC, nothing
 * more) that joins with the token in the manifests' Secret, stores its state there, and connects.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiServer, parseKubeconfig, SecretStateStore, startAgent } from '@switchboard/cluster-agent';
import { type KubeSim, startKubeSim } from '@switchboard/kube-sim';
import { renderAgentManifests } from '@switchboard/relay-server/install';
import { StandInRelay } from '@switchboard/test-support/agent-stand-in-relay';
import { TestTickets } from '@switchboard/test-support/test-tickets';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);
let sim: KubeSim;
let tickets: TestTickets;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'install-manifests-'));
  [sim, tickets] = await Promise.all([startKubeSim({ scenario: 'demo' }), TestTickets.create()]);
  kubeconfig = join(dir, 'admin.kubeconfig');
  await writeFile(kubeconfig, sim.adminKubeconfig, { mode: 0o600 });
});

afterAll(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const kubectl = async (...args: string[]) =>
  (await run('kubectl', ['--kubeconfig', kubeconfig, ...args])).stdout;

async function manifestsFile(name: string, yaml: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, yaml);
  return file;
}

const fullOptions = {
  cluster: 'prod-eu',
  relayUrl: 'https://relay.example.com:8443',
  joinToken: `sbj_${'a'.repeat(43)}`,
  image: 'registry.example.com/switchboard-agent:0.1.0',
  relayCaPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  httpsProxy: 'http://proxy.corp:3128',
  noProxy: '10.0.0.0/8,.svc',
  heartbeatInterval: '30s',
};

describe('generated manifests', () => {
  it('pass strict server-side validation against the Kubernetes schemas', async () => {
    const file = await manifestsFile('full.yaml', renderAgentManifests(fullOptions));
    // A server-side dry run creates nothing, so the namespaced objects need their namespace to exist.
    await kubectl('create', 'namespace', 'switchboard-agent');
    const out = await kubectl('apply', '--dry-run=server', '--validate=strict', '-f', file);
    for (const kind of [
      'namespace',
      'serviceaccount',
      'clusterrole.rbac.authorization.k8s.io',
      'clusterrolebinding.rbac.authorization.k8s.io',
      'role.rbac.authorization.k8s.io',
      'rolebinding.rbac.authorization.k8s.io',
      'secret',
      'configmap',
      'deployment.apps',
      'networkpolicy.networking.k8s.io',
    ]) {
      expect(out).toMatch(
        new RegExp(`^${kind.replaceAll('.', '\\.')}/\\S+ (created|configured) \\(server dry run\\)$`, 'm'),
      );
    }
  });

  it('describe a hardened Deployment with the relay, CA, proxy and probes wired', () => {
    const docs = parseAllDocuments(renderAgentManifests(fullOptions)).map((doc) => doc.toJS());
    const deployment = docs.find((doc) => doc.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(
      container.env.map((entry: { name: string; value?: string }) => [entry.name, entry.value ?? 'from']),
    );
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(env).toMatchObject({
      SWITCHBOARD_RELAY_URL: 'https://relay.example.com:8443',
      SWITCHBOARD_CLUSTER_NAME: 'prod-eu',
      SWITCHBOARD_JOIN_TOKEN: 'from',
      POD_NAME: 'from',
      HTTPS_PROXY: 'http://proxy.corp:3128',
      NO_PROXY: '10.0.0.0/8,.svc',
      SWITCHBOARD_RELAY_CA_FILE: '/etc/switchboard/relay-ca/ca.crt',
      SWITCHBOARD_HEARTBEAT_INTERVAL: '30s',
      SWITCHBOARD_HEALTH_LISTEN: '0.0.0.0:8080',
    });
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    const policy = docs.find((doc) => doc.kind === 'NetworkPolicy');
    expect(policy.spec.ingress).toBeUndefined();
    expect(policy.spec.egress[1].ports.map((port: { port: number }) => port.port)).toEqual([
      443, 6443, 8443, 3128,
    ]);
  });

  it('leave the NetworkPolicy and the CA out when not asked for, and refuse bad options', () => {
    const docs = parseAllDocuments(
      renderAgentManifests({ ...fullOptions, relayCaPem: undefined, networkPolicy: false, replicas: 3 }),
    ).map((doc) => doc.toJS());
    expect(docs.map((doc) => doc.kind)).not.toContain('NetworkPolicy');
    expect(docs.map((doc) => doc.kind)).not.toContain('ConfigMap');
    expect(docs.find((doc) => doc.kind === 'Deployment').spec.replicas).toBe(3);
    expect(() => renderAgentManifests({ ...fullOptions, replicas: 0 })).toThrow(
      /replicas must be an integer/,
    );
    expect(() => renderAgentManifests({ ...fullOptions, relayUrl: 'relay:443' })).toThrow(
      /relay URL must be an http/,
    );
  });

  it('apply for real, and an agent with exactly their RBAC joins with their Secret and connects', async () => {
    const relay = await StandInRelay.start({ ticketKeys: tickets.keys, cluster: 'prod-eu' });
    onTestFinished(() => relay.close());
    const file = await manifestsFile(
      'applied.yaml',
      renderAgentManifests({ ...fullOptions, relayUrl: relay.url, joinToken: relay.issueJoinToken() }),
    );
    await kubectl('apply', '-f', file);
    const deployment = JSON.parse(
      await kubectl('get', '-n', 'switchboard-agent', 'deployment/switchboard-agent', '-o', 'json'),
    );
    expect(deployment.spec.replicas).toBe(2);
    for (const object of [
      'clusterrole/switchboard-agent',
      'clusterrolebinding/switchboard-agent',
      '-n=switchboard-agent role/switchboard-agent-state',
      '-n=switchboard-agent rolebinding/switchboard-agent-state',
      '-n=switchboard-agent networkpolicy/switchboard-agent',
      '-n=switchboard-agent secret/switchboard-agent-credential',
    ]) {
      await kubectl('get', ...object.split(' '), '-o', 'name');
    }

    // The pod's credential: a token of the manifests' ServiceAccount.
    const tokenRequest = JSON.parse(
      await kubectl('create', 'token', 'switchboard-agent', '-n', 'switchboard-agent', '-o', 'json'),
    );
    const serviceAccount = await sim.kubeconfigFor({ token: tokenRequest.status.token });
    const replicas = await Promise.all(
      ['agent-0', 'agent-1'].map(async (pod) => {
        const config = parseKubeconfig(serviceAccount);
        const agent = await startAgent({
          relay: relay.url,
          apiServer: config,
          joinToken: relay.joinTokens.values().next().value!,
          env: { POD_NAME: pod },
          stateStore: new SecretStateStore(
            new ApiServer(config),
            'switchboard-agent',
            'switchboard-agent-credential',
          ),
          heartbeatIntervalMs: 100,
          logLevel: 'silent',
        });
        onTestFinished(() => agent.close({ graceMs: 50 }));
        return agent;
      }),
    );
    expect(relay.joins).toBe(1);
    expect(replicas[0]!.credentialId).toBe(replicas[1]!.credentialId);
    await Promise.all(replicas.map((agent) => agent.waitForSessions(1)));
    const secret = JSON.parse(
      await kubectl('get', '-n', 'switchboard-agent', 'secret/switchboard-agent-credential', '-o', 'json'),
    );
    expect(Object.keys(secret.data).sort()).toEqual(['joinToken', 'state.json']);
  });
});
