import type { AppState } from '@switchboard/contract/app';
import { useId } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { useCore } from '../state/core-context';
import { useAction } from '../state/use-action';

/** Brand, and once someone is signed in: who, which relay, background mode, sign out. */
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
  const account = state.account!;
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
      <button
        type="button"
        disabled={signOut.pending}
        onClick={() => void signOut.run(() => api.request('signOut', undefined))}
      >
        {signOut.pending ? 'Signing out…' : 'Sign out'}
      </button>
      {(settings.error ?? signOut.error) !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={(settings.error ?? signOut.error)!} />
        </p>
      )}
    </div>
  );
}
