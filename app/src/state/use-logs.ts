import type { AppError } from '@switchboard/contract/app';
import { useEffect, useRef, useState } from 'react';
import { useClusterOnline } from './cluster-online';
import { useCore } from './core-context';
import { LogResume } from './log-resume';
import { openSubscription } from './open-subscription';
import { retryDelayMs } from './retry-delay';

export interface LogsTarget {
  cluster: string;
  namespace: string;
  pod: string;
}

export interface Logs {
  text: string;
  /** The stream ended (the pod went away, or the core stopped following). */
  ended: boolean;
  /** Lines were dropped from the top to keep the view bounded. */
  truncated: boolean;
  error: AppError | undefined;
  /** The stream was cut off (an outage) and is picked up again where it stopped. */
  resuming: boolean;
}

/** How much log text the view keeps; older lines are dropped (kubectl users expect a tail). */
const MAX_LOG_CHARS = 512 * 1024;
const TAIL_LINES = 1000;

/** Drops whole lines from the top until the text fits. */
function keepTail(text: string): string {
  if (text.length <= MAX_LOG_CHARS) return text;
  const cut = text.length - MAX_LOG_CHARS;
  const nextLine = text.indexOf('\n', cut);
  return nextLine === -1 ? text.slice(cut) : text.slice(nextLine + 1);
}

const EMPTY: Logs = { text: '', ended: false, truncated: false, error: undefined, resuming: false };

/**
 * Follows a pod's log (`startLogs` with follow), batched per animation frame; stopped on leave.
 * A stream that breaks off (the cluster went offline, the tunnel dropped) is resumed where it
 * stopped, without repeating a line (state/log-resume.ts): at once when the cluster is back, else
 * after a backoff. A log that ends cleanly (the container stopped) stays ended.
 */
export function useLogs(target: LogsTarget): Logs {
  const api = useCore();
  const online = useClusterOnline();
  const [logs, setLogs] = useState<Logs>(EMPTY);
  const [attempt, setAttempt] = useState(0);
  const { cluster, namespace, pod } = target;
  const targetKey = `${cluster}\n${namespace}\n${pod}`;
  /** What carries over from a broken stream to its resumption. */
  const kept = useRef({ key: '', resume: new LogResume(), logs: EMPTY, failures: 0 });
  const retryTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the "resume" trigger.
  useEffect(() => {
    if (kept.current.key !== targetKey) {
      kept.current = { key: targetKey, resume: new LogResume(), logs: EMPTY, failures: 0 };
      setLogs(EMPTY);
    }
    const { resume } = kept.current;
    let { text, truncated } = kept.current.logs;
    const resuming = kept.current.logs.resuming;
    const sinceTime = resuming ? resume.resumeFrom() : undefined;
    let ended = false;
    let error: AppError | undefined;
    let brokenOff = false;
    let frame: number | undefined;
    const publish = () => {
      frame = undefined;
      kept.current.logs = { text, ended, truncated, error, resuming: brokenOff };
      setLogs(kept.current.logs);
    };
    const schedulePublish = () => {
      frame ??= requestAnimationFrame(publish);
    };
    const append = (more: string) => {
      if (more === '') return;
      const all = text + more;
      const bounded = keepTail(all);
      truncated ||= bounded.length < all.length;
      text = bounded;
    };
    const breakOff = (cause: AppError) => {
      brokenOff = true;
      error = cause;
      clearTimeout(retryTimer.current);
      retryTimer.current = setTimeout(
        () => setAttempt((count) => count + 1),
        retryDelayMs(kept.current.failures++),
      );
    };
    const close = openSubscription({
      api,
      event: 'logs',
      idOf: (event) => event.logsId,
      start: async () =>
        (
          await api.request('startLogs', {
            cluster,
            namespace,
            pod,
            follow: true,
            timestamps: true,
            ...(sinceTime === undefined ? { tailLines: TAIL_LINES } : { sinceTime }),
          })
        ).logsId,
      stop: (logsId) => api.request('stopLogs', { logsId }),
      onEvent(event) {
        if ('text' in event) {
          kept.current.failures = 0;
          append(resume.take(event.text));
        } else if (event.error === undefined) {
          append(resume.flush());
          ended = true;
        } else {
          breakOff(event.error);
        }
        schedulePublish();
      },
      onStarted() {
        // A resumed stream is live again: the cut-off notice can go.
        if (resuming) schedulePublish();
      },
      onStartError(startError) {
        breakOff(startError);
        schedulePublish();
      },
    });
    return () => {
      close();
      clearTimeout(retryTimer.current);
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [api, cluster, namespace, pod, targetKey, attempt]);

  // The cluster is back: resume now rather than at the end of the backoff.
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current && kept.current.logs.resuming) {
      clearTimeout(retryTimer.current);
      setAttempt((count) => count + 1);
    }
    wasOnline.current = online;
  }, [online]);

  return logs;
}
