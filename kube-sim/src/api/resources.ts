/**
 * The resource types kube-sim serves, with what discovery publishes about them. One entry per
 * resource; subresources hang off their parent.
 */

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** The resource name in URLs: `pods`, `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources: SubresourceType[];
  /** Resources kube-sim answers but does not store (the *Review kinds): create only. */
  virtual?: boolean;
  /** A version of a CustomResourceDefinition's resource: what the definition says of it. */
  custom?: CustomResourceVersion;
}

/** One served version of a custom resource, as its CustomResourceDefinition declares it. */
export interface CustomResourceVersion {
  /** The CustomResourceDefinition's name (`<plural>.<group>`). */
  definition: string;
  /** `spec.versions[].additionalPrinterColumns`; empty means kube-apiserver's Name and Age. */
  printerColumns: PrinterColumn[];
  /** `spec.versions[].schema.openAPIV3Schema`, the structural schema objects are checked against. */
  schema: JsonSchema | undefined;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** The structural subset of an OpenAPI v3 schema that kube-sim checks and prunes with. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

export interface SubresourceType {
  name: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS = (kind: string): SubresourceType => ({
  name: 'status',
  kind,
  verbs: ['get', 'patch', 'update'],
});
const SCALE: SubresourceType = {
  name: 'scale',
  kind: 'Scale',
  group: 'autoscaling',
  version: 'v1',
  verbs: ['get', 'patch', 'update'],
};

function resource(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    verbs: CRUD,
    subresources: [],
    ...extra,
  };
}

export const RESOURCES: readonly ResourceType[] = [
  resource('', 'v1', 'Namespace', 'namespaces', false, {
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    subresources: [STATUS('Namespace'), { name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
  }),
  resource('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      STATUS('Pod'),
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    ],
  }),
  resource('', 'v1', 'Service', 'services', true, {
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [STATUS('Service')],
  }),
  resource('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  resource('', 'v1', 'Secret', 'secrets', true),
  resource('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  resource('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], subresources: [STATUS('Node')] }),
  resource('', 'v1', 'ServiceAccount', 'serviceaccounts', true, {
    shortNames: ['sa'],
    subresources: [
      {
        name: 'token',
        kind: 'TokenRequest',
        group: 'authentication.k8s.io',
        version: 'v1',
        verbs: ['create'],
      },
    ],
  }),
  resource('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [STATUS('Deployment'), SCALE],
  }),
  resource('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [STATUS('ReplicaSet'), SCALE],
  }),
  resource('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
  resource('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
    shortNames: ['ing'],
    subresources: [STATUS('Ingress')],
  }),
  resource('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, {
    shortNames: ['pdb'],
    subresources: [STATUS('PodDisruptionBudget')],
  }),
  resource('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  resource('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  resource('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  resource('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  resource('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: [STATUS('CustomResourceDefinition')],
  }),
  resource('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, {
    verbs: ['create'],
    virtual: true,
  }),
  resource('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, {
    verbs: ['create'],
    virtual: true,
  }),
  resource('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', false, {
    verbs: ['create'],
    virtual: true,
  }),
  resource('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', false, {
    verbs: ['create'],
    virtual: true,
  }),
  // kubectl 1.27 asks v1beta1 for `auth whoami`; the apiserver still serves it beside v1.
  resource('authentication.k8s.io', 'v1beta1', 'SelfSubjectReview', 'selfsubjectreviews', false, {
    verbs: ['create'],
    virtual: true,
  }),
  resource('authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', false, {
    verbs: ['create'],
    virtual: true,
  }),
];

/** Groups in the order the apiserver lists them in `/apis` discovery. */
export const GROUP_ORDER = [
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'apiextensions.k8s.io',
];

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/**
 * Where a resource's objects are kept: every version of a resource reads and writes the same
 * objects, as every version of a resource shares one etcd prefix.
 */
export function storageKey(type: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${type.group}/${type.plural}`;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
