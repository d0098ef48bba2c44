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
  /** The kubectl connections sign-out would end, as the core counted them when asked; set while asking. */
  const [sessionsToEnd, setSessionsToEnd] = useState<number>();
  const account = state.account!;
  const runSignOut = async () => {
    const signedOut = await signOut.run(() => api.request('signOut', undefined));
    if (signedOut !== undefined) setSessionsToEnd(undefined);
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
          // Asks the core for the count now: the pushed state may lag a kubectl that just started.
          void signOut.run(async () => {
            const now = await api.request('getState', undefined);
            if (now.proxy.activeSessions > 0) setSessionsToEnd(now.proxy.activeSessions);
            else await api.request('signOut', undefined);
          });
        }}
      >
        {signOut.pending ? 'Signing out…' : 'Sign out'}
      </button>
      {sessionsToEnd !== undefined && (
        <ConfirmDialog
          title="Sign out and stop kubectl sessions?"
          confirmLabel="Sign out"
          danger
          pending={signOut.pending}
          error={signOut.error?.message}
          onConfirm={() => void runSignOut()}
          onCancel={() => setSessionsToEnd(undefined)}
        >
          <p data-testid="sign-out-sessions">
            {sessionsToEnd === 1
              ? '1 connection from kubectl (or Helm, Lens…) is open'
              : `${sessionsToEnd} connections from kubectl (or Helm, Lens…) are open`}{' '}
            through the local proxy. Signing out stops the proxy, which ends{' '}
            {sessionsToEnd === 1 ? 'it' : 'them'}: watches, logs and shells stop, and the next kubectl command
            through Switchboard fails until you sign in again.
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
