import type { AppError, ResourceTypeId, WorkloadLogPod } from '@switchboard/contract/app';
import { useEffect, useRef, useState } from 'react';
import { useClusterOnline } from './cluster-online';
import { useCore } from './core-context';
import { type LogLine, LogLines } from './log-lines';
import { LogResume } from './log-resume';
import { openSubscription } from './open-subscription';
import { retryDelayMs } from './retry-delay';

/** One container of one pod, or (`workload`) every pod an owner selects. */
export type LogsSource =
  | { type: 'pod'; cluster: string; namespace: string; pod: string; container: string; previous: boolean }
  | {
      type: 'workload';
      cluster: string;
      namespace: string;
      kind: ResourceTypeId;
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
  /** A followed pod log was cut off (an outage) and is picked up again where it stopped. */
  resuming: boolean;
}

const TAIL_LINES = 1000;
const WORKLOAD_TAIL_LINES = 200;
const EMPTY: Logs = { lines: [], dropped: 0, ended: false, error: undefined, pods: [], resuming: false };

/**
 * Follows a log (`startLogs` with timestamps, or `startWorkloadLogs`), published at most once per
 * animation frame; the stream stops when the source changes or the view goes away. A followed pod
 * log that breaks off (the cluster went offline, the tunnel dropped) is resumed where it stopped,
 * without repeating a line (state/log-resume.ts): at once when the cluster is back, else after a
 * backoff. A log that ends cleanly (the container stopped) stays ended.
 */
export function useLogs(source: LogsSource | undefined): Logs {
  const api = useCore();
  const online = useClusterOnline();
  const [logs, setLogs] = useState<Logs>(EMPTY);
  const [attempt, setAttempt] = useState(0);
  const key = source === undefined ? '' : JSON.stringify(source);
  /** What carries over from a broken pod stream to its resumption. */
  const kept = useRef({
    key: '',
    buffer: new LogLines(),
    resume: new LogResume(),
    brokenOff: false,
    failures: 0,
  });
  const retryTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // A cluster back online resumes a broken stream at once instead of waiting out the backoff.
  useEffect(() => {
    if (online && kept.current.brokenOff) {
      clearTimeout(retryTimer.current);
      setAttempt((count) => count + 1);
    }
  }, [online]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the source's fields; `attempt` is the "resume" trigger.
  useEffect(() => {
    if (kept.current.key !== key) {
      kept.current = { key, buffer: new LogLines(), resume: new LogResume(), brokenOff: false, failures: 0 };
      setLogs(EMPTY);
    }
    if (source === undefined) return;
    const { buffer, resume } = kept.current;
    const sinceTime = kept.current.brokenOff ? resume.resumeFrom() : undefined;
    let ended = false;
    let error: AppError | undefined;
    let pods: WorkloadLogPod[] = [];
    let frame: number | undefined;
    const publish = () => {
      frame = undefined;
      const resuming = kept.current.brokenOff;
      setLogs({ lines: buffer.lines, dropped: buffer.dropped, ended, error, pods, resuming });
    };
    const breakOff = (cause: AppError) => {
      kept.current.brokenOff = true;
      error = cause;
      clearTimeout(retryTimer.current);
      retryTimer.current = setTimeout(
        () => setAttempt((count) => count + 1),
        retryDelayMs(kept.current.failures++),
      );
      schedulePublish();
    };
    const schedulePublish = () => {
      frame ??= requestAnimationFrame(publish);
    };
    const fail = (startError: AppError) => {
      ended = true;
      error = startError;
      schedulePublish();
    };
    const following = source.type === 'pod' && !source.previous;
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
                  follow: following,
                  ...(following && (sinceTime === undefined ? { tailLines: TAIL_LINES } : { sinceTime })),
                  timestamps: true,
                })
              ).logsId,
            stop: (logsId) => api.request('stopLogs', { logsId }),
            onEvent(event) {
              if ('text' in event) {
                kept.current.failures = 0;
                buffer.appendText(resume.take(event.text));
              } else if (event.error !== undefined && following) {
                breakOff(event.error);
                return;
              } else {
                buffer.appendText(resume.flush());
                buffer.endText();
                ended = true;
                error = event.error;
              }
              schedulePublish();
            },
            onStarted() {
              // A resumed stream is live again: the cut-off notice can go.
              if (kept.current.brokenOff) {
                kept.current.brokenOff = false;
                error = undefined;
                schedulePublish();
              }
            },
            onStartError: (startError) => (following ? breakOff(startError) : fail(startError)),
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
      clearTimeout(retryTimer.current);
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [api, key, attempt]);

  return logs;
}
