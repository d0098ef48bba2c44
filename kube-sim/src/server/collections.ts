/**
 * LIST and WATCH: selectors, `limit`/`continue` paging over one consistent snapshot,
 * resourceVersion semantics, and watch streams that resume from a resourceVersion, turn selector
 * transitions into ADDED/DELETED as the watch cache does, and send bookmarks when asked.
 */
import { ApiError, badRequest, invalid } from '../api/errors.js';
import { goJsonSyntaxError } from '../api/go-json.js';
import type { KubeObject, WatchEventType } from '../api/objects.js';
import { queryBool, queryInt64, queryOptionalBool } from '../api/query-parameters.js';
import { apiVersionOf, type ResourceType, storageKey } from '../api/resources.js';
import { matches, matchesFields, parseFieldSelector, parseLabelSelector } from '../api/selectors.js';
import { columnDefinitions, tableRow, toTable } from '../api/table.js';
import type { Change, Store } from '../store/store.js';
import { type ApiRequest, type ApiResponse, isHttp1, sendHeadNow } from './exchange.js';
import type { Negotiated } from './negotiation.js';

type Filter = (object: KubeObject) => boolean;

export function selectorFilter(type: ResourceType, namespace: string, query: URLSearchParams): Filter {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(type, query.get('fieldSelector') ?? '');
  return (object) =>
    (!namespace || !type.namespaced || object.metadata.namespace === namespace) &&
    matches(labels, object.metadata.labels ?? {}) &&
    matchesFields(fields, object);
}

interface ContinueToken {
  rv: number;
  start: string;
}

/** Continue tokens are base64url (no padding) JSON, as the apiserver's storage encodes them. */
function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString(
    'base64url',
  );
}

/** storage.DecodeContinue, with the etcd3 store's `invalid continue token` wrapping. */
function decodeContinue(text: string): ContinueToken {
  const invalidToken = (why: string) =>
    badRequest(`invalid continue token: continue key is not valid: ${why}`);
  const illegal = text.search(/[^A-Za-z0-9_-]/);
  if (illegal >= 0) throw invalidToken(`illegal base64 data at input byte ${illegal}`);
  if (text.length % 4 === 1) throw invalidToken(`illegal base64 data at input byte ${text.length - 1}`);
  const data = Buffer.from(text, 'base64url');
  const syntaxError = goJsonSyntaxError(data);
  if (syntaxError) throw invalidToken(syntaxError);
  const parsed = JSON.parse(data.toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
  if (parsed.v !== 'meta.k8s.io/v1') {
    throw invalidToken(
      `server does not recognize this encoded version ${JSON.stringify(String(parsed.v ?? ''))}`,
    );
  }
  if (typeof parsed.rv !== 'number' || parsed.rv === 0) {
    throw invalidToken('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof parsed.start !== 'string' || parsed.start === '') {
    throw invalidToken('encoded start key empty (version meta.k8s.io/v1)');
  }
  return { rv: parsed.rv, start: parsed.start };
}

/** A ListOptions validation failure: 422 for kind ListOptions.meta.k8s.io. */
function invalidListOptions(field: string, detail: string): ApiError {
  return invalid('meta.k8s.io', 'ListOptions', '', [{ type: 'FieldValueForbidden', field, detail }]);
}

function parseRV(text: string): number {
  if (!/^\d+$/.test(text))
    throw badRequest(`resourceVersion: Invalid value: "${text}": must be a non-negative integer`);
  return Number(text);
}

function keyOf(type: ResourceType, object: KubeObject): string {
  return type.namespaced ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name!;
}

/**
 * A custom object as the version it is read through says it (the apiextensions server's "None"
 * conversion: only apiVersion changes); every version reads the same stored object.
 */
export function inServedVersion(type: ResourceType, object: KubeObject): KubeObject {
  const apiVersion = apiVersionOf(type);
  return type.custom && object.apiVersion !== apiVersion ? { ...object, apiVersion } : object;
}

function stripTypeMeta({ apiVersion: _v, kind: _k, ...rest }: KubeObject): KubeObject {
  return rest as KubeObject;
}

function partialMetadata(object: KubeObject): KubeObject {
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: object.metadata };
}

export function list(
  store: Store,
  type: ResourceType,
  namespace: string,
  query: URLSearchParams,
  negotiated: Negotiated,
): unknown {
  const filter = selectorFilter(type, namespace, query);
  // A zero or negative limit means no paging, as in the apiserver.
  const limit = Math.max(0, queryInt64(query, 'limit') ?? 0);
  const continueText = query.get('continue');
  const rvText = query.get('resourceVersion') ?? '';
  const rvMatch = query.get('resourceVersionMatch') ?? '';
  if (rvMatch && !['Exact', 'NotOlderThan'].includes(rvMatch)) {
    throw invalid('meta.k8s.io', 'ListOptions', '', [
      {
        type: 'FieldValueNotSupported',
        field: 'resourceVersionMatch',
        detail: `Unsupported value: "${rvMatch}": supported values: "Exact", "NotOlderThan"`,
      },
    ]);
  }
  if (rvMatch && !rvText)
    throw invalidListOptions(
      'resourceVersionMatch',
      'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  if (rvMatch && continueText)
    throw invalidListOptions(
      'resourceVersionMatch',
      'Forbidden: resourceVersionMatch is forbidden when continue is provided',
    );
  if (continueText && rvText && rvText !== '0')
    throw badRequest('specifying resource version is not allowed when using continue');

  const current = store.currentRV();
  let listRV = current;
  let start = '';
  let objects: KubeObject[];
  if (continueText) {
    const token = decodeContinue(continueText);
    listRV = token.rv;
    start = token.start;
    objects = store.listAt(type, listRV, type.namespaced ? namespace : undefined, start);
  } else {
    const requested = rvText ? parseRV(rvText) : 0;
    if (requested > current) {
      throw new ApiError(
        504,
        'Timeout',
        `Timeout: Too large resource version: ${requested}, current: ${current}`,
        {
          causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
          retryAfterSeconds: 1,
        },
      );
    }
    if (rvMatch === 'Exact' && requested < current) {
      listRV = requested;
      objects = store.listAt(type, requested, type.namespaced ? namespace : undefined, '');
    } else {
      objects = store.list(type, type.namespaced ? namespace : undefined);
    }
  }

  let items = objects.filter(filter);
  let continueToken: string | undefined;
  let remaining: number | undefined;
  if (limit > 0 && items.length > limit) {
    const next = items[limit]!;
    items = items.slice(0, limit);
    continueToken = encodeContinue({ rv: listRV, start: keyOf(type, next) });
    const unfiltered = !query.get('labelSelector') && !query.get('fieldSelector');
    if (unfiltered) remaining = objects.length - objects.indexOf(next);
  }
  const metadata = {
    resourceVersion: String(listRV),
    ...(continueToken ? { continue: continueToken } : {}),
    ...(remaining !== undefined ? { remainingItemCount: remaining } : {}),
  };
  if (negotiated.representation === 'table') {
    return toTable(type, items, { includeObject: negotiated.includeObject, listMeta: metadata });
  }
  if (negotiated.representation === 'metadata') {
    return {
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata,
      items: items.map(partialMetadata),
    };
  }
  return { kind: type.listKind, apiVersion: apiVersionOf(type), metadata, items: items.map(stripTypeMeta) };
}

/** kube-apiserver closes a watch after a random time in [min-request-timeout, 2×] (30–60 min). */
function defaultWatchTimeoutMs(): number {
  return (1800 + Math.random() * 1800) * 1000;
}

/** A watcher that stops reading is cut off once this much is queued, as the apiserver does. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export interface WatchOptions {
  bookmarkIntervalMs: number;
}

export function watch(
  store: Store,
  type: ResourceType,
  namespace: string,
  name: string,
  query: URLSearchParams,
  negotiated: Negotiated,
  req: ApiRequest,
  res: ApiResponse,
  options: WatchOptions,
): void {
  const selected = selectorFilter(type, namespace, query);
  const filter: Filter = name ? (o) => o.metadata.name === name && selected(o) : selected;
  const rvText = query.get('resourceVersion') ?? '';
  const bookmarks = queryBool(query, 'allowWatchBookmarks');
  // A *bool: an explicit `false` is validated like `true`, and only asks for no initial events.
  const sendInitialEvents = queryOptionalBool(query, 'sendInitialEvents');
  if (
    sendInitialEvents !== undefined &&
    (!bookmarks || query.get('resourceVersionMatch') !== 'NotOlderThan')
  ) {
    throw invalidListOptions(
      'resourceVersionMatch',
      'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan and allowWatchBookmarks to true',
    );
  }
  // Zero or absent is the server's default; a negative timeout has already expired.
  const timeoutSeconds = queryInt64(query, 'timeoutSeconds') ?? 0;
  const timeoutMs = timeoutSeconds === 0 ? defaultWatchTimeoutMs() : Math.max(0, timeoutSeconds * 1000);
  const startRV = rvText === '' || rvText === '0' ? undefined : parseRV(rvText);

  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  if (isHttp1(req)) res.setHeader('Transfer-Encoding', 'chunked');
  sendHeadNow(res);

  let columnsSent = false;
  let lastRV = store.currentRV();
  const send = (type_: WatchEventType, stored: KubeObject): void => {
    const object = type_ === 'BOOKMARK' || type_ === 'ERROR' ? stored : inServedVersion(type, stored);
    let payload: unknown = object;
    if (type_ !== 'BOOKMARK' && type_ !== 'ERROR') {
      if (negotiated.representation === 'table') {
        payload = {
          kind: 'Table',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { resourceVersion: object.metadata.resourceVersion },
          columnDefinitions: columnsSent ? [] : columnDefinitions(type),
          rows: [tableRow(type, object, negotiated.includeObject)],
        };
        columnsSent = true;
      } else if (negotiated.representation === 'metadata') {
        payload = partialMetadata(object);
      }
    }
    res.write(`${JSON.stringify({ type: type_, object: payload })}\n`);
    if (res.writableLength > MAX_QUEUED_BYTES) close();
  };

  const onChange = (change: Change): void => {
    if (storageKey(change.resource) !== storageKey(type)) return;
    lastRV = change.rv;
    const now = filter(change.object);
    const before = change.previous !== undefined && filter(change.previous);
    if (change.type === 'ADDED') {
      if (now) send('ADDED', change.object);
    } else if (change.type === 'DELETED') {
      if (before) send('DELETED', change.object);
    } else if (now && before) {
      send('MODIFIED', change.object);
    } else if (now) {
      send('ADDED', change.object);
    } else if (before) {
      send('DELETED', change.object);
    }
  };

  let unsubscribe: () => void = () => {};
  if (sendInitialEvents ?? startRV === undefined) {
    for (const object of store.list(type, type.namespaced ? namespace : undefined)) {
      if (filter(object)) send('ADDED', object);
    }
    if (sendInitialEvents) {
      send('BOOKMARK', bookmark(type, store.currentRV(), true));
    }
    unsubscribe = store.watch(store.currentRV(), onChange);
  } else {
    try {
      unsubscribe = store.watch(startRV ?? store.currentRV(), onChange);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // The apiserver reports an expired resourceVersion inside the stream, not as an HTTP error.
      res.write(`${JSON.stringify({ type: 'ERROR', object: error.toStatus() })}\n`);
      res.end();
      return;
    }
  }

  const timers: NodeJS.Timeout[] = [setTimeout(() => close(), timeoutMs)];
  if (bookmarks) {
    timers.push(
      setInterval(() => send('BOOKMARK', bookmark(type, lastRV, false)), options.bookmarkIntervalMs),
    );
  }
  let closed = false;
  function close(): void {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    res.end();
  }
  res.on('close', close);
}

function bookmark(type: ResourceType, rv: number, initialEventsEnd: boolean): KubeObject {
  return {
    kind: type.kind,
    apiVersion: apiVersionOf(type),
    metadata: {
      resourceVersion: String(rv),
      ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
    },
  };
}
