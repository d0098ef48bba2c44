/**
 * Request bodies in `application/vnd.kubernetes.protobuf`: kubectl ≥1.32 sends its typed-client
 * writes this way (`kubectl create configmap|secret|namespace|role…`, `auth can-i`, `auth whoami`,
 * `create token`, drain's evictions). The envelope is the `k8s\0` magic and a runtime.Unknown
 * {typeMeta, raw}; `raw` is the gogo-protobuf encoding of the typed object
 * (k8s.io/api/<group>/<version>/generated.proto). kube-sim decodes it to the JSON the same client
 * would have sent, for the kinds below; other kinds answer 415 as if protobuf were not served.
 *
 * Go encodes every non-pointer field, zero or not; decoding drops zero values of non-pointer
 * fields (JSON clients omit them, and Go cannot tell them apart) and keeps pointer fields as sent.
 */
import { ApiError } from './errors.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/**
 * Field specs: `jsonName[:type]`, type `string` when left out. `*type` is a Go pointer (kept when
 * zero), `[]type` repeated, `map<type>` a map from string. Scalar types: string, bool, int32,
 * int64, bytes (base64 in JSON); anything else names a message below.
 */
type MessageSchema = Record<number, string>;

const LABEL_SELECTOR_REQUIREMENT: MessageSchema = { 1: 'key', 2: 'operator', 3: 'values:[]string' };

const SCHEMAS: Record<string, MessageSchema> = {
  // k8s.io/apimachinery/pkg/apis/meta/v1
  ObjectMeta: {
    1: 'name',
    2: 'generateName',
    3: 'namespace',
    4: 'selfLink',
    5: 'uid',
    6: 'resourceVersion',
    7: 'generation:int64',
    8: 'creationTimestamp:Time',
    9: 'deletionTimestamp:Time',
    10: 'deletionGracePeriodSeconds:*int64',
    11: 'labels:map<string>',
    12: 'annotations:map<string>',
    13: 'ownerReferences:[]OwnerReference',
    14: 'finalizers:[]string',
    17: 'managedFields:[]ManagedFieldsEntry',
  },
  OwnerReference: {
    1: 'kind',
    3: 'name',
    4: 'uid',
    5: 'apiVersion',
    6: 'controller:*bool',
    7: 'blockOwnerDeletion:*bool',
  },
  ManagedFieldsEntry: {
    1: 'manager',
    2: 'operation',
    3: 'apiVersion',
    4: 'time:Time',
    6: 'fieldsType',
    7: 'fieldsV1:FieldsV1',
    8: 'subresource',
  },
  LabelSelector: {
    1: 'matchLabels:map<string>',
    2: 'matchExpressions:[]LabelSelectorRequirement',
  },
  LabelSelectorRequirement: LABEL_SELECTOR_REQUIREMENT,
  DeleteOptions: {
    1: 'gracePeriodSeconds:*int64',
    2: 'preconditions:Preconditions',
    3: 'orphanDependents:*bool',
    4: 'propagationPolicy:*string',
    5: 'dryRun:[]string',
  },
  Preconditions: { 1: 'uid:*string', 2: 'resourceVersion:*string' },
  // core/v1
  ConfigMap: {
    1: 'metadata:ObjectMeta',
    2: 'data:map<string>',
    3: 'binaryData:map<bytes>',
    4: 'immutable:*bool',
  },
  Secret: {
    1: 'metadata:ObjectMeta',
    2: 'data:map<bytes>',
    3: 'type',
    4: 'stringData:map<string>',
    5: 'immutable:*bool',
  },
  Namespace: { 1: 'metadata:ObjectMeta', 2: 'spec:NamespaceSpec' },
  NamespaceSpec: { 1: 'finalizers:[]string' },
  ServiceAccount: {
    1: 'metadata:ObjectMeta',
    2: 'secrets:[]ObjectReference',
    3: 'imagePullSecrets:[]LocalObjectReference',
    4: 'automountServiceAccountToken:*bool',
  },
  ObjectReference: {
    1: 'kind',
    2: 'namespace',
    3: 'name',
    4: 'uid',
    5: 'apiVersion',
    6: 'resourceVersion',
    7: 'fieldPath',
  },
  LocalObjectReference: { 1: 'name' },
  ResourceQuota: { 1: 'metadata:ObjectMeta', 2: 'spec:ResourceQuotaSpec' },
  ResourceQuotaSpec: {
    1: 'hard:map<Quantity>',
    2: 'scopes:[]string',
    3: 'scopeSelector:ScopeSelector',
  },
  ScopeSelector: { 1: 'matchExpressions:[]ScopedResourceSelectorRequirement' },
  ScopedResourceSelectorRequirement: { 1: 'scopeName', 2: 'operator', 3: 'values:[]string' },
  // authentication/v1
  SelfSubjectReview: { 1: 'metadata:ObjectMeta' },
  TokenRequest: { 1: 'metadata:ObjectMeta', 2: 'spec:TokenRequestSpec' },
  TokenRequestSpec: {
    1: 'audiences:[]string',
    3: 'boundObjectRef:BoundObjectReference',
    4: 'expirationSeconds:*int64',
  },
  BoundObjectReference: { 1: 'kind', 2: 'apiVersion', 3: 'name', 4: 'uid' },
  // authorization/v1
  SelfSubjectAccessReview: { 1: 'metadata:ObjectMeta', 2: 'spec:SelfSubjectAccessReviewSpec' },
  SelfSubjectAccessReviewSpec: {
    1: 'resourceAttributes:ResourceAttributes',
    2: 'nonResourceAttributes:NonResourceAttributes',
  },
  ResourceAttributes: {
    1: 'namespace',
    2: 'verb',
    3: 'group',
    4: 'version',
    5: 'resource',
    6: 'subresource',
    7: 'name',
    8: 'fieldSelector:FieldSelectorAttributes',
    9: 'labelSelector:LabelSelectorAttributes',
  },
  FieldSelectorAttributes: { 1: 'rawSelector', 2: 'requirements:[]FieldSelectorRequirement' },
  FieldSelectorRequirement: LABEL_SELECTOR_REQUIREMENT,
  LabelSelectorAttributes: { 1: 'rawSelector', 2: 'requirements:[]LabelSelectorRequirement' },
  NonResourceAttributes: { 1: 'path', 2: 'verb' },
  SelfSubjectRulesReview: { 1: 'metadata:ObjectMeta', 2: 'spec:SelfSubjectRulesReviewSpec' },
  SelfSubjectRulesReviewSpec: { 1: 'namespace' },
  // rbac.authorization.k8s.io/v1
  Role: { 1: 'metadata:ObjectMeta', 2: 'rules:[]PolicyRule' },
  ClusterRole: {
    1: 'metadata:ObjectMeta',
    2: 'rules:[]PolicyRule',
    3: 'aggregationRule:AggregationRule',
  },
  AggregationRule: { 1: 'clusterRoleSelectors:[]LabelSelector' },
  PolicyRule: {
    1: 'verbs:[]string',
    2: 'apiGroups:[]string',
    3: 'resources:[]string',
    4: 'resourceNames:[]string',
    5: 'nonResourceURLs:[]string',
  },
  RoleBinding: { 1: 'metadata:ObjectMeta', 2: 'subjects:[]Subject', 3: 'roleRef:RoleRef' },
  ClusterRoleBinding: { 1: 'metadata:ObjectMeta', 2: 'subjects:[]Subject', 3: 'roleRef:RoleRef' },
  Subject: { 1: 'kind', 2: 'apiGroup', 3: 'name', 4: 'namespace' },
  RoleRef: { 1: 'apiGroup', 2: 'kind', 3: 'name' },
  // scheduling.k8s.io/v1
  PriorityClass: {
    1: 'metadata:ObjectMeta',
    2: 'value:int32',
    3: 'globalDefault:bool',
    4: 'description',
    5: 'preemptionPolicy:*string',
  },
  // policy/v1
  Eviction: { 1: 'metadata:ObjectMeta', 2: 'deleteOptions:DeleteOptions' },
};

/** Top-level kinds by apiVersion, so a kind is only decoded under the group that defines it. */
const KINDS: Record<string, string[]> = {
  v1: ['ConfigMap', 'Secret', 'Namespace', 'ServiceAccount', 'ResourceQuota'],
  'authentication.k8s.io/v1': ['SelfSubjectReview', 'TokenRequest'],
  'authorization.k8s.io/v1': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview'],
  'rbac.authorization.k8s.io/v1': ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'policy/v1': ['Eviction'],
  'meta.k8s.io/v1': ['DeleteOptions'],
};

/** The 415 a server that does not serve protobuf for this type would give. */
function unsupported(): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
  );
}

function malformed(detail: string): ApiError {
  return new ApiError(400, 'BadRequest', `error decoding protobuf body: ${detail}`);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw malformed('unexpected end of varint');
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw malformed('varint overflow');
    }
  }
  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw malformed('unexpected end of field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw malformed(`unsupported wire type ${wireType}`);
  }
  /** Each field as (number, wire type), leaving the reader at its value. */
  *fields(): Generator<[number, number]> {
    while (!this.done) {
      const key = Number(this.varint());
      yield [key >>> 3, key & 7];
    }
  }
}

interface FieldSpec {
  name: string;
  type: string;
  repeated: boolean;
  pointer: boolean;
  map: boolean;
}

function parseSpec(spec: string): FieldSpec {
  const [name, raw = 'string'] = spec.split(':') as [string, string?];
  let type = raw;
  const repeated = type.startsWith('[]');
  if (repeated) type = type.slice(2);
  const pointer = type.startsWith('*');
  if (pointer) type = type.slice(1);
  const mapMatch = /^map<(.+)>$/.exec(type);
  if (mapMatch) type = mapMatch[1]!;
  return { name, type, repeated, pointer, map: mapMatch !== null };
}

function isZero(value: unknown): boolean {
  return value === '' || value === false || value === 0 || value === undefined;
}

function scalar(reader: Reader, type: string, wireType: number): unknown {
  switch (type) {
    case 'string':
      return reader.bytes().toString('utf8');
    case 'bytes':
      return reader.bytes().toString('base64');
    case 'bool':
      return reader.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, reader.varint()));
    case 'int64':
      return Number(BigInt.asIntN(64, reader.varint()));
    default:
      if (wireType !== 2) throw malformed(`field of type ${type} is not length-delimited`);
      return message(reader.bytes(), type);
  }
}

/** metav1.Time: an empty message is the zero time (JSON null, omitted). */
function time(buf: Buffer): string | undefined {
  if (buf.length === 0) return undefined;
  const reader = new Reader(buf);
  let seconds = 0;
  for (const [field, wireType] of reader.fields()) {
    if (field === 1) seconds = Number(BigInt.asIntN(64, reader.varint()));
    else reader.skip(wireType);
  }
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function message(buf: Buffer, name: string): unknown {
  if (name === 'Time') return time(buf);
  if (name === 'Quantity' || name === 'FieldsV1') {
    // Quantity {string string = 1}; FieldsV1 {bytes Raw = 1} holding JSON.
    const reader = new Reader(buf);
    let text = '';
    for (const [field, wireType] of reader.fields()) {
      if (field === 1) text = reader.bytes().toString('utf8');
      else reader.skip(wireType);
    }
    if (name === 'Quantity') return text;
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      throw malformed('FieldsV1 is not JSON');
    }
  }
  const schema = SCHEMAS[name];
  if (!schema) throw unsupported();
  const out: Record<string, unknown> = {};
  const reader = new Reader(buf);
  for (const [number, wireType] of reader.fields()) {
    const raw = schema[number];
    if (raw === undefined) {
      reader.skip(wireType);
      continue;
    }
    const spec = parseSpec(raw);
    if (spec.map) {
      const entry = new Reader(reader.bytes());
      let key = '';
      let value: unknown = spec.type === 'string' || spec.type === 'bytes' ? '' : undefined;
      for (const [field, entryWire] of entry.fields()) {
        if (field === 1) key = entry.bytes().toString('utf8');
        else if (field === 2) value = scalar(entry, spec.type, entryWire);
        else entry.skip(entryWire);
      }
      out[spec.name] = { ...(out[spec.name] as Record<string, unknown> | undefined), [key]: value };
      continue;
    }
    if (spec.repeated) {
      const list = (out[spec.name] as unknown[] | undefined) ?? [];
      out[spec.name] = list;
      const packable = ['bool', 'int32', 'int64'].includes(spec.type);
      if (packable && wireType === 2) {
        const packed = new Reader(reader.bytes());
        while (!packed.done) list.push(scalar(packed, spec.type, 0));
      } else {
        list.push(scalar(reader, spec.type, wireType));
      }
      continue;
    }
    const value = scalar(reader, spec.type, wireType);
    if (value === undefined || (!spec.pointer && isZero(value))) delete out[spec.name];
    else out[spec.name] = value;
  }
  return out;
}

/**
 * Decodes a protobuf request body into the JSON object it stands for, with apiVersion and kind
 * from the envelope. `expectedKind` is used when the envelope leaves the type out.
 */
export function decodeProtobuf(body: Buffer, expected?: { apiVersion: string; kind: string }): unknown {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw malformed('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const envelope = new Reader(body.subarray(MAGIC.length));
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  for (const [field, wireType] of envelope.fields()) {
    if (field === 1) {
      const typeMeta = new Reader(envelope.bytes());
      for (const [tf, tw] of typeMeta.fields()) {
        if (tf === 1) apiVersion = typeMeta.bytes().toString('utf8');
        else if (tf === 2) kind = typeMeta.bytes().toString('utf8');
        else typeMeta.skip(tw);
      }
    } else if (field === 2) {
      raw = envelope.bytes();
    } else {
      envelope.skip(wireType);
    }
  }
  if (!kind && expected) ({ apiVersion, kind } = expected);
  if (!KINDS[apiVersion]?.includes(kind)) throw unsupported();
  const object = message(raw, kind) as Record<string, unknown>;
  return { apiVersion, kind, ...object };
}
