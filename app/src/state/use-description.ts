import type { AppError, AppRequestParams, ResourceDescription } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { toAppError } from '../host/core-request-error';
import { useCore } from './core-context';

/** How often the description (its events above all) is fetched again while it is on screen. */
const REFRESH_MS = 5_000;

export interface Description {
  description: ResourceDescription | undefined;
  error: AppError | undefined;
}

/**
 * `describeResource`, kept current: fetched again whenever `revision` changes (the object's row
 * changed in the live list) and every few seconds for new events. What is on screen stays while a
 * new answer is on its way, so the view does not flash.
 */
export function useDescription(target: AppRequestParams<'describeResource'>, revision: unknown): Description {
  const api = useCore();
  const { cluster, kind, namespace, name } = target;
  const key = JSON.stringify([cluster, kind, namespace, name]);
  // Keyed by the object, so another object's description is never shown for this one.
  const [state, setState] = useState<Description & { key: string }>({
    key,
    description: undefined,
    error: undefined,
  });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => setTick((value) => value + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the target's fields; `revision` and `tick` are the refresh triggers.
  useEffect(() => {
    let current = true;
    api
      .request('describeResource', { cluster, kind, name, ...(namespace !== undefined && { namespace }) })
      .then(
        (description) => current && setState({ key, description, error: undefined }),
        (reason: unknown) =>
          current &&
          setState((previous) => ({
            key,
            description: previous.key === key ? previous.description : undefined,
            error: toAppError(reason),
          })),
      );
    return () => {
      current = false;
    };
  }, [api, key, revision, tick]);

  return state.key === key
    ? { description: state.description, error: state.error }
    : { description: undefined, error: undefined };
}
