import { PROBLEM_TYPES, type ProblemType } from '@switchboard/contract/problem-details';

/** An error a handler throws to answer with an RFC 9457 problem. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: ProblemType,
    readonly title: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
    /** RFC 9457 extension members, e.g. `reason` of agent authentication failures. */
    readonly extensions: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }
}

export const badRequest = (detail: string) =>
  new HttpProblem(400, PROBLEM_TYPES.invalidRequest, 'Invalid request', detail);

/** Seconds a client is told to wait before retrying while the registry database is unreachable. */
const REGISTRY_RETRY_AFTER_SECONDS = 5;

/** The answer to a request the registry database could not serve (RegistryUnavailableError). */
export const registryUnavailable = () =>
  new HttpProblem(
    503,
    PROBLEM_TYPES.notReady,
    'Registry unavailable',
    'the registry database is unreachable; retry in a few seconds',
    { 'retry-after': String(REGISTRY_RETRY_AFTER_SECONDS) },
  );
