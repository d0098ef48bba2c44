import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, type Problem } from '@switchboard/contract/problem-details';
import type { HttpProblem } from './http-problem.js';

/** Answers are per-user and change on every grant: never cache them. */
const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A text body (YAML manifests) with its own content type. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, ...headers });
  res.end();
}

export function sendProblem(res: ServerResponse, problem: HttpProblem, instance?: string): void {
  const text = JSON.stringify(problemBody(problem, instance));
  res.writeHead(problem.status, {
    ...COMMON_HEADERS,
    ...problem.headers,
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The RFC 9457 body of a problem, extension members after the standard ones. */
export function problemBody(problem: HttpProblem, instance?: string): Problem & Record<string, unknown> {
  const body: Problem & Record<string, unknown> = {
    type: problem.type,
    title: problem.title,
    status: problem.status,
  };
  if (problem.detail !== undefined) body.detail = problem.detail;
  if (instance !== undefined) body.instance = instance;
  return { ...body, ...problem.extensions };
}
