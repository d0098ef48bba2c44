/**
 * The relay's HTTP entry: sub-applications mounted under a path prefix (the dev identity
 * provider), then the routes; every error becomes a problem response, every request one log line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '@switchboard/contract/identity';
import { PROBLEM_TYPES } from '@switchboard/contract/problem-details';
import { AdminError } from '../admin/admin-errors.js';
import type { TokenVerifier } from '../identity/token-verifier.js';
import type { Logger } from '../logging/logger.js';
import { RegistryUnavailableError } from '../registry/registry.js';
import { authenticate } from './bearer-auth.js';
import { badRequest, HttpProblem, registryUnavailable } from './http-problem.js';
import { readJsonBody } from './json-body.js';
import { sendEmpty, sendJson, sendProblem } from './responses.js';
import type { Router } from './router.js';

/** A Node request handler that serves everything below a path prefix, e.g. an OpenID provider. */
export type SubApp = (req: IncomingMessage, res: ServerResponse) => void;

export interface RequestContext {
  req: IncomingMessage;
  params: Record<string, string>;
  /** The caller, from its bearer token; throws a 401 problem when there is none or it is bad. */
  identity(): Promise<Identity>;
  /** The JSON request body, size-limited. */
  body(): Promise<unknown>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Writes the response itself (a long-lived stream); `status`, `body` and `headers` are then unused. */
  stream?: (res: ServerResponse) => Promise<void>;
}

export type RouteHandler = (context: RequestContext) => Promise<Reply> | Reply;

export interface RequestHandlerOptions {
  router: Router<RouteHandler>;
  mounts: ReadonlyMap<string, SubApp>;
  verifier: TokenVerifier;
  logger: Logger;
}

const ADMIN_ERROR_STATUS = {
  invalid: [400, PROBLEM_TYPES.invalidRequest, 'Invalid request'],
  forbidden: [403, PROBLEM_TYPES.forbidden, 'Forbidden'],
  'not-found': [404, PROBLEM_TYPES.notFound, 'Not found'],
  conflict: [409, PROBLEM_TYPES.conflict, 'Conflict'],
} as const;

export function createRequestHandler(options: RequestHandlerOptions): SubApp {
  const { router, mounts, verifier, logger } = options;

  return (req, res) => {
    const started = process.hrtime.bigint();
    let pathname = '';
    let username: string | undefined;
    res.on('finish', () => {
      // The path only: a query string may carry a token (RFC 6750 §2.3), and headers are never logged.
      logger.info(
        {
          method: req.method,
          path: pathname,
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          user: username,
        },
        'request',
      );
    });

    const context: RequestContext = {
      req,
      params: {},
      identity: async () => {
        const identity = await authenticate(req, verifier);
        username = identity.username;
        return identity;
      },
      body: () => readJsonBody(req),
    };

    const respond = async (): Promise<void> => {
      pathname = pathOf(req.url);
      const mount = [...mounts.keys()].find(
        (prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`),
      );
      if (mount !== undefined) {
        mounts.get(mount)!(req, res);
        return;
      }
      const match = router.match(req.method ?? '', pathname);
      if (match.kind === 'not-found') {
        throw new HttpProblem(404, PROBLEM_TYPES.notFound, 'Not found', `nothing is served at ${pathname}`);
      }
      if (match.kind === 'wrong-method') {
        throw new HttpProblem(
          405,
          PROBLEM_TYPES.methodNotAllowed,
          'Method not allowed',
          `${pathname} accepts ${match.allow.join(', ')}`,
          { allow: match.allow.join(', ') },
        );
      }
      context.params = match.params;
      const reply = await match.handler(context);
      if (reply.stream) await reply.stream(res);
      else if (reply.body === undefined) sendEmpty(res, reply.status, reply.headers);
      else sendJson(res, reply.status, reply.body, reply.headers);
    };

    respond().catch((error: unknown) => {
      const problem = toProblem(error);
      // An outage of the database is not a fault of this request: one line with the reason, no stack.
      if (error instanceof RegistryUnavailableError) {
        logger.warn({ path: pathname, reason: error.message }, 'request failed: registry unavailable');
      } else if (error instanceof HttpProblem && error.status === 503) {
        // A deliberate "not now" (not ready, draining), asked every few hundred ms by load
        // balancers: the request line below says it; an error with a stack would flood the log.
        logger.debug({ path: pathname, detail: error.detail }, 'request answered: unavailable');
      } else if (problem.status >= 500) logger.error({ err: error, path: pathname }, 'request failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendProblem(res, problem, pathname || undefined);
    });
  };
}

function pathOf(url: string | undefined): string {
  // Origin-form (`/path?query`) is all the relay serves; an absolute or empty target is refused.
  if (!url?.startsWith('/')) throw badRequest('the request target must be a path');
  return url.split('?', 1)[0]!;
}

function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof AdminError) {
    const [status, type, title] = ADMIN_ERROR_STATUS[error.kind];
    return new HttpProblem(status, type, title, error.message);
  }
  if (error instanceof RegistryUnavailableError) return registryUnavailable();
  return new HttpProblem(
    500,
    PROBLEM_TYPES.internal,
    'Internal error',
    'the relay failed to answer; see its log',
  );
}
