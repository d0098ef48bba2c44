import type { AppError, AppState } from '@switchboard/contract/app';
import { Banner } from '../components/Banner';
import { ErrorMessage } from '../components/ErrorMessage';
import { useCore } from '../state/core-context';
import { useAction } from '../state/use-action';
import { SignInProgressPanel } from './SignInProgressPanel';

export interface AppBannersProps {
  state: AppState;
  onChangeRelay(): void;
  onChoosePort(): void;
}

/**
 * What needs the person's attention across screens: `state.problem` with the action that fixes it,
 * a sign-in in progress (with its own actions) or expired, a live status stream that dropped, and a
 * relay that stayed unreachable past the core's grace (then kubectl fails too, which is what the
 * person must know).
 */
export function AppBanners({ state, onChangeRelay, onChoosePort }: AppBannersProps) {
  const problem: AppError | undefined =
    state.problem ??
    (state.signIn === 'sign-in-required'
      ? {
          kind: 'sign-in-required',
          message: `Sign in to ${state.relayUrl ?? 'the relay'} again to continue.`,
        }
      : undefined);
  return (
    <>
      {problem !== undefined && (
        <ProblemBanner
          problem={problem}
          state={state}
          onChangeRelay={onChangeRelay}
          onChoosePort={onChoosePort}
        />
      )}
      {state.signIn === 'signing-in' && state.signInProgress !== undefined && (
        <section className="banner banner-notice" aria-label="Sign-in in progress">
          <SignInProgressPanel state={state} progress={state.signInProgress} />
        </section>
      )}
      {state.reach.state === 'connecting' && state.statusStream === 'reconnecting' && (
        <Banner tone="notice">
          Lost the live status stream from the relay; reconnecting. Statuses may be out of date until then.
        </Banner>
      )}
      {state.reach.state === 'relay-unreachable' && problem?.kind !== 'relay-unreachable' && (
        <Banner tone="error">
          <span data-testid="relay-unreachable-banner">
            Cannot reach the relay {state.relayUrl ?? ''}: kubectl requests through Switchboard fail, and
            cluster statuses are unknown until it answers again. Switchboard keeps trying.
          </span>
        </Banner>
      )}
    </>
  );
}

function ProblemBanner({
  problem,
  state,
  onChangeRelay,
  onChoosePort,
}: AppBannersProps & { problem: AppError }) {
  const api = useCore();
  const action = useAction();
  const relayUrl = state.relayUrl;
  const signIn = () => void action.run(() => api.request('signIn', undefined));
  const actions = (() => {
    switch (problem.kind) {
      case 'sign-in-required':
      case 'sign-in-failed':
        return (
          <button type="button" className="button-primary" disabled={action.pending} onClick={signIn}>
            Sign in again
          </button>
        );
      case 'relay-unreachable':
        return (
          <>
            {state.signIn !== 'signed-in' && relayUrl !== undefined && (
              <button
                type="button"
                disabled={action.pending}
                onClick={() => void action.run(() => api.request('connectRelay', { relayUrl }))}
              >
                Try again
              </button>
            )}
            <button type="button" onClick={onChangeRelay}>
              Change relay
            </button>
          </>
        );
      case 'keychain-unavailable':
        return (
          <button type="button" className="button-primary" disabled={action.pending} onClick={signIn}>
            Try again
          </button>
        );
      case 'port-in-use':
        return (
          <button type="button" onClick={onChoosePort}>
            Choose another port
          </button>
        );
      default:
        return undefined;
    }
  })();
  return (
    <Banner tone="error" actions={actions}>
      <ErrorMessage error={problem} />
      {problem.kind === 'relay-unreachable' && state.signIn === 'signed-in' && (
        <> Switchboard keeps trying in the background.</>
      )}
      {problem.kind === 'no-access' && <> Ask an administrator of the relay to grant you access.</>}
      {action.error !== undefined && (
        <p className="form-error">
          <ErrorMessage error={action.error} />
        </p>
      )}
    </Banner>
  );
}
