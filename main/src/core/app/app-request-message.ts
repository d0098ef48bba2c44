/**
 * The wire form of a request from a host (`{ id, method, params }`) and of its answer (`{ id, ok,
 * result }` or `{ id, ok: false, error }`): a malformed message is answered when it names an id and
 * dropped when it does not, and a failure goes back as an `AppError`, logged only when it is ours
 * (`internal`): the others are the user's to see, not the log's.
 */
import { type AppMethod, type AppResponseMessage, appRequestMessageSchema } from '@switchboard/contract/app';
import type { Logger } from '../logging/logger.js';
import { toAppError } from './app-error.js';

/** Runs one request of the contract; its params not yet validated. */
export type AppRequestRunner = (method: AppMethod, params: unknown) => Promise<unknown>;

/** Answers the wire request `raw` by running it; undefined when there is no id to answer. */
export async function answerRequestMessage(
  raw: unknown,
  run: AppRequestRunner,
  logger: Logger,
): Promise<AppResponseMessage | undefined> {
  const message = appRequestMessageSchema.safeParse(raw);
  if (!message.success) {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id !== 'number') return undefined;
    return { id, ok: false, error: toAppError(message.error) };
  }
  const { id, method, params } = message.data;
  try {
    return { id, ok: true, result: await run(method, params) };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.kind === 'internal') {
      logger.warn({ method, err: error }, 'request failed');
    }
    return { id, ok: false, error: appError };
  }
}
