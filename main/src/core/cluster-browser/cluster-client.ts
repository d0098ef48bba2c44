/**
 * Requests to one cluster over the signed-in session's relay tunnel, in this process: HTTP/1.1 on
 * tunnel streams, pooled as the local proxy pools them (`StreamPool`), and WebSockets (exec) on a
 * stream of their own. The cluster's agent forwards them to the apiserver as the user, so the app
 * has the user's own RBAC, as kubectl has; it does not need the local proxy to be on.
 *
 * Objects stay as the apiserver sent them (a typed client would turn timestamps into Dates and drop
 * unknown fields, which a YAML view must not do). Failures keep their type: the tunnel's
 * (`RelayUnavailableError`, `TunnelRefusedError`, `SignInRequiredError`), or `KubeApiError` with the
 * cluster's `Status` for an answer that is not 2xx.
 */
import { type IncomingMessage, request } from 'node:http';
import WebSocket from 'ws';
import type { RelayTunnel } from '../tunnel/relay-tunnel.js';
import { asSocket, StreamPool } from '../tunnel/stream-pool.js';
import { KubeApiError } from './kube-api-error.js';

export type HttpMethod = 'GET' | 'DELETE' | 'POST' | 'PUT' | 'PATCH';

/** A request body and its media type (`application/apply-patch+yaml`, `application/merge-patch+json`…). */
export interface RequestBody {
  contentType: string;
  text: string;
}

/** Responses larger than this are refused rather than held in memory. */
const MAX_RESPONSE = { bytes: 256 * 1024 * 1024, label: '256 MiB' };
/** Error bodies are read up to this much: a Status is far shorter. */
const MAX_ERROR_BODY = { bytes: 64 * 1024, label: '64 KiB' };

export interface RequestOptions {
  /** The Accept header; `application/json` when not given. */
  accept?: string;
  /** Sent as JSON. */
  body?: unknown;
}

export class ClusterClient {
  readonly #tunnel: RelayTunnel;
  readonly #cluster: string;
  readonly #pool: StreamPool;

  constructor(tunnel: RelayTunnel, cluster: string) {
    this.#tunnel = tunnel;
    this.#cluster = cluster;
    this.#pool = new StreamPool(() => tunnel.openStream({ cluster, mode: 'impersonate' }));
  }

  /**
   * A JSON request; resolves with the object the cluster answered. `accept` asks for another
   * representation (a Table, aggregated discovery); `body` is sent as JSON.
   */
  async json<T>(
    method: 'GET' | 'DELETE' | 'POST',
    path: string,
    signal?: AbortSignal,
    options: RequestOptions = {},
  ): Promise<T> {
    const body =
      options.body === undefined
        ? undefined
        : { contentType: 'application/json', text: JSON.stringify(options.body) };
    return this.write<T>(method, path, body, signal, options.accept);
  }

  /** A request with a body (a patch, an apply, a review); resolves with the object the cluster answered. */
  async write<T>(
    method: HttpMethod,
    path: string,
    requestBody: RequestBody | undefined,
    signal?: AbortSignal,
    accept?: string,
  ): Promise<T> {
    const response = await this.#send(method, path, signal, requestBody, accept);
    const body = await readBody(response, MAX_RESPONSE, `${method} ${pathOnly(path)}`);
    try {
      return JSON.parse(body) as T;
    } catch {
      throw new Error(`${method} ${pathOnly(path)}: the cluster answered with invalid JSON`);
    }
  }

  /** A GET whose answer streams (a watch, a log); resolves with the response once it is 2xx. */
  stream(path: string, signal?: AbortSignal, accept?: string): Promise<IncomingMessage> {
    return this.#send('GET', path, signal, undefined, accept);
  }

  /**
   * A WebSocket (exec, port-forward), open once the upgrade went through. `onMessage` is attached
   * before the upgrade: a server may send its first frames with the upgrade's answer (a port-forward
   * names its ports, a failed exec its Status), and they are emitted before this resolves.
   */
  async webSocket(
    path: string,
    protocols: string[],
    onMessage?: (data: WebSocket.RawData, isBinary: boolean) => void,
  ): Promise<WebSocket> {
    const { stream } = await this.#tunnel.openStream({ cluster: this.#cluster, mode: 'impersonate' });
    const socket = new WebSocket(`ws://${this.#cluster}${path}`, protocols, {
      createConnection: () => asSocket(stream),
      perMessageDeflate: false,
    });
    if (onMessage) socket.on('message', onMessage);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(socket));
      socket.once('unexpected-response', (_request, response) => {
        const what = `GET ${pathOnly(path)}`;
        readBody(response, MAX_ERROR_BODY, what)
          .then((body) => reject(KubeApiError.fromResponse(response.statusCode ?? 0, body, what)), reject)
          .finally(() => stream.destroy());
      });
      socket.once('error', reject);
    });
  }

  /** Ends every pooled stream; requests under way fail. */
  close(): void {
    this.#pool.destroy();
  }

  /** Sends the request; resolves with a 2xx response, rejects with `KubeApiError` for any other. */
  #send(
    method: HttpMethod,
    path: string,
    signal: AbortSignal | undefined,
    body?: RequestBody,
    accept = 'application/json',
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(body.text, 'utf8');
      const req = request({
        agent: this.#pool,
        host: this.#cluster,
        method,
        path,
        headers: {
          accept,
          ...(body !== undefined && { 'content-type': body.contentType }),
          ...(payload !== undefined && { 'content-length': payload.length }),
        },
        ...(signal && { signal }),
      });
      req.on('response', (response) => {
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 300) {
          resolve(response);
          return;
        }
        const what = `${method} ${pathOnly(path)}`;
        readBody(response, MAX_ERROR_BODY, what).then(
          (body) => reject(KubeApiError.fromResponse(code, body, what)),
          reject,
        );
      });
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** The whole body as text; past the limit the response is destroyed and this rejects. */
function readBody(
  response: IncomingMessage,
  limit: { bytes: number; label: string },
  what: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit.bytes) {
        response.destroy(new Error(`the response to ${what} is larger than ${limit.label}`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function pathOnly(path: string): string {
  return path.split('?', 1)[0]!;
}
