import type { AppError, BrowsableKind, WorkloadLogPod } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { useCore } from './core-context';
import { type LogLine, LogLines } from './log-lines';
import { openSubscription } from './open-subscription';

/** One container of one pod, or (`workload`) every pod an owner selects. */
export type LogsSource =
  | { type: 'pod'; cluster: string; namespace: string; pod: string; container: string; previous: boolean }
  | {
      type: 'workload';
      cluster: string;
      namespace: string;
      kind: BrowsableKind;
      name: string;
      /** Each pod's container of this name; omitted: each pod's first container. */
      container?: string;
    };

export interface Logs {
  lines: readonly LogLine[];
  /** How many older lines were dropped to keep the buffer bounded. */
  dropped: number;
  /** The stream ended (the container stopped, a previous log was read to its end…). */
  ended: boolean;
  error: AppError | undefined;
  /** For a workload: its pods and whether each is followed. */
  pods: WorkloadLogPod[];
}

const TAIL_LINES = 1000;
const WORKLOAD_TAIL_LINES = 200;
const EMPTY: Logs = { lines: [], dropped: 0, ended: false, error: undefined, pods: [] };

/**
 * Follows a log (`startLogs` with timestamps, or `startWorkloadLogs`), published at most once per
 * animation frame; the stream stops when the source changes or the view goes away.
 */
export function useLogs(source: LogsSource | undefined): Logs {
  const api = useCore();
  const [logs, setLogs] = useState<Logs>(EMPTY);
  const key = source === undefined ? '' : JSON.stringify(source);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the source's fields.
  useEffect(() => {
    setLogs(EMPTY);
    if (source === undefined) return;
    const buffer = new LogLines();
    let ended = false;
    let error: AppError | undefined;
    let pods: WorkloadLogPod[] = [];
    let frame: number | undefined;
    const publish = () => {
      frame = undefined;
      setLogs({ lines: buffer.lines, dropped: buffer.dropped, ended, error, pods });
    };
    const schedulePublish = () => {
      frame ??= requestAnimationFrame(publish);
    };
    const fail = (startError: AppError) => {
      ended = true;
      error = startError;
      schedulePublish();
    };
    const close =
      source.type === 'pod'
        ? openSubscription({
            api,
            event: 'logs',
            idOf: (event) => event.logsId,
            start: async () =>
              (
                await api.request('startLogs', {
                  cluster: source.cluster,
                  namespace: source.namespace,
                  pod: source.pod,
                  container: source.container,
                  previous: source.previous,
                  // A previous instance has ended: its whole log, not a tail, and nothing to follow.
                  follow: !source.previous,
                  ...(!source.previous && { tailLines: TAIL_LINES }),
                  timestamps: true,
                })
              ).logsId,
            stop: (logsId) => api.request('stopLogs', { logsId }),
            onEvent(event) {
              if ('text' in event) {
                buffer.appendText(event.text);
              } else {
                buffer.endText();
                ended = true;
                error = event.error;
              }
              schedulePublish();
            },
            onStartError: fail,
          })
        : openSubscription({
            api,
            event: 'workloadLogs',
            idOf: (event) => event.logsId,
            start: async () =>
              (
                await api.request('startWorkloadLogs', {
                  cluster: source.cluster,
                  namespace: source.namespace,
                  kind: source.kind,
                  name: source.name,
                  ...(source.container !== undefined && { container: source.container }),
                  tailLines: WORKLOAD_TAIL_LINES,
                })
              ).logsId,
            stop: (logsId) => api.request('stopLogs', { logsId }),
            onEvent(event) {
              if ('lines' in event) buffer.appendLines(event.lines);
              else if ('pods' in event) pods = event.pods;
              else {
                ended = true;
                error = event.error;
              }
              schedulePublish();
            },
            onStartError: fail,
          });
    return () => {
      close();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [api, key]);

  return logs;
}
