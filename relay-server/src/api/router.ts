/**
 * Maps method and path to a handler. Patterns are literal segments and `:name` parameters; a
 * parameter matches one percent-encoded segment, so names with `/` or `@` arrive intact.
 */
import { badRequest } from './http-problem.js';

export type Method = 'GET' | 'POST' | 'DELETE';

export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: Record<string, string> }
  | { kind: 'wrong-method'; allow: string[] }
  | { kind: 'not-found' };

interface Route<H> {
  segments: string[];
  handlers: Partial<Record<Method, H>>;
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(pattern: string, handlers: Partial<Record<Method, H>>): this {
    this.routes.push({ segments: pattern.split('/').slice(1), handlers });
    return this;
  }

  match(method: string, pathname: string): RouteMatch<H> {
    const segments = pathname.split('/').slice(1);
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      // HEAD is GET without a body; Node leaves the body out by itself.
      const handler = route.handlers[(method === 'HEAD' ? 'GET' : method) as Method];
      if (handler) return { kind: 'found', handler, params };
      const allow = Object.keys(route.handlers);
      return { kind: 'wrong-method', allow: allow.includes('GET') ? [...allow, 'HEAD'] : allow };
    }
    return { kind: 'not-found' };
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const segment = actual[index]!;
    if (expected.startsWith(':')) {
      if (segment === '') return undefined;
      params[expected.slice(1)] = decodeSegment(segment);
    } else if (expected !== segment) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('the path has an invalid percent-encoding');
  }
}
