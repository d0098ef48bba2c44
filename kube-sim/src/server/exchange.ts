/**
 * One request and its response, over HTTP/1.1 or HTTP/2: kube-sim serves both (ALPN picks), and
 * the handlers use the part of Node's API the two have in common (`node:http2`'s compatibility
 * API). Upgrades (exec, attach, port-forward) exist only on HTTP/1.1 and keep `IncomingMessage`.
 */
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

export type ApiRequest = IncomingMessage | Http2ServerRequest;

/** What handlers do with a response; `ServerResponse` and `Http2ServerResponse` both are one. */
export interface ApiResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableLength: number;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  getHeader(name: string): number | string | string[] | undefined;
  writeHead(statusCode: number): unknown;
  write(chunk: string | Uint8Array): boolean;
  end(chunk?: string | Uint8Array): unknown;
  destroy(error?: Error): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * Whether headers that only mean something on an HTTP/1.1 connection (Transfer-Encoding,
 * Connection, Keep-Alive) may be set: HTTP/2 forbids them, and its framing already delimits and
 * streams the body.
 */
export function isHttp1(req: ApiRequest): boolean {
  return req.httpVersionMajor < 2;
}

/**
 * Sends the status and headers now, before any body: a watch or `logs -f` answers long before its
 * first event, and clients wait for the headers to know the request was accepted.
 */
export function sendHeadNow(res: ApiResponse): void {
  if (res.headersSent) return;
  if (res instanceof ServerResponse) res.flushHeaders();
  // An HTTP/2 response's head is its HEADERS frame, written by writeHead.
  else res.writeHead(res.statusCode);
}
