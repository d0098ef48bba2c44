import { type KeyboardEvent, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Terminal } from '../../components/Terminal';
import { useClusterOnline } from '../../state/cluster-online';
import { useCore } from '../../state/core-context';
import { type ShellSession, shellSessionsOf } from '../../state/shell-sessions';
import { containerLabel, defaultContainerOf, usePodContainers } from '../../state/use-pod-containers';

export interface PodShellProps {
  cluster: string;
  namespace: string;
  pod: string;
}

/**
 * Shells in a pod, one tab each (named pod/container), started in the container picked; bash when
 * the image has it, sh otherwise. A shell keeps running when this view goes away and is here again
 * on return; closing its tab (its Close button, or Delete on the tab) ends it. The first visit starts one in the pod's default container.
 */
export function PodShell({ cluster, namespace, pod }: PodShellProps) {
  const api = useCore();
  const store = shellSessionsOf(api);
  useSyncExternalStore(store.subscribe, store.version);
  const { containers, error } = usePodContainers(cluster, namespace, pod);
  const [chosen, setChosen] = useState<string>();
  const [activeId, setActiveId] = useState<string>();
  const tabs = useRef<HTMLDivElement>(null);
  const panelId = useId();
  // Shells that ended while the cluster was offline: their session went with the connection.
  const online = useClusterOnline();
  const endedByOutage = useRef(new Set<string>());
  const sessions = store.sessions.filter(
    (session) =>
      session.target.cluster === cluster &&
      session.target.namespace === namespace &&
      session.target.pod === pod,
  );
  const active = sessions.find((session) => session.id === activeId) ?? sessions.at(-1);
  if (!online) {
    for (const session of sessions) {
      if (session.phase === 'exited' || session.phase === 'failed') endedByOutage.current.add(session.id);
    }
  }
  const running = containers?.filter((each) => each.state === 'running') ?? [];
  const container =
    running.find((each) => each.name === chosen) ?? (containers && defaultContainerOf(running));

  const open = (name: string) => setActiveId(store.open({ cluster, namespace, pod, container: name }).id);

  // The first visit to a pod's shell starts one, as the Shell tab always did.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || container === undefined) return;
    started.current = true;
    if (sessions.length === 0) open(container.name);
  });

  const onTabKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Delete' && active !== undefined) {
      event.preventDefault();
      store.close(active.id);
      return;
    }
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step === undefined || active === undefined) return;
    event.preventDefault();
    const next = sessions[(sessions.indexOf(active) + step + sessions.length) % sessions.length]!;
    setActiveId(next.id);
    tabs.current?.querySelector<HTMLElement>(`[data-session="${next.id}"]`)?.focus();
  };

  return (
    <div className="pod-shell">
      <div className="log-toolbar">
        <label>
          Container{' '}
          <select
            value={container?.name ?? ''}
            disabled={running.length === 0}
            onChange={(event) => setChosen(event.target.value)}
          >
            {running.map((each) => (
              <option key={each.name} value={each.name}>
                {containerLabel(each)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={container === undefined}
          onClick={() => container && open(container.name)}
        >
          New shell
        </button>
        {containers !== undefined && running.length === 0 && (
          <span className="muted">No container of {pod} is running: a shell needs a running one.</span>
        )}
      </div>
      {error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={error} />
        </p>
      )}
      {sessions.length > 0 && (
        <div
          ref={tabs}
          role="tablist"
          aria-label={`Shells in ${pod}`}
          className="shell-tabs"
          onKeyDown={onTabKeyDown}
        >
          {sessions.map((session) => (
            <button
              key={session.id}
              type="button"
              role="tab"
              data-session={session.id}
              aria-selected={session === active}
              aria-controls={panelId}
              tabIndex={session === active ? 0 : -1}
              onClick={() => setActiveId(session.id)}
            >
              {session.title}
            </button>
          ))}
        </div>
      )}
      {active !== undefined && (
        <div
          role="tabpanel"
          id={panelId}
          className="pod-shell shell-panel"
          aria-label={`Shell ${active.title}`}
        >
          <ShellStatus
            session={active}
            endedByOutage={endedByOutage.current.has(active.id)}
            onRestart={() => open(active.target.container)}
            onClose={() => store.close(active.id)}
          />
          {active.error !== undefined && (
            <p className="form-error" role="alert">
              <ErrorMessage error={active.error} />
            </p>
          )}
          <Terminal
            key={active.id}
            terminal={active}
            label={`Shell in pod ${pod}, container ${active.target.container}`}
          />
        </div>
      )}
    </div>
  );
}

function ShellStatus({
  session,
  endedByOutage,
  onRestart,
  onClose,
}: {
  session: ShellSession;
  /** The shell ended while the cluster was offline: its session ended with the connection. */
  endedByOutage: boolean;
  onRestart(): void;
  onClose(): void;
}) {
  const { pod, container } = session.target;
  const shell = session.command?.join(' ');
  const ended = session.phase === 'exited' || session.phase === 'failed';
  const status = (() => {
    if (ended && endedByOutage) {
      return `The shell’s session ended with the connection to the cluster: reconnect once it is back.`;
    }
    switch (session.phase) {
      case 'starting':
        return `Starting a shell in ${pod}/${container}…`;
      case 'running':
        return `${shell ?? 'Shell'} in ${pod}/${container}${shell === 'sh' ? ' (the image has no bash)' : ''}.`;
      case 'exited':
        return `The shell exited with code ${session.exit?.code ?? 0}${session.exit?.message ? `: ${session.exit.message}` : ''}.`;
      case 'failed':
        return '';
    }
  })();
  return (
    <div className="panel-toolbar">
      <p
        role="status"
        className="muted"
        data-testid="shell-status"
        data-phase={session.phase}
        data-shell={shell}
      >
        {status}
      </p>
      {ended && (
        <button type="button" onClick={onRestart}>
          {endedByOutage ? 'Reconnect' : 'Start a new shell'}
        </button>
      )}
      <button type="button" className="shell-close" onClick={onClose}>
        Close shell {session.title}
      </button>
    </div>
  );
}
