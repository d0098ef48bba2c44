/**
 * The create-only review resources (pkg/registry/authorization/* and
 * pkg/registry/authentication/selfsubjectreview): `kubectl auth can-i` (SelfSubjectAccessReview),
 * `kubectl auth can-i --list` (SelfSubjectRulesReview), SubjectAccessReview, and `kubectl auth
 * whoami` (SelfSubjectReview). Each answers in the apiVersion the request was sent in.
 */
import { ApiError, badRequest, type FieldError } from '../api/errors.js';
import { goQuote } from '../api/go-format.js';
import { isPlainObject, type KubeObject } from '../api/objects.js';
import { type Store, timestamp } from '../store/store.js';
import { rulesFor } from './rbac.js';
import type { Attributes, Authorizer, UserInfo } from './user.js';

const AUTHORIZATION_GROUP = 'authorization.k8s.io';

/** The Go types a body is decoded into, for the decoder's type errors. */
type FieldSchema = 'string' | '[]string' | 'extra' | StructSchema;

interface StructSchema {
  struct: string;
  fields: Record<string, FieldSchema>;
}

const RESOURCE_ATTRIBUTES: StructSchema = {
  struct: 'ResourceAttributes',
  fields: {
    namespace: 'string',
    verb: 'string',
    group: 'string',
    version: 'string',
    resource: 'string',
    subresource: 'string',
    name: 'string',
  },
};

const NON_RESOURCE_ATTRIBUTES: StructSchema = {
  struct: 'NonResourceAttributes',
  fields: { path: 'string', verb: 'string' },
};

const SCHEMAS: Record<string, StructSchema> = {
  SelfSubjectAccessReview: {
    struct: 'SelfSubjectAccessReview',
    fields: {
      spec: {
        struct: 'SelfSubjectAccessReviewSpec',
        fields: { resourceAttributes: RESOURCE_ATTRIBUTES, nonResourceAttributes: NON_RESOURCE_ATTRIBUTES },
      },
    },
  },
  SubjectAccessReview: {
    struct: 'SubjectAccessReview',
    fields: {
      spec: {
        struct: 'SubjectAccessReviewSpec',
        fields: {
          resourceAttributes: RESOURCE_ATTRIBUTES,
          nonResourceAttributes: NON_RESOURCE_ATTRIBUTES,
          user: 'string',
          groups: '[]string',
          extra: 'extra',
          uid: 'string',
        },
      },
    },
  },
  SelfSubjectRulesReview: {
    struct: 'SelfSubjectRulesReview',
    fields: { spec: { struct: 'SelfSubjectRulesReviewSpec', fields: { namespace: 'string' } } },
  },
  SelfSubjectReview: { struct: 'SelfSubjectReview', fields: {} },
};

const DEFAULT_API_VERSIONS: Record<string, string> = {
  SelfSubjectAccessReview: `${AUTHORIZATION_GROUP}/v1`,
  SubjectAccessReview: `${AUTHORIZATION_GROUP}/v1`,
  SelfSubjectRulesReview: `${AUTHORIZATION_GROUP}/v1`,
  SelfSubjectReview: 'authentication.k8s.io/v1',
};

type Spec = Record<string, unknown>;

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

/**
 * Answers a review `kind` created by `user`. Throws 400 for bodies that do not decode and 422 for
 * invalid specs, with the apiserver's texts.
 */
export function review(
  kind: string,
  body: KubeObject,
  user: UserInfo,
  authorizer: Authorizer,
  store: Store,
): KubeObject {
  const schema = SCHEMAS[kind];
  if (!schema) throw badRequest(`not a review kind: ${kind}`);
  const apiVersion = body.apiVersion || (DEFAULT_API_VERSIONS[kind] ?? '');
  checkTypes(kind, apiVersion, body, schema);
  const spec = isPlainObject(body.spec) ? body.spec : {};
  switch (kind) {
    case 'SelfSubjectAccessReview':
      return selfSubjectAccessReview(apiVersion, body, spec, user, authorizer);
    case 'SubjectAccessReview':
      return subjectAccessReview(apiVersion, body, spec, authorizer);
    case 'SelfSubjectRulesReview':
      return selfSubjectRulesReview(apiVersion, spec, user, store);
    default:
      return selfSubjectReview(apiVersion, user, store);
  }
}

function selfSubjectAccessReview(
  apiVersion: string,
  body: KubeObject,
  spec: Spec,
  user: UserInfo,
  authorizer: Authorizer,
): KubeObject {
  const resourceAttributes = readResourceAttributes(spec.resourceAttributes);
  const nonResourceAttributes = readNonResourceAttributes(spec.nonResourceAttributes);
  const errors = [
    ...validateAttributes(resourceAttributes, nonResourceAttributes),
    ...validateEmptyMetadata(body),
  ];
  if (errors.length > 0) throw invalidReview(errors);
  const echoed: Spec = {};
  if (resourceAttributes) echoed.resourceAttributes = resourceAttributes;
  if (nonResourceAttributes) echoed.nonResourceAttributes = nonResourceAttributes;
  const attributes = toAttributes(user, resourceAttributes, nonResourceAttributes);
  return reviewObject(apiVersion, 'SelfSubjectAccessReview', echoed, accessStatus(authorizer, attributes));
}

function subjectAccessReview(
  apiVersion: string,
  body: KubeObject,
  spec: Spec,
  authorizer: Authorizer,
): KubeObject {
  const resourceAttributes = readResourceAttributes(spec.resourceAttributes);
  const nonResourceAttributes = readNonResourceAttributes(spec.nonResourceAttributes);
  const username = typeof spec.user === 'string' ? spec.user : '';
  const groups = Array.isArray(spec.groups) ? spec.groups.map((g) => (typeof g === 'string' ? g : '')) : [];
  const uid = typeof spec.uid === 'string' ? spec.uid : '';
  const extra = readExtra(spec.extra);
  const errors = validateAttributes(resourceAttributes, nonResourceAttributes);
  if (!username && groups.length === 0) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.user',
      detail: `Invalid value: "": at least one of user or group must be specified`,
    });
  }
  errors.push(...validateEmptyMetadata(body));
  if (errors.length > 0) throw invalidReview(errors);

  // The subject is taken as given: no system:authenticated is added, unlike for a real request.
  const subject: UserInfo = { username, groups };
  if (uid) subject.uid = uid;
  if (extra) subject.extra = extra;
  const echoed: Spec = {};
  if (resourceAttributes) echoed.resourceAttributes = resourceAttributes;
  if (nonResourceAttributes) echoed.nonResourceAttributes = nonResourceAttributes;
  if (username) echoed.user = username;
  if (groups.length > 0) echoed.groups = groups;
  if (extra) echoed.extra = extra;
  if (uid) echoed.uid = uid;
  const attributes = toAttributes(subject, resourceAttributes, nonResourceAttributes);
  return reviewObject(apiVersion, 'SubjectAccessReview', echoed, accessStatus(authorizer, attributes));
}

function selfSubjectRulesReview(apiVersion: string, spec: Spec, user: UserInfo, store: Store): KubeObject {
  const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
  if (!namespace) throw badRequest('no namespace on request');
  const rules = rulesFor(store, user, namespace);
  // The apiserver answers with a fresh object: the spec it was sent is not echoed.
  const status: Record<string, unknown> = {
    resourceRules: rules.resourceRules,
    nonResourceRules: rules.nonResourceRules,
    incomplete: false,
  };
  if (rules.evaluationError) status.evaluationError = rules.evaluationError;
  return reviewObject(apiVersion, 'SelfSubjectRulesReview', {}, status);
}

function selfSubjectReview(apiVersion: string, user: UserInfo, store: Store): KubeObject {
  const userInfo: Record<string, unknown> = {};
  if (user.username) userInfo.username = user.username;
  if (user.uid) userInfo.uid = user.uid;
  if (user.groups.length > 0) userInfo.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) userInfo.extra = structuredClone(user.extra);
  return {
    kind: 'SelfSubjectReview',
    apiVersion,
    metadata: { creationTimestamp: timestamp(store.now()) },
    status: { userInfo },
  };
}

function reviewObject(
  apiVersion: string,
  kind: string,
  spec: Spec,
  status: Record<string, unknown>,
): KubeObject {
  return {
    kind,
    apiVersion,
    // A zero metav1.Time, which the apiserver serializes as null.
    metadata: { creationTimestamp: null } as unknown as KubeObject['metadata'],
    spec,
    status,
  };
}

function accessStatus(authorizer: Authorizer, attributes: Attributes): Record<string, unknown> {
  const decision = authorizer.authorize(attributes);
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return status;
}

/** authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
function toAttributes(
  user: UserInfo,
  resource: ResourceAttributes | undefined,
  nonResource: NonResourceAttributes | undefined,
): Attributes {
  if (resource) {
    return {
      user,
      verb: resource.verb ?? '',
      resourceRequest: true,
      apiGroup: resource.group ?? '',
      apiVersion: resource.version || '*',
      resource: resource.resource ?? '',
      subresource: resource.subresource ?? '',
      namespace: resource.namespace ?? '',
      name: resource.name ?? '',
      path: '',
    };
  }
  return {
    user,
    verb: nonResource?.verb ?? '',
    resourceRequest: false,
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    path: nonResource?.path ?? '',
  };
}

function validateAttributes(
  resource: ResourceAttributes | undefined,
  nonResource: NonResourceAttributes | undefined,
): FieldError[] {
  if (resource && nonResource) {
    const value = `authorization.NonResourceAttributes{Path:${goQuote(nonResource.path ?? '')}, Verb:${goQuote(nonResource.verb ?? '')}}`;
    return [
      {
        type: 'FieldValueInvalid',
        field: 'spec.nonResourceAttributes',
        detail: `Invalid value: ${value}: cannot be specified in combination with resourceAttributes`,
      },
    ];
  }
  if (!resource && !nonResource) {
    return [
      {
        type: 'FieldValueInvalid',
        field: 'spec.resourceAttributes',
        detail: `Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
      },
    ];
  }
  return [];
}

/** Reviews are not stored, so they may carry no metadata beyond what clients send by default. */
function validateEmptyMetadata(body: KubeObject): FieldError[] {
  const meta = isPlainObject(body.metadata) ? body.metadata : {};
  const set = Object.entries(meta).filter(
    ([key, value]) => key !== 'managedFields' && value !== null && value !== undefined && value !== '',
  );
  if (set.length === 0) return [];
  return [
    {
      type: 'FieldValueInvalid',
      field: 'metadata',
      detail: `Invalid value: ${goObjectMeta(meta)}: must be empty`,
    },
  ];
}

/** The ObjectMeta fields a review body plausibly sets, printed as the Go protobuf String() does. */
function goObjectMeta(meta: Record<string, unknown>): string {
  const text = (key: string) => (typeof meta[key] === 'string' ? meta[key] : '');
  return `&ObjectMeta{Name:${text('name')},GenerateName:${text('generateName')},Namespace:${text('namespace')},SelfLink:,UID:,ResourceVersion:,Generation:0,CreationTimestamp:0001-01-01 00:00:00 +0000 UTC,DeletionTimestamp:<nil>,DeletionGracePeriodSeconds:nil,Labels:map[string]string{},Annotations:map[string]string{},OwnerReferences:[]OwnerReference{},Finalizers:[],ManagedFields:[]ManagedFieldsEntry{},}`;
}

/** apierrors.NewInvalid with the review's empty Kind and name, as the review REST handlers call it. */
function invalidReview(errors: FieldError[]): ApiError {
  const list = errors.map((e) => `${e.field}: ${e.detail}`);
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', `.${AUTHORIZATION_GROUP} "" is invalid: ${summary}`, {
    group: AUTHORIZATION_GROUP,
    causes: errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
  });
}

function readResourceAttributes(value: unknown): ResourceAttributes | undefined {
  return isPlainObject(value)
    ? (pickStrings(value, Object.keys(RESOURCE_ATTRIBUTES.fields)) as ResourceAttributes)
    : undefined;
}

function readNonResourceAttributes(value: unknown): NonResourceAttributes | undefined {
  return isPlainObject(value)
    ? (pickStrings(value, Object.keys(NON_RESOURCE_ATTRIBUTES.fields)) as NonResourceAttributes)
    : undefined;
}

/** The decoded-and-re-encoded form: known fields only, in the Go field order, empty ones omitted. */
function pickStrings(value: Record<string, unknown>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const field = value[key];
    if (typeof field === 'string' && field !== '') out[key] = field;
  }
  return out;
}

function readExtra(value: unknown): Record<string, string[]> | undefined {
  if (!isPlainObject(value)) return undefined;
  const extra: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(value)) {
    extra[key] = Array.isArray(values) ? values.map((v) => (typeof v === 'string' ? v : '')) : [];
  }
  return Object.keys(extra).length > 0 ? extra : undefined;
}

/**
 * The first JSON type mismatch in document order, reported as the apiserver's decoder does:
 * `<Kind> in version "v1" cannot be handled as a <Kind>: json: cannot unmarshal ...`.
 */
function checkTypes(kind: string, apiVersion: string, body: KubeObject, schema: StructSchema): void {
  const mismatch = findMismatch(body, schema, []);
  if (!mismatch) return;
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  throw badRequest(
    `${kind} in version ${goQuote(version)} cannot be handled as a ${kind}: json: cannot unmarshal ${mismatch.value} into Go struct field ${mismatch.struct}.${mismatch.path.join('.')} of type ${mismatch.type}`,
  );
}

interface Mismatch {
  value: string;
  struct: string;
  path: string[];
  type: string;
}

function findMismatch(
  object: Record<string, unknown>,
  schema: StructSchema,
  path: string[],
): Mismatch | undefined {
  for (const [key, value] of Object.entries(object)) {
    const field = schema.fields[key];
    if (!field || value === null) continue;
    const at = [...path, key];
    const wrong = (type: string, struct = schema.struct, fieldPath = at): Mismatch => ({
      value: jsonType(value),
      struct,
      path: fieldPath,
      type,
    });
    if (field === 'string') {
      if (typeof value !== 'string') return wrong('string');
    } else if (field === '[]string') {
      if (!Array.isArray(value)) return wrong('[]string');
      const bad = value.find((item) => item !== null && typeof item !== 'string');
      if (bad !== undefined) return { ...wrong('string'), value: jsonType(bad) };
    } else if (field === 'extra') {
      if (!isPlainObject(value)) return wrong('map[string]v1.ExtraValue');
      for (const [extraKey, values] of Object.entries(value)) {
        if (values === null) continue;
        const extraAt = [...at, extraKey];
        if (!Array.isArray(values))
          return { ...wrong('v1.ExtraValue', schema.struct, extraAt), value: jsonType(values) };
        const bad = values.find((item) => item !== null && typeof item !== 'string');
        if (bad !== undefined) return { ...wrong('string', schema.struct, extraAt), value: jsonType(bad) };
      }
    } else {
      if (!isPlainObject(value)) return wrong(`v1.${field.struct}`);
      const nested = findMismatch(value, field, at);
      if (nested) return nested;
    }
  }
  return undefined;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'object';
}
