import type { AppState } from '@switchboard/contract/app';
import { type FormEvent, useId, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { focusWhenLost } from '../components/focus-when-lost';
import { useCore } from '../state/core-context';
import { useAction } from '../state/use-action';
import { SignInProgressPanel } from './SignInProgressPanel';

export interface FirstRunProps {
  state: AppState;
  /** The person asked to type a (different) relay URL. */
  relayFormWanted: boolean;
  onRelayFormWanted(wanted: boolean): void;
}

/** Turns what was typed into a relay URL, or says what is wrong with it. */
function parseRelayUrl(typed: string): { url: string } | { problem: string } {
  const trimmed = typed.trim();
  if (trimmed === '') return { problem: 'Enter the relay’s address, for example https://relay.example.com.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return { problem: `A relay address starts with https:// (not ${url.protocol}//).` };
    }
    return { url: url.href.replace(/\/$/, '') };
  } catch {
    return { problem: `“${trimmed}” is not a web address; it looks like https://relay.example.com.` };
  }
}

/**
 * Getting signed in: type the relay's URL, finish signing in in the system browser (the core opens
 * it, and says when it could not) or with a code on another device, and come back to the cluster list. Also where a signed-out person, or one whose sign-in
 * expired, signs in again.
 */
export function FirstRun({ state, relayFormWanted, onRelayFormWanted }: FirstRunProps) {
  const api = useCore();
  const connect = useAction();
  const signIn = useAction();
  const relayUrl = state.relayUrl;
  const waiting = state.signIn === 'signing-in';
  const showForm =
    (relayFormWanted || relayUrl === undefined || state.signIn === 'no-relay') &&
    !(connect.pending && waiting);

  return (
    <section className="first-run" aria-labelledby="first-run-heading">
      {showForm ? (
        <RelayForm
          initialUrl={relayUrl ?? ''}
          pending={connect.pending}
          canCancel={relayFormWanted && relayUrl !== undefined}
          onCancel={() => onRelayFormWanted(false)}
          onSubmit={(url) =>
            void connect.run(async () => {
              const next = await api.request('connectRelay', { relayUrl: url });
              onRelayFormWanted(false);
              return next;
            })
          }
        />
      ) : waiting && state.signInProgress !== undefined ? (
        <SignInProgressPanel state={state} progress={state.signInProgress} headingLevel={2} />
      ) : (
        <div>
          <h2 id="first-run-heading">
            {state.signIn === 'sign-in-required' ? 'Your sign-in has expired' : 'Sign in'}
          </h2>
          <p>
            Sign in to <strong>{relayUrl}</strong> to see your clusters. Your browser opens the sign-in page;
            if the browser you sign in with is on another device, use a sign-in code instead.
          </p>
        </div>
      )}
      {!showForm && !waiting && (
        <div className="form-actions">
          <button
            type="button"
            className="button-primary"
            ref={focusWhenLost}
            disabled={signIn.pending}
            onClick={() => void signIn.run(() => api.request('signIn', undefined))}
          >
            {state.signIn === 'sign-in-required' ? 'Sign in again' : 'Sign in'}
          </button>
          <button
            type="button"
            disabled={signIn.pending}
            onClick={() => void signIn.run(() => api.request('signInWithDeviceCode', undefined))}
          >
            Use a sign-in code
          </button>
          <button type="button" onClick={() => onRelayFormWanted(true)}>
            Use another relay
          </button>
        </div>
      )}
      {!showForm && waiting && (
        <div className="form-actions">
          <button type="button" onClick={() => onRelayFormWanted(true)}>
            Use another relay
          </button>
        </div>
      )}
      {(connect.error ?? signIn.error) !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={(connect.error ?? signIn.error)!} />
        </p>
      )}
    </section>
  );
}

interface RelayFormProps {
  initialUrl: string;
  pending: boolean;
  canCancel: boolean;
  onCancel(): void;
  onSubmit(url: string): void;
}

function RelayForm({ initialUrl, pending, canCancel, onCancel, onSubmit }: RelayFormProps) {
  const [typed, setTyped] = useState(initialUrl);
  const [problem, setProblem] = useState<string>();
  const inputId = useId();
  const hintId = useId();
  const problemId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseRelayUrl(typed);
    if ('problem' in parsed) {
      setProblem(parsed.problem);
      return;
    }
    setProblem(undefined);
    onSubmit(parsed.url);
  };
  return (
    <form className="relay-form" onSubmit={submit} noValidate>
      <h2 id="first-run-heading">Connect to a relay</h2>
      <p>Your administrator gives you the relay’s address. Switchboard finds everything else from there.</p>
      <div className="field">
        <label htmlFor={inputId}>Relay URL</label>
        <input
          id={inputId}
          type="url"
          inputMode="url"
          autoComplete="url"
          placeholder="https://relay.example.com"
          value={typed}
          aria-invalid={problem !== undefined}
          aria-describedby={problem === undefined ? hintId : `${problemId} ${hintId}`}
          onChange={(event) => setTyped(event.currentTarget.value)}
        />
        {problem !== undefined && (
          <p id={problemId} className="form-error">
            {problem}
          </p>
        )}
        <p id={hintId} className="field-hint">
          Signing in opens in your browser.
        </p>
      </div>
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={pending}>
          {pending ? 'Connecting…' : 'Connect and sign in'}
        </button>
        {canCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
