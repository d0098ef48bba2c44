import { useRef, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Terminal, type TerminalHandle } from '../../components/Terminal';
import { type ExecTarget, useExec } from '../../state/use-exec';

/** A shell (`sh`) in a pod, in a terminal; leaving the view ends it. */
export function PodShell(target: ExecTarget) {
  const [attempt, setAttempt] = useState(0);
  const terminal = useRef<TerminalHandle>(null);
  const exec = useExec(target, terminal, attempt);
  // The core reports a connection that closed under the shell (an outage) as code -1.
  const cutOff = exec.phase === 'exited' && exec.exit?.code === -1;
  const status = (() => {
    switch (exec.phase) {
      case 'starting':
        return `Starting a shell in ${target.pod}…`;
      case 'running':
        return `Shell in ${target.pod}.`;
      case 'exited':
        if (cutOff)
          return `The shell’s session ended with the connection to ${target.pod} (the cluster went offline or the tunnel dropped).`;
        return `The shell exited with code ${exec.exit?.code ?? 0}${exec.exit?.message ? `: ${exec.exit.message}` : ''}.`;
      case 'failed':
        return '';
    }
  })();
  return (
    <div className="pod-shell">
      <div className="panel-toolbar">
        <p role="status" className="muted" data-testid="shell-status" data-phase={exec.phase}>
          {status}
        </p>
        {(exec.phase === 'exited' || exec.phase === 'failed') && (
          <button type="button" onClick={() => setAttempt((value) => value + 1)}>
            {cutOff || exec.phase === 'failed' ? 'Reconnect' : 'Start a new shell'}
          </button>
        )}
      </div>
      {exec.error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={exec.error} />
        </p>
      )}
      <Terminal
        key={attempt}
        ref={terminal}
        label={`Shell in pod ${target.pod}`}
        onData={exec.sendInput}
        onResize={exec.resize}
      />
    </div>
  );
}
