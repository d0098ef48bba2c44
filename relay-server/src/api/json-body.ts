/** Reads a request's JSON body, refusing what is too large or not JSON before parsing it. */
import type { IncomingMessage } from 'node:http';
import { PROBLEM_TYPES } from '@switchboard/contract/problem-details';
import { badRequest, HttpProblem } from './http-problem.js';

/** Every admin request body is a small object; this leaves ample room. */
export const MAX_BODY_BYTES = 64 * 1024;

export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const mediaType = req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new HttpProblem(
      415,
      PROBLEM_TYPES.unsupportedMediaType,
      'Unsupported media type',
      'send the request body as application/json',
    );
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw badRequest('the request needs a JSON body');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(maxBytes: number): HttpProblem {
  // The rest of the body is not read, so the connection cannot be reused.
  return new HttpProblem(
    413,
    PROBLEM_TYPES.payloadTooLarge,
    'Payload too large',
    `the limit is ${maxBytes} bytes`,
    {
      connection: 'close',
    },
  );
}
