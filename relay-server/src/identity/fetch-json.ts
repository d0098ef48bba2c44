/**
 * GETs of the issuer's discovery document and key set. On `node:http(s)` rather than `fetch`, so a
 * caller can route them through its own connection agent: the relay sends them through
 * `HTTPS_PROXY` like its other egress (Node 20's `fetch` ignores the proxy variables).
 */
import http from 'node:http';
import https from 'node:https';
import { IssuerUnavailableError } from './token-rejected-error.js';

export interface FetchJsonOptions {
  timeoutMs: number;
  /** Discovery documents and key sets are small; a huge answer is a misconfiguration or an attack. */
  maxBytes: number;
  /** The connection agent for a URL (a proxy, say); Node's global agents when absent. */
  agentFor?: (url: URL) => http.Agent;
}

/** GETs a JSON document from the issuer, bounded in time and size; redirects are not followed. */
export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  const target = new URL(url);
  const text = await new Promise<string>((resolve, reject) => {
    const fail = (reason: string, cause?: unknown) =>
      reject(new IssuerUnavailableError(`cannot fetch ${url}: ${reason}`, { cause }));
    const request = (target.protocol === 'https:' ? https : http).get(
      target,
      {
        headers: { accept: 'application/json' },
        ...(options.agentFor && { agent: options.agentFor(target) }),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          response.resume();
          fail(`HTTP ${status}`);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            request.destroy();
            reject(new IssuerUnavailableError(`${url} returned more than ${options.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', (error) => fail(error.message, error));
      },
    );
    request.on('error', (error) =>
      fail(error.name === 'AbortError' ? `no answer within ${options.timeoutMs} ms` : error.message, error),
    );
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new IssuerUnavailableError(`${url} did not return JSON`);
  }
}
