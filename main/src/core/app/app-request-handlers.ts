/**
 * The renderer's requests, dispatched: one handler per method of the contract, each checked by the
 * compiler against its method's params and result, and every request's params validated with the
 * method's schema before its handler runs (the renderer is untrusted input).
 */

import {
  type AppMethod,
  type AppRequestParams,
  type AppResponses,
  appRequestSchemas,
} from '@switchboard/contract/app';
import type { z } from 'zod';
import { AppRequestError } from './app-error.js';

/** A handler for every method; `owner` is the window or tab that asked. */
export type AppRequestHandlers = {
  [M in AppMethod]: (params: AppRequestParams<M>, owner: string) => Promise<AppResponses[M]>;
};

/** The contract's schemas, each typed as the params it yields (the compiler checks they agree). */
const paramsSchemas: { [M in AppMethod]: z.ZodType<AppRequestParams<M>> } = appRequestSchemas;

/** Whether `method` is one of the contract's (a host may pass on anything it was sent). */
export function isAppMethod(method: string): method is AppMethod {
  return Object.hasOwn(appRequestSchemas, method);
}

/** Validates `params` with the method's schema (`invalid-request` when they fail), then runs its handler. */
export function dispatch<M extends AppMethod>(
  handlers: AppRequestHandlers,
  method: M,
  params: unknown,
  owner: string,
): Promise<AppResponses[M]> {
  const parsed = paramsSchemas[method].safeParse(params);
  if (!parsed.success) throw AppRequestError.from(parsed.error);
  return handlers[method](parsed.data, owner);
}
