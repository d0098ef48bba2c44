/**
 * The subset of apiserver validation (pkg/apis/<group>/validation, apimachinery ObjectMeta validation)
 * that clients commonly hit for the kinds kube-sim serves, with the apiserver's field paths and texts.
 * Objects are validated after defaulting, so fields the defaulters fill are only checked when set.
 */
import { checkAgainstSchema, definitionErrors } from './custom-resources.js';
import type { FieldError } from './errors.js';
import { isPlainObject, type KubeObject } from './objects.js';
import type { ResourceType } from './resources.js';

// ---------------------------------------------------------------------------------------------
// String validators (apimachinery/pkg/util/validation), returning messages like Go does.

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;
const CONFIG_MAP_KEY = '[-._a-zA-Z0-9]+';

function full(pattern: string): RegExp {
  return new RegExp(`^${pattern}$`);
}

function regexError(message: string, pattern: string, ...examples: string[]): string {
  const shown = examples.map((e) => `'${e}', `).join('or ');
  return `${message} (e.g. ${shown}regex used for validation is '${pattern}')`;
}

function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push(maxLenError(253));
  if (!full(DNS1123_SUBDOMAIN).test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        'example.com',
      ),
    );
  }
  return errors;
}

export function isDNS1123Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLenError(63));
  if (!full(DNS1123_LABEL).test(value)) {
    if (full(DNS1123_SUBDOMAIN).test(value)) errors.push('must not contain dots');
    else {
      errors.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL,
          'my-name',
          '123-abc',
        ),
      );
    }
  }
  return errors;
}

export function isDNS1035Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLenError(63));
  if (!full(DNS1035_LABEL).test(value)) {
    errors.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errors;
}

const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

export function isQualifiedName(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0] as string;
  else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (!prefix) errors.push('prefix part must be non-empty');
    else errors.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (!name) errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push(`name part ${maxLenError(63)}`);
  if (!full(QUALIFIED_NAME).test(name)) {
    errors.push(
      `name part ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errors;
}

export function isValidLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLenError(63));
  if (!full(LABEL_VALUE).test(value)) {
    errors.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errors;
}

function isConfigMapKey(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push(maxLenError(253));
  if (!full(CONFIG_MAP_KEY).test(value)) {
    errors.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_MAP_KEY,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  }
  if (value === '.') errors.push("must not be '.'");
  else if (value === '..') errors.push("must not be '..'");
  else if (value.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

/** path.IsValidPathSegmentName, the rule for RBAC object names. */
function isPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  return ['/', '%'].filter((c) => value.includes(c)).map((c) => `may not contain '${c}'`);
}

// ---------------------------------------------------------------------------------------------
// field.Error constructors: `detail` is Go's ErrorBody().

function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

function fieldInvalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${goValue(value)}: ${detail}` };
}

function required(field: string, detail = ''): FieldError {
  return {
    type: 'FieldValueRequired',
    field,
    detail: detail ? `Required value: ${detail}` : 'Required value',
  };
}

function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail: `Forbidden: ${detail}` };
}

function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, detail: `Duplicate value: ${goValue(value)}` };
}

function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  return {
    type: 'FieldValueNotSupported',
    field,
    detail: `Unsupported value: ${goValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  };
}

function notFound(field: string, value: unknown): FieldError {
  // errors.ts does not list the NotFound cause type; the value Go sends is FieldValueNotFound.
  return { type: 'FieldValueNotFound', field, detail: `Not found: ${goValue(value)}` };
}

/** Go's `%#v` of a map[string]string, which field errors print for label maps. */
function goStringMap(value: unknown): string {
  const entries = Object.entries(obj(value))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(String(v))}`);
  return entries.length ? `map[string]string{${entries.join(', ')}}` : 'map[string]string(nil)';
}

function goLabelSelector(value: unknown): string {
  const selector = obj(value);
  const expressions = list(selector.matchExpressions).map(
    (e) =>
      `v1.LabelSelectorRequirement{Key:${JSON.stringify(String(e.key ?? ''))}, Operator:${JSON.stringify(String(e.operator ?? ''))}, Values:[]string{${(Array.isArray(e.values) ? e.values : []).map((v) => JSON.stringify(String(v))).join(', ')}}}`,
  );
  const matchExpressions = expressions.length
    ? `[]v1.LabelSelectorRequirement{${expressions.join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels)}, MatchExpressions:${matchExpressions}}`;
}

function invalidRaw(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${detail}` };
}

const IMMUTABLE = 'field is immutable';

// ---------------------------------------------------------------------------------------------
// ObjectMeta

type NameRule = (name: string) => string[];

function nameRule(kind: string): NameRule {
  switch (kind) {
    case 'Namespace':
      return isDNS1123Label;
    case 'Service':
      return isDNS1035Label;
    case 'Role':
    case 'ClusterRole':
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return isPathSegmentName;
    default:
      return isDNS1123Subdomain;
  }
}

function validateLabels(labels: unknown, path: string): FieldError[] {
  if (!isPlainObject(labels)) return [];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    for (const m of isQualifiedName(key)) errors.push(fieldInvalid(path, key, m));
    for (const m of isValidLabelValue(String(value))) errors.push(fieldInvalid(path, value, m));
  }
  return errors;
}

function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (!isPlainObject(annotations)) return [];
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    for (const m of isQualifiedName(key.toLowerCase())) errors.push(fieldInvalid(path, key, m));
    size += key.length + String(value).length;
  }
  if (size > 256 * 1024) {
    errors.push({
      type: 'FieldValueTooLong',
      field: path,
      detail: 'Too long: may not be more than 262144 bytes',
    });
  }
  return errors;
}

function validateMeta(
  type: ResourceType,
  object: KubeObject,
  path: string,
  isTemplate = false,
): FieldError[] {
  const meta = object.metadata ?? {};
  const errors: FieldError[] = [];
  if (!isTemplate) {
    const rule = nameRule(type.kind);
    if (meta.generateName) {
      const masked = meta.generateName.replace(/-$/, 'a');
      for (const m of rule(masked)) errors.push(fieldInvalid(`${path}.generateName`, meta.generateName, m));
    }
    if (!meta.name) errors.push(required(`${path}.name`, 'name or generateName is required'));
    else for (const m of rule(meta.name)) errors.push(fieldInvalid(`${path}.name`, meta.name, m));
    if (type.namespaced) {
      if (!meta.namespace) errors.push(required(`${path}.namespace`));
      else {
        for (const m of isDNS1123Label(meta.namespace)) {
          errors.push(fieldInvalid(`${path}.namespace`, meta.namespace, m));
        }
      }
    } else if (meta.namespace) {
      errors.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
    }
  }
  errors.push(...validateLabels(meta.labels, `${path}.labels`));
  errors.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  for (const ref of meta.ownerReferences ?? []) {
    const refPath = `${path}.ownerReferences`;
    const version = (ref.apiVersion ?? '').split('/').pop();
    if (!version)
      errors.push(fieldInvalid(`${refPath}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errors.push(fieldInvalid(`${refPath}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errors.push(fieldInvalid(`${refPath}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errors.push(fieldInvalid(`${refPath}.uid`, ref.uid ?? '', 'uid must not be empty'));
  }
  meta.finalizers?.forEach((finalizer, i) => {
    for (const m of isQualifiedName(finalizer))
      errors.push(fieldInvalid(`${path}.finalizers[${i}]`, finalizer, m));
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Kinds

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return isPlainObject(value) ? value : {};
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function validatePort(port: unknown, path: string, errors: FieldError[]): void {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    errors.push(fieldInvalid(path, port ?? 0, 'must be between 1 and 65535, inclusive'));
  }
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainers(containers: Obj[], path: string, volumes: Set<string>, names: Set<string>) {
  const errors: FieldError[] = [];
  containers.forEach((container, i) => {
    const at = `${path}[${i}]`;
    const name = container.name;
    if (typeof name !== 'string' || !name) errors.push(required(`${at}.name`));
    else {
      for (const m of isDNS1123Label(name)) errors.push(fieldInvalid(`${at}.name`, name, m));
      if (names.has(name)) errors.push(duplicate(`${at}.name`, name));
      names.add(name);
    }
    if (typeof container.image !== 'string' || !container.image.trim()) errors.push(required(`${at}.image`));
    list(container.ports).forEach((port, j) => {
      const portPath = `${at}.ports[${j}]`;
      validatePort(port.containerPort, `${portPath}.containerPort`, errors);
      if (port.protocol !== undefined && !PROTOCOLS.includes(String(port.protocol))) {
        errors.push(notSupported(`${portPath}.protocol`, port.protocol, PROTOCOLS));
      }
    });
    list(container.env).forEach((env, j) => {
      if (typeof env.name !== 'string' || !env.name) errors.push(required(`${at}.env[${j}].name`));
    });
    list(container.volumeMounts).forEach((mount, j) => {
      const mountPath = `${at}.volumeMounts[${j}]`;
      if (typeof mount.name !== 'string' || !mount.name) errors.push(required(`${mountPath}.name`));
      else if (!volumes.has(mount.name)) errors.push(notFound(`${mountPath}.name`, mount.name));
      if (typeof mount.mountPath !== 'string' || !mount.mountPath)
        errors.push(required(`${mountPath}.mountPath`));
    });
  });
  return errors;
}

const RESTART_POLICIES = ['Always', 'Never', 'OnFailure'];

function validatePodSpec(spec: Obj, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const volumes = new Set<string>();
  list(spec.volumes).forEach((volume, i) => {
    const at = `${path}.volumes[${i}].name`;
    const name = volume.name;
    if (typeof name !== 'string' || !name) errors.push(required(at));
    else {
      for (const m of isDNS1123Label(name)) errors.push(fieldInvalid(at, name, m));
      if (volumes.has(name)) errors.push(duplicate(at, name));
      volumes.add(name);
    }
  });
  const containers = list(spec.containers);
  const names = new Set<string>();
  errors.push(...validateContainers(list(spec.initContainers), `${path}.initContainers`, volumes, names));
  if (containers.length === 0) errors.push(required(`${path}.containers`));
  errors.push(...validateContainers(containers, `${path}.containers`, volumes, names));
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(String(spec.restartPolicy))) {
    errors.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  }
  return errors;
}

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Blanks the fields a pod update may change so the rest of the specs can be compared. */
function mungedPodSpec(spec: Obj, old: Obj): Obj {
  const copy = structuredClone(spec);
  const blankImages = (key: string) => {
    const oldContainers = list(old[key]);
    list(copy[key]).forEach((c, i) => {
      if (oldContainers[i]) c.image = oldContainers[i]?.image;
    });
  };
  blankImages('containers');
  blankImages('initContainers');
  copy.activeDeadlineSeconds = old.activeDeadlineSeconds;
  copy.tolerations = old.tolerations;
  copy.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
  return copy;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return a === b;
}

function validatePod(object: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj(object.spec);
  const errors = validatePodSpec(spec, 'spec');
  if (old) {
    const oldSpec = obj(old.spec);
    if (!deepEqual(mungedPodSpec(spec, oldSpec), oldSpec))
      errors.push(forbidden('spec', POD_UPDATE_FORBIDDEN));
  }
  return errors;
}

function validateSelectorMatchesTemplate(spec: Obj, errors: FieldError[]): void {
  const selector = spec.selector;
  if (!isPlainObject(selector)) {
    errors.push(required('spec.selector'));
    return;
  }
  const matchLabels = obj(selector.matchLabels);
  const expressions = list(selector.matchExpressions);
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    errors.push(
      invalidRaw('spec.selector', goLabelSelector(selector), 'empty selector is invalid for deployment'),
    );
    return;
  }
  const templateLabels = obj(obj(obj(spec.template).metadata).labels);
  const matched =
    Object.entries(matchLabels).every(([k, v]) => templateLabels[k] === v) &&
    expressions.every((e) => {
      const has = Object.hasOwn(templateLabels, String(e.key));
      const values = Array.isArray(e.values) ? e.values : [];
      const value = templateLabels[String(e.key)];
      switch (e.operator) {
        case 'In':
          return has && values.includes(value);
        case 'NotIn':
          return !has || !values.includes(value);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          return false;
      }
    });
  if (!matched) {
    errors.push(
      invalidRaw(
        'spec.template.metadata.labels',
        goStringMap(templateLabels),
        '`selector` does not match template `labels`',
      ),
    );
  }
}

function validateWorkload(
  kind: 'Deployment' | 'ReplicaSet',
  object: KubeObject,
  old?: KubeObject,
): FieldError[] {
  const spec = obj(object.spec);
  const errors: FieldError[] = [];
  if (spec.replicas !== undefined && (typeof spec.replicas !== 'number' || spec.replicas < 0)) {
    errors.push(fieldInvalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  validateSelectorMatchesTemplate(spec, errors);
  const template = obj(spec.template);
  errors.push(...validateLabels(obj(template.metadata).labels, 'spec.template.metadata.labels'));
  errors.push(...validatePodSpec(obj(template.spec), 'spec.template.spec'));
  const restartPolicy = obj(template.spec).restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always') {
    errors.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  }
  if (old && !deepEqual(spec.selector, obj(old.spec).selector)) {
    errors.push(invalidRaw('spec.selector', goLabelSelector(spec.selector), IMMUTABLE));
  }
  if (kind === 'Deployment' && obj(spec.strategy).type !== undefined) {
    const strategy = String(obj(spec.strategy).type);
    if (!['Recreate', 'RollingUpdate'].includes(strategy)) {
      errors.push(notSupported('spec.strategy.type', strategy, ['Recreate', 'RollingUpdate']));
    }
  }
  return errors;
}

function validateDataKeys(object: KubeObject, errors: FieldError[]): void {
  const seen = new Set<string>();
  for (const field of ['data', 'binaryData', 'stringData']) {
    for (const key of Object.keys(obj(object[field]))) {
      for (const m of isConfigMapKey(key)) errors.push(fieldInvalid(`${field}[${key}]`, key, m));
      if (field !== 'stringData' && seen.has(key)) {
        errors.push(fieldInvalid(`${field}[${key}]`, key, 'duplicate of key present in data'));
      }
      seen.add(key);
    }
  }
}

function validateImmutableData(object: KubeObject, old: KubeObject | undefined, errors: FieldError[]): void {
  if (old?.immutable !== true) return;
  if (!deepEqual(object.data, old.data) || !deepEqual(object.binaryData, old.binaryData)) {
    errors.push(forbidden('data', 'field is immutable when `immutable` is set'));
  }
  if (object.immutable !== true)
    errors.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
}

function validateService(object: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj(object.spec);
  const errors: FieldError[] = [];
  const type = spec.type ?? 'ClusterIP';
  const ports = list(spec.ports);
  if (ports.length === 0 && type !== 'ExternalName' && spec.clusterIP !== 'None') {
    errors.push(required('spec.ports'));
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !port.name) errors.push(required(`${at}.name`));
    if (typeof port.name === 'string' && port.name) {
      for (const m of isDNS1123Label(port.name)) errors.push(fieldInvalid(`${at}.name`, port.name, m));
      if (names.has(port.name)) errors.push(duplicate(`${at}.name`, port.name));
      names.add(port.name);
    }
    validatePort(port.port, `${at}.port`, errors);
    if (port.protocol !== undefined && !PROTOCOLS.includes(String(port.protocol))) {
      errors.push(notSupported(`${at}.protocol`, port.protocol, PROTOCOLS));
    }
  });
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  if (!types.includes(String(type))) errors.push(notSupported('spec.type', type, types));
  if (old) {
    const oldIP = obj(old.spec).clusterIP;
    if (oldIP && spec.clusterIP !== undefined && spec.clusterIP !== oldIP && type !== 'ExternalName') {
      errors.push(fieldInvalid('spec.clusterIPs[0]', spec.clusterIP, 'may not change once set'));
    }
  }
  return errors;
}

function validateRules(object: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  list(object.rules).forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (!Array.isArray(rule.verbs) || rule.verbs.length === 0)
      errors.push(required(`${at}.verbs`, 'verbs must contain at least one value'));
    const urls = Array.isArray(rule.nonResourceURLs) && rule.nonResourceURLs.length > 0;
    if (urls) {
      if (object.kind === 'Role')
        errors.push(
          fieldInvalid(
            `${at}.nonResourceURLs`,
            rule.nonResourceURLs,
            'namespaced rules cannot apply to non-resource URLs',
          ),
        );
      if (
        (Array.isArray(rule.apiGroups) && rule.apiGroups.length > 0) ||
        (Array.isArray(rule.resources) && rule.resources.length > 0)
      ) {
        errors.push(
          fieldInvalid(
            `${at}.nonResourceURLs`,
            rule.nonResourceURLs,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
      }
    } else {
      if (!Array.isArray(rule.apiGroups) || rule.apiGroups.length === 0)
        errors.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
      if (!Array.isArray(rule.resources) || rule.resources.length === 0)
        errors.push(required(`${at}.resources`, 'resource rules must supply at least one resource'));
    }
  });
  return errors;
}

const SUBJECT_KINDS = ['Group', 'ServiceAccount', 'User'];

function validateBinding(object: KubeObject, old?: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const roleRef = obj(object.roleRef);
  const roleKinds = object.kind === 'RoleBinding' ? ['ClusterRole', 'Role'] : ['ClusterRole'];
  if (roleRef.apiGroup !== 'rbac.authorization.k8s.io') {
    errors.push(notSupported('roleRef.apiGroup', roleRef.apiGroup ?? '', ['rbac.authorization.k8s.io']));
  }
  if (!roleRef.kind) errors.push(required('roleRef.kind'));
  else if (!roleKinds.includes(String(roleRef.kind)))
    errors.push(notSupported('roleRef.kind', roleRef.kind, roleKinds));
  if (!roleRef.name) errors.push(required('roleRef.name'));
  else
    for (const m of isPathSegmentName(String(roleRef.name)))
      errors.push(fieldInvalid('roleRef.name', roleRef.name, m));
  list(object.subjects).forEach((subject, i) => {
    const at = `subjects[${i}]`;
    if (!subject.name) errors.push(required(`${at}.name`));
    if (!SUBJECT_KINDS.includes(String(subject.kind)))
      errors.push(notSupported(`${at}.kind`, subject.kind ?? '', SUBJECT_KINDS));
    if (subject.kind === 'ServiceAccount' && !subject.namespace && object.kind === 'ClusterRoleBinding') {
      errors.push(required(`${at}.namespace`));
    }
  });
  if (old && !deepEqual(object.roleRef, old.roleRef)) {
    const rendered = `rbac.RoleRef{APIGroup:${JSON.stringify(String(roleRef.apiGroup ?? ''))}, Kind:${JSON.stringify(String(roleRef.kind ?? ''))}, Name:${JSON.stringify(String(roleRef.name ?? ''))}}`;
    errors.push(invalidRaw('roleRef', rendered, 'cannot change roleRef'));
  }
  return errors;
}

/** kubernetes.io/tls and the other typed Secrets must carry their keys (stringData is merged by then). */
function validateSecretType(object: KubeObject, errors: FieldError[]): void {
  const data = obj(object.data);
  const keysByType: Record<string, string[]> = {
    'kubernetes.io/tls': ['tls.crt', 'tls.key'],
    'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
    'kubernetes.io/dockercfg': ['.dockercfg'],
  };
  for (const key of keysByType[String(object.type)] ?? []) {
    if (!Object.hasOwn(data, key)) errors.push(required(`data[${key}]`));
  }
}

/** validation.IsValidPortName: an IANA service name. */
function isValidPortName(name: string): string[] {
  const errors: string[] = [];
  if (name.length > 15) errors.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errors.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errors.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errors.push('must not begin or end with a hyphen');
  return errors;
}

/** validation.IsWildcardDNS1123Subdomain, for `*.example.com` hosts. */
function isHost(host: string): string[] {
  if (!host.includes('*')) return isDNS1123Subdomain(host);
  const wildcard = `\\*\\.${DNS1123_SUBDOMAIN}`;
  if (host.length <= 253 && full(wildcard).test(host)) return [];
  return [
    ...(host.length > 253 ? [maxLenError(253)] : []),
    regexError(
      "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
      wildcard,
      '*.example.com',
    ),
  ];
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateIngressBackend(backend: Obj, path: string, errors: FieldError[]): void {
  const service = isPlainObject(backend.service) ? backend.service : undefined;
  if (service && isPlainObject(backend.resource)) {
    errors.push(fieldInvalid(path, '', 'cannot set both resource and service backends'));
    return;
  }
  if (isPlainObject(backend.resource)) {
    const resource = backend.resource;
    if (!resource.kind) errors.push(required(`${path}.resource.kind`));
    if (!resource.name) errors.push(required(`${path}.resource.name`));
    return;
  }
  if (!service) {
    errors.push(fieldInvalid(path, '', 'resource or service backend is required'));
    return;
  }
  if (typeof service.name !== 'string' || !service.name) errors.push(required(`${path}.service.name`));
  else {
    for (const m of isDNS1035Label(service.name))
      errors.push(fieldInvalid(`${path}.service.name`, service.name, m));
  }
  const port = obj(service.port);
  const portName = typeof port.name === 'string' ? port.name : '';
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName && portNumber) errors.push(fieldInvalid(path, '', 'cannot set both port name & port number'));
  else if (portName) {
    for (const m of isValidPortName(portName))
      errors.push(fieldInvalid(`${path}.service.port.name`, portName, m));
  } else if (portNumber) {
    validatePort(portNumber, `${path}.service.port.number`, errors);
  } else {
    errors.push(required(path, 'port name or number is required'));
  }
}

function validateIngressPath(ingressPath: Obj, at: string, errors: FieldError[]): void {
  const pathType = ingressPath.pathType;
  const value = typeof ingressPath.path === 'string' ? ingressPath.path : '';
  if (pathType === undefined) {
    errors.push(required(`${at}.pathType`, 'pathType must be specified'));
    return;
  }
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errors.push(fieldInvalid(`${at}.path`, value, 'must be an absolute path'));
    for (const sequence of ['//', '/./', '/../', '%2f', '%2F']) {
      if (value.includes(sequence))
        errors.push(fieldInvalid(`${at}.path`, value, `must not contain '${sequence}'`));
    }
    for (const suffix of ['/..', '/.']) {
      if (value.endsWith(suffix))
        errors.push(fieldInvalid(`${at}.path`, value, `cannot end with '${suffix}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value && !value.startsWith('/'))
      errors.push(fieldInvalid(`${at}.path`, value, 'must be an absolute path'));
  } else {
    errors.push(notSupported(`${at}.pathType`, pathType, PATH_TYPES));
  }
  validateIngressBackend(obj(ingressPath.backend), `${at}.backend`, errors);
}

/** pkg/apis/networking/validation ValidateIngressSpec. */
function validateIngress(object: KubeObject): FieldError[] {
  const spec = obj(object.spec);
  const errors: FieldError[] = [];
  const rules = list(spec.rules);
  if (rules.length === 0 && !isPlainObject(spec.defaultBackend)) {
    errors.push(
      fieldInvalid('spec', spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'),
    );
  }
  if (isPlainObject(spec.defaultBackend))
    validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend', errors);
  rules.forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (typeof rule.host === 'string' && rule.host) {
      if (/^[\d.]+$|:/.test(rule.host)) {
        errors.push(fieldInvalid(`${at}.host`, rule.host, 'must be a DNS name, not an IP address'));
      }
      for (const m of isHost(rule.host)) errors.push(fieldInvalid(`${at}.host`, rule.host, m));
    }
    if (!isPlainObject(rule.http)) return;
    const paths = list(rule.http.paths);
    if (paths.length === 0) errors.push(required(`${at}.http.paths`));
    for (const [j, ingressPath] of paths.entries())
      validateIngressPath(ingressPath, `${at}.http.paths[${j}]`, errors);
  });
  list(spec.tls).forEach((tls, i) => {
    (Array.isArray(tls.hosts) ? tls.hosts : []).forEach((host, j) => {
      for (const m of isHost(String(host))) errors.push(fieldInvalid(`spec.tls[${i}].hosts[${j}]`, host, m));
    });
  });
  if (typeof spec.ingressClassName === 'string') {
    for (const m of isDNS1123Subdomain(spec.ingressClassName)) {
      errors.push(fieldInvalid('spec.ingressClassName', spec.ingressClassName, m));
    }
  }
  return errors;
}

const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** An IntOrString as Go's %#v prints it in a field error. */
function goIntOrString(value: unknown): string {
  return typeof value === 'string'
    ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(value)}}`
    : `intstr.IntOrString{Type:0, IntVal:${Number(value)}, StrVal:""}`;
}

function validateIntOrPercent(value: unknown, path: string, errors: FieldError[]): void {
  if (typeof value === 'string') {
    const match = /^([0-9]+)%$/.exec(value);
    if (!match) {
      errors.push(
        invalidRaw(
          path,
          goIntOrString(value),
          regexError(
            "a valid percent string must be a numeric string followed by an ending '%'",
            '[0-9]+%',
            '1%',
            '93%',
          ),
        ),
      );
    } else if (Number(match[1]) > 100) {
      errors.push(invalidRaw(path, goIntOrString(value), 'must not be greater than 100%'));
    }
  } else if (typeof value === 'number' && value < 0) {
    errors.push(fieldInvalid(path, value, 'must be greater than or equal to 0'));
  }
}

/** pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec. */
function validatePodDisruptionBudget(object: KubeObject): FieldError[] {
  const spec = obj(object.spec);
  const errors: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    // Go prints the spec with %#v, pointer addresses included; the fields it holds are enough here.
    const rendered = `policy.PodDisruptionBudgetSpec{MinAvailable:${goIntOrString(spec.minAvailable)}, MaxUnavailable:${goIntOrString(spec.maxUnavailable)}}`;
    errors.push(invalidRaw('spec', rendered, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const field of ['minAvailable', 'maxUnavailable'] as const) {
    if (spec[field] !== undefined) validateIntOrPercent(spec[field], `spec.${field}`, errors);
  }
  if (isPlainObject(spec.selector)) {
    errors.push(...validateLabels(spec.selector.matchLabels, 'spec.selector.matchLabels'));
  }
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !UNHEALTHY_POD_EVICTION_POLICIES.includes(String(policy))) {
    errors.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errors;
}

/**
 * Returns the field errors the apiserver would report for a create (`old` absent) or update;
 * the caller wraps them with `invalid()` into a 422.
 */
export function validate(type: ResourceType, object: KubeObject, old?: KubeObject): FieldError[] {
  const errors = validateMeta(type, object, 'metadata');
  if (type.custom) {
    errors.push(...checkAgainstSchema(type.custom.schema, object));
    return errors;
  }
  switch (type.kind) {
    case 'CustomResourceDefinition':
      errors.push(...definitionErrors(object));
      break;
    case 'Pod':
      errors.push(...validatePod(object, old));
      break;
    case 'Deployment':
    case 'ReplicaSet':
      errors.push(...validateWorkload(type.kind, object, old));
      break;
    case 'ConfigMap':
      validateDataKeys(object, errors);
      validateImmutableData(object, old, errors);
      break;
    case 'Secret':
      validateDataKeys(object, errors);
      validateSecretType(object, errors);
      validateImmutableData(object, old, errors);
      if (old && object.type !== undefined && object.type !== old.type) {
        errors.push(fieldInvalid('type', object.type, IMMUTABLE));
      }
      break;
    case 'Service':
      errors.push(...validateService(object, old));
      break;
    case 'Ingress':
      errors.push(...validateIngress(object));
      break;
    case 'PodDisruptionBudget':
      errors.push(...validatePodDisruptionBudget(object));
      break;
    case 'Role':
    case 'ClusterRole':
      errors.push(...validateRules(object));
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      errors.push(...validateBinding(object, old));
      break;
  }
  return errors;
}
