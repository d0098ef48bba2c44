/**
 * What a heartbeat says about the cluster, worked out from what any reader of nodes can see: the
 * apiserver's version string, node labels and `spec.providerID`. Pure functions; the reading is
 * in cluster-reader.ts. Detection is best effort: an unknown answer is left out, never guessed.
 */

/** The parts of a Node the detection looks at. */
export interface NodeFacts {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  providerID?: string;
  /** `status.capacity.cpu`, a Kubernetes quantity such as "4" or "3500m". */
  cpuCapacity?: string;
}

export interface NodeSummary {
  nodeCount: number;
  /** Sum of the nodes' CPU capacity; absent when no node reports a readable one. */
  vcpuTotal?: number;
}

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * A Kubernetes resource quantity as a number ("4" → 4, "3500m" → 3.5, "1e3" → 1000, "1Ki" → 1024);
 * undefined when the text is not a quantity.
 */
export function parseQuantity(text: string): number | undefined {
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(
    text.trim(),
  );
  if (!match) return undefined;
  const [, digits, exponent, suffix = ''] = match;
  const value = Number(digits) * (exponent ? 10 ** Number(exponent.slice(1)) : 1);
  const scale = BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix];
  if (scale === undefined || !Number.isFinite(value)) return undefined;
  return value * scale;
}

export function summarizeNodes(nodes: readonly NodeFacts[]): NodeSummary {
  let vcpuTotal: number | undefined;
  for (const node of nodes) {
    const cpu = node.cpuCapacity === undefined ? undefined : parseQuantity(node.cpuCapacity);
    if (cpu !== undefined && cpu >= 0) vcpuTotal = (vcpuTotal ?? 0) + cpu;
  }
  // Millicores add up in binary floating point; report what a person would write.
  return {
    nodeCount: nodes.length,
    ...(vcpuTotal !== undefined && { vcpuTotal: Math.round(vcpuTotal * 1000) / 1000 }),
  };
}

const hasLabelPrefix = (nodes: readonly NodeFacts[], prefix: string) =>
  nodes.some((node) => Object.keys(node.labels).some((key) => key.startsWith(prefix)));
const hasAnnotation = (nodes: readonly NodeFacts[], key: string) =>
  nodes.some((node) => key in node.annotations);
/** `azure:///subscriptions/…` → `azure`. */
const schemeOf = (providerID: string | undefined) =>
  /^([a-z][a-z0-9+.-]*):\/\//i.exec(providerID ?? '')?.[1]?.toLowerCase();

/**
 * The Kubernetes distribution: `aks`, `eks`, `gke`, `openshift`, `k3s`, `rke2`, `kind`,
 * `minikube`, `microk8s`, `kubeadm`; undefined when nothing says.
 *
 * The order matters: a managed service's own marks first (they also run kubeadm-like nodes), then
 * the version suffixes k3s and RKE2 stamp on gitVersion (they run on any cloud), then local
 * clusters, and kubeadm's node annotation last because kind and others carry it too.
 */
export function detectDistribution(
  gitVersion: string | undefined,
  nodes: readonly NodeFacts[],
): string | undefined {
  const version = gitVersion ?? '';
  const schemes = nodes.map((node) => schemeOf(node.providerID));
  if (hasLabelPrefix(nodes, 'kubernetes.azure.com/')) return 'aks';
  if (hasLabelPrefix(nodes, 'eks.amazonaws.com/') || /-eks-/.test(version)) return 'eks';
  if (hasLabelPrefix(nodes, 'cloud.google.com/gke-') || /-gke\./.test(version)) return 'gke';
  if (hasLabelPrefix(nodes, 'node.openshift.io/')) return 'openshift';
  if (/\+k3s/.test(version) || schemes.includes('k3s')) return 'k3s';
  if (/\+rke2/.test(version)) return 'rke2';
  if (schemes.includes('kind')) return 'kind';
  if (hasLabelPrefix(nodes, 'minikube.k8s.io/')) return 'minikube';
  if (hasLabelPrefix(nodes, 'microk8s.io/')) return 'microk8s';
  if (hasAnnotation(nodes, 'kubeadm.alpha.kubernetes.io/cri-socket')) return 'kubeadm';
  return undefined;
}

/** `spec.providerID` schemes (cloud-provider names) → where the nodes run. */
const INFRASTRUCTURE_BY_SCHEME = new Map([
  ['azure', 'azure'],
  ['moc', 'azure-stack-hci'],
  ['aws', 'aws'],
  ['gce', 'gcp'],
  ['openstack', 'openstack'],
  ['vsphere', 'vsphere'],
  ['digitalocean', 'digitalocean'],
  ['linode', 'linode'],
  ['hcloud', 'hetzner'],
  ['oci', 'oracle'],
  ['ibm', 'ibm'],
  ['alicloud', 'alibaba'],
  ['equinixmetal', 'equinix-metal'],
  ['packet', 'equinix-metal'],
  ['kubevirt', 'kubevirt'],
]);

/**
 * Where the nodes run (`azure`, `aws`, `gcp`, …), from the cloud provider's `providerID` scheme;
 * kind's `kind://docker/…` says the container engine. Mixed answers take the most common one.
 */
export function detectInfrastructure(nodes: readonly NodeFacts[]): string | undefined {
  const counts = new Map<string, number>();
  for (const node of nodes) {
    const scheme = schemeOf(node.providerID);
    let infrastructure = scheme === undefined ? undefined : INFRASTRUCTURE_BY_SCHEME.get(scheme);
    if (scheme === 'kind')
      infrastructure = /^kind:\/\/([a-z]+)\//i.exec(node.providerID!)?.[1]?.toLowerCase();
    if (infrastructure !== undefined) counts.set(infrastructure, (counts.get(infrastructure) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [infrastructure, count] of counts) {
    if (best === undefined || count > counts.get(best)!) best = infrastructure;
  }
  return best;
}
