/**
 * The OpenAPI documents kube-apiserver publishes under /openapi/, for the resources kube-sim serves.
 *
 * kubectl reads them for three things: whether the server validates fields itself (a PATCH operation
 * for the kind with a `fieldValidation` query parameter in /openapi/v3, else it validates client-side
 * against /openapi/v2 and fails when that is missing), how to build strategic merge patches in
 * `kubectl apply` (the kind's schema with its `x-kubernetes-patch-*` extensions), and `kubectl explain`.
 * /openapi/v2 is only fetched as protobuf, and only when v3 falls short; kube-sim answers it 406, on
 * which kubectl falls back to its compiled-in types exactly as it would for a missing v3 answer.
 */
import { createHash } from 'node:crypto';
import { SCALAR_SCHEMAS, TYPE_DEFS } from './openapi-schemas.js';
import { apiVersionOf, RESOURCES, type ResourceType } from './resources.js';

export interface OpenAPIResponse {
  status: number;
  contentType: string;
  body: string | Buffer;
  etag?: string;
  /** Further response headers: Cache-Control, Expires, Vary on hashed URLs, Location on redirects. */
  headers?: Record<string, string>;
}

type Json = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const JSON_TYPE = 'application/json';
const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** Go package of the k8s.io/api types per API group. */
const PACKAGES: Record<string, string> = {
  '': 'core',
  apps: 'apps',
  autoscaling: 'autoscaling',
  policy: 'policy',
  'authentication.k8s.io': 'authentication',
  'authorization.k8s.io': 'authorization',
  'rbac.authorization.k8s.io': 'rbac',
  'networking.k8s.io': 'networking',
};

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** The OpenAPI schema name of a kind: `io.k8s.api.core.v1.ConfigMap`. */
export function schemaNameOf({ group, version, kind }: Gvk): string {
  // The apiextensions types live in their own Go module, and their schemas are named after it.
  if (group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${kind}`;
  return `io.k8s.api.${PACKAGES[group] ?? group}.${version}.${kind}`;
}

function ref(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

/** "rbac.authorization.k8s.io" → "RbacAuthorization", as the apiserver spells operation ids and tags. */
function groupWord(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function capitalize(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Schemas

function propertySchema(type: string, description?: string, extensions?: Json): Json {
  const siblings: Json = { ...(description ? { description } : {}), ...extensions };
  if (type.startsWith('#')) {
    // kube-openapi wraps a reference in allOf when it has siblings, since $ref siblings are ignored.
    return Object.keys(siblings).length ? { allOf: [ref(type.slice(1))], ...siblings } : ref(type.slice(1));
  }
  if (type.startsWith('[]')) return { type: 'array', items: propertySchema(type.slice(2)), ...siblings };
  if (type.startsWith('{}'))
    return { type: 'object', additionalProperties: propertySchema(type.slice(2)), ...siblings };
  const [base, format] = type.split(':');
  return { type: base, ...(format ? { format } : {}), ...siblings };
}

function referencedTypes(type: string): string[] {
  const name = type.replace(/^(\[\]|\{\})+/, '');
  return name.startsWith('#') ? [name.slice(1)] : [];
}

function componentSchema(name: string, gvks: Gvk[] | undefined): Json {
  const scalar = SCALAR_SCHEMAS[name];
  if (scalar) return { description: scalar.description, ...scalar.schema };
  const def = TYPE_DEFS[name];
  if (!def) {
    // A kind added to resources.ts before openapi-schemas.ts is regenerated: publish it as
    // schemaless so kubectl still finds its operations (openapi.test.ts flags it).
    return {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      ...(gvks ? { 'x-kubernetes-group-version-kind': gvks } : {}),
    };
  }
  const properties: Json = {};
  for (const [field, [type, description, extensions]] of Object.entries(def.properties)) {
    properties[field] = propertySchema(type, description, extensions);
  }
  return {
    description: def.description,
    properties,
    ...(def.required ? { required: def.required } : {}),
    type: 'object',
    ...def.extensions,
    ...(gvks ? { 'x-kubernetes-group-version-kind': gvks } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Operations

const FIELD_VALIDATION =
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.';

const QUERY: Record<string, [type: string, description: string]> = {
  allowWatchBookmarks: [
    'boolean',
    'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server\'s discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session. If this is not a watch, this field is ignored.',
  ],
  continue: [
    'string',
    'The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize.',
  ],
  dryRun: [
    'string',
    'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
  ],
  fieldManager: [
    'string',
    'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.',
  ],
  fieldSelector: [
    'string',
    'A selector to restrict the list of returned objects by their fields. Defaults to everything.',
  ],
  fieldValidation: ['string', FIELD_VALIDATION],
  force: [
    'boolean',
    'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.',
  ],
  gracePeriodSeconds: [
    'integer',
    'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.',
  ],
  labelSelector: [
    'string',
    'A selector to restrict the list of returned objects by their labels. Defaults to everything.',
  ],
  limit: [
    'integer',
    'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.',
  ],
  orphanDependents: [
    'boolean',
    'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.',
  ],
  propagationPolicy: [
    'string',
    "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
  ],
  resourceVersion: [
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset',
  ],
  resourceVersionMatch: [
    'string',
    'resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset',
  ],
  sendInitialEvents: [
    'boolean',
    '`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection. Once all such events have been sent, a synthetic "Bookmark" event  will be sent.',
  ],
  timeoutSeconds: [
    'integer',
    'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.',
  ],
  watch: [
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.',
  ],
  pretty: [
    'string',
    "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line tool (curl and wget).",
  ],
  container: [
    'string',
    'The container for which to stream logs. Defaults to only container if there is one container in the pod.',
  ],
  follow: ['boolean', 'Follow the log stream of the pod. Defaults to false.'],
  insecureSkipTLSVerifyBackend: [
    'boolean',
    "insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity of the serving certificate of the backend it is connecting to.  This will make the HTTPS connection between the apiserver and the backend insecure. This means the apiserver cannot verify the log data it is receiving came from the real kubelet.  If the kubelet is configured to verify the apiserver's TLS credentials, it does not mean the connection to the real kubelet is vulnerable to a man in the middle attack (e.g. an attacker could not intercept the actual log data coming from the real kubelet).",
  ],
  limitBytes: [
    'integer',
    'If set, the number of bytes to read from the server before terminating the log output. This may not display a complete final line of logging, and may return slightly more or slightly less than the specified limit.',
  ],
  previous: ['boolean', 'Return previous terminated container logs. Defaults to false.'],
  sinceSeconds: [
    'integer',
    'A relative time in seconds before the current time from which to show logs. If this value precedes the time a pod was started, only logs since the pod start will be returned. If this value is in the future, no logs will be returned. Only one of sinceSeconds or sinceTime may be specified.',
  ],
  tailLines: [
    'integer',
    'If set, the number of lines from the end of the logs to show. If not specified, logs are shown from the creation of the container or sinceSeconds or sinceTime',
  ],
  timestamps: [
    'boolean',
    'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. Defaults to false.',
  ],
  command: ['string', 'Command is the remote command to execute. argv array. Not executed within a shell.'],
  stdin: ['boolean', 'Redirect the standard input stream of the pod for this call. Defaults to false.'],
  stdout: ['boolean', 'Redirect the standard output stream of the pod for this call.'],
  stderr: ['boolean', 'Redirect the standard error stream of the pod for this call.'],
  tty: [
    'boolean',
    'TTY if true indicates that a tty will be allocated for the exec call. Defaults to false.',
  ],
  ports: ['integer', 'List of ports to forward Required when using WebSockets'],
};

const LIST_PARAMS = [
  'allowWatchBookmarks',
  'continue',
  'fieldSelector',
  'labelSelector',
  'limit',
  'resourceVersion',
  'resourceVersionMatch',
  'sendInitialEvents',
  'timeoutSeconds',
  'watch',
];
const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'];
const DELETE_PARAMS = ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy'];
const LOG_PARAMS = [
  'container',
  'follow',
  'insecureSkipTLSVerifyBackend',
  'limitBytes',
  'previous',
  'sinceSeconds',
  'tailLines',
  'timestamps',
];
const CONNECT_PARAMS: Record<string, string[]> = {
  exec: ['command', 'container', 'stderr', 'stdin', 'stdout', 'tty'],
  attach: ['container', 'stderr', 'stdin', 'stdout', 'tty'],
  portforward: ['ports'],
};

function queryParams(names: string[]): Json[] {
  return names.map((name) => {
    const [type, description] = QUERY[name]!;
    return { description, in: 'query', name, schema: { type, uniqueItems: true } };
  });
}

function pathParam(name: string, description: string): Json {
  return { description, in: 'path', name, required: true, schema: { type: 'string', uniqueItems: true } };
}

const OBJECT_MEDIA = ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml'];
const LIST_MEDIA = [
  ...OBJECT_MEDIA,
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf;stream=watch',
];
const PATCH_MEDIA = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

function content(media: string[], schema: Json): Json {
  return Object.fromEntries(media.map((m) => [m, { schema }]));
}

function responses(codes: Record<string, string>, schema: Json | undefined, media = OBJECT_MEDIA): Json {
  const out: Json = {};
  for (const [code, description] of Object.entries(codes)) {
    out[code] = schema ? { content: content(media, schema), description } : { description };
  }
  out['401'] = { description: 'Unauthorized' };
  return out;
}

interface OperationSpec {
  action: string;
  verbWord: string;
  description: string;
  gvk: Gvk;
  /** Operation id after the verb and group/version: `NamespacedPod`, `NamespacedPodStatus`. */
  idSuffix: string;
  params?: string[];
  requestBody?: Json;
  responses: Json;
}

function operation(tag: string, idPrefix: string, op: OperationSpec): Json {
  return {
    description: op.description,
    operationId: `${op.verbWord}${idPrefix}${op.idSuffix}`,
    ...(op.params?.length ? { parameters: queryParams(op.params) } : {}),
    ...(op.requestBody ? { requestBody: op.requestBody } : {}),
    responses: op.responses,
    tags: [tag],
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
}

/** The paths for one resource: its collection(s), items and subresources. */
function resourcePaths(r: ResourceType, tag: string, idPrefix: string, extraSchemas: Set<string>): Json {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const gvk: Gvk = { group: r.group, version: r.version, kind: r.kind };
  const kindRef = ref(schemaNameOf(gvk));
  const listRef = ref(schemaNameOf({ ...gvk, kind: r.listKind }));
  const statusRef = ref(`${META}.Status`);
  const scope = r.namespaced ? 'Namespaced' : '';
  const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const item = `${collection}/{name}`;
  const has = (verb: string) => r.verbs.includes(verb);
  const nsParam = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
  const pretty = queryParams(['pretty']);
  const paths: Json = {};
  const writeBody = (schema: Json): Json => ({ content: { '*/*': { schema } }, required: true });
  const patchBody: Json = { content: content(PATCH_MEDIA, ref(`${META}.Patch`)), required: true };
  const deleteBody: Json = { content: { '*/*': { schema: ref(`${META}.DeleteOptions`) } } };
  const op = (spec: OperationSpec) => operation(tag, idPrefix, spec);

  const collectionItem: Json = { parameters: [...(r.namespaced ? [nsParam] : []), ...pretty] };
  if (has('list')) {
    collectionItem.get = op({
      action: 'list',
      verbWord: 'list',
      description: `list or watch objects of kind ${r.kind}`,
      gvk,
      idSuffix: `${scope}${r.kind}`,
      params: LIST_PARAMS,
      responses: responses({ '200': 'OK' }, listRef, LIST_MEDIA),
    });
  }
  if (has('create')) {
    collectionItem.post = op({
      action: 'post',
      verbWord: 'create',
      description: `create a ${r.kind}`,
      gvk,
      idSuffix: `${scope}${r.kind}`,
      params: WRITE_PARAMS,
      requestBody: writeBody(kindRef),
      responses: responses({ '200': 'OK', '201': 'Created', '202': 'Accepted' }, kindRef),
    });
  }
  if (has('deletecollection')) {
    collectionItem.delete = op({
      action: 'deletecollection',
      verbWord: 'delete',
      description: `delete collection of ${r.kind}`,
      gvk,
      idSuffix: `Collection${scope}${r.kind}`,
      params: [
        ...DELETE_PARAMS,
        ...LIST_PARAMS.filter((p) => p !== 'allowWatchBookmarks' && p !== 'watch'),
      ].sort(),
      requestBody: deleteBody,
      responses: responses({ '200': 'OK' }, statusRef),
    });
  }
  paths[collection] = collectionItem;

  if (r.namespaced && has('list')) {
    paths[`${prefix}/${r.plural}`] = {
      get: op({
        action: 'list',
        verbWord: 'list',
        description: `list or watch objects of kind ${r.kind}`,
        gvk,
        idSuffix: `${r.kind}ForAllNamespaces`,
        params: LIST_PARAMS,
        responses: responses({ '200': 'OK' }, listRef, LIST_MEDIA),
      }),
      parameters: pretty,
    };
  }

  if (r.virtual) return paths;

  const itemParams = [
    pathParam('name', `name of the ${r.kind}`),
    ...(r.namespaced ? [nsParam] : []),
    ...pretty,
  ];
  const readReplacePatch = (
    suffix: string,
    what: string,
    subGvk: Gvk,
    schema: Json,
    verbs: string[],
  ): Json => {
    const ops: Json = { parameters: itemParams };
    if (verbs.includes('get')) {
      ops.get = op({
        action: 'get',
        verbWord: 'read',
        description: `read ${what}`,
        gvk: subGvk,
        idSuffix: `${scope}${r.kind}${suffix}`,
        responses: responses({ '200': 'OK' }, schema),
      });
    }
    if (verbs.includes('update')) {
      ops.put = op({
        action: 'put',
        verbWord: 'replace',
        description: `replace ${what}`,
        gvk: subGvk,
        idSuffix: `${scope}${r.kind}${suffix}`,
        params: WRITE_PARAMS,
        requestBody: writeBody(schema),
        responses: responses({ '200': 'OK', '201': 'Created' }, schema),
      });
    }
    if (verbs.includes('patch')) {
      ops.patch = op({
        action: 'patch',
        verbWord: 'patch',
        description: `partially update ${what}`,
        gvk: subGvk,
        idSuffix: `${scope}${r.kind}${suffix}`,
        params: [...WRITE_PARAMS, 'force'],
        requestBody: patchBody,
        responses: responses({ '200': 'OK', '201': 'Created' }, schema),
      });
    }
    return ops;
  };

  const itemOps = readReplacePatch('', `the specified ${r.kind}`, gvk, kindRef, r.verbs);
  if (has('delete')) {
    itemOps.delete = op({
      action: 'delete',
      verbWord: 'delete',
      description: `delete a ${r.kind}`,
      gvk,
      idSuffix: `${scope}${r.kind}`,
      params: DELETE_PARAMS,
      requestBody: deleteBody,
      responses: responses({ '200': 'OK', '202': 'Accepted' }, statusRef),
    });
  }
  paths[item] = itemOps;

  for (const sub of r.subresources) {
    const subGvk: Gvk = { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind };
    const suffix = capitalize(sub.name === 'portforward' ? 'Portforward' : sub.name);
    const path = `${item}/${sub.name}`;
    if (sub.name === 'status' || sub.name === 'scale' || sub.name === 'finalize') {
      const schema = ref(schemaNameOf(subGvk));
      if (sub.name === 'scale') extraSchemas.add(schemaNameOf(subGvk));
      const what =
        sub.name === 'finalize'
          ? `finalize of the specified ${r.kind}`
          : `${sub.name} of the specified ${r.kind}`;
      paths[path] = readReplacePatch(suffix, what, subGvk, schema, sub.verbs);
    } else if (sub.name === 'log') {
      paths[path] = {
        get: op({
          action: 'get',
          verbWord: 'read',
          description: `read log of the specified ${r.kind}`,
          gvk: subGvk,
          idSuffix: `${scope}${r.kind}Log`,
          params: LOG_PARAMS,
          responses: responses({ '200': 'OK' }, { type: 'string' }, [
            'application/json',
            'application/vnd.kubernetes.protobuf',
            'application/yaml',
            'text/plain',
          ]),
        }),
        parameters: itemParams,
      };
    } else if (CONNECT_PARAMS[sub.name]) {
      const connect: Json = {
        parameters: [pathParam('name', `name of the ${subGvk.kind}`), ...(r.namespaced ? [nsParam] : [])],
      };
      for (const method of ['get', 'post']) {
        connect[method] = op({
          action: 'connect',
          verbWord: `connect${capitalize(method)}`,
          description: `connect ${method.toUpperCase()} requests to ${sub.name} of ${r.kind}`,
          gvk: subGvk,
          idSuffix: `${scope}${r.kind}${suffix}`,
          params: CONNECT_PARAMS[sub.name],
          responses: responses({ '200': 'OK' }, { type: 'string' }, ['*/*']),
        });
      }
      paths[path] = connect;
    } else {
      // binding, eviction, token: create-only subresources that take their own kind.
      const schema = ref(schemaNameOf(subGvk));
      extraSchemas.add(schemaNameOf(subGvk));
      paths[path] = {
        parameters: [
          pathParam('name', `name of the ${subGvk.kind}`),
          ...(r.namespaced ? [nsParam] : []),
          ...pretty,
        ],
        post: op({
          action: 'post',
          verbWord: 'create',
          description: `create ${sub.name} of a ${r.kind}`,
          gvk: subGvk,
          idSuffix: `${scope}${r.kind}${suffix}`,
          params: WRITE_PARAMS,
          requestBody: writeBody(schema),
          responses: responses({ '200': 'OK', '201': 'Created', '202': 'Accepted' }, schema),
        }),
      };
    }
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------
// Documents

interface Document {
  /** Key in the /openapi/v3 discovery document: `api/v1`, `apis/apps/v1`. */
  key: string;
  json: string;
  hash: string;
}

function groupVersionDocument(group: string, version: string): string {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  const tag = `${group ? groupWord(group).replace(/^./, (c) => c.toLowerCase()) : 'core'}_${version}`;
  const idPrefix = `${groupWord(group)}${capitalize(version)}`;
  const extraSchemas = new Set<string>();
  let paths: Json = {};
  for (const r of resources) paths = { ...paths, ...resourcePaths(r, tag, idPrefix, extraSchemas) };

  const allGvs = [...new Set(RESOURCES.map((r) => apiVersionOf(r)))];
  const gvks = new Map<string, Gvk[]>();
  const kindOf = (gvk: Gvk) => gvks.set(schemaNameOf(gvk), [gvk]);
  for (const r of resources) {
    kindOf({ group, version, kind: r.kind });
    if (!r.virtual) kindOf({ group, version, kind: r.listKind });
    for (const sub of r.subresources) {
      const subGvk = { group: sub.group ?? group, version: sub.version ?? version, kind: sub.kind };
      if (extraSchemas.has(schemaNameOf(subGvk))) kindOf(subGvk);
    }
  }
  // meta/v1 kinds are registered in every group version, so each names them all.
  const everywhere = (kind: string) =>
    allGvs.map((gv) => {
      const [g, v] = gv.includes('/') ? gv.split('/') : ['', gv];
      return { group: g!, version: v!, kind };
    });
  gvks.set(`${META}.DeleteOptions`, everywhere('DeleteOptions'));
  gvks.set(`${META}.WatchEvent`, everywhere('WatchEvent'));
  gvks.set(`${META}.Status`, [{ group: '', version: 'v1', kind: 'Status' }]);

  const wanted = [...gvks.keys(), `${META}.APIResourceList`, `${META}.Patch`];
  const schemas: Record<string, Json> = {};
  const queue = [...wanted];
  while (queue.length) {
    const name = queue.pop()!;
    if (schemas[name]) continue;
    schemas[name] = componentSchema(name, gvks.get(name));
    for (const [type] of Object.values(TYPE_DEFS[name]?.properties ?? {}))
      queue.push(...referencedTypes(type));
  }
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1)));
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify({
    components: {
      schemas: sortedSchemas,
      securitySchemes: {
        BearerToken: {
          description: 'Bearer Token authentication',
          in: 'header',
          name: 'authorization',
          type: 'apiKey',
        },
      },
    },
    info: { title: 'Kubernetes', version: 'unversioned' },
    openapi: '3.0.0',
    paths: sortedPaths,
    security: [{ BearerToken: [] }],
  });
}

/** SHA-512 of the served bytes in upper-case hex: kube-openapi's ETag and discovery hash. */
function hashOf(data: string): string {
  return createHash('sha512').update(data).digest('hex').toUpperCase();
}

let documents: Map<string, Document> | undefined;

/** Built on first use: the core document alone is several hundred kilobytes. */
function allDocuments(): Map<string, Document> {
  if (!documents) {
    documents = new Map();
    for (const r of RESOURCES) {
      const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
      if (documents.has(key)) continue;
      const json = groupVersionDocument(r.group, r.version);
      documents.set(key, { key, json, hash: hashOf(json) });
    }
  }
  return documents;
}

function discovery(): string {
  const paths: Json = {};
  for (const doc of [...allDocuments().values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    paths[doc.key] = { serverRelativeURL: `/openapi/v3/${doc.key}?hash=${doc.hash}` };
  }
  return JSON.stringify({ paths });
}

// ---------------------------------------------------------------------------------------------
// OpenAPI v2

/**
 * kubectl 1.27 and 1.28 ask /openapi/v2 (as protobuf only) whether the server validates fields: a
 * PATCH operation for the kind carrying the `fieldValidation` query parameter. Without an answer
 * every create/apply/replace fails, so v2 is published with the operations of the v3 documents.
 * It has no definitions: with none, kubectl 1.27/1.28 `apply` builds strategic merge patches from
 * its compiled-in types, which is what the definitions would say for these built-in kinds.
 */
interface Swagger {
  json: string;
  protobuf: Buffer;
  hash: string;
}

let swaggerDocument: Swagger | undefined;

function swagger(): Swagger {
  if (swaggerDocument) return swaggerDocument;
  const paths: Record<string, Record<string, Json>> = {};
  for (const doc of allDocuments().values()) {
    for (const [path, item] of Object.entries(
      (JSON.parse(doc.json) as { paths: Record<string, Json> }).paths,
    )) {
      const v2Item: Record<string, Json> = {};
      for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
        const op = item[method] as Json | undefined;
        if (!op) continue;
        const body = op.requestBody as { content: Json } | undefined;
        v2Item[method] = {
          consumes: body ? Object.keys(body.content) : ['*/*'],
          description: op.description,
          operationId: op.operationId,
          parameters: ((op.parameters ?? []) as Json[]).map((p) => ({
            description: p.description,
            in: p.in,
            name: p.name,
            type: (p.schema as Json).type,
            uniqueItems: true,
          })),
          produces: Object.keys(
            ((op.responses as Record<string, Json>)['200']?.content as Json | undefined) ?? {},
          ),
          responses: Object.fromEntries(
            Object.entries(op.responses as Record<string, Json>).map(([code, r]) => [
              code,
              { description: r.description },
            ]),
          ),
          schemes: ['https'],
          tags: op.tags,
          'x-kubernetes-action': op['x-kubernetes-action'],
          'x-kubernetes-group-version-kind': op['x-kubernetes-group-version-kind'],
        };
      }
      paths[path] = v2Item;
    }
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1)));
  const json = JSON.stringify({
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths: sorted,
  });
  swaggerDocument = { json, protobuf: encodeDocument(sorted), hash: hashOf(json) };
  return swaggerDocument;
}

/** Protocol buffer writer for the few gnostic openapi_v2 messages the document uses. */
class Proto {
  private readonly parts: Buffer[] = [];

  private varint(n: number): void {
    const bytes: number[] = [];
    let v = n;
    while (v > 0x7f) {
      bytes.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    bytes.push(v);
    this.parts.push(Buffer.from(bytes));
  }

  bytes(field: number, data: Buffer): this {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    this.parts.push(data);
    return this;
  }

  string(field: number, value: unknown): this {
    return typeof value === 'string' && value ? this.bytes(field, Buffer.from(value)) : this;
  }

  strings(field: number, values: unknown): this {
    for (const v of (values as string[] | undefined) ?? []) this.string(field, v);
    return this;
  }

  bool(field: number, value: boolean): this {
    if (value) {
      this.varint(field << 3);
      this.varint(1);
    }
    return this;
  }

  message(field: number, build: (m: Proto) => void): this {
    const m = new Proto();
    build(m);
    return this.bytes(field, m.done());
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Field numbers from gnostic's openapiv2/OpenAPIv2.proto. */
function encodeDocument(paths: Record<string, Record<string, Json>>): Buffer {
  const methodField: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, patch: 8 };
  const doc = new Proto()
    .string(1, '2.0')
    .message(2, (info) => info.string(1, 'Kubernetes').string(2, 'unversioned'))
    .message(8, (p) => {
      for (const [path, item] of Object.entries(paths)) {
        p.message(2, (named) =>
          named.string(1, path).message(2, (pathItem) => {
            for (const [method, op] of Object.entries(item))
              pathItem.message(methodField[method]!, (o) => encodeOperation(o, op));
          }),
        );
      }
    });
  return doc.done();
}

function encodeOperation(o: Proto, op: Json): void {
  o.strings(1, op.tags)
    .string(3, op.description)
    .string(5, op.operationId)
    .strings(6, op.produces)
    .strings(7, op.consumes);
  for (const param of op.parameters as Json[]) {
    o.message(8, (item) =>
      item.message(1, (parameter) =>
        parameter.message(2, (nonBody) =>
          nonBody.message(3, (q) =>
            q
              .string(2, param.in)
              .string(3, param.description)
              .string(4, param.name)
              .string(6, param.type)
              .bool(20, true),
          ),
        ),
      ),
    );
  }
  o.message(9, (responses) => {
    for (const [code, r] of Object.entries(op.responses as Record<string, Json>)) {
      responses.message(1, (named) =>
        named
          .string(1, code)
          .message(2, (value) => value.message(1, (resp) => resp.string(1, r.description))),
      );
    }
  });
  o.strings(10, op.schemes);
  for (const name of ['x-kubernetes-action', 'x-kubernetes-group-version-kind']) {
    // gnostic carries vendor extensions as YAML text; JSON is valid YAML.
    o.message(13, (ext) =>
      ext.string(1, name).message(2, (any) => any.string(2, `${JSON.stringify(op[name])}\n`)),
    );
  }
}

/**
 * Which of `offered` the Accept header picks, with goautoneg's wildcards; undefined when none
 * (the apiserver's OpenAPI handlers then answer 406). No Accept header means anything goes.
 */
function negotiate(accept: string | undefined, offered: string[]): string | undefined {
  if (!accept?.trim()) return offered[0];
  const clauses = accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim().split('=')).find(([k]) => k === 'q')?.[1];
      return { type: type.trim().toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((c) => c.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const clause of clauses) {
    const [type, subtype] = clause.type.split('/');
    for (const candidate of offered) {
      const [ctype, csubtype] = candidate.split('/');
      if ((type === '*' || type === ctype) && (subtype === '*' || subtype === csubtype)) return candidate;
    }
  }
  return undefined;
}

const NOT_ACCEPTABLE: OpenAPIResponse = { status: 406, contentType: 'text/plain; charset=utf-8', body: '' };
const NOT_FOUND: OpenAPIResponse = {
  status: 404,
  contentType: 'text/plain; charset=utf-8',
  body: '404 page not found\n',
};

/**
 * Answers a request for `path` (the request target, query included: `/openapi/v3/api/v1?hash=…`)
 * under /openapi/; undefined for any other path. The server is expected to send `etag` as the ETag
 * header, answer 304 to a matching If-None-Match, and send `headers` as given.
 */
export function openapiResponse(path: string, accept: string | undefined): OpenAPIResponse | undefined {
  const url = new URL(path, 'https://kube-sim.invalid');
  const pathname = url.pathname.replace(/\/+$/, '');
  if (pathname !== '/openapi' && !pathname.startsWith('/openapi/')) return undefined;

  if (pathname === '/openapi/v2') {
    const type = negotiate(accept, [JSON_TYPE, V2_PROTOBUF]);
    if (!type) return NOT_ACCEPTABLE;
    const v2 = swagger();
    const json = type === JSON_TYPE;
    // kube-openapi answers the protobuf request with a Content-Type Go's mime parser accepts ('@' is not a token character).
    const contentType = json ? JSON_TYPE : 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
    return {
      status: 200,
      contentType,
      body: json ? v2.json : v2.protobuf,
      etag: `"${v2.hash}"`,
      headers: { Vary: 'Accept' },
    };
  }

  if (pathname === '/openapi/v3') {
    const body = discovery();
    return { status: 200, contentType: JSON_TYPE, body, etag: `"${hashOf(body)}"` };
  }

  if (!pathname.startsWith('/openapi/v3/')) return NOT_FOUND;
  const doc = allDocuments().get(pathname.slice('/openapi/v3/'.length));
  if (!doc) return NOT_FOUND;
  // The protobuf rendering is not offered: kubectl and client-go ask for JSON.
  if (!negotiate(accept, [JSON_TYPE])) return NOT_ACCEPTABLE;
  const hash = url.searchParams.get('hash');
  if (hash && hash !== doc.hash) {
    // A stale hash (the document changed since discovery) is redirected to the current one.
    const location = `/openapi/v3/${doc.key}?hash=${doc.hash}`;
    return {
      status: 301,
      contentType: 'text/html; charset=utf-8',
      body: '',
      headers: { Location: location },
    };
  }
  const headers: Record<string, string> = hash
    ? {
        'Cache-Control': 'public, immutable',
        Expires: new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString(),
        Vary: 'Accept',
      }
    : {};
  return { status: 200, contentType: JSON_TYPE, body: doc.json, etag: `"${doc.hash}"`, headers };
}
