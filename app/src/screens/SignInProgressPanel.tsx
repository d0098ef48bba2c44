import type { AppState, DeviceCodeView, SignInProgress } from '@switchboard/contract/app';
import type { ReactNode } from 'react';
import { CopyButton } from '../components/CopyButton';
import { ErrorMessage } from '../components/ErrorMessage';
import { focusWhenLost } from '../components/focus-when-lost';
import { useCore } from '../state/core-context';
import { type Action, useAction } from '../state/use-action';

export interface SignInProgressPanelProps {
  state: AppState;
  progress: SignInProgress;
  /** The heading level it sits under: a screen of its own (2) or a banner on another screen (none). */
  headingLevel?: 2;
}

/**
 * A sign-in under way, as it really stands: whether the browser opened the sign-in page (and if
 * not, the link to open or copy), or the code to enter on another device; with the actions for
 * each (open the page, copy the link or code, switch to a code, cancel).
 */
export function SignInProgressPanel({ state, progress, headingLevel }: SignInProgressPanelProps) {
  const api = useCore();
  const action = useAction();
  const relay = <strong>{state.relayUrl ?? 'the relay'}</strong>;
  const body =
    progress.method === 'browser' ? (
      <BrowserSignIn progress={progress} relay={relay} action={action} headingLevel={headingLevel} />
    ) : (
      <DeviceCodeSignIn
        deviceCode={progress.deviceCode}
        browserProblem={progress.browserProblem}
        relay={relay}
        action={action}
        headingLevel={headingLevel}
      />
    );
  return (
    <div className="sign-in-progress" data-sign-in-method={progress.method} ref={focusWhenLost} tabIndex={-1}>
      {body}
      <div className="form-actions">
        {progress.method === 'browser' && (
          <button
            type="button"
            disabled={action.pending}
            onClick={() => void action.run(() => api.request('signInWithDeviceCode', undefined))}
          >
            Use a sign-in code instead
          </button>
        )}
        <button
          type="button"
          disabled={action.pending}
          onClick={() => void action.run(() => api.request('cancelSignIn', undefined))}
        >
          Cancel
        </button>
      </div>
      {action.error !== undefined && (
        <p className="form-error" role="alert">
          <ErrorMessage error={action.error} />
        </p>
      )}
    </div>
  );
}

function Heading({ level, children }: { level: 2 | undefined; children: string }) {
  return level === 2 ? (
    <h2 id="first-run-heading">{children}</h2>
  ) : (
    <p className="sign-in-progress-title">
      <strong>{children}</strong>
    </p>
  );
}

interface BrowserSignInProps {
  progress: Extract<SignInProgress, { method: 'browser' }>;
  relay: ReactNode;
  action: Action;
  headingLevel: 2 | undefined;
}

function BrowserSignIn({ progress, relay, action, headingLevel }: BrowserSignInProps) {
  const api = useCore();
  const openPage = () => void action.run(() => api.request('openSignInPage', undefined));
  const notOpened = progress.browser === 'not-opened';
  return (
    <>
      <Heading level={headingLevel}>
        {notOpened ? 'Open the sign-in page to continue' : 'Finish signing in in your browser'}
      </Heading>
      <p role="status" data-browser-state={progress.browser}>
        {progress.browser === 'preparing' && <>Getting the sign-in page of {relay} ready…</>}
        {progress.browser === 'opening' && <>Opening the sign-in page of {relay} in your browser…</>}
        {progress.browser === 'opened' && (
          <>
            Switchboard opened the sign-in page of {relay} in your browser. Waiting for you to finish signing
            in in your browser…
          </>
        )}
        {notOpened && (
          <>
            Switchboard could not open a browser on this computer
            {progress.browserProblem !== undefined && <> ({progress.browserProblem})</>}. Open the sign-in
            page of {relay} yourself: copy the link into a browser on this computer. Waiting for you to finish
            signing in…
          </>
        )}
      </p>
      {progress.url !== undefined && (
        <>
          <div className="copy-row sign-in-link">
            <code data-testid="sign-in-link">{progress.url}</code>
          </div>
          <div className="form-actions">
            <button
              type="button"
              className={notOpened ? 'button-primary' : undefined}
              disabled={action.pending}
              onClick={openPage}
            >
              Open the sign-in page
            </button>
            <CopyButton text={progress.url} label="Copy link" />
          </div>
          <p className="field-hint">
            The page must open on this computer: it sends you back to Switchboard here. If your browser is on
            another computer, use a sign-in code instead.
          </p>
        </>
      )}
    </>
  );
}

interface DeviceCodeSignInProps {
  deviceCode: DeviceCodeView | undefined;
  browserProblem: string | undefined;
  relay: ReactNode;
  action: Action;
  headingLevel: 2 | undefined;
}

function DeviceCodeSignIn({
  deviceCode,
  browserProblem,
  relay,
  action,
  headingLevel,
}: DeviceCodeSignInProps) {
  const api = useCore();
  if (deviceCode === undefined) {
    return (
      <>
        <Heading level={headingLevel}>Sign in with a code</Heading>
        <p role="status">Asking the identity provider of {relay} for a sign-in code…</p>
      </>
    );
  }
  const expiresAt = new Date(deviceCode.expiresAt).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
  return (
    <>
      <Heading level={headingLevel}>Sign in with a code</Heading>
      <p>
        On any device with a browser (your phone, another computer), open this page and enter the code below.
        The code works until {expiresAt}.
      </p>
      <div className="copy-row sign-in-link">
        <span className="copy-row-label">Page</span>
        <code data-testid="verification-uri">{deviceCode.verificationUri}</code>
        <CopyButton text={deviceCode.verificationUri} label="Copy link" />
      </div>
      <div className="copy-row device-code">
        <span className="copy-row-label">Code</span>
        <code data-testid="user-code">{deviceCode.userCode}</code>
        <CopyButton text={deviceCode.userCode} label="Copy code" />
      </div>
      <div className="form-actions">
        <button
          type="button"
          disabled={action.pending}
          onClick={() => void action.run(() => api.request('openSignInPage', undefined))}
        >
          Open the page on this computer
        </button>
      </div>
      {browserProblem !== undefined && (
        <p className="form-error" role="alert">
          Switchboard could not open a browser on this computer ({browserProblem}). Open the page on another
          device instead.
        </p>
      )}
      <p role="status">Waiting for you to approve the sign-in on the other device…</p>
    </>
  );
}
