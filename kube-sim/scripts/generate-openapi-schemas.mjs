// @ts-check
/**
 * Generates kube-sim/src/api/openapi-schemas.ts, the schemas kube-sim publishes under /openapi/
 * and decodes writes against, from the @kubernetes/client-node models in node_modules.
 *
 *   npm run generate:openapi -w @switchboard/kube-sim            # rewrite the file
 *   npm run generate:openapi -w @switchboard/kube-sim -- --check # exit 1 if it is out of date
 *
 * Plain JavaScript on purpose: it writes a source file of the kube-sim TypeScript project, so it must
 * run without building that project first (a broken or half-written openapi-schemas.ts would
 * otherwise stop the build that runs its own generator), and it ships nothing in dist/.
 *
 * Deterministic: the output depends only on the installed client-node models and the tables below
 * (schemas sorted by code unit, never by locale), and is piped through Biome so that regenerating
 * gives a byte-identical, lint-clean file.
 *
 * What the client-node models lack is filled in here: their flattened scalars (Time, IntOrString,
 * RawExtension ...) are republished as the apiserver shapes them, and the list and patch extensions
 * (`x-kubernetes-patch-merge-key` and friends), which kubectl needs for strategic merge patches,
 * come from a hand table transcribed from the Go struct tags of k8s.io/api.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const WORKSPACE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO = path.resolve(WORKSPACE, '..');
const OUT = path.join(WORKSPACE, 'src/api/openapi-schemas.ts');
const CLIENT_ENTRY = require.resolve('@kubernetes/client-node');
const MODELS = path.join(path.dirname(CLIENT_ENTRY), 'gen/models');
const CLIENT_VERSION = /** @type {{ version: string }} */ (
  JSON.parse(fs.readFileSync(path.join(path.dirname(CLIENT_ENTRY), '../package.json'), 'utf8'))
).version;

/** @typedef {[type: string, description: string, extensions?: Record<string, unknown>]} PropertyDef */
/** @typedef {{ d: string, p: Record<string, PropertyDef>, r: string[], x?: Record<string, unknown> }} Def */

// ---------------------------------------------------------------------------------------------
// Names: client-node class → OpenAPI schema name

const META = new Set([
  'ObjectMeta',
  'ListMeta',
  'OwnerReference',
  'ManagedFieldsEntry',
  'LabelSelector',
  'LabelSelectorRequirement',
  'Condition',
  'Status',
  'StatusDetails',
  'StatusCause',
  'DeleteOptions',
  'Preconditions',
  'APIResource',
  'APIResourceList',
  'WatchEvent',
  'FieldSelectorRequirement',
]);
/** @type {Record<string, string[]>} */
const PKG = {
  apps: [
    'Deployment',
    'DeploymentList',
    'DeploymentSpec',
    'DeploymentStatus',
    'DeploymentCondition',
    'DeploymentStrategy',
    'RollingUpdateDeployment',
    'ReplicaSet',
    'ReplicaSetList',
    'ReplicaSetSpec',
    'ReplicaSetStatus',
    'ReplicaSetCondition',
  ],
  'autoscaling.v1': ['Scale', 'ScaleSpec', 'ScaleStatus'],
  networking: [
    'NetworkPolicy',
    'NetworkPolicyList',
    'NetworkPolicySpec',
    'NetworkPolicyIngressRule',
    'NetworkPolicyEgressRule',
    'NetworkPolicyPeer',
    'NetworkPolicyPort',
    'IPBlock',
    'Ingress',
    'IngressList',
    'IngressSpec',
    'IngressStatus',
    'IngressBackend',
    'IngressServiceBackend',
    'ServiceBackendPort',
    'IngressRule',
    'HTTPIngressRuleValue',
    'HTTPIngressPath',
    'IngressTLS',
    'IngressLoadBalancerStatus',
    'IngressLoadBalancerIngress',
    'IngressPortStatus',
  ],
  'policy.v1': [
    'Eviction',
    'PodDisruptionBudget',
    'PodDisruptionBudgetList',
    'PodDisruptionBudgetSpec',
    'PodDisruptionBudgetStatus',
  ],
  rbac: [
    'Role',
    'RoleList',
    'ClusterRole',
    'ClusterRoleList',
    'RoleBinding',
    'RoleBindingList',
    'ClusterRoleBinding',
    'ClusterRoleBindingList',
    'PolicyRule',
    'Subject',
    'RoleRef',
    'AggregationRule',
  ],
  authorization: [
    'SelfSubjectAccessReview',
    'SelfSubjectAccessReviewSpec',
    'SubjectAccessReview',
    'SubjectAccessReviewSpec',
    'SubjectAccessReviewStatus',
    'ResourceAttributes',
    'NonResourceAttributes',
    'FieldSelectorAttributes',
    'LabelSelectorAttributes',
    'SelfSubjectRulesReview',
    'SelfSubjectRulesReviewSpec',
    'SubjectRulesReviewStatus',
    'ResourceRule',
    'NonResourceRule',
  ],
  authentication: [
    'TokenReview',
    'TokenReviewSpec',
    'TokenReviewStatus',
    'UserInfo',
    'SelfSubjectReview',
    'SelfSubjectReviewStatus',
    'TokenRequest',
    'TokenRequestSpec',
    'TokenRequestStatus',
    'BoundObjectReference',
  ],
};
/** @type {Record<string, string>} */
const PKGNAME = {
  apps: 'io.k8s.api.apps.v1',
  'autoscaling.v1': 'io.k8s.api.autoscaling.v1',
  networking: 'io.k8s.api.networking.v1',
  'policy.v1': 'io.k8s.api.policy.v1',
  rbac: 'io.k8s.api.rbac.v1',
  authorization: 'io.k8s.api.authorization.v1',
  authentication: 'io.k8s.api.authentication.v1',
};

/** @param {string} cls */
const shortName = (cls) => cls.replace(/^(CoreV1|RbacV1|AuthenticationV1|V1(alpha|beta)?\d*)/, '');
/** @param {string} cls */
const versionOf = (cls) => cls.match(/^V1(?:alpha|beta)\d+/)?.[0].toLowerCase() ?? 'v1';

/** @param {string} cls */
function fullName(cls) {
  const s = shortName(cls);
  if (META.has(s)) return `io.k8s.apimachinery.pkg.apis.meta.v1.${s}`;
  const v = versionOf(cls);
  for (const [k, list] of Object.entries(PKG)) {
    if (list.includes(s)) return `${/** @type {string} */ (PKGNAME[k]).replace(/v1$/, v)}.${s}`;
  }
  return `io.k8s.api.core.${v}.${s}`;
}

// ---------------------------------------------------------------------------------------------
// Reading the models: descriptions and optionality from the .d.ts, JSON names and types from the
// attributeTypeMap of the .js

/** @param {string} s */
const unescapeQuotes = (s) => s.replace(/\\(['"\\])/g, '$1');

/** @param {string} cls */
function parseDts(cls) {
  const src = fs.readFileSync(path.join(MODELS, `${cls}.d.ts`), 'utf8');
  const body = src.slice(src.indexOf('*/') + 2);
  const cm = body.match(/\/\*\*\s*\n\*\s?([\s\S]*?)\*\/\s*export declare class/);
  const desc = cm?.[1] ? unescapeQuotes(cm[1].replace(/\n\*\s?/g, '\n').trim()) : '';
  const members = body.slice(body.indexOf('export declare class'));
  /** @type {Record<string, { d: string, req: boolean }>} */
  const props = {};
  const re = /(?:\/\*\*\s*\n\s*\*\s?([\s\S]*?)\*\/\s*)?'([^']+)'(\?)?:/g;
  for (let m = re.exec(members); m; m = re.exec(members)) {
    props[/** @type {string} */ (m[2])] = {
      d: m[1] ? unescapeQuotes(m[1].replace(/\n\s*\*\s?/g, '\n').trim()) : '',
      req: !m[3],
    };
  }
  return { desc, props };
}

/** @param {string} cls @returns {{ name: string, baseName: string, type: string, format: string }[]} */
function attributes(cls) {
  const src = fs.readFileSync(path.join(MODELS, `${cls}.js`), 'utf8');
  const m = src.match(/attributeTypeMap = (\[[\s\S]*?\]);/);
  if (!m?.[1]) throw new Error(`${cls}: no attributeTypeMap`);
  return JSON.parse(m[1]);
}

/** @type {Record<string, string>} */
const SPECIAL = {
  'date-time': 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  'date-time-micro': 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
};
/** @type {Record<string, string>} */
const METADATA_DESC = {
  V1ObjectMeta:
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  V1ListMeta:
    'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

/** @type {Record<string, Def>} */
const defs = {};
/** @type {string[]} */
const queue = [];

/** @param {string} t @param {string} format @param {string} ctx @returns {string} */
function typeRef(t, format, ctx) {
  let m = t.match(/^Array<(.*)>$/);
  if (m?.[1]) return `[]${typeRef(m[1], format, ctx)}`;
  m = t.match(/^\{ \[key: string\]: (.*); \}$/);
  if (m?.[1]) return `{}${typeRef(m[1], format, ctx)}`;
  if (t === 'string') return format === 'byte' ? 'string:byte' : 'string';
  if (t === 'number') return format === 'double' ? 'number:double' : `integer:${format || 'int32'}`;
  if (t === 'boolean') return 'boolean';
  if (t === 'Date') return `#${SPECIAL[format] ?? SPECIAL['date-time']}`;
  if (t === 'IntOrString') return '#io.k8s.apimachinery.pkg.util.intstr.IntOrString';
  if (t === 'any' || t === 'object') {
    if (ctx === 'fieldsV1') return '#io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1';
    if (ctx === 'object' || ctx === 'raw') return '#io.k8s.apimachinery.pkg.runtime.RawExtension';
    return 'object';
  }
  if (t === 'V1MicroTime') return `#${SPECIAL['date-time-micro']}`;
  if (/^[A-Z]/.test(t)) {
    queue.push(t);
    return `#${fullName(t)}`;
  }
  throw new Error(`unknown type ${t}`);
}

/** @param {string} cls */
function visit(cls) {
  const name = fullName(cls);
  if (defs[name]) return;
  const { desc, props } = parseDts(cls);
  /** @type {Def} */
  const def = { d: desc, p: {}, r: [] };
  defs[name] = def;
  for (const a of attributes(cls)) {
    const info = props[a.name] ?? { d: '', req: false };
    const description = info.d || (a.baseName === 'metadata' ? (METADATA_DESC[a.type] ?? '') : '');
    def.p[a.baseName] = [typeRef(a.type, a.format, a.baseName), description];
    if (info.req) def.r.push(a.baseName);
  }
}

/** The kinds kube-sim serves (and the meta kinds its documents reference); everything they reach follows. */
const ROOTS = [
  'V1Namespace',
  'V1NamespaceList',
  'V1Pod',
  'V1PodList',
  'V1Service',
  'V1ServiceList',
  'V1ConfigMap',
  'V1ConfigMapList',
  'V1Secret',
  'V1SecretList',
  'CoreV1Event',
  'CoreV1EventList',
  'V1Node',
  'V1NodeList',
  'V1ServiceAccount',
  'V1ServiceAccountList',
  'V1Binding',
  'V1Eviction',
  'AuthenticationV1TokenRequest',
  'V1Deployment',
  'V1DeploymentList',
  'V1ReplicaSet',
  'V1ReplicaSetList',
  'V1Scale',
  'V1NetworkPolicy',
  'V1NetworkPolicyList',
  'V1Ingress',
  'V1IngressList',
  'V1PodDisruptionBudget',
  'V1PodDisruptionBudgetList',
  'V1Role',
  'V1RoleList',
  'V1ClusterRole',
  'V1ClusterRoleList',
  'V1RoleBinding',
  'V1RoleBindingList',
  'V1ClusterRoleBinding',
  'V1ClusterRoleBindingList',
  'V1SelfSubjectAccessReview',
  'V1SelfSubjectRulesReview',
  'V1SubjectAccessReview',
  'V1SelfSubjectReview',
  'V1TokenReview',
  'V1beta1SelfSubjectReview',
  'V1DeleteOptions',
  'V1Status',
  'V1APIResourceList',
  'V1WatchEvent',
];
queue.push(...ROOTS);
for (let cls = queue.shift(); cls; cls = queue.shift()) visit(cls);

/** Scalars the client-node generator flattened; shaped as the apiserver publishes them. */
const SCALARS = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': {
    description:
      'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    schema: { type: 'string', format: 'date-time' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': {
    description: 'MicroTime is version of Time with microsecond level precision.',
    schema: { type: 'string', format: 'date-time' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': {
    description:
      "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is integer index of a list item 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
    schema: { type: 'object' },
  },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    schema: { type: 'string', format: 'int-or-string' },
  },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': {
    description: 'RawExtension is used to hold extensions in external versions.',
    schema: { type: 'object' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    schema: { type: 'object' },
  },
};

// ---------------------------------------------------------------------------------------------
// List, map and patch extensions, from the Go struct tags of k8s.io/api (the models drop them)

const C = 'io.k8s.api.core.v1.';
const M = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const A = 'io.k8s.api.apps.v1.';
const R = 'io.k8s.api.rbac.v1.';
const N = 'io.k8s.api.networking.v1.';
const P = 'io.k8s.api.policy.v1.';
/** @param {string} key @param {string[]} [keys] @param {string} [strategy] */
const merge = (key, keys = [key], strategy = 'merge') => ({
  'x-kubernetes-list-map-keys': keys,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': strategy,
});
const atomic = { 'x-kubernetes-list-type': 'atomic' };
const set = { 'x-kubernetes-list-type': 'set' };
const mapAtomic = { 'x-kubernetes-map-type': 'atomic' };
/** @type {Record<string, Record<string, unknown>>} */
const FIELD_EXT = {
  [`${M}ObjectMeta.finalizers`]: { ...set, 'x-kubernetes-patch-strategy': 'merge' },
  [`${M}ObjectMeta.ownerReferences`]: merge('uid'),
  [`${M}ObjectMeta.managedFields`]: atomic,
  [`${M}LabelSelector.matchExpressions`]: atomic,
  [`${M}LabelSelectorRequirement.values`]: atomic,
  [`${M}StatusDetails.causes`]: atomic,
  [`${M}DeleteOptions.dryRun`]: atomic,
  [`${M}FieldSelectorRequirement.values`]: atomic,
  [`${C}PodSpec.volumes`]: merge('name', ['name'], 'merge,retainKeys'),
  [`${C}PodSpec.initContainers`]: merge('name'),
  [`${C}PodSpec.containers`]: merge('name'),
  [`${C}PodSpec.ephemeralContainers`]: merge('name'),
  [`${C}PodSpec.imagePullSecrets`]: merge('name'),
  [`${C}PodSpec.tolerations`]: atomic,
  [`${C}PodSpec.hostAliases`]: merge('ip'),
  [`${C}PodSpec.readinessGates`]: atomic,
  [`${C}PodSpec.topologySpreadConstraints`]: merge('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
  [`${C}PodSpec.schedulingGates`]: merge('name'),
  [`${C}PodSpec.resourceClaims`]: merge('name', ['name'], 'merge,retainKeys'),
  [`${C}PodSpec.nodeSelector`]: mapAtomic,
  [`${C}PodSecurityContext.supplementalGroups`]: atomic,
  [`${C}PodSecurityContext.sysctls`]: atomic,
  [`${C}Capabilities.add`]: atomic,
  [`${C}Capabilities.drop`]: atomic,
  [`${C}ResourceRequirements.claims`]: {
    'x-kubernetes-list-map-keys': ['name'],
    'x-kubernetes-list-type': 'map',
  },
  [`${C}ExecAction.command`]: atomic,
  [`${C}HTTPGetAction.httpHeaders`]: atomic,
  [`${C}PodStatus.conditions`]: merge('type'),
  [`${C}PodStatus.podIPs`]: merge('ip'),
  [`${C}PodStatus.hostIPs`]: {
    ...atomic,
    'x-kubernetes-patch-merge-key': 'ip',
    'x-kubernetes-patch-strategy': 'merge',
  },
  [`${C}PodStatus.initContainerStatuses`]: atomic,
  [`${C}PodStatus.containerStatuses`]: atomic,
  [`${C}PodStatus.ephemeralContainerStatuses`]: atomic,
  [`${C}PodStatus.resourceClaimStatuses`]: merge('name', ['name'], 'merge,retainKeys'),
  [`${C}ServiceSpec.ports`]: merge('port', ['port', 'protocol']),
  [`${C}ServiceSpec.selector`]: mapAtomic,
  [`${C}ServiceSpec.clusterIPs`]: atomic,
  [`${C}ServiceSpec.externalIPs`]: atomic,
  [`${C}ServiceSpec.loadBalancerSourceRanges`]: atomic,
  [`${C}ServiceSpec.ipFamilies`]: atomic,
  [`${C}ServiceStatus.conditions`]: merge('type'),
  [`${C}LoadBalancerStatus.ingress`]: atomic,
  [`${C}LoadBalancerIngress.ports`]: atomic,
  [`${C}NodeSpec.podCIDRs`]: { ...set, 'x-kubernetes-patch-strategy': 'merge' },
  [`${C}NodeSpec.taints`]: atomic,
  [`${C}NodeStatus.conditions`]: merge('type'),
  [`${C}NodeStatus.addresses`]: merge('type'),
  [`${C}NodeStatus.images`]: atomic,
  [`${C}NodeStatus.volumesInUse`]: atomic,
  [`${C}NodeStatus.volumesAttached`]: atomic,
  [`${C}NamespaceSpec.finalizers`]: atomic,
  [`${C}NamespaceStatus.conditions`]: merge('type'),
  [`${C}ServiceAccount.secrets`]: merge('name'),
  [`${C}ServiceAccount.imagePullSecrets`]: atomic,
  [`${C}NodeSelector.nodeSelectorTerms`]: atomic,
  [`${C}NodeSelectorTerm.matchExpressions`]: atomic,
  [`${C}NodeSelectorTerm.matchFields`]: atomic,
  [`${C}NodeSelectorRequirement.values`]: atomic,
  [`${C}NodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`]: atomic,
  [`${C}PodAffinity.requiredDuringSchedulingIgnoredDuringExecution`]: atomic,
  [`${C}PodAffinity.preferredDuringSchedulingIgnoredDuringExecution`]: atomic,
  [`${C}PodAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution`]: atomic,
  [`${C}PodAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution`]: atomic,
  [`${C}PodAffinityTerm.namespaces`]: atomic,
  [`${C}PodAffinityTerm.matchLabelKeys`]: atomic,
  [`${C}PodAffinityTerm.mismatchLabelKeys`]: atomic,
  [`${C}TopologySpreadConstraint.matchLabelKeys`]: atomic,
  [`${C}ProjectedVolumeSource.sources`]: atomic,
  [`${C}ConfigMapVolumeSource.items`]: atomic,
  [`${C}SecretVolumeSource.items`]: atomic,
  [`${C}DownwardAPIVolumeSource.items`]: atomic,
  [`${A}DeploymentSpec.strategy`]: { 'x-kubernetes-patch-strategy': 'retainKeys' },
  [`${A}DeploymentStatus.conditions`]: merge('type'),
  [`${A}ReplicaSetStatus.conditions`]: merge('type'),
  [`${R}Role.rules`]: atomic,
  [`${N}NetworkPolicySpec.ingress`]: atomic,
  [`${N}NetworkPolicySpec.egress`]: atomic,
  [`${N}NetworkPolicySpec.policyTypes`]: atomic,
  [`${N}NetworkPolicyIngressRule.ports`]: atomic,
  [`${N}NetworkPolicyIngressRule.from`]: atomic,
  [`${N}NetworkPolicyEgressRule.ports`]: atomic,
  [`${N}NetworkPolicyEgressRule.to`]: atomic,
  [`${N}IPBlock.except`]: atomic,
  [`${N}IngressSpec.tls`]: atomic,
  [`${N}IngressSpec.rules`]: atomic,
  [`${N}IngressTLS.hosts`]: atomic,
  [`${N}HTTPIngressRuleValue.paths`]: atomic,
  [`${N}IngressLoadBalancerStatus.ingress`]: atomic,
  [`${N}IngressLoadBalancerIngress.ports`]: atomic,
  [`${P}PodDisruptionBudgetStatus.conditions`]: merge('type'),
  [`${R}ClusterRole.rules`]: atomic,
  [`${R}RoleBinding.subjects`]: atomic,
  [`${R}ClusterRoleBinding.subjects`]: atomic,
  [`${R}PolicyRule.verbs`]: atomic,
  [`${R}PolicyRule.apiGroups`]: atomic,
  [`${R}PolicyRule.resources`]: atomic,
  [`${R}PolicyRule.resourceNames`]: atomic,
  [`${R}PolicyRule.nonResourceURLs`]: atomic,
  [`${R}AggregationRule.clusterRoleSelectors`]: atomic,
};
// Container and EphemeralContainer share their list semantics.
for (const t of ['Container', 'EphemeralContainer']) {
  Object.assign(FIELD_EXT, {
    [`${C}${t}.command`]: atomic,
    [`${C}${t}.args`]: atomic,
    [`${C}${t}.ports`]: merge('containerPort', ['containerPort', 'protocol']),
    [`${C}${t}.envFrom`]: atomic,
    [`${C}${t}.env`]: merge('name'),
    [`${C}${t}.volumeMounts`]: merge('mountPath'),
    [`${C}${t}.volumeDevices`]: merge('devicePath'),
    [`${C}${t}.resizePolicy`]: atomic,
  });
}
/** Structs the apiserver marks `x-kubernetes-map-type: atomic`. */
const ATOMIC_STRUCTS = [
  `${M}LabelSelector`,
  `${C}LocalObjectReference`,
  `${C}ConfigMapKeySelector`,
  `${C}SecretKeySelector`,
  `${C}ObjectFieldSelector`,
  `${C}ResourceFieldSelector`,
  `${C}NodeSelector`,
  `${C}NodeSelectorTerm`,
  `${C}ObjectReference`,
  `${C}TypedLocalObjectReference`,
  `${C}SecretReference`,
  `${C}TopologySelectorTerm`,
];

const problems = [];
for (const key of Object.keys(FIELD_EXT)) {
  const dot = key.lastIndexOf('.');
  const prop = defs[key.slice(0, dot)]?.p[key.slice(dot + 1)];
  if (prop) prop.push(/** @type {Record<string, unknown>} */ (FIELD_EXT[key]));
  else problems.push(`extension for a field the models do not have: ${key}`);
}
for (const name of ATOMIC_STRUCTS) {
  const def = defs[name];
  if (def) def.x = mapAtomic;
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Output

const byCodeUnit = (/** @type {[string, unknown]} */ [a], /** @type {[string, unknown]} */ [b]) =>
  a < b ? -1 : a > b ? 1 : 0;
const typeDefs = Object.fromEntries(
  Object.entries(defs)
    .sort(byCodeUnit)
    .map(([name, def]) => [
      name,
      {
        description: def.d,
        properties: def.p,
        ...(def.r.length ? { required: def.r } : {}),
        ...(def.x ? { extensions: def.x } : {}),
      },
    ]),
);

const source = `/**
 * GENERATED FILE, do not edit by hand: written by kube-sim/scripts/generate-openapi-schemas.mjs.
 * Regenerate with \`npm run generate:openapi -w @switchboard/kube-sim\` (from the repository root).
 *
 * The schemas kube-sim publishes in OpenAPI v3, for every kind it serves and everything those reach,
 * from the @kubernetes/client-node ${CLIENT_VERSION} models, which carry the Kubernetes 1.34 field names, types,
 * formats, required fields and descriptions; the list and patch extensions (\`x-kubernetes-patch-merge-key\`
 * and friends), which those models drop, come from the Go struct tags of k8s.io/api, because kubectl
 * builds strategic merge patches from them.
 *
 * A property is \`[type, description, extensions?]\`. Types: \`string\`, \`string:byte\`, \`integer:int32\`,
 * \`integer:int64\`, \`number:double\`, \`boolean\`, \`object\` (free-form), \`#<schema name>\` (a
 * reference), \`[]<type>\` (array of), \`{}<type>\` (map of string to).
 */

export type PropertyDef = [type: string, description: string, extensions?: Record<string, unknown>];

export interface TypeDef {
  description: string;
  properties: Record<string, PropertyDef>;
  required?: string[];
  extensions?: Record<string, unknown>;
}

/** Types the apiserver publishes as plain schemas (no properties) though Go implements them specially. */
export const SCALAR_SCHEMAS: Record<string, { description: string; schema: Record<string, unknown> }> = ${JSON.stringify(SCALARS)};

export const TYPE_DEFS: Record<string, TypeDef> = ${JSON.stringify(typeDefs)};
`;

// Biome's own formatting, so the file is lint-clean and stable under `npm run format`.
const biome = require.resolve('@biomejs/biome/bin/biome');
const formatted = execFileSync(process.execPath, [biome, 'format', `--stdin-file-path=${OUT}`], {
  cwd: REPO,
  input: source,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  stdio: ['pipe', 'pipe', 'ignore'],
});
if (!formatted.startsWith('/**')) throw new Error('biome format produced no output');

const relative = path.relative(REPO, OUT);
if (process.argv.includes('--check')) {
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (current !== formatted) {
    console.error(`${relative} is out of date: run npm run generate:openapi -w @switchboard/kube-sim`);
    process.exit(1);
  }
  console.log(`${relative} is up to date (${Object.keys(typeDefs).length} schemas)`);
} else {
  fs.writeFileSync(OUT, formatted);
  console.log(`wrote ${relative}: ${Object.keys(typeDefs).length} schemas, ${formatted.length} bytes`);
}
