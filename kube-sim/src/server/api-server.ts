/**
 * The request pipeline of kube-apiserver, in its order: authentication, impersonation,
 * authorization (RBAC), then discovery / OpenAPI / resource handlers. Every failure becomes a
 * metav1.Status with the code and reason the real server uses.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  aggregatedDiscoveryVersion,
  apiGroupList,
  apiResourceList,
  apiVersions,
  findApiGroup,
  KUBERNETES_VERSION,
} from '../api/discovery.js';
import { ApiError, badRequest, methodNotAllowed } from '../api/errors.js';
import { patchManager, writeManager } from '../api/field-manager/request-options.js';
import {
  decodeError,
  duplicateFields,
  type FieldValidation,
  fieldValidationMode,
  jsonPatchOperationErrors,
  patchDecodeError,
  pruneUnknownFields,
  strictDecodingErrors,
  warningHeaderValue,
} from '../api/field-pruning.js';
import { goFormat } from '../api/go-format.js';
import { goJsonSyntaxError, summarizeData } from '../api/go-json.js';
import { isPlainObject, type KubeObject } from '../api/objects.js';
import { openapiResponse } from '../api/openapi.js';
import { applyPatch, type MergingPatchType, patchTypeFromContentType } from '../api/patch.js';
import { decodeProtobuf, PROTOBUF_CONTENT_TYPE } from '../api/protobuf.js';
import { queryInt64, queryOptionalBool } from '../api/query-parameters.js';
import { type RequestInfo, requestInfo } from '../api/request-info.js';
import type { ResourceCatalog } from '../api/resource-catalog.js';
import { apiVersionOf, type ResourceType } from '../api/resources.js';
import { toTable } from '../api/table.js';
import type { Authenticator } from '../auth/authn.js';
import { ImpersonationHeaderError, impersonate } from '../auth/impersonation.js';
import { forbiddenError, type RbacAuthorizer } from '../auth/rbac.js';
import { review } from '../auth/reviews.js';
import type { Attributes, UserInfo } from '../auth/user.js';
import type { Store } from '../store/store.js';
import { parseStreamOptions, runAttach, runExec } from '../workloads/exec.js';
import { streamPodLog } from '../workloads/logs.js';
import { acceptPortForward } from '../workloads/port-forward.js';
import type { ContainerRuntime } from '../workloads/runtime.js';
import { acceptSpdyStreams } from '../workloads/spdy-streams.js';
import type { StreamSession } from '../workloads/stream-session.js';
import { acceptWebSocketStreams } from '../workloads/websocket-streams.js';
import { inServedVersion, list, watch } from './collections.js';
import { admitEviction } from './eviction.js';
import type { ApiRequest, ApiResponse } from './exchange.js';
import { baseHeaders, negotiate, readBody, writeError, writeJson } from './negotiation.js';
import type { DeleteOptions, ResourceRegistry } from './registry.js';
import { bindPod, requestToken, scaleOf, writeScale } from './subresources.js';

export interface ApiServerDependencies {
  store: Store;
  /** The resource types served now: built-in ones and those of established custom resources. */
  catalog: ResourceCatalog;
  registry: ResourceRegistry;
  authenticator: Authenticator;
  authorizer: RbacAuthorizer;
  runtime: ContainerRuntime;
  /** Opens a connection to a port of a pod, for port-forward. */
  connectToPod: (pod: KubeObject, port: number) => Promise<Duplex>;
  serverAddress: () => string;
  bookmarkIntervalMs: number;
}

interface Caller {
  user: UserInfo;
  info: RequestInfo;
  url: URL;
}

export class ApiServer {
  constructor(private readonly deps: ApiServerDependencies) {}

  /** Runs one request end to end; never throws. */
  async handle(req: ApiRequest, res: ApiResponse): Promise<void> {
    baseHeaders(req, res);
    try {
      const caller = this.admit(req);
      if (req.headers.upgrade) {
        throw badRequest('Upgrade request required');
      }
      await this.route(req, res, caller);
    } catch (error) {
      if (error instanceof ImpersonationHeaderError) {
        // The apiserver answers this one with its plain-text internal-error page, not a Status.
        res.statusCode = 500;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(error.body(req.url ?? '/'));
        return;
      }
      writeError(res, error);
    }
  }

  /** Upgrade requests: exec, attach and port-forward over WebSocket or SPDY. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let pod: KubeObject;
    let kind: string;
    let options: ReturnType<typeof parseStreamOptions> | undefined;
    try {
      const { info, url } = this.admit(req);
      const type = info.resourceRequest
        ? this.deps.catalog.find(info.apiGroup, info.apiVersion, info.resource)
        : undefined;
      if (type?.plural !== 'pods' || !['exec', 'attach', 'portforward'].includes(info.subresource)) {
        throw badRequest('the server does not allow upgrading this request');
      }
      pod = this.deps.store.mustGet(type, info.namespace, info.name);
      kind = info.subresource;
      if (kind !== 'portforward')
        options = parseStreamOptions(kind as 'exec' | 'attach', pod, url.searchParams);
    } catch (error) {
      writeUpgradeError(socket, error);
      return;
    }
    if (!options) {
      acceptPortForward(req, socket, head, pod, (port) => this.deps.connectToPod(pod, port));
      return;
    }
    let session: StreamSession;
    try {
      const isWebSocket = String(req.headers.upgrade).toLowerCase() === 'websocket';
      session = isWebSocket
        ? await acceptWebSocketStreams(req, socket, head, options)
        : await acceptSpdyStreams(req, socket, head, options);
    } catch {
      // A refused handshake was answered by the transport itself (the socket is ended); after a
      // 101 the connection speaks another protocol, so the only thing left is to hang up.
      if (!socket.writableEnded) socket.destroy();
      return;
    }
    if (kind === 'exec') runExec(this.deps.runtime, pod, options, session);
    else runAttach(this.deps.runtime, pod, options, session);
  }

  private admit(req: ApiRequest): Caller {
    const url = new URL(req.url ?? '/', 'https://kube-sim');
    const requester = this.deps.authenticator.authenticate(req);
    if (!requester) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    const user = impersonate(req.headers, requester, this.deps.authorizer);
    const info = requestInfo(req.method ?? 'GET', url);
    this.authorize(user, info);
    return { user, info, url };
  }

  private authorize(user: UserInfo, info: RequestInfo): void {
    const attributes: Attributes = {
      user,
      verb: info.verb,
      resourceRequest: info.resourceRequest,
      apiGroup: info.apiGroup,
      apiVersion: info.apiVersion,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      name: info.name,
      path: info.path,
    };
    const decision = this.deps.authorizer.authorize(attributes);
    if (!decision.allowed) throw forbiddenError(attributes, decision.reason);
  }

  private async route(req: ApiRequest, res: ApiResponse, caller: Caller): Promise<void> {
    const { info, url } = caller;
    if (!info.resourceRequest) return this.nonResource(req, res, caller);
    const type = this.deps.catalog.find(info.apiGroup, info.apiVersion, info.resource);
    if (!type) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    if (type.virtual) {
      if (info.verb !== 'create')
        throw methodNotAllowed(`the server does not allow this method on the requested resource`);
      const mode = fieldValidationMode(url.searchParams, 'CreateOptions');
      const body = await this.decode(req, type, { res, mode });
      writeJson(res, 201, review(type.kind, body, caller.user, this.deps.authorizer, this.deps.store));
      return;
    }
    if (type.namespaced && !info.namespace && !['list', 'watch'].includes(info.verb)) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    }
    if (info.subresource) return this.subresource(req, res, caller, type);

    const query = url.searchParams;
    const options = { dryRun: query.getAll('dryRun').includes('All') };
    const { registry, store } = this.deps;
    switch (info.verb) {
      case 'get':
        return this.respond(req, res, type, 200, registry.get(type, info.namespace, info.name), query);
      case 'list':
        writeJson(res, 200, list(store, type, info.namespace, query, negotiate(req.headers.accept, query)));
        return;
      case 'watch':
        watch(store, type, info.namespace, info.name, query, negotiate(req.headers.accept, query), req, res, {
          bookmarkIntervalMs: this.deps.bookmarkIntervalMs,
        });
        return;
      case 'create': {
        if (info.name)
          throw methodNotAllowed('the server does not allow this method on the requested resource');
        const mode = fieldValidationMode(query, 'CreateOptions');
        const fieldManager = writeManager(query, req.headers['user-agent'], 'CreateOptions');
        const body = await this.decode(req, type, { res, mode });
        const created = registry.create(type, info.namespace, body, { ...options, fieldManager });
        return this.respond(req, res, type, 201, created, query);
      }
      case 'update':
        return this.update(req, res, type, info, query, '');
      case 'patch':
        return this.patch(req, res, type, info, query, '');
      case 'delete': {
        const deleteOptions = await this.deleteOptions(req, query);
        const result = registry.delete(type, info.namespace, info.name, deleteOptions);
        if (result && registry.returnsDeletedObject(type, result))
          return this.respond(req, res, type, 200, result, query);
        writeJson(res, 200, successStatus(type, result, info.name));
        return;
      }
      case 'deletecollection': {
        const deleteOptions = await this.deleteOptions(req, query);
        const filterQuery = new URLSearchParams(query);
        const matched = list(store, type, info.namespace, filterQuery, {
          representation: 'object',
          includeObject: 'Object',
        }) as { items: KubeObject[] };
        const deleted: KubeObject[] = [];
        for (const item of matched.items) {
          const ns = item.metadata.namespace ?? '';
          deleted.push(registry.delete(type, ns, item.metadata.name!, deleteOptions) ?? item);
        }
        writeJson(res, 200, {
          kind: type.listKind,
          apiVersion: apiVersionOf(type),
          metadata: { resourceVersion: String(store.currentRV()) },
          items: deleted,
        });
        return;
      }
      default:
        throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
  }

  private async subresource(
    req: ApiRequest,
    res: ApiResponse,
    caller: Caller,
    type: ResourceType,
  ): Promise<void> {
    const { info, url } = caller;
    const query = url.searchParams;
    const options = { dryRun: query.getAll('dryRun').includes('All') };
    const { registry, store } = this.deps;
    const known = type.subresources.find((s) => s.name === info.subresource);
    if (!known || !info.name)
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    const method = req.method ?? 'GET';
    switch (`${info.subresource}:${info.verb}`) {
      case 'status:get':
        return this.respond(req, res, type, 200, registry.get(type, info.namespace, info.name), query);
      case 'status:update':
        return this.update(req, res, type, info, query, 'status');
      case 'status:patch':
        return this.patch(req, res, type, info, query, 'status');
      case 'scale:get':
        writeJson(res, 200, scaleOf(registry.get(type, info.namespace, info.name)));
        return;
      case 'scale:update': {
        const body = parseJson(
          await readBody(req),
          "couldn't get version/kind; json parse error",
        ) as KubeObject;
        writeJson(res, 200, writeScale(registry, type, info.namespace, info.name, body, options));
        return;
      }
      case 'scale:patch': {
        const patchType = patchTypeFromContentType(req.headers['content-type']);
        if (patchType === 'apply')
          throw methodNotAllowed('server-side apply of the scale subresource is not supported');
        const patch = parseJson(await readBody(req), 'error decoding patch');
        const scale = scaleOf(registry.get(type, info.namespace, info.name));
        const patched = applyPatch(type, scale, patchType, patch);
        writeJson(res, 200, writeScale(registry, type, info.namespace, info.name, patched, options));
        return;
      }
      case 'log:get':
        streamPodLog(res, store, this.deps.runtime, registry.get(type, info.namespace, info.name), query);
        return;
      case 'binding:create': {
        const body = parseJson(
          await readBody(req),
          "couldn't get version/kind; json parse error",
        ) as KubeObject;
        bindPod(registry, type, info.namespace, info.name, body);
        writeJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
        return;
      }
      case 'eviction:create': {
        admitEviction(store, registry.get(type, info.namespace, info.name), options.dryRun);
        registry.delete(type, info.namespace, info.name, { dryRun: options.dryRun });
        writeJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
        return;
      }
      case 'token:create': {
        const raw = await readBody(req);
        const body = (
          isProtobuf(req)
            ? decodeProtobuf(raw, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' })
            : parseJson(raw, "couldn't get version/kind; json parse error")
        ) as KubeObject;
        const account = registry.get(type, info.namespace, info.name);
        writeJson(
          res,
          201,
          requestToken(account, body, (u) => this.deps.authenticator.addToken(u), store.now()),
        );
        return;
      }
      case 'exec:create':
      case 'exec:get':
      case 'attach:create':
      case 'attach:get':
      case 'portforward:create':
      case 'portforward:get':
        throw badRequest('Upgrade request required');
      default:
        throw methodNotAllowed(
          `the server does not allow this method on the requested resource (${method} ${type.plural}/${info.subresource})`,
        );
    }
  }

  /** PUT of an object or of its status. */
  private async update(
    req: ApiRequest,
    res: ApiResponse,
    type: ResourceType,
    info: RequestInfo,
    query: URLSearchParams,
    subresource: '' | 'status',
  ): Promise<void> {
    const mode = fieldValidationMode(query, 'UpdateOptions');
    const fieldManager = writeManager(query, req.headers['user-agent'], 'UpdateOptions');
    const body = await this.decode(req, type, { res, mode });
    const options = { dryRun: query.getAll('dryRun').includes('All'), fieldManager };
    const updated = this.deps.registry.update(type, info.namespace, info.name, body, subresource, options);
    this.respond(req, res, type, 200, updated, query);
  }

  /** PATCH of an object or of its status, with the patched result decoded like a body. */
  private async patch(
    req: ApiRequest,
    res: ApiResponse,
    type: ResourceType,
    info: RequestInfo,
    query: URLSearchParams,
    subresource: '' | 'status',
  ): Promise<void> {
    const patchType = patchTypeFromContentType(req.headers['content-type']);
    const mode = fieldValidationMode(query, 'PatchOptions');
    const { manager: fieldManager, force } = patchManager(
      query,
      req.headers['user-agent'],
      patchType === 'apply',
    );
    const dryRun = query.getAll('dryRun').includes('All');
    const raw = await readBody(req);
    if (patchType === 'apply') {
      const configuration = parseAppliedConfiguration(raw);
      const applied = this.deps.registry.apply(
        type,
        info.namespace,
        info.name,
        { configuration, manager: fieldManager, force },
        subresource,
        { dryRun },
      );
      this.respond(req, res, type, applied.created ? 201 : 200, applied.object, query);
      return;
    }
    const patch = parseJson(raw, 'error decoding patch');
    const decodePatched = patchDecoder(res, type, patchType, patch, raw.toString('utf8'), mode);
    const options = { dryRun, decodePatched, fieldManager };
    const patched = this.deps.registry.patch(
      type,
      info.namespace,
      info.name,
      patchType,
      patch,
      subresource,
      options,
    );
    this.respond(req, res, type, 200, patched, query);
  }

  private nonResource(req: ApiRequest, res: ApiResponse, caller: Caller): void {
    const path = caller.info.path.replace(/\/+$/, '') || '/';
    const accept = req.headers.accept;
    if (path === '/version') {
      writeJson(res, 200, KUBERNETES_VERSION);
      return;
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end('ok');
      return;
    }
    if (path === '/api' || path === '/apis') {
      const aggregated = aggregatedDiscoveryVersion(accept);
      res.setHeader('Vary', 'Accept');
      if (aggregated) {
        writeJson(
          res,
          200,
          aggregatedDiscovery(this.deps.catalog.all(), aggregated, path === '/api'),
          aggregatedContentType(aggregated),
        );
        return;
      }
      writeJson(
        res,
        200,
        path === '/api' ? apiVersions(this.deps.serverAddress()) : apiGroupList(this.deps.catalog.all()),
      );
      return;
    }
    const openapi = openapiResponse(`${path}${caller.url.search}`, accept);
    if (openapi) {
      for (const [name, value] of Object.entries(openapi.headers ?? {})) res.setHeader(name, value);
      if (openapi.etag) {
        res.setHeader('ETag', openapi.etag);
        if (req.headers['if-none-match'] === openapi.etag) {
          res.statusCode = 304;
          res.end();
          return;
        }
      }
      res.statusCode = openapi.status;
      res.setHeader('Content-Type', openapi.contentType);
      res.end(openapi.body);
      return;
    }
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'apis' && parts.length === 2) {
      const group = findApiGroup(this.deps.catalog.all(), parts[1]!);
      if (group) {
        writeJson(res, 200, group);
        return;
      }
    }
    if ((parts[0] === 'api' && parts.length === 2) || (parts[0] === 'apis' && parts.length === 3)) {
      const [group, version] = parts[0] === 'api' ? ['', parts[1]!] : [parts[1]!, parts[2]!];
      const resources = apiResourceList(this.deps.catalog.all(), group, version);
      if (resources) {
        writeJson(res, 200, resources);
        return;
      }
    }
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end('404 page not found\n');
  }

  private respond(
    req: ApiRequest,
    res: ApiResponse,
    type: ResourceType,
    code: number,
    object: KubeObject,
    query: URLSearchParams,
  ): void {
    const negotiated = negotiate(req.headers.accept, query);
    object = inServedVersion(type, object);
    if (negotiated.representation === 'table') {
      const listMeta = { resourceVersion: object.metadata.resourceVersion ?? '' };
      writeJson(res, code, toTable(type, [object], { includeObject: negotiated.includeObject, listMeta }));
      return;
    }
    if (negotiated.representation === 'metadata') {
      writeJson(res, code, {
        apiVersion: 'meta.k8s.io/v1',
        kind: 'PartialObjectMetadata',
        metadata: object.metadata,
      });
      return;
    }
    writeJson(res, code, object);
  }

  /**
   * Decodes a create/update body (JSON or YAML) and checks it is the endpoint's kind; with `fields`,
   * drops unknown fields as decoding into the typed object does, per the `fieldValidation` mode.
   */
  private async decode(
    req: ApiRequest,
    type: ResourceType,
    fields?: { res: ApiResponse; mode: FieldValidation },
  ): Promise<KubeObject> {
    const contentType = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
    const raw = await readBody(req);
    let body: unknown;
    // The apiserver's transformDecodeError: a body whose kind cannot be read is "unrecognized".
    const unrecognized = (why: string) =>
      badRequest(
        `the object provided is unrecognized (must be of type ${type.kind}): ${why} (${summarizeData(raw)})`,
      );
    if (contentType === 'application/json') {
      const syntaxError = goJsonSyntaxError(raw);
      if (syntaxError) throw unrecognized(`couldn't get version/kind; json parse error: ${syntaxError}`);
      body = JSON.parse(raw.toString('utf8'));
    } else if (contentType === PROTOBUF_CONTENT_TYPE) {
      body = decodeProtobuf(raw, { apiVersion: apiVersionOf(type), kind: type.kind });
    } else if (contentType === 'application/yaml') {
      try {
        body = parseYaml(raw.toString('utf8'));
      } catch (error) {
        throw badRequest(`couldn't get version/kind; yaml parse error: ${(error as Error).message}`);
      }
    } else {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
      );
    }
    if (!isPlainObject(body))
      throw unrecognized(
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(body) ? 'array' : body === null ? 'null' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
      );
    const expected = apiVersionOf(type);
    // The handler decodes with the endpoint's group/version/kind as defaults (gvkWithDefaults).
    const kind = typeof body.kind === 'string' && body.kind !== '' ? body.kind : type.kind;
    const apiVersion =
      typeof body.apiVersion === 'string' && body.apiVersion !== '' ? body.apiVersion : expected;
    if (kind !== type.kind || apiVersion !== expected) {
      const version = apiVersion.split('/').pop() ?? apiVersion;
      const cannot = `${kind} in version "${version}" cannot be handled as a ${type.kind}`;
      if (!this.deps.catalog.forKind(apiVersion, kind)) {
        throw badRequest(
          `${cannot}: no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`,
        );
      }
      if (kind === type.kind) {
        throw badRequest(
          `the API version in the data (${apiVersion}) does not match the expected API version (${expected})`,
        );
      }
      // Internal packages are named after the group's first label; the core group's is "core".
      const internal = type.group ? type.group.split('.')[0] : 'core';
      throw badRequest(
        `${cannot}: converting (${version}.${kind}) to (${internal}.${type.kind}): unknown conversion`,
      );
    }
    body.kind = kind;
    body.apiVersion = expected;
    if (fields) {
      const text = contentType === 'application/json' ? raw.toString('utf8') : undefined;
      const errors = strictDecodingErrors(type, body, text);
      if (errors.length && fields.mode === 'Strict') throw decodeError(type, errors);
      if (errors.length && fields.mode === 'Warn') addWarnings(fields.res, errors);
    }
    if (!isPlainObject(body.metadata)) body.metadata = {};
    return body as KubeObject;
  }

  /**
   * DeleteOptions come from the body when there is one; only a request without a body has them
   * read from the query (where `uid` and `resourceVersion` are the preconditions).
   */
  private async deleteOptions(req: ApiRequest, query: URLSearchParams): Promise<DeleteOptions> {
    const raw = await readBody(req);
    const body = !raw.length
      ? undefined
      : isProtobuf(req)
        ? decodeProtobuf(raw, { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions' })
        : parseJson(raw, "couldn't get version/kind; json parse error");
    if (body !== undefined && !isPlainObject(body)) throw badRequest('DeleteOptions must be an object');
    const fields = body ?? {
      dryRun: query.getAll('dryRun'),
      gracePeriodSeconds: queryInt64(query, 'gracePeriodSeconds'),
      orphanDependents: queryOptionalBool(query, 'orphanDependents'),
      propagationPolicy: query.get('propagationPolicy') ?? undefined,
      preconditions: {
        ...(query.get('uid') ? { uid: query.get('uid') } : {}),
        ...(query.get('resourceVersion') ? { resourceVersion: query.get('resourceVersion') } : {}),
      },
    };
    const grace = fields.gracePeriodSeconds;
    const policy = fields.propagationPolicy ?? (fields.orphanDependents === true ? 'Orphan' : undefined);
    if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(String(policy))) {
      throw new ApiError(
        422,
        'Invalid',
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      );
    }
    return {
      dryRun: Array.isArray(fields.dryRun) && fields.dryRun.includes('All'),
      gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
      propagationPolicy: policy as DeleteOptions['propagationPolicy'],
      preconditions: isPlainObject(fields.preconditions)
        ? (fields.preconditions as DeleteOptions['preconditions'])
        : undefined,
    };
  }
}

/** kubectl ≥1.32 sends typed-client bodies as protobuf. */
function isProtobuf(req: ApiRequest): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim() === PROTOBUF_CONTENT_TYPE;
}

/** Warning headers as the apiserver's warning recorder writes them: one per distinct text. */
function addWarnings(res: ApiResponse, texts: string[]): void {
  const current = res.getHeader('Warning');
  const values = Array.isArray(current) ? [...current] : current === undefined ? [] : [String(current)];
  for (const text of texts) {
    const value = warningHeaderValue(text);
    if (!values.includes(value)) values.push(value);
  }
  res.setHeader('Warning', values);
}

/**
 * The decode step of handlers/patch.go for the patched object: unknown fields are dropped; the
 * patch's own strict problems (duplicate keys; unknown keys of JSON patch operations) come first.
 * Strict fails with 422 quoting the patched JSON (json, merge) or the patch map (strategic).
 */
function patchDecoder(
  res: ApiResponse,
  type: ResourceType,
  patchType: MergingPatchType,
  patch: unknown,
  text: string,
  mode: FieldValidation,
): (patched: KubeObject) => void {
  return (patched) => {
    if (mode === 'Ignore') {
      pruneUnknownFields(type, patched);
      return;
    }
    const patchedJson = patchType === 'strategic' ? '' : JSON.stringify(patched);
    const errors = [
      ...(patchType === 'json'
        ? jsonPatchOperationErrors(patch, text)
        : duplicateFields(text).map((path) => `duplicate field "${path}"`)),
      ...strictDecodingErrors(type, patched),
    ];
    if (!errors.length) return;
    if (mode === 'Strict') {
      throw patchDecodeError(patchType === 'strategic' ? goFormat(patch) : patchedJson, errors);
    }
    addWarnings(res, errors);
  };
}

/** applyPatcher's decoding: YAML (JSON included) into a map; anything else is a 400. */
function parseAppliedConfiguration(raw: Buffer): Record<string, unknown> {
  let configuration: unknown;
  try {
    configuration = parseYaml(raw.toString('utf8'), { uniqueKeys: false });
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
  if (configuration === null || configuration === undefined) return {};
  if (!isPlainObject(configuration)) {
    const goType = Array.isArray(configuration) ? 'array' : typeof configuration;
    throw badRequest(
      `error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${goType} into Go value of type map[string]interface {}`,
    );
  }
  return configuration;
}

function parseJson(raw: Buffer, context: string): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw badRequest(`${context}: ${(error as Error).message}`);
  }
}

function successStatus(type: ResourceType, deleted: KubeObject | undefined, name: string): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name,
      ...(type.group ? { group: type.group } : {}),
      kind: type.plural,
      uid: deleted?.metadata.uid,
    },
  };
}

/** Before an upgrade, errors still go back as an HTTP response on the raw socket. */
function writeUpgradeError(socket: Duplex, error: unknown): void {
  if (socket.destroyed) return;
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error)?.message}`);
  const body = `${JSON.stringify(apiError.toStatus())}\n`;
  socket.end(
    `HTTP/1.1 ${apiError.code} ${apiError.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
