import type { AppError } from '@switchboard/contract/app';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { useCore } from './core-context';
import { openSubscription } from './open-subscription';

export interface ExecTarget {
  cluster: string;
  namespace: string;
  pod: string;
}

/** What the exec session needs from the terminal on screen. */
export interface TerminalIo {
  write(text: string): void;
  size(): { columns: number; rows: number };
}

export interface ExecSession {
  phase: 'starting' | 'running' | 'exited' | 'failed';
  exit: { code: number; message?: string } | undefined;
  error: AppError | undefined;
  /** Keystrokes from the terminal; held until the shell has started, dropped after it exited. */
  sendInput(data: string): void;
  resize(columns: number, rows: number): void;
}

const SHELL = ['sh'];

/** The contract caps one `execInput` at 65,536 characters; a big paste goes in pieces. */
const MAX_INPUT_CHUNK = 16_384;

function inputChunks(data: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + MAX_INPUT_CHUNK, data.length);
    // Never split a surrogate pair between two requests.
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(data.slice(start, end));
    start = end;
  }
  return chunks;
}

/**
 * A shell in a pod (`startExec` with a TTY) wired to a terminal: output is written to it, input and
 * resizes go back to the core. `attempt` starts a fresh shell when it changes; leaving stops it.
 */
export function useExec(
  target: ExecTarget,
  terminal: RefObject<TerminalIo | null>,
  attempt: number,
): ExecSession {
  const api = useCore();
  const [phase, setPhase] = useState<ExecSession['phase']>('starting');
  const [exit, setExit] = useState<ExecSession['exit']>();
  const [error, setError] = useState<AppError>();
  /** Where keystrokes and resizes go: held until the shell starts, then sent, then dropped. */
  const link = useRef<{ state: 'holding' } | { state: 'open'; execId: string } | { state: 'closed' }>({
    state: 'holding',
  });
  const heldInput = useRef('');
  const heldSize = useRef<{ columns: number; rows: number } | undefined>(undefined);
  const { cluster, namespace, pod } = target;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the "start again" trigger.
  useEffect(() => {
    setPhase('starting');
    setExit(undefined);
    setError(undefined);
    link.current = { state: 'holding' };
    heldInput.current = '';
    heldSize.current = undefined;
    const { columns, rows } = terminal.current?.size() ?? { columns: 80, rows: 24 };
    const close = openSubscription({
      api,
      event: 'exec',
      idOf: (event) => event.execId,
      start: async () =>
        (await api.request('startExec', { cluster, namespace, pod, command: SHELL, columns, rows })).execId,
      stop: (id) => api.request('stopExec', { execId: id }),
      onStarted(id) {
        link.current = { state: 'open', execId: id };
        setPhase('running');
        if (heldSize.current !== undefined) {
          api.request('execResize', { execId: id, ...heldSize.current }).catch(() => {});
        }
        for (const data of inputChunks(heldInput.current)) {
          api.request('execInput', { execId: id, data }).catch(() => {});
        }
        heldInput.current = '';
        heldSize.current = undefined;
      },
      onEvent(event) {
        if ('output' in event) {
          terminal.current?.write(event.output);
        } else if ('exit' in event) {
          link.current = { state: 'closed' };
          setExit(event.exit);
          setPhase('exited');
        }
      },
      onStartError(startError) {
        link.current = { state: 'closed' };
        setError(startError);
        setPhase('failed');
      },
    });
    return () => {
      link.current = { state: 'closed' };
      close();
    };
  }, [api, cluster, namespace, pod, terminal, attempt]);

  const sendInput = useCallback(
    (data: string) => {
      const current = link.current;
      if (current.state === 'holding') heldInput.current += data;
      // Input that fails (the shell just ended) has nowhere to go; the exit is shown instead.
      else if (current.state === 'open') {
        for (const chunk of inputChunks(data)) {
          api.request('execInput', { execId: current.execId, data: chunk }).catch(() => {});
        }
      }
    },
    [api],
  );
  const resize = useCallback(
    (columns: number, rows: number) => {
      const current = link.current;
      if (current.state === 'holding') heldSize.current = { columns, rows };
      else if (current.state === 'open') {
        api.request('execResize', { execId: current.execId, columns, rows }).catch(() => {});
      }
    },
    [api],
  );
  return { phase, exit, error, sendInput, resize };
}
