/** Heartbeat metadata detection from real-world node label sets, providerIDs and version strings. */
import { describe, expect, it } from 'vitest';
import {
  detectDistribution,
  detectInfrastructure,
  type NodeFacts,
  parseQuantity,
  summarizeNodes,
} from '../src/heartbeat/cluster-metadata.js';

const node = (facts: Partial<NodeFacts>): NodeFacts => ({ labels: {}, annotations: {}, ...facts });

// Abridged from `kubectl get node -o yaml` on each platform.
const AKS = node({
  labels: {
    agentpool: 'nodepool1',
    'kubernetes.azure.com/agentpool': 'nodepool1',
    'kubernetes.azure.com/cluster': 'MC_rg_prod_westeurope',
    'kubernetes.azure.com/mode': 'system',
    'node.kubernetes.io/instance-type': 'Standard_D4s_v5',
    'topology.kubernetes.io/region': 'westeurope',
  },
  providerID:
    'azure:///subscriptions/0000/resourceGroups/mc_rg_prod_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-1234-vmss/virtualMachines/0',
  cpuCapacity: '4',
});
const EKS = node({
  labels: {
    'eks.amazonaws.com/capacityType': 'ON_DEMAND',
    'eks.amazonaws.com/nodegroup': 'ng-1',
    'node.kubernetes.io/instance-type': 'm5.xlarge',
  },
  providerID: 'aws:///eu-west-1a/i-0123456789abcdef0',
  cpuCapacity: '4',
});
const GKE = node({
  labels: {
    'cloud.google.com/gke-nodepool': 'default-pool',
    'cloud.google.com/gke-os-distribution': 'cos',
    'cloud.google.com/machine-family': 'e2',
  },
  providerID: 'gce://my-project/europe-west1-b/gke-prod-default-pool-abcd-1234',
  cpuCapacity: '2',
});
const OPENSHIFT_AWS = node({
  labels: {
    'node.openshift.io/os_id': 'rhcos',
    'node-role.kubernetes.io/worker': '',
  },
  providerID: 'aws:///us-east-1a/i-0fedcba9876543210',
  cpuCapacity: '8',
});
const K3S = node({
  labels: { 'node.kubernetes.io/instance-type': 'k3s', 'node-role.kubernetes.io/control-plane': 'true' },
  providerID: 'k3s://raspberrypi',
  cpuCapacity: '4',
});
const KIND = node({
  labels: { 'kubernetes.io/hostname': 'kind-control-plane' },
  annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock' },
  providerID: 'kind://docker/kind/kind-control-plane',
  cpuCapacity: '16',
});
const KUBEADM_BARE_METAL = node({
  labels: { 'kubernetes.io/hostname': 'rack1-node3' },
  annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock' },
  cpuCapacity: '3500m',
});

describe('parseQuantity', () => {
  it.each([
    ['4', 4],
    ['3500m', 3.5],
    ['0.5', 0.5],
    ['1k', 1000],
    ['1Ki', 1024],
    ['1e3', 1000],
    ['250000u', 0.25],
  ])('%s → %d', (text, value) => expect(parseQuantity(text)).toBeCloseTo(value, 9));

  it.each(['', 'four', '4 cores', '4x', '--4', 'm'])('refuses %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});

describe('summarizeNodes', () => {
  it('counts nodes and sums their CPU capacity, millicores included', () => {
    expect(summarizeNodes([AKS, KUBEADM_BARE_METAL, node({ cpuCapacity: '100m' })])).toEqual({
      nodeCount: 3,
      vcpuTotal: 7.6,
    });
  });

  it('leaves vCPU out when no node reports a readable capacity', () => {
    expect(summarizeNodes([node({}), node({ cpuCapacity: 'lots' })])).toEqual({ nodeCount: 2 });
    expect(summarizeNodes([])).toEqual({ nodeCount: 0 });
  });
});

describe('distribution and infrastructure', () => {
  it.each([
    ['AKS', 'v1.30.5', [AKS], 'aks', 'azure'],
    ['EKS', 'v1.29.8-eks-a737599', [EKS], 'eks', 'aws'],
    [
      'EKS without managed node groups (version only)',
      'v1.29.8-eks-a737599',
      [node({ providerID: 'aws:///x/i-1' })],
      'eks',
      'aws',
    ],
    ['GKE', 'v1.30.3-gke.1969001', [GKE], 'gke', 'gcp'],
    ['OpenShift on AWS', 'v1.28.9+416ecaf', [OPENSHIFT_AWS], 'openshift', 'aws'],
    ['k3s', 'v1.30.4+k3s1', [K3S], 'k3s', undefined],
    ['RKE2 on AWS', 'v1.29.7+rke2r1', [node({ providerID: 'aws:///eu-central-1b/i-1' })], 'rke2', 'aws'],
    ['kind', 'v1.31.0', [KIND], 'kind', 'docker'],
    ['kubeadm on bare metal', 'v1.31.2', [KUBEADM_BARE_METAL], 'kubeadm', undefined],
    ['nothing to go on', 'v1.31.2', [node({})], undefined, undefined],
  ])('%s', (_name, version, nodes, distribution, infrastructure) => {
    expect(detectDistribution(version, nodes)).toBe(distribution);
    expect(detectInfrastructure(nodes)).toBe(infrastructure);
  });

  it('reads k3s and RKE2 from the version even without nodes', () => {
    expect(detectDistribution('v1.30.4+k3s1', [])).toBe('k3s');
    expect(detectDistribution(undefined, [])).toBeUndefined();
  });

  it('takes the most common infrastructure of mixed nodes and ignores unknown schemes', () => {
    const onPrem = node({ providerID: 'constructor://x' });
    expect(detectInfrastructure([AKS, EKS, EKS, onPrem])).toBe('aws');
    expect(detectInfrastructure([onPrem])).toBeUndefined();
  });
});
