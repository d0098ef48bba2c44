import type { AppError } from '@switchboard/contract/app';
import { useEffect, useState } from 'react';
import { useCore } from './core-context';
import { openSubscription } from './open-subscription';

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

const EMPTY: Logs = { text: '', ended: false, truncated: false, error: undefined };

/** Follows a pod's log (`startLogs` with follow), batched per animation frame; stopped on leave. */
export function useLogs(target: LogsTarget): Logs {
  const api = useCore();
  const [logs, setLogs] = useState<Logs>(EMPTY);
  const { cluster, namespace, pod } = target;

  useEffect(() => {
    setLogs(EMPTY);
    let text = '';
    let ended = false;
    let truncated = false;
    let error: AppError | undefined;
    let frame: number | undefined;
    const publish = () => {
      frame = undefined;
      setLogs({ text, ended, truncated, error });
    };
    const schedulePublish = () => {
      frame ??= requestAnimationFrame(publish);
    };
    const close = openSubscription({
      api,
      event: 'logs',
      idOf: (event) => event.logsId,
      start: async () =>
        (await api.request('startLogs', { cluster, namespace, pod, follow: true, tailLines: TAIL_LINES }))
          .logsId,
      stop: (logsId) => api.request('stopLogs', { logsId }),
      onEvent(event) {
        if ('text' in event) {
          const kept = keepTail(text + event.text);
          truncated ||= kept.length < text.length + event.text.length;
          text = kept;
        } else {
          ended = true;
          error = event.error;
        }
        schedulePublish();
      },
      onStartError(startError) {
        ended = true;
        error = startError;
        schedulePublish();
      },
    });
    return () => {
      close();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [api, cluster, namespace, pod]);

  return logs;
}
