import { IssuerUnavailableError } from './token-rejected-error.js';

export interface FetchJsonOptions {
  timeoutMs: number;
  /** Discovery documents and key sets are small; a huge answer is a misconfiguration or an attack. */
  maxBytes: number;
}

/** GETs a JSON document from the issuer, bounded in time and size. */
export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new IssuerUnavailableError(`cannot fetch ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new IssuerUnavailableError(`cannot fetch ${url}: HTTP ${response.status}`);
  }
  const text = await readBounded(response, url, options.maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new IssuerUnavailableError(`${url} did not return JSON`);
  }
}

async function readBounded(response: Response, url: string, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new IssuerUnavailableError(`${url} returned more than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
