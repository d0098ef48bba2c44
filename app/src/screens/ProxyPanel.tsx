import type { ProxyView, RelayReach } from '@switchboard/contract/app';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyButton } from '../components/CopyButton';
import { ErrorMessage } from '../components/ErrorMessage';
import { useCore } from '../state/core-context';
import { useAction } from '../state/use-action';

const MIN_PORT = 1024;
const MAX_PORT = 65535;
const USER_KUBECONFIG = '~/.kube/config';

export interface ProxyPanelProps {
  proxy: ProxyView;
  /** Whether the relay reaches the person now: a listening proxy is no use to kubectl without it. */
  reach: RelayReach;
  /** Incremented when something (the port-in-use banner) wants the port field focused. */
  portFocusRequest: number;
}

function parsePort(typed: string): number | undefined {
  if (!/^\d+$/.test(typed.trim())) return undefined;
  const port = Number(typed);
  return port >= MIN_PORT && port <= MAX_PORT ? port : undefined;
}

const STATE_WORDS: Record<ProxyView['state'], string> = {
  off: 'Off',
  starting: 'Starting…',
  ready: 'Running',
  error: 'Stopped by an error',
};

/** What a listening proxy can do for kubectl while the relay cannot be reached or the sign-in expired. */
const LISTENING_WITHOUT_RELAY: Partial<Record<RelayReach['state'], string>> = {
  'relay-unreachable': 'Running — relay unreachable, kubectl requests fail',
  'sign-in-expired': 'Running — sign-in expired, kubectl requests fail until you sign in again',
};

function stateWords(proxy: ProxyView, reach: RelayReach): string {
  const listening = proxy.state !== 'off' && proxy.url !== undefined;
  return (listening ? LISTENING_WITHOUT_RELAY[reach.state] : undefined) ?? STATE_WORDS[proxy.state];
}

/**
 * The local proxy kubectl talks to: on/off, its port, the `export KUBECONFIG=…` line to copy, the
 * context name per cluster, and merging those contexts into ~/.kube/config (only when asked).
 */
export function ProxyPanel({ proxy, reach, portFocusRequest }: ProxyPanelProps) {
  const api = useCore();
  const toggle = useAction();
  return (
    <section className="proxy-panel" aria-labelledby="proxy-heading">
      <h2 id="proxy-heading">Local proxy</h2>
      <div className="proxy-switch-row">
        <button
          type="button"
          role="switch"
          className="switch"
          aria-checked={proxy.enabled}
          disabled={toggle.pending}
          onClick={() => void toggle.run(() => api.request('setProxyEnabled', { enabled: !proxy.enabled }))}
        >
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          <span>Local proxy</span>
        </button>
        <p role="status" className="proxy-state" data-proxy-state={proxy.state} data-reach={reach.state}>
          {stateWords(proxy, reach)}
          {proxy.state === 'ready' &&
            proxy.url !== undefined &&
            LISTENING_WITHOUT_RELAY[reach.state] === undefined && (
              <>
                {' '}
                at <code>{proxy.url}</code>
              </>
            )}
        </p>
      </div>
      {toggle.error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={toggle.error} />
        </p>
      )}
      {/* A busy port shows once, on the port field, where it is fixed. */}
      {proxy.error !== undefined && proxy.error.kind !== 'port-in-use' && (
        <p className="form-error" role="alert">
          <ErrorMessage error={proxy.error} />
        </p>
      )}
      <PortForm proxy={proxy} focusRequest={portFocusRequest} />
      {proxy.exportLine !== undefined && (
        <div className="export-line">
          <p>Point kubectl, Helm or Lens at the proxy in this shell:</p>
          <div className="copy-row">
            <code data-testid="export-line">{proxy.exportLine}</code>
            <CopyButton
              text={proxy.exportLine}
              label="Copy"
              accessibleName="Copy the export KUBECONFIG command"
            />
          </div>
        </div>
      )}
      <p className="muted" data-testid="proxy-identity">
        kubectl through this proxy acts as the account signed in here. Signing out stops it; after signing in
        as someone else, the same port and kubeconfig act as them.
      </p>
      <KubeconfigMerge proxy={proxy} />
      <h3>Contexts</h3>
      {proxy.contexts.length === 0 ? (
        <p className="muted">No contexts yet: they appear for each cluster you have access to.</p>
      ) : (
        <ul className="context-list" aria-label="Context name per cluster">
          {proxy.contexts.map(({ cluster, context }) => (
            <li key={cluster}>
              <span>{cluster}</span> <code>{context}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PortForm({ proxy, focusRequest }: { proxy: ProxyView; focusRequest: number }) {
  const api = useCore();
  const change = useAction();
  const [typed, setTyped] = useState(String(proxy.port));
  const [problem, setProblem] = useState<string>();
  const field = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const hintId = useId();
  const problemId = useId();
  const errorId = useId();

  useEffect(() => setTyped(String(proxy.port)), [proxy.port]);
  useEffect(() => {
    if (focusRequest === 0) return;
    field.current?.focus();
    field.current?.select();
  }, [focusRequest]);

  // The change's own error, else the running proxy's when its port was taken.
  const fieldError = change.error ?? (proxy.error?.kind === 'port-in-use' ? proxy.error : undefined);
  const portInUse = fieldError?.kind === 'port-in-use';
  // A refused change left the proxy where it was: say so, the person may fear it stopped.
  const stillRunning = change.error !== undefined && proxy.state !== 'off' && proxy.state !== 'error';
  useEffect(() => {
    if (change.error?.kind === 'port-in-use') field.current?.focus();
  }, [change.error]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const port = parsePort(typed);
    if (port === undefined) {
      setProblem(`Enter a port number from ${MIN_PORT} to ${MAX_PORT}.`);
      field.current?.focus();
      return;
    }
    setProblem(undefined);
    void change.run(() => api.request('setProxyPort', { port }));
  };
  return (
    <form className="port-form" onSubmit={submit} noValidate>
      <div className="field field-inline">
        <label htmlFor={inputId}>Port</label>
        <input
          id={inputId}
          ref={field}
          type="text"
          inputMode="numeric"
          className="input-port"
          value={typed}
          aria-invalid={problem !== undefined || portInUse}
          aria-describedby={[problem !== undefined && problemId, fieldError !== undefined && errorId, hintId]
            .filter(Boolean)
            .join(' ')}
          onChange={(event) => setTyped(event.currentTarget.value)}
        />
        <button type="submit" disabled={change.pending || typed === String(proxy.port)}>
          {change.pending ? 'Changing…' : 'Change port'}
        </button>
      </div>
      <p id={hintId} className="field-hint">
        {MIN_PORT}–{MAX_PORT}; the proxy listens on 127.0.0.1 only.
      </p>
      {problem !== undefined && (
        <p id={problemId} className="form-error" role="alert">
          {problem}
        </p>
      )}
      {fieldError !== undefined && (
        <p id={errorId} className="form-error" role="alert" data-testid="port-error">
          <ErrorMessage error={fieldError} />
          {stillRunning && <> The proxy keeps running on port {proxy.port}; nothing was changed.</>}
        </p>
      )}
    </form>
  );
}

function KubeconfigMerge({ proxy }: { proxy: ProxyView }) {
  const api = useCore();
  const action = useAction();
  const [confirming, setConfirming] = useState<'merge' | 'unmerge'>();
  const [outcome, setOutcome] = useState<string>();
  const contextNames = proxy.contexts.map(({ context }) => context);

  const confirm = async () => {
    if (confirming === 'merge') {
      const merged = await action.run(() => api.request('mergeKubeconfig', undefined));
      if (merged === undefined) return;
      setOutcome(
        `Merged ${merged.contexts.length} ${merged.contexts.length === 1 ? 'context' : 'contexts'} into ${merged.kubeconfigPath}` +
          (merged.backupPath !== undefined ? `; the previous file is saved as ${merged.backupPath}.` : '.'),
      );
    } else {
      const removed = await action.run(() => api.request('unmergeKubeconfig', undefined));
      if (removed === undefined) return;
      setOutcome(
        `Removed ${removed.removedContexts.length} Switchboard ${removed.removedContexts.length === 1 ? 'context' : 'contexts'} from ${removed.kubeconfigPath}.`,
      );
    }
    setConfirming(undefined);
  };

  return (
    <div className="kubeconfig-merge">
      <h3>{USER_KUBECONFIG}</h3>
      <p>
        {proxy.merged
          ? `Switchboard’s contexts are merged into ${USER_KUBECONFIG}.`
          : `Not merged: ${USER_KUBECONFIG} is untouched. Use the export line, or merge to use the contexts everywhere.`}
      </p>
      <div className="form-actions">
        <button
          type="button"
          onClick={() => {
            action.clearError();
            setConfirming('merge');
          }}
        >
          Merge into {USER_KUBECONFIG}
        </button>
        <button
          type="button"
          disabled={!proxy.merged}
          onClick={() => {
            action.clearError();
            setConfirming('unmerge');
          }}
        >
          Remove from {USER_KUBECONFIG}
        </button>
      </div>
      <p role="status" className="muted">
        {outcome}
      </p>
      {confirming === 'merge' && (
        <ConfirmDialog
          title={`Merge into ${USER_KUBECONFIG}?`}
          confirmLabel="Merge"
          pending={action.pending}
          error={action.error?.message}
          onConfirm={() => void confirm()}
          onCancel={() => setConfirming(undefined)}
        >
          <p>
            Switchboard adds {contextNames.length === 0 ? 'its contexts' : contextNames.join(', ')} to{' '}
            {USER_KUBECONFIG}. It first saves a backup copy of the file next to it (
            <code>config.switchboard-backup-&lt;time&gt;</code>), then writes the new file in one step. Your
            current context stays as it is.
          </p>
        </ConfirmDialog>
      )}
      {confirming === 'unmerge' && (
        <ConfirmDialog
          title={`Remove Switchboard from ${USER_KUBECONFIG}?`}
          confirmLabel="Remove"
          danger
          pending={action.pending}
          error={action.error?.message}
          onConfirm={() => void confirm()}
          onCancel={() => setConfirming(undefined)}
        >
          <p>
            Switchboard removes the contexts, clusters and users it added to {USER_KUBECONFIG}. If nothing
            else changed the file since the merge, the backup taken then is restored exactly; otherwise only
            Switchboard’s entries are taken out, and any you edited by hand stay. Everything else in the file
            is left as it is.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
