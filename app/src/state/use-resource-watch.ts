import type { AppError, ResourceColumn, ResourceRow, ResourceTypeId } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { useCore } from './core-context';
import { openSubscription } from './open-subscription';

export interface WatchTarget {
  cluster: string;
  kind: ResourceTypeId;
  namespace?: string;
}

export interface ResourceWatch {
  /** The Table's columns, as the apiserver printed them; each row has a cell per column. */
  columns: readonly ResourceColumn[];
  /** Every row the watch knows, in no particular order. */
  rows: readonly ResourceRow[];
  /** `loading` until the first `reset`. */
  phase: 'loading' | 'live' | 'failed';
  error: AppError | undefined;
}

const LOADING: ResourceWatch = { columns: [], rows: [], phase: 'loading', error: undefined };

/**
 * A live list of one kind (`watchResources`), stopped when the target changes or the screen goes.
 * Rows live in a Map keyed by uid and are applied as events arrive; React sees a new array at most
 * once per animation frame, so a burst of thousands of events costs one render.
 */
export function useResourceWatch(target: WatchTarget | undefined): ResourceWatch {
  const api = useCore();
  const [watch, setWatch] = useState<ResourceWatch>(LOADING);
  const cluster = target?.cluster;
  const kind = target?.kind;
  const namespace = target?.namespace;

  useEffect(() => {
    setWatch(LOADING);
    if (cluster === undefined || kind === undefined) return;
    const rows = new Map<string, ResourceRow>();
    let columns: readonly ResourceColumn[] = [];
    let phase: ResourceWatch['phase'] = 'loading';
    let error: AppError | undefined;
    let frame: number | undefined;
    const publish = () => {
      frame = undefined;
      setWatch({ columns, rows: [...rows.values()], phase, error });
    };
    const schedulePublish = () => {
      frame ??= requestAnimationFrame(publish);
    };
    const close = openSubscription({
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
            columns = event.columns;
            phase = 'live';
            error = undefined;
            break;
          case 'upsert':
            rows.set(event.row.uid, event.row);
            break;
          case 'delete':
            rows.delete(event.uid);
            break;
          case 'error':
            phase = 'failed';
            error = event.error;
            break;
        }
        schedulePublish();
      },
      onStartError(startError) {
        phase = 'failed';
        error = startError;
        schedulePublish();
      },
    });
    return () => {
      close();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [api, cluster, kind, namespace]);

  return watch;
}
