import type { AppError, ResourceColumn, ResourceRow, ResourceTypeId } from '@switchboard/contract/app';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useCore } from './core-context';
import { openSubscription } from './open-subscription';
import { retryDelayMs } from './retry-delay';

export interface WatchTarget {
  cluster: string;
  kind: ResourceTypeId;
  namespace?: string;
}

export interface ResourceWatch {
  /** The Table's columns, as the apiserver printed them; each row has a cell per column. */
  columns: readonly ResourceColumn[];
  /** Every row the watch knows, in no particular order; kept through failures (then stale). */
  rows: readonly ResourceRow[];
  /** `loading` until the first `reset`; `failed` from an error until the next `reset`. */
  phase: 'loading' | 'live' | 'failed';
  error: AppError | undefined;
  /** While failed: when (ms since the epoch) the rows were last known to be current. */
  staleSince: number | undefined;
  /** While failed: when the next attempt starts (ms since the epoch). */
  retryAt: number | undefined;
  /** Starts the next attempt now instead of at `retryAt`. */
  retryNow(): void;
}

interface WatchState {
  columns: readonly ResourceColumn[];
  phase: ResourceWatch['phase'];
  error: AppError | undefined;
  staleSince: number | undefined;
  retryAt: number | undefined;
}

const LOADING: WatchState = {
  columns: [],
  phase: 'loading',
  error: undefined,
  staleSince: undefined,
  retryAt: undefined,
};

/**
 * A live list of one kind (`watchResources`), stopped when the target changes or the screen goes.
 * Rows live in a Map keyed by uid and are applied as events arrive; React sees a new array at most
 * once per animation frame, so a burst of thousands of events costs one render.
 *
 * A failure (the start refused, or an `error` event: the proxy not ready yet, the cluster offline)
 * keeps the rows, stops that watch and starts a new one after a backoff (exponential, capped,
 * jittered), so an error clears by itself once the cause is gone. `online` turning true (the
 * cluster came back) retries at once.
 */
export function useResourceWatch(target: WatchTarget | undefined, { online = true } = {}): ResourceWatch {
  const api = useCore();
  const [watch, setWatch] = useState<WatchState & { rows: readonly ResourceRow[] }>({ ...LOADING, rows: [] });
  const [attempt, setAttempt] = useState(0);
  const cluster = target?.cluster;
  const kind = target?.kind;
  const namespace = target?.namespace;
  const targetKey = cluster === undefined ? undefined : `${cluster}\n${kind}\n${namespace ?? ''}`;
  /** What survives from one attempt to the next for the same target. */
  const kept = useRef<{ key: string | undefined; rows: Map<string, ResourceRow>; state: WatchState }>({
    key: undefined,
    rows: new Map(),
    state: LOADING,
  });
  const failures = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const retryNow = useCallback(() => {
    clearTimeout(retryTimer.current);
    setAttempt((count) => count + 1);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the "start again" trigger.
  useEffect(() => {
    if (kept.current.key !== targetKey) {
      kept.current = { key: targetKey, rows: new Map(), state: LOADING };
      failures.current = 0;
      setWatch({ ...LOADING, rows: [] });
    }
    if (cluster === undefined || kind === undefined) return;
    const rows = kept.current.rows;
    let state = kept.current.state;
    let frame: number | undefined;
    let close: (() => void) | undefined;
    const publish = () => {
      frame = undefined;
      kept.current.state = state;
      setWatch({ ...state, rows: [...rows.values()] });
    };
    const schedulePublish = () => {
      frame ??= requestAnimationFrame(publish);
    };
    const fail = (error: AppError) => {
      close?.();
      const delay = retryDelayMs(failures.current++);
      const now = Date.now();
      state = {
        columns: state.columns,
        phase: 'failed',
        error,
        staleSince: state.staleSince ?? now,
        retryAt: now + delay,
      };
      clearTimeout(retryTimer.current);
      retryTimer.current = setTimeout(() => setAttempt((count) => count + 1), delay);
      schedulePublish();
    };
    close = openSubscription({
      api,
      event: 'resources',
      idOf: (event) => event.watchId,
      start: async () =>
        (
          await api.request('watchResources', {
            cluster,
            kind,
            ...(namespace !== undefined && { namespace }),
          })
        ).watchId,
      stop: (watchId) => api.request('stopWatch', { watchId }),
      onEvent(event) {
        switch (event.type) {
          case 'reset':
            rows.clear();
            for (const row of event.rows) rows.set(row.uid, row);
            failures.current = 0;
            state = { ...LOADING, phase: 'live', columns: event.columns };
            break;
          case 'upsert':
            rows.set(event.row.uid, event.row);
            break;
          case 'delete':
            rows.delete(event.uid);
            break;
          case 'error':
            fail(event.error);
            return;
        }
        schedulePublish();
      },
      onStartError: fail,
    });
    return () => {
      close?.();
      clearTimeout(retryTimer.current);
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [api, cluster, kind, namespace, targetKey, attempt]);

  // Back online: the next attempt need not wait out the backoff.
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current && kept.current.state.phase === 'failed') retryNow();
    wasOnline.current = online;
  }, [online, retryNow]);

  return { ...watch, retryNow };
}
