/**
 * Content negotiation and response writing: JSON objects, Tables, PartialObjectMetadata, and
 * Status errors, with the headers kube-apiserver sends.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../api/errors.js';
import { parseGoBool } from '../api/query-parameters.js';
import type { ApiRequest, ApiResponse } from './exchange.js';

export type Representation = 'object' | 'table' | 'metadata';

export interface Negotiated {
  representation: Representation;
  includeObject: 'None' | 'Metadata' | 'Object';
}

/**
 * Picks what the client asked for, in its order of preference: `as=Table` (kubectl get),
 * `as=PartialObjectMetadata[List]` (metadata clients), else plain JSON. Protobuf-only clients get
 * 406: kube-sim speaks JSON, and clients that offer protobuf also offer JSON.
 */
export function negotiate(accept: string | undefined, query: URLSearchParams): Negotiated {
  const includeObject = (query.get('includeObject') ?? 'Metadata') as Negotiated['includeObject'];
  if (!['None', 'Metadata', 'Object'].includes(includeObject)) {
    throw new ApiError(
      400,
      'BadRequest',
      `includeObject: Unsupported value: "${includeObject}": supported values: "Metadata", "None", "Object"`,
    );
  }
  if (!accept) return { representation: 'object', includeObject };
  let acceptable = false;
  for (const part of accept.split(',')) {
    const [mediaType = '', ...paramParts] = part.trim().split(';');
    const params = new Map(paramParts.map((p) => p.trim().split('=') as [string, string]));
    const type = mediaType.trim();
    const jsonish =
      type === 'application/json' ||
      type === '*/*' ||
      type === 'application/*' ||
      type === 'application/yaml';
    if (!jsonish) continue;
    const as = params.get('as');
    if (as === 'Table' && params.get('g') === 'meta.k8s.io')
      return { representation: 'table', includeObject };
    if (
      (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') &&
      params.get('g') === 'meta.k8s.io'
    ) {
      return { representation: 'metadata', includeObject };
    }
    if (!as) acceptable = true;
  }
  if (!acceptable) {
    throw new ApiError(
      406,
      'NotAcceptable',
      'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  }
  return { representation: 'object', includeObject };
}

/**
 * Whether each response's JSON is indented, settled from its request when it starts: an HTTP/2
 * response, unlike an HTTP/1.1 one, has no way back to its request.
 */
const prettyResponses = new WeakSet<ApiResponse>();

export function baseHeaders(req: ApiRequest, res: ApiResponse): void {
  res.setHeader('Audit-Id', randomUUID());
  res.setHeader('Cache-Control', 'no-cache, private');
  if (wantsPrettyJson(req)) prettyResponses.add(res);
}

/**
 * The apiserver's isPrettyPrint: `pretty` is read with strconv.ParseBool (a value it cannot read
 * is false); without it, the clients that show JSON to a person (curl, Wget, browsers) get it
 * indented.
 */
function wantsPrettyJson(req: ApiRequest): boolean {
  const pretty = new URL(req.url ?? '/', 'https://kube-sim').searchParams.get('pretty');
  if (pretty) return parseGoBool(pretty) ?? false;
  const userAgent = req.headers['user-agent'] ?? '';
  return ['curl', 'Wget', 'Mozilla/5.0'].some((prefix) => userAgent.startsWith(prefix));
}

export function writeJson(
  res: ApiResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  // Go's json.MarshalIndent, which unlike the compact encoder ends without a newline.
  const payload = prettyResponses.has(res) ? JSON.stringify(body, null, 2) : `${JSON.stringify(body)}\n`;
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

export function writeError(res: ApiResponse, error: unknown): void {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(
          500,
          'InternalError',
          `Internal error occurred: ${(error as Error)?.message ?? String(error)}`,
        );
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (apiError.code === 401) res.setHeader('WWW-Authenticate', 'Basic realm="kubernetes-master"');
  writeJson(res, apiError.code, apiError.toStatus());
}

/** kube-apiserver's --max-request-body-bytes default (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: ApiRequest): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw new ApiError(
        413,
        'RequestEntityTooLarge',
        `Request entity too large: limit is ${MAX_BODY_BYTES}`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
