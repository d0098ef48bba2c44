/**
 * RFC 9457 problem details: the body of every error response of the relay's HTTP API, so clients
 * (desktop core, CLI, agent) tell failures apart by `type` instead of parsing text.
 */
import { z } from 'zod';

/** `type` URIs of the problems the relay returns, so clients can tell them apart without parsing text. */
export const PROBLEM_TYPES = {
  invalidRequest: 'urn:switchboard:problem:invalid-request',
  unauthorized: 'urn:switchboard:problem:unauthorized',
  forbidden: 'urn:switchboard:problem:forbidden',
  notFound: 'urn:switchboard:problem:not-found',
  methodNotAllowed: 'urn:switchboard:problem:method-not-allowed',
  conflict: 'urn:switchboard:problem:conflict',
  payloadTooLarge: 'urn:switchboard:problem:payload-too-large',
  unsupportedMediaType: 'urn:switchboard:problem:unsupported-media-type',
  notReady: 'urn:switchboard:problem:not-ready',
  tooManyRequests: 'urn:switchboard:problem:too-many-requests',
  internal: 'urn:switchboard:problem:internal',
} as const;
export type ProblemType = (typeof PROBLEM_TYPES)[keyof typeof PROBLEM_TYPES];

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details: every error response of the relay API. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;
