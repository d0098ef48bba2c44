import type { AppState } from '@switchboard/contract/app';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { useCore } from '../state/core-context';
import { useAction } from '../state/use-action';

/**
 * Brand, and once someone is signed in: who, which relay, background mode (where the host has one),
 * sign out (asking first when it would cut running kubectl sessions).
 */
export function AppHeader({ state }: { state: AppState | undefined }) {
  const account = state?.account;
  return (
    <header className="app-header">
      <h1 className="app-title">Switchboard</h1>
      {state !== undefined && account !== undefined && <AccountControls state={state} />}
    </header>
  );
}

function AccountControls({ state }: { state: AppState }) {
  const api = useCore();
  const settings = useAction();
  const signOut = useAction();
  const backgroundId = useId();
  const [confirmingSignOut, setConfirmingSignOut] = useState(false);
  const account = state.account!;
  const sessions = state.proxy.activeSessions;
  const runSignOut = async () => {
    const signedOut = await signOut.run(() => api.request('signOut', undefined));
    if (signedOut !== undefined) setConfirmingSignOut(false);
  };
  return (
    <div className="account-controls">
      <p className="account-summary">
        <span>
          Signed in as <strong data-testid="account-name">{account.displayName ?? account.username}</strong>
        </span>
        <span className="muted">
          Relay <span data-testid="relay-url">{account.relayUrl}</span>
        </span>
      </p>
      {state.backgroundModeAvailable && (
        <div className="checkbox-field">
          <input
            id={backgroundId}
            type="checkbox"
            checked={state.settings.backgroundMode}
            disabled={settings.pending}
            onChange={(event) => {
              const backgroundMode = event.currentTarget.checked;
              void settings.run(() => api.request('setSettings', { backgroundMode }));
            }}
          />
          <label htmlFor={backgroundId}>Keep running in the background when the window closes</label>
        </div>
      )}
      <button
        type="button"
        disabled={signOut.pending}
        onClick={() => {
          signOut.clearError();
          // Read now, not when the dialog was drawn: a kubectl may have started or ended since.
          if (state.proxy.activeSessions > 0) setConfirmingSignOut(true);
          else void runSignOut();
        }}
      >
        {signOut.pending ? 'Signing out…' : 'Sign out'}
      </button>
      {confirmingSignOut && (
        <ConfirmDialog
          title="Sign out and stop kubectl sessions?"
          confirmLabel="Sign out"
          danger
          pending={signOut.pending}
          error={signOut.error?.message}
          onConfirm={() => void runSignOut()}
          onCancel={() => setConfirmingSignOut(false)}
        >
          <p data-testid="sign-out-sessions">
            {sessions === 1
              ? '1 connection from kubectl (or Helm, Lens…) is open'
              : `${sessions} connections from kubectl (or Helm, Lens…) are open`}{' '}
            through the local proxy. Signing out stops the proxy, which ends {sessions === 1 ? 'it' : 'them'}:
            watches, logs and shells stop, and the next kubectl command through Switchboard fails until you
            sign in again.
          </p>
        </ConfirmDialog>
      )}
      {(settings.error ?? signOut.error) !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={(settings.error ?? signOut.error)!} />
        </p>
      )}
    </div>
  );
}
